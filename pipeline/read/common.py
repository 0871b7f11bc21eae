"""What the readers share: who is no speaker, where a sentence ends, merging caption fragments, media URLs."""
from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from pipeline.transcript import Segment

# "Note: the rate is 5%" is not a speaker
NOT_SPEAKERS = {"note", "notes", "update", "edit", "source", "sources", "transcript", "summary", "chapter", "step",
                "example", "warning", "caveat", "disclaimer", "fact", "tl;dr", "ps", "p.s", "link", "links", "title",
                "episode", "timestamps", "show notes", "sponsor", "ad", "quote", "rule", "context", "answer"}


def parse_time(s: str | None) -> float | None:
    if not s:
        return None
    parts = s.replace(",", ".").split(":")
    secs = 0.0
    for p in parts:
        secs = secs * 60 + float(p)
    return secs


SENTENCE_END = re.compile(r"[.?!…][\"')\]]*$")
MAX_MERGED = 600  # characters: captions without punctuation are not merged forever...
# ...nor cut between "$56" and "billion", or after "of" ("several orders of | magnitude"), up to twice as long
ENDS_OPEN = re.compile(r"(?:\d[\d,.]*|(?<![\w'])(?i:of|the|an?|to|per|and|or|than|about|around|like|for|by|in|on|at))$")


def merge(segments: list[Segment]) -> list[Segment]:
    """Join caption fragments of one speaker into sentences, so a claim and its sentence are whole.

    The merged segment keeps every fragment's start time (Segment.times), so a claim still gets
    the time of the fragment it was said in.
    """
    out: list[Segment] = []
    for s in segments:
        prev = out[-1] if out else None
        if (prev is not None and prev.speaker == s.speaker and not SENTENCE_END.search(prev.text)
                and (len(prev.text) < MAX_MERGED or len(prev.text) < 2 * MAX_MERGED and ENDS_OPEN.search(prev.text))
                and s.start is not None):
            times = prev.times + ((len(prev.text) + 1, s.start),)
            out[-1] = Segment(text=f"{prev.text} {s.text}", speaker=prev.speaker, start=prev.start,
                              end=s.end if s.end is not None else prev.end, times=times)
        else:
            out.append(Segment(text=s.text, speaker=s.speaker, start=s.start, end=s.end,
                               times=((0, s.start),) if s.start is not None else ()))
    return out


MEDIA_EXTENSIONS = (".mp3", ".m4a", ".aac", ".ogg", ".opus", ".wav", ".flac", ".mp4", ".webm", ".mov")


def media_url(value, need_extension: bool = False) -> str | None:
    """The media file a transcript names, fit to end in an href: an http(s) URL, or a relative file name with an
    audio or video extension; None for anything else (javascript:, data:, control characters, ...).
    A fragment is dropped, so the report can add its own `#t=SECONDS`."""
    if not isinstance(value, str) or len(value) > 2000 or any(c < " " or c == "\x7f" for c in value):
        return None
    try:
        url = urldefrag(value.strip()).url
        parts = urlsplit(url)
    except ValueError:  # "http://[::1"
        return None
    has_extension = parts.path.lower().endswith(MEDIA_EXTENSIONS)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return url if has_extension or not need_extension else None
    return url if not parts.scheme and not parts.netloc and has_extension else None
