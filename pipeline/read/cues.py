"""SRT and WebVTT, read by one tolerant cue parser.

The libraries mis-read real files (srt reads `00:05,000` as five minutes, webvtt-py drops cues
with comma milliseconds, pysrt drops bad cues silently), and the podcast rules live outside them
anyway: `Name:` and `<v Name>` speakers carried forward, YouTube's rolling captions read once.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from pipeline.read.common import NOT_SPEAKERS, merge
from pipeline.transcript import InputError, Segment

_TS = r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?"
TIMING = re.compile(rf"^\s*{_TS}\s*-->\s*{_TS}(?:\s+.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>", re.I)
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
NAME_PREFIX = re.compile(r"^\s*(?:\[([^\]]{1,40})\]|([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}))\s*:\s+")
_SPEAKER_CHANGE = re.compile(r"^\s*(?:>>|&gt;&gt;|-\s)\s*")
HOLD = 0.05  # seconds: YouTube's hold cues repeat a line for ~10 ms


@dataclass
class Cue:
    start: float
    end: float
    lines: list[str]
    speaker: str | None = None


def seconds(groups) -> float:
    h, m, s, ms = groups
    if ms is not None and len(ms) < 3:
        ms = ms.ljust(3, "0")
    return int(h or 0) * 3600 + int(m) * 60 + int(s) + int(ms or 0) / 1000


def parse_cues(text: str) -> tuple[list[Cue], list[str]]:
    """Cues in file order, with warnings for what was dropped. Tolerant: blocks are found by their timing line."""
    lines = text.split("\n")
    cues: list[Cue] = []
    warnings: list[str] = []
    bad = 0
    i = 0
    skipping = lines[0].lstrip("\ufeff").startswith("WEBVTT") if lines else False  # the header block
    while i < len(lines):
        line = lines[i]
        if skipping:
            if not line.strip():
                skipping = False
            i += 1
            continue
        if re.match(r"^(NOTE|STYLE|REGION)\b", line):
            skipping = True
            i += 1
            continue
        m = TIMING.match(line)
        if not m:
            if "-->" in line:
                bad += 1
            i += 1
            continue
        g = m.groups()
        start, end = seconds(g[:4]), seconds(g[4:])
        body = []
        i += 1
        # an empty line ends the cue; a line of spaces does not (YouTube pads cues with " ")
        while i < len(lines) and lines[i] != "" and not TIMING.match(lines[i]):
            if i + 1 < len(lines) and TIMING.match(lines[i + 1]) and lines[i].strip().isdigit():
                break  # the next cue's number, where a blank line was lost
            body.append(lines[i])
            i += 1
        cues.append(Cue(start, max(end, start), body))
    if bad:
        warnings.append(f"skipped {bad} malformed timing line(s)")
    if not cues:
        raise InputError("no cues with valid timestamps")
    return cues, warnings


def _clean(line: str) -> str:
    return html.unescape(_TAG.sub("", line)).replace("\u00a0", " ").strip()


def derolled(cues: list[Cue]) -> tuple[list[Cue], bool]:
    """YouTube auto-captions repeat each line in the next cue; keep every line once."""
    repeats = sum(1 for a, b in zip(cues, cues[1:]) if b.lines and a.lines and _clean(b.lines[0]) == _clean(a.lines[-1]))
    if repeats < max(2, len(cues) // 3):
        return cues, False
    out, last = [], None
    for c in cues:
        if c.end - c.start < HOLD:
            continue
        new = []
        for line in c.lines:
            t = _clean(line)
            if t and t != last:
                new.append(line)
                last = t
        if new:
            out.append(Cue(c.start, c.end, new, c.speaker))
    return out, True


def to_segments(cues: list[Cue]) -> list[Segment]:
    """Cue text without tags, speakers from <v Name>, 'Name:' or '[SPEAKER_00]:', carried forward."""
    segments = []
    speaker = None
    for c in cues:
        raw = " ".join(l.strip() for l in c.lines)
        v = _VOICE.search(raw)
        if v:
            speaker = html.unescape(v.group(1).strip())  # "<v Tom &amp; Jerry>" is Tom & Jerry
        if _SPEAKER_CHANGE.match(raw):
            speaker, raw = None, _SPEAKER_CHANGE.sub("", raw, count=1)
        text = _clean(raw)
        p = NAME_PREFIX.match(text)
        if p:
            name = (p.group(1) or p.group(2)).strip()
            if name.lower() not in NOT_SPEAKERS:
                speaker, text = name, text[p.end():]
        if text:
            segments.append(Segment(text=text, speaker=speaker, start=c.start, end=c.end))
    return segments


def read_cues(text: str) -> tuple[list[Segment], list[str], str, None]:
    cues, warnings = parse_cues(text)
    cues, rolling = derolled(cues)
    if rolling:
        warnings.append("rolling auto-captions: repeated lines read once")
    return merge(to_segments(cues)), warnings, "rolling" if rolling else "cues", None  # captions name no media
