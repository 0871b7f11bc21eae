"""JSON transcripts: Podcasting 2.0, Whisper and WhisperX, whisper.cpp, and bare cue lists (SPEC 3).

The shape decides the reader, never the file name. Word-level segments (Podcasting 2.0 allows one
word per segment) are merged into speaker turns. The media is the first top-level key of _MEDIA_KEYS
that common.media_url accepts ("url" only when it ends in an audio or video extension).
"""
from __future__ import annotations

import json
import re
import statistics

from pipeline.read.common import NOT_SPEAKERS, media_url, merge
from pipeline.read.cues import NAME_PREFIX
from pipeline.transcript import InputError, Segment

_ATTACHES = re.compile(r"^[.,!?;:%)\]}'’”…]")  # punctuation that belongs to the word before
_MEDIA_KEYS = ("audio_url", "audioUrl", "audio", "media", "mediaUrl", "media_url", "enclosure", "url")


def read_json(text: str) -> tuple[list[Segment], list[str], str, str | None]:
    try:
        doc = json.loads(text)
    except RecursionError:
        raise InputError("the JSON is nested too deeply") from None
    except ValueError as e:
        raise InputError(f"not valid JSON: {e}") from None
    media = _media(doc)
    if isinstance(doc, dict) and isinstance(doc.get("segments"), list):
        items = doc["segments"]
        if any(isinstance(s, dict) and ("body" in s or "startTime" in s) for s in items):
            return _turns(_podcasting(items)), [], "podcasting2", media
        if any(isinstance(s, dict) and "text" in s for s in items):
            layout = "whisperx" if any(isinstance(s, dict) and "speaker" in s for s in items) or "word_segments" in doc else "whisper"
            return merge(_cues(items, "start", "end", "text", 1.0)), [], layout, media
    if isinstance(doc, dict) and isinstance(doc.get("transcription"), list):  # whisper.cpp
        items = [{"start": _get(s, "offsets", "from"), "end": _get(s, "offsets", "to"), "text": s.get("text"),
                  "speaker": s.get("speaker")} for s in doc["transcription"] if isinstance(s, dict)]
        return merge(_cues(items, "start", "end", "text", 1000.0)), [], "whisper.cpp", media
    if isinstance(doc, list) and doc and all(isinstance(s, dict) and "text" in s for s in doc):
        return merge(_cues(doc, "start", "end", "text", _list_unit(doc))), [], "cue-list", None
    raise InputError("JSON of an unknown shape: expected segments[] with startTime/body or start/end/text")


def _media(doc) -> str | None:
    for key in _MEDIA_KEYS if isinstance(doc, dict) else ():
        value = doc.get(key)
        url = media_url(value.get("url") if isinstance(value, dict) else value, need_extension=key == "url")
        if url:
            return url
    return None


def _get(d: dict, *keys):
    for k in keys:
        d = d.get(k) if isinstance(d, dict) else None
    return d


def _time(v, per_second: float = 1.0) -> float | None:
    """Seconds from a number or a numeric string; None for anything else."""
    if isinstance(v, bool) or v is None:
        return None
    try:
        t = float(v) / per_second
    except (TypeError, ValueError):
        return None
    return t if t == t and 0 <= t < 1e7 else None  # not NaN, not absurd


def _text(v) -> str:
    return v if isinstance(v, str) else ""


def _speaker(v) -> str | None:
    if isinstance(v, (str, int)) and not isinstance(v, bool):
        s = str(v).strip()
        return s or None
    return None


def _podcasting(items: list) -> list[Segment]:
    out = []
    for s in items:
        if isinstance(s, dict) and _text(s.get("body")).strip():
            out.append(Segment(text=_text(s.get("body")), speaker=_speaker(s.get("speaker")),
                               start=_time(s.get("startTime")), end=_time(s.get("endTime"))))
    return out


def _turns(words: list[Segment]) -> list[Segment]:
    """Consecutive segments of one speaker become one turn; words join with spaces, punctuation attaches."""
    turns: list[Segment] = []
    for w in words:
        piece = " ".join(w.text.split())
        if turns and turns[-1].speaker == w.speaker:
            t = turns[-1]
            sep = "" if _ATTACHES.match(piece) else " "
            times = t.times + ((len(t.text) + len(sep), w.start),) if w.start is not None else t.times
            turns[-1] = Segment(text=t.text + sep + piece, speaker=t.speaker, start=t.start,
                                end=w.end if w.end is not None else t.end, times=times)
        else:
            turns.append(Segment(text=piece, speaker=w.speaker, start=w.start, end=w.end,
                                 times=((0, w.start),) if w.start is not None else ()))
    return turns


def _cues(items: list, start: str, end: str, text: str, per_second: float) -> list[Segment]:
    """Segments with times; a 'Name:' prefix names the speaker until the next one (SRT's convention)."""
    out = []
    labelled = None
    for s in items:
        if not isinstance(s, dict):
            continue
        body = " ".join(_text(s.get(text)).split())
        p = NAME_PREFIX.match(body)
        if p and (p.group(1) or p.group(2)).strip().lower() not in NOT_SPEAKERS:
            labelled, body = (p.group(1) or p.group(2)).strip(), body[p.end():]
        speaker = _speaker(s.get("speaker")) or labelled
        if body:
            out.append(Segment(text=body, speaker=speaker, start=_time(s.get(start), per_second),
                               end=_time(s.get(end), per_second)))
    return out


def _list_unit(items: list) -> float:
    """A bare cue list gives milliseconds when every time is an integer and cues last over 50 units."""
    starts = [s.get("start") for s in items if isinstance(s.get("start"), (int, float)) and not isinstance(s.get("start"), bool)]
    ends = [s.get("end") for s in items if isinstance(s.get("end"), (int, float)) and not isinstance(s.get("end"), bool)]
    if starts and all(isinstance(t, int) for t in starts + ends):
        lengths = [e - s for s, e in zip(starts, ends)]
        if lengths and statistics.median(lengths) > 50:
            return 1000.0
    return 1.0
