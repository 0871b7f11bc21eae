"""Decoding bytes to text and sniffing the format from content (the extension is only a hint)."""
from __future__ import annotations

import codecs
import re

from pipeline.transcript import InputError

MAX_BYTES = 50 * 1024 * 1024


def decode(data: bytes) -> tuple[str, list[str]]:
    """BOM, then strict UTF-8, then Windows-1252 (SPEC 3). Mojibake is repaired, digits untouched."""
    warnings: list[str] = []
    if not data.strip():
        raise InputError("the file is empty")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = _strict(data, enc)
            break
    else:
        if _looks_utf16(data):
            text = _strict(data, "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be")
        elif b"\x00" in data[:4096]:
            raise InputError("the file is binary, not a transcript")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252", errors="replace")
                warnings.append("not UTF-8: read as Windows-1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _mostly_control(text):
        raise InputError("the file is binary, not a transcript")
    fixed = repair(text)
    if fixed != text:
        warnings.append("repaired mis-decoded characters (mojibake)")
    if not fixed.strip():
        raise InputError("the file has no text")
    return fixed, warnings


def _strict(data: bytes, enc: str) -> str:
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        raise InputError(f"cannot decode as {enc}: {e.reason} at byte {e.start}") from None


def _looks_utf16(data: bytes) -> bool:
    head = data[:200]
    return len(head) >= 4 and (head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4)


def _mostly_control(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\t") or c == "\ufffd")
    return bad > max(8, len(sample) // 20)


def repair(text: str) -> str:
    """Fix mojibake with ftfy, keeping every line whose digits would change as it was."""
    import ftfy

    fixed = ftfy.fix_text(text, normalization=None, uncurl_quotes=False, fix_line_breaks=False)
    if fixed == text:
        return text
    old, new = text.split("\n"), fixed.split("\n")
    if len(old) != len(new):
        return text
    return "\n".join(n if _digits(n) == _digits(o) else o for o, n in zip(old, new))


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


_VTT = re.compile(r"\AWEBVTT\b")
_SRT = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}(?::\d{2})?[,.]\d{1,3}\s*-->", re.M)
_CUE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?[,.]\d{1,3}\s*-->")
_HTML = re.compile(r"<(?:cite|time|p|html|body|div|span)\b", re.I)


def sniff(text: str, suffix: str = "") -> str:
    """Which reader fits this text. Content decides; the extension breaks ties."""
    head = text.lstrip("\ufeff \n\t")[:2000]
    if _VTT.match(head):
        return "webvtt"
    if head[:1] in "[{" and suffix.lower() in (".json", "") or head[:1] == "{":
        return "json"
    if _SRT.search(head) or (_CUE.search(head) and suffix.lower() in (".srt", ".vtt")):
        return "srt"
    if _HTML.search(head) and (suffix.lower() in (".html", ".htm") or re.search(r"<(cite|time)\b", head, re.I)):
        return "html"
    return "plain"
