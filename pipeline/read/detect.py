"""Decoding bytes to text and sniffing the format from content (the extension is only a hint)."""
from __future__ import annotations

import codecs
import re

from pipeline.transcript import InputError

MAX_BYTES = 25_000_000  # a 3-hour transcript with word timings is a few MB; more is not a transcript


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
            text, enc = _guess(data)
            if enc != "utf-8":
                warnings.append(f"not UTF-8: read as {enc}")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _mostly_control(text):
        raise InputError("the file is binary, not a transcript")
    if _CONTROL.search(text):  # a stray control byte is no speech, and must not reach a report
        text = _CONTROL.sub(" ", text)
    fixed = repair(text)
    if fixed != text:
        warnings.append("repaired mis-decoded characters (mojibake)")
    if not fixed.strip():
        raise InputError("the file has no text")
    return fixed, warnings


def _guess(data: bytes) -> tuple[str, str]:
    """Strict UTF-8, then strict Windows-1252, then charset-normalizer's best guess."""
    for enc in ("utf-8", "cp1252"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot decode the text (not UTF-8, UTF-16 or Windows-1252)")
    return str(best), f"{best.encoding} (a guess)"


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
    if text.isascii():
        return text
    import ftfy

    if not ftfy.badness.is_bad(text):  # nothing to repair: skip the slow pass
        return text
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
_JSON = re.compile(r"\A(?:\{|\[\s*[\[{\]])")
_HTML = re.compile(r"<(?:cite|time)\b|\A<(?:!doctype|html|body|div|p)\b", re.I)


def sniff(text: str, suffix: str = "") -> str:
    """Which reader fits this text. Content decides; the extension breaks ties."""
    from pipeline.read.cues import TIMING

    head = text.lstrip("\ufeff \n\t\r")
    if _VTT.match(head):
        return "webvtt"
    if _JSON.match(head):
        return "json"
    if any(TIMING.match(line) for line in head[:3000].split("\n")[:40]) or (
            suffix.lower() in (".srt", ".vtt") and "-->" in head[:3000]):
        return "srt"
    if _HTML.search(head[:5000]) or (suffix.lower() in (".html", ".htm") and head.startswith("<")):
        return "html"
    return "plain"
