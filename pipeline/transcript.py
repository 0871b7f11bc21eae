"""The data that flows between stages: plain dataclasses, no behaviour beyond what they are."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Segment:
    """One stretch of speech: a cue, a turn or a paragraph. Times are seconds from the start."""

    text: str
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    times: tuple[tuple[int, float], ...] = ()  # (character offset, start) of each caption merged in

    def time_at(self, offset: int) -> float | None:
        """When the words at this character offset were said, as closely as the file tells."""
        t = self.start
        for at, start in self.times:
            if at <= offset:
                t = start
        return t


@dataclass
class Transcript:
    source: str  # the path as given
    format: str  # which reader read it
    segments: list[Segment]
    sha256: str = ""
    warnings: list[str] = field(default_factory=list)
    media: str | None = None  # the audio or video file the transcript names: an http(s) URL or a relative file name

    @property
    def speakers(self) -> list[str]:
        seen: dict[str, None] = {}
        for s in self.segments:
            if s.speaker:
                seen.setdefault(s.speaker)
        return list(seen)

    @property
    def duration(self) -> float | None:
        ends = [s.end if s.end is not None else s.start for s in self.segments]
        ends = [e for e in ends if e is not None]
        return max(ends) if ends else None


class InputError(Exception):
    """A file that cannot be read as a transcript. The message is one line, for the user."""


def lower(text: str) -> str:
    """text.lower() with every character where it was: 'İ' lowers to two characters, which would shift the
    positions of everything found after it."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
