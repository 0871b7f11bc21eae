"""Reading transcripts: bytes in, a Transcript of segments out, whatever the format.

Every reader takes decoded text and returns (segments, warnings, layout). `read` picks one by
content (detect.sniff) and turns every failure into an InputError with a one-line message.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.read.cues import read_cues
from pipeline.read.detect import MAX_BYTES, decode, sniff
from pipeline.read.htmlfmt import read_html
from pipeline.read.jsonfmt import read_json
from pipeline.read.plain import read_plain
from pipeline.transcript import InputError, Transcript

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
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"the file is {size / 1e6:.0f} MB, over the {MAX_BYTES / 1e6:.0f} MB limit for a transcript")
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot open: {e.strerror or e}") from None
    return read_bytes(data, str(path))


def read_bytes(data: bytes, source: str, suffix: str | None = None) -> Transcript:
    text, warnings = decode(data)
    fmt = sniff(text, suffix if suffix is not None else Path(source).suffix)
    reader = READERS[fmt]
    try:
        segments, more, layout = reader(text)
    except InputError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, RecursionError) as e:
        raise InputError(f"cannot read as {fmt}: {e}") from None
    if not segments:
        raise InputError(f"no speech found in the {fmt} file")
    fmt_name = f"{fmt}/{layout}" if fmt != "plain" else f"text/{layout}"
    return Transcript(source=source, format=fmt_name, segments=segments,
                      sha256=hashlib.sha256(data).hexdigest(), warnings=warnings + more)
