"""Podcasting 2.0 HTML transcripts: <cite> speaker, <time> start, <p> text; fragments too.

HTML without <cite> or <time> is read for its visible text, as plain text. The media is the first
<audio>/<video> src, <source src> inside one, or og:audio <meta> that common.media_url accepts.
"""
from __future__ import annotations

from html.parser import HTMLParser

from pipeline.read.common import media_url, parse_time
from pipeline.read.plain import read_plain
from pipeline.transcript import Segment

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "section", "article", "blockquote"}
_HIDDEN = {"script", "style", "head", "title", "template", "noscript"}
_PLAYERS = {"audio", "video"}
_OG_AUDIO = {"og:audio", "og:audio:url", "og:audio:secure_url"}


class _Transcript(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []  # (tag, text) of cite, time, p in order
        self.visible: list[str] = []
        self.stack: list[str] = []
        self.buf: list[str] = []
        self.hidden = 0
        self.players = 0  # open <audio> and <video> elements
        self.media: str | None = None

    def handle_starttag(self, tag, attrs):
        if self.media is None:
            self.media = media_url(_media_attr(tag, dict(attrs), self.players))
        if tag in _PLAYERS:
            self.players += 1
        if tag in _HIDDEN:
            self.hidden += 1
        if tag in ("cite", "time", "p"):
            self.stack.append(tag)
            self.buf = []
        if tag in _BLOCKS:
            self.visible.append("\n")

    def handle_endtag(self, tag):
        if tag in _PLAYERS and self.players:
            self.players -= 1
        if tag in _HIDDEN and self.hidden:
            self.hidden -= 1
        if self.stack and tag == self.stack[-1]:
            self.items.append((self.stack.pop(), " ".join("".join(self.buf).split())))
            self.buf = []
        if tag in _BLOCKS:
            self.visible.append("\n")

    def handle_data(self, data):
        if self.hidden:
            return
        self.visible.append(data)
        if self.stack:
            self.buf.append(data)


def _media_attr(tag: str, attrs: dict, players: int) -> str | None:
    if tag in _PLAYERS or (tag == "source" and players):
        return attrs.get("src")
    if tag == "meta" and (attrs.get("property") or "").lower() in _OG_AUDIO:
        return attrs.get("content")
    return None


def read_html(text: str) -> tuple[list[Segment], list[str], str, str | None]:
    parser = _Transcript()
    parser.feed(text)
    parser.close()
    if not any(tag in ("cite", "time") for tag, _ in parser.items):
        segments, warnings, layout, _ = read_plain("".join(parser.visible))
        return segments, warnings, f"html/{layout}", parser.media
    segments: list[Segment] = []
    speaker, start = None, None
    for tag, body in parser.items:
        if tag == "cite":
            speaker = body.rstrip(": ").strip() or None
        elif tag == "time":
            start = parse_time(body) if _is_time(body) else None
        elif body:
            segments.append(Segment(text=body, speaker=speaker, start=start))
            start = None
    # end = the next segment's start
    out = [Segment(s.text, s.speaker, s.start, nxt.start, times=((0, s.start),) if s.start is not None else ())
           for s, nxt in zip(segments, segments[1:] + [Segment("")])]
    return out, [], "podcasting2", parser.media


def _is_time(s: str) -> bool:
    parts = s.split(":")
    return 2 <= len(parts) <= 3 and all(p.replace(".", "", 1).isdigit() for p in parts)
