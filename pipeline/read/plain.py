"""Plain-text transcripts in the layouts people publish (SPEC 3).

Each line is classified by the first layout pattern it fits: a speaker label, a time stamp, both,
or plain text. Labels start segments; plain text continues the current one; a blank line ends it.
Caption-style lines that break a sentence are then merged until the sentence ends.
"""
from __future__ import annotations

import re
from collections import Counter

from pipeline.read.common import NOT_SPEAKERS, SENTENCE_END, merge, parse_time
from pipeline.transcript import Segment

_NAME = r"(?:(?:Speaker|SPEAKER|Host|Guest)[ \t_]?\d{1,2}|[A-Z][\w'’.-]*(?:[ \t]+(?:[A-Z][\w'’.-]*|de|van|von|da|del|bin|al)){0,3})"  # "Speaker 1" too
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


def read_plain(text: str) -> tuple[list[Segment], list[str], str, None]:
    """Segments, warnings and the layout found; plain text names no media."""
    lines = text.split("\n")
    appearances = _appearances_page(lines)
    if appearances:
        speaker, body = appearances
        return [Segment(text=l.strip(), speaker=speaker) for l in body if l.strip()], [], "appearances", None
    return *_read_lines(lines), None


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


def _classify(line: str):
    for name, pat in LINE_LAYOUTS:
        m = pat.match(line)
        if m and (m.groupdict().get("speaker") is None or _valid_name(m.group("speaker"))):
            return name, m
    return None, None


def _read_lines(lines: list[str]) -> tuple[list[Segment], list[str], str]:
    found = [_classify(line.strip()) for line in lines]
    counts = Counter(layout for layout, _ in found if layout)
    # a "Name: text" label counts only where labels are the layout, not a stray "Summary: ..."
    labels = counts["name_colon"]
    labels_ok = labels >= 2 or labels == sum(1 for line in lines if line.strip())
    headers = _name_headers(lines)

    segments: list[Segment] = []
    speaker: str | None = None
    pending: float | None = None  # a time on a line of its own, for the next paragraph
    cur: Segment | None = None  # the paragraph being read, whose text is `lines_of_cur` joined once it ends
    lines_of_cur: list[str] = []

    def flush():
        nonlocal cur
        if cur is not None:
            text = " ".join(t for t in lines_of_cur if t)
            if text:
                segments.append(Segment(text=text, speaker=cur.speaker, start=cur.start))
        cur = None
        lines_of_cur.clear()

    for line, (layout, m) in zip(lines, found):
        s = line.strip()
        if layout == "name_colon" and not labels_ok:
            layout = None
        if not s:  # a blank line ends a paragraph
            flush()
        elif layout is None and s in headers:
            flush()
            speaker = s
        elif layout in ("time_only", "name_time"):
            flush()
            pending = parse_time(m.group("time"))
            speaker = m.groupdict().get("speaker") or speaker
        elif layout is None:  # text: starts or continues a paragraph
            if cur is None:
                cur, pending = Segment(text="", speaker=speaker, start=pending), None
            lines_of_cur.append(s)
        else:  # a labelled line starts a segment
            flush()
            g = m.groupdict()
            speaker = (g.get("speaker") or "").strip() or speaker
            t = parse_time(g.get("time"))
            cur, pending = Segment(text="", speaker=speaker, start=t if t is not None else pending), None
            lines_of_cur.append((g.get("text") or "").strip())
    flush()
    layout = counts.most_common(1)[0][0] if counts else ("name_headers" if headers else "paragraphs")
    return merge(segments), [], layout


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
