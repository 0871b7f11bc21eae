"""Reading transcripts: bytes in, a Transcript of segments out, whatever the format.

Every reader takes decoded text and returns (segments, warnings, layout, media), media being the
audio or video file the transcript names (common.media_url), or None. `read` picks one by
content (detect.sniff) and turns every failure into an InputError with a one-line message.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from pipeline.files import read_bounded
from pipeline.read.cues import read_cues
from pipeline.read.detect import MAX_BYTES, decode, sniff
from pipeline.read.htmlfmt import read_html
from pipeline.read.jsonfmt import read_json
from pipeline.read.plain import read_plain
from pipeline.transcript import InputError, Transcript

MAX_WORDS = 1_000_000  # a three-hour conversation is about 30,000 words
MAX_NUMBERS = 50_000  # numbers in the speech itself (not timestamps)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

READERS = {
    "plain": read_plain,
    "srt": read_cues,
    "webvtt": read_cues,
    "json": read_json,
    "html": read_html,
}


def read(path: str | Path) -> Transcript:
    path = Path(path)
    try:
        data = read_bounded(path, MAX_BYTES, "transcript file")
    except OSError as e:
        raise InputError(f"cannot open: {e.strerror or e}") from None
    return read_bytes(data, os.fsencode(path).decode("utf-8", "backslashreplace"))  # a name not in UTF-8 still prints


def read_bytes(data: bytes, source: str, suffix: str | None = None) -> Transcript:
    text, warnings = decode(data)
    fmt = sniff(text, suffix if suffix is not None else Path(source).suffix)
    reader = READERS[fmt]
    try:
        segments, more, layout, media = reader(text)
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, RecursionError) as e:
        raise InputError(f"cannot read as {fmt}: {e}") from None
    if not segments:
        raise InputError(f"no speech found in the {fmt} file")
    chars = sum(len(s.text) for s in segments)  # a number takes two characters or more, a word two with its space
    words = sum(s.text.count(" ") + 1 for s in segments) if chars > 2 * MAX_WORDS else 0
    numbers = sum(1 for s in segments for _ in _NUMBER.finditer(s.text)) if chars > 2 * MAX_NUMBERS else 0
    if words > MAX_WORDS:  # the work per file stays bounded
        raise InputError(f"{words:,} words of speech, over the {MAX_WORDS:,} a transcript can have (a data dump?)")
    if numbers > MAX_NUMBERS:
        raise InputError(f"{numbers:,} numbers in the speech, over the {MAX_NUMBERS:,} a transcript can have (a data dump?)")
    fmt_name = f"{fmt}/{layout}" if fmt != "plain" else f"text/{layout}"
    return Transcript(source=source, format=fmt_name, segments=segments,
                      sha256=hashlib.sha256(data).hexdigest(), warnings=warnings + more, media=media)
