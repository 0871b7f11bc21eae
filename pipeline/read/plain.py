"""Plain-text transcripts in the layouts people publish (SPEC 3).

Each line is classified by the first layout pattern it fits: a speaker label, a time stamp, both,
or plain text. Labels start segments; plain text continues the current one. Caption-style lines
that break a sentence are merged until the sentence ends, so a claim's sentence is whole.
"""
from __future__ import annotations

import re

from pipeline.transcript import Segment

_NAME = r"[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|de|van|von|da|del|bin|al)){0,3}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"

# (layout name, pattern); named groups: speaker, time, text
LINE_LAYOUTS = [
    ("bold_name", re.compile(rf"^\*\*(?P<speaker>{_NAME})\s*:?\s*\*\*\s*:?\s*(?P<text>.*)$")),
    ("bold_time", re.compile(rf"^\*\*\[?(?P<time>{_TIME})\]?\*\*\s*(?P<text>.*)$")),
    ("bracket_time_name", re.compile(rf"^\[(?P<time>{_TIME})\]\s*(?:(?P<speaker>{_NAME})\s*:\s*)?(?P<text>.*)$")),
    ("name_paren_time", re.compile(rf"^(?P<speaker>{_NAME})\s*\((?P<time>{_TIME})\)\s*:?\s*(?P<text>.*)$")),
    ("name_time", re.compile(rf"^(?P<speaker>{_NAME})\s+(?P<time>{_TIME})\s*$")),
    ("time_only", re.compile(rf"^\(?\[?(?P<time>{_TIME})\]?\)?\s*$")),
    ("name_colon", re.compile(rf"^(?P<speaker>{_NAME})\s*:\s+(?P<text>\S.*)$")),
]
# "Note: the rate is 5%" is not a speaker
NOT_SPEAKERS = {"note", "notes", "update", "edit", "source", "sources", "transcript", "summary", "chapter", "step",
                "example", "warning", "caveat", "disclaimer", "fact", "tl;dr", "ps", "p.s", "link", "links", "title",
                "episode", "timestamps", "show notes", "sponsor", "ad", "quote", "rule", "context", "answer"}
SENTENCE_END = re.compile(r"[.?!…][\"')\]]*$")
MAX_MERGED = 600  # characters: caption lines without punctuation are not merged forever


def parse_time(s: str | None) -> float | None:
    if not s:
        return None
    parts = s.replace(",", ".").split(":")
    secs = 0.0
    for p in parts:
        secs = secs * 60 + float(p)
    return secs


def read_plain(text: str) -> tuple[list[Segment], list[str], str]:
    """Segments, warnings and the layout found."""
    lines = text.split("\n")
    appearances = _appearances_page(lines)
    if appearances:
        speaker, body = appearances
        return [Segment(text=l.strip(), speaker=speaker) for l in body if l.strip()], [], "appearances"
    return _read_lines(lines)


def _appearances_page(lines: list[str]) -> tuple[str, list[str]] | None:
    """A scraped 'speaker appearances' page: a name, page chrome, then one utterance per line."""
    head = [(i, l.strip()) for i, l in enumerate(lines) if l.strip()][:5]
    if len(head) < 2 or not re.fullmatch(_NAME, head[0][1]) or len(head[0][1].split()) > 4:
        return None
    chrome = [i for i, l in head[1:] if "appearances" in l.lower() and len(l.split()) <= 6 and not SENTENCE_END.search(l)]
    if not chrome:
        return None
    return head[0][1], lines[max(chrome) + 1:]


def _valid_name(name: str | None) -> bool:
    return bool(name) and name.strip().lower() not in NOT_SPEAKERS


def _read_lines(lines: list[str]) -> tuple[list[Segment], list[str], str]:
    matches = []
    counts: dict[str, int] = {}
    for line in lines:
        s = line.strip()
        found = None
        for name, pat in LINE_LAYOUTS:
            m = pat.match(s)
            if m and (m.groupdict().get("speaker") is None or _valid_name(m.group("speaker"))):
                found = (name, m)
                break
        matches.append(found)
        if found:
            counts[found[0]] = counts.get(found[0], 0) + 1
    # a "Name: text" label counts only where labels are the layout, not a stray "Summary: ..."
    labels = counts.get("name_colon", 0)
    name_colon_ok = labels >= 2 or labels == sum(1 for l in lines if l.strip())
    headers = _name_headers(lines)

    segments: list[Segment] = []
    cur: dict | None = None
    speaker: str | None = None
    pending_time: float | None = None
    blank = True

    def flush():
        nonlocal cur
        if cur and cur["text"].strip():
            segments.append(Segment(text=cur["text"].strip(), speaker=cur["speaker"], start=cur["start"]))
        cur = None

    for line, found in zip(lines, matches):
        s = line.strip()
        if not s:
            blank = True
            if cur and not cur.get("timed"):
                flush()
            continue
        layout, m = found if found else (None, None)
        if layout == "name_colon" and not name_colon_ok:
            layout, m = None, None
        if layout is None and s in headers:
            flush()
            speaker, blank = s, False
            continue
        if layout in ("time_only", "name_time"):
            pending_time = parse_time(m.group("time"))
            if layout == "name_time":
                speaker = m.group("speaker").strip()
            flush()
            blank = False
            continue
        if layout is None:
            if cur is None or (blank and not cur.get("timed")):
                flush()
                cur = {"text": s, "speaker": speaker, "start": pending_time, "timed": False}
                pending_time = None
            else:
                cur["text"] += " " + s
            blank = False
            continue
        g = m.groupdict()
        new_speaker = (g.get("speaker") or "").strip() or None
        t = parse_time(g.get("time"))
        text = (g.get("text") or "").strip()
        continues = (
            new_speaker is None and cur is not None and cur.get("timed")
            and not SENTENCE_END.search(cur["text"]) and len(cur["text"]) < MAX_MERGED
        )
        if continues:
            cur["text"] += " " + text
        else:
            flush()
            if new_speaker:
                speaker = new_speaker
            cur = {"text": text, "speaker": speaker, "start": t if t is not None else pending_time, "timed": t is not None}
            pending_time = None
        blank = False
    flush()
    layout = max(counts, key=counts.get) if counts else ("paragraphs" if headers == set() else "name_headers")
    return segments, [], layout


def _name_headers(lines: list[str]) -> set[str]:
    """Names on a line of their own, after a blank line and before a paragraph: turn headers.

    Taken as the layout only when there are three or more and some name comes back."""
    found = []
    for i, line in enumerate(lines):
        s = line.strip()
        after_blank = i == 0 or not lines[i - 1].strip()
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if s and after_blank and nxt and re.fullmatch(_NAME, s) and len(s.split()) <= 4 and _valid_name(s):
            found.append(s)
    return set(found) if len(found) >= 3 and len(set(found)) < len(found) else set()
