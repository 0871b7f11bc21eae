"""Number grammar, units and stated intervals.

A quantity is read exactly as said: its value, its unit, and the interval the speaker's words allow
(rounding of the last stated digit, hedges, bounds, and every reading of an ambiguous unit such as
"kilobyte"). The words live in data/lexicon.json and the units in data/units.txt; this module turns
them into patterns once, at import.
"""
from __future__ import annotations

import json
import math
import re
from copy import copy
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import ahocorasick
import pint

from pipeline.transcript import lower

DATA = resources.files("pipeline") / "data"
LEX = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))

# One registry for the whole process (SPEC 2), from our own definitions, cached on disk.
ureg = pint.UnitRegistry(str(DATA / "units.txt"), cache_folder=":auto:")


@lru_cache(maxsize=None)
def units(expr: str) -> pint.Unit:
    return ureg.parse_units(expr)


@lru_cache(maxsize=None)
def factor(src: str, dst: str) -> float:
    """How many `dst` make one `src`; raises pint.DimensionalityError if they cannot mix."""
    return ureg.Quantity(1.0, units(src)).to(units(dst)).magnitude


@lru_cache(maxsize=None)
def same_dimension(a: str, b: str) -> bool:
    return units(a).dimensionality == units(b).dimensionality


# ---------------------------------------------------------------- intervals

TOLERANCE = 0.10  # a figure this close to what it should be is not flagged (SPEC 6: flag only what the evidence supports)


@dataclass(frozen=True)
class Interval:
    """A closed interval of possible values; high may be infinite."""

    low: float
    high: float

    @staticmethod
    def point(v: float) -> "Interval":
        return Interval(v, v)

    def scale(self, f: float) -> "Interval":
        a, b = self.low * f, self.high * f
        return Interval(min(a, b), max(a, b))

    def __mul__(self, other: "Interval | float") -> "Interval":
        other = _as_interval(other)
        ps = [_mul(a, b) for a in (self.low, self.high) for b in (other.low, other.high)]
        return Interval(min(ps), max(ps))

    __rmul__ = __mul__

    def __truediv__(self, other: "Interval | float") -> "Interval":
        other = _as_interval(other)
        if other.low <= 0 <= other.high:
            return Interval(-math.inf, math.inf)
        return self * Interval(1 / other.high, 1 / other.low)

    def __rtruediv__(self, other: float) -> "Interval":
        return _as_interval(other) / self

    def __add__(self, other: "Interval | float") -> "Interval":
        other = _as_interval(other)
        return Interval(self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def hull(self, other: "Interval") -> "Interval":
        return Interval(min(self.low, other.low), max(self.high, other.high))

    def overlaps(self, other: "Interval", rel: float = 1e-9) -> bool:
        slack = rel * max(abs(self.low), abs(self.high), abs(other.low), abs(other.high), 1e-300)
        slack = slack if math.isfinite(slack) else 0.0
        return self.low <= other.high + slack and other.low <= self.high + slack

    def contains(self, v: float) -> bool:
        return self.overlaps(Interval.point(v))


def _as_interval(x: "Interval | float") -> Interval:
    return x if isinstance(x, Interval) else Interval.point(float(x))


def _mul(a: float, b: float) -> float:
    # 0 * inf is 0 here: a bound of zero times an open bound stays zero.
    return 0.0 if a == 0 or b == 0 else a * b




def widen(rounding: Interval, value: float, hedge: str | None) -> Interval:
    """The interval a hedge allows around a stated value (SPEC 4)."""
    if hedge == "approx":
        return rounding.hull(Interval(value * 0.9, value * 1.1))
    if hedge == "order":
        return rounding.hull(Interval(value / 3, value * 3))
    if hedge == "lower":
        return Interval(value, math.inf)
    if hedge == "upper":
        return Interval(0.0, value)
    if hedge == "almost":
        return Interval(value * 0.9, value)
    return rounding


# ---------------------------------------------------------------- the quantity

@dataclass(frozen=True)
class Reading:
    """One way to read an ambiguous unit: '1 KB = 1024 B' multiplies the primary value by 1.024."""

    label: str
    factor: float


@dataclass(frozen=True)
class Quantity:
    start: int  # character offsets of `text` in the source text
    end: int
    text: str  # the quote: number and unit words exactly as said
    value: float  # as said, in `unit`
    unit: str | None  # a pint unit expression, or None for a bare number
    rounding: Interval  # what the digits allow, in `unit`
    hedge: str | None = None  # the hedge words as said ("like", "more than")
    hedge_kind: str | None = None  # approx | order | lower | upper | almost
    readings: tuple[Reading, ...] = ()  # the primary reading first
    item: str | None = None  # what is counted, when named ("H100")
    number_end: int = 0  # where the number ends and the unit words begin
    per_context: str | None = None  # a "per X" found elsewhere in the sentence, not in the quote
    vague: bool = False  # "a few", "several": a span said loosely, its rounding
    span: bool = False  # "60K to 100K": a range said, whose middle nobody said

    @property
    def interval(self) -> Interval:
        """The stated interval: every reading, rounded and hedged."""
        out = None
        for r in self.readings or (Reading("", 1.0),):
            iv = widen(self.rounding.scale(r.factor), self.value * r.factor, self.hedge_kind)
            out = iv if out is None else out.hull(iv)
        return out

    def reading_interval(self, r: Reading) -> Interval:
        """Rounding only, one reading: what the digits allow without the hedge."""
        return self.rounding.scale(r.factor)


# ---------------------------------------------------------------- the grammar

def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


DIGIT_WORDS = LEX["digit_words"]
TENS_WORDS = LEX["tens_words"]
SCALE_WORDS = LEX["scale_words"]
ORDINAL_WORDS = LEX["ordinal_words"]
SUFFIXES = LEX["scale_suffixes"]

_NW = _alt(list(DIGIT_WORDS) + list(TENS_WORDS) + list(SCALE_WORDS) + ["dozen"])
_DW = _alt(list(DIGIT_WORDS))
_DIGTENS = f"(?:{_alt(list(DIGIT_WORDS) + list(TENS_WORDS))})"  # a bare "million" starts no number
_ORD = _alt(ORDINAL_WORDS)
_TENS = _alt(TENS_WORDS)
_SCALES = _alt(SCALE_WORDS)
FRACTIONS = LEX["fractions"]
_FRACS = _alt(FRACTIONS)
_DIG = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
VAGUE = LEX["vague_numbers"]  # "a couple hundred million", "several orders of magnitude": said as a span
_VAGUE = "(?:" + "|".join(re.escape(w).replace("a\\ ", r"an?\s+").replace("\\ ", r"\s+") + r"(?:\s+of)?" for w in VAGUE) + ")"
_VAGUE_START = re.compile(_VAGUE, re.IGNORECASE)
_BARE_SCALE = rf"(?:{_SCALES})(?=[\s-]+(?:{_alt(LEX['bare_scale_before'])})\b)"  # "million token attention"
_BARE_SCALE_START = re.compile(_BARE_SCALE, re.IGNORECASE)
_NOT_BARE_BEFORE = re.compile(r"(?i)(?:\bper|\bevery|\beach|/|\bof|ish|[\d-]|\b(?:" + _NW + r"))\s*$")
_WORDNUM = (
    rf"(?:(?:(?:an?|half(?:\s+an?)?)\s+(?:{_NW})|{_DIGTENS}|{_VAGUE}|{_BARE_SCALE})\b(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{_NW})\b)*"
    rf"(?:\s+point(?:\s+(?:{_DW})\b)+(?:\s+(?:{_SCALES})\b)*)?(?:\s+and\s+an?\s+(?:{_FRACS})\b)?"
    rf"|point(?:\s+(?:{_DW})\b)+(?:\s+(?:{_SCALES})\b)*"
    rf"|an?\s+(?:{_FRACS})\b|half\s+an?\b)"
)
_EXPWORD = rf"(?:(?:{_TENS})(?:\s*-\s*|\s+))?(?:{_ORD}|{_DW})|(?:{_TENS})|twentieth|thirtieth"
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
_START = r"(?<![\w.#:/@])(?<![A-Za-z]-)"

NUMBER = re.compile(
    rf"""{_START}(?:
      (?P<sci_e>\d+(?:\.\d+)?[eE][+-]?\d+)
    | (?:(?P<m1>{_DIG})\s*(?:x|×|\*|times)\s*)?10\s*(?:\^|\*\*)\s*(?:the\s+)?(?P<e1>[+-]?\d+)
    | (?:(?P<m2>{_DIG})\s*(?:x|×|\*|times)\s*)?10(?P<sup>[{_SUP}]+)
    | (?:(?P<m3>{_DIG}|{_WORDNUM})\s+(?:times\s+)?)?(?:10|ten)\s+to\s+the\s+(?:power\s+of\s+)?(?P<e3>\d+|{_EXPWORD})(?:st|nd|rd|th)?\b
    | (?P<m4>{_DIG}|{_WORDNUM})\s*(?:x|×|\*|times)\s*(?:10|ten)\s+to\s+(?P<e4>\d+|{_EXPWORD})(?:st|nd|rd|th)?\b
    | (?P<dig>{_DIG})(?:
          (?P<suffix>{_alt(SUFFIXES)})(?![A-Za-z])
        | (?:\s*-?\s*(?P<something>something)\b)?(?P<scale>(?:\s*-?\s*(?:{_SCALES})\b)+)
      )?
    | (?P<words>{_WORDNUM})
    )""",
    re.VERBOSE | re.IGNORECASE,
)

_EQUIVALENT = re.compile(r"(?:[ \t]*-?[ \t]*equivalent)?", re.IGNORECASE)
# where a number can start: digits or a number word (see _number_starts)
START_WORDS = {w.lower() for w in [*DIGIT_WORDS, *TENS_WORDS, "half", "point", *(w for w in VAGUE if " " not in w)]}
# "a million", "half a dozen": a scale word starts a number only after "a"/"an"/"half" (looked up
# backwards from the scale word, so that not every article "a" is tried as a number)
ARTICLE_UNITS = LEX["article_units"]  # "a gigawatt": one of them
SCALE_START_WORDS = {w.lower() for w in [*SCALE_WORDS, *(f for f in FRACTIONS if f != "half"), "dozen", "dollar", *ARTICLE_UNITS,
                                         *(w.split()[1] for w in VAGUE if w.startswith("a "))]}
_DIGIT = re.compile(r"[0-9]")  # a plain class: the fastest scan re has
_NUMBER_WORDS = ahocorasick.Automaton()
for _w in START_WORDS | SCALE_START_WORDS:
    _NUMBER_WORDS.add_word(_w, (len(_w), _w in SCALE_START_WORDS))
_NUMBER_WORDS.make_automaton()
_ARTICLE_BEFORE = re.compile(r"(?i)(?<![\w.])(?:(?:an?|half)\s+)?(?:an?|half)\s+$")
_RANGE_JOIN = re.compile(r"\s*(?:to|-|–|—|through)\s*", re.IGNORECASE)
_BETWEEN = re.compile(r"between\s+$", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+")
_FROM = re.compile(r"(?i)\bfrom\s+\$?$")


def _unit_forms():
    forms = []  # (surface, unit, binary unit or None)
    for u in LEX["units"]:
        for s in u["say"]:
            forms.append((s, u["unit"], u.get("binary")))
    return forms


UNIT_FORMS = _unit_forms()
_ATTACHED = set(LEX["attached_only"])


def _unit_regex(forms, sep):
    parts = []
    for s, _, _ in sorted(forms, key=lambda f: len(f[0]), reverse=True):
        body = re.escape(s).replace(r"\ ", r"[\s-]+")
        # lower-case forms match any case; forms with capitals are symbols and match exactly
        parts.append(body if s != s.lower() else f"(?i:{body})")
    return re.compile(rf"{sep}(?P<unit>{'|'.join(parts)})(?![A-Za-z0-9])")


_QUALIFIER = rf"(?:(?i:{_alt(LEX['unit_qualifiers'])})[ \t]+)?"  # "13 billion active parameters"
_UNIT_SPACED = _unit_regex([f for f in UNIT_FORMS if f[0] not in _ATTACHED], rf"[ \t]*-?[ \t]*{_QUALIFIER}")
_UNIT_ATTACHED = _unit_regex([f for f in UNIT_FORMS if f[0] in _ATTACHED], r"")
_FALSE_START = re.compile(r"[ \t]+([A-Za-z]{3,})(?=[ \t])")
_UNIT_OF = {s.lower() if s == s.lower() else s: (u, b) for s, u, b in UNIT_FORMS}
_TIMES = re.compile(rf"[ \t]+(?P<unit>times)(?=\s+(?:{_alt(LEX['times_comparatives'])})\b)", re.IGNORECASE)
_SIZE_NOUN = re.compile(rf"[ \t]*-?[ \t]*(?P<noun>{_alt(LEX['size_nouns'])})\b", re.IGNORECASE)
_APIECE = re.compile(rf"[ \t]*(?:{_alt(LEX['apiece_words'])})\b", re.IGNORECASE)
PER_SCALES = {"thousand": "kilo", "million": "mega", "billion": "giga", "trillion": "tera"}
_PER = re.compile(
    rf"[ \t]*(?:(?:{_alt(w for w in LEX['per_words'] if w != '/')})[ \t]+|/[ \t]*)"
    rf"(?:(?:{_alt(LEX['per_fillers'])})[ \t]+)?(?:(?:an?[ \t]+)?(?P<perscale>{_alt(PER_SCALES)})[ \t]+)?"
    rf"(?P<per>{_alt(LEX['per_units']).replace(chr(92) + ' ', '[ -]')})s?\b",
    re.IGNORECASE,
)
_HEDGE_BEFORE = re.compile(
    rf"(?:^|(?<=[\s(\"']))(?P<hedge>{_alt(h for h, _ in LEX['hedges_before'])})\s*$", re.IGNORECASE
)
_HEDGE_KIND = {h.lower(): k for h, k in LEX["hedges_before"] + LEX["hedges_after"]}
_HEDGE_AFTER = re.compile(rf"[ \t]*-?(?P<hedge>{_alt(h for h, _ in LEX['hedges_after'] if h != '+')})\b", re.IGNORECASE)
_NAME_NUMBER = re.compile(
    rf"(?<![A-Za-z])(?:{_alt(LEX['name_prefixes'])})[ \t]?-?[ \t]?[A-Z]?\d+(?:\.\d+)*[A-Za-z]*(?:-\d+(?:\.\d+)?[A-Za-z]*)*"
)


# ---------------------------------------------------------------- values

def _digits(s: str) -> tuple[float, float]:
    """Value and half a unit of the last significant digit ("320" -> 5, "0.07" -> 0.005)."""
    s = s.replace(",", "")
    if "." in s:
        return float(s), 0.5 * 10 ** -len(s.split(".")[1])
    return float(s), _int_half(int(s))


def _int_half(n: int) -> float:
    """Trailing zeros of an integer are not significant: 16,000 -> 500."""
    if n == 0:
        return 0.5
    zeros = len(str(n)) - len(str(n).rstrip("0"))
    return 0.5 * 10**zeros


_WORD_TOKEN = re.compile(r"[A-Za-z]+|-")


def _digit_by_digit(toks: list[tuple[str, int]]) -> tuple[float, float, int] | None:
    """'four oh five', 'two oh four eight': digits said one by one, an 'oh' among them."""
    digits, end = "", 0
    for w, e in toks:
        d = DIGIT_WORDS.get(w)
        if d is None or d > 9:
            break
        digits, end = digits + str(d), e
    if len(digits) < 3 or "oh" not in (w for w, _ in toks[:len(digits)]) or digits[0] == "0":
        return None
    return float(digits), 0.5, end


def _words(text: str) -> tuple[float, float, int] | None:
    """Parse number words; returns value, half-unit and how many characters formed a number.

    A small grammar: digits and tens add, "hundred" multiplies, scales close a group, "a" and
    "half" start one, "point" reads decimals. It stops at the first word that breaks it, so
    "two and three" reads as "two".
    """
    toks = [(m.group().lower(), m.end()) for m in _WORD_TOKEN.finditer(text) if m.group() != "-"]
    spelled = _digit_by_digit(toks)
    if spelled:
        return spelled
    total, group, last, end = 0.0, 0.0, None, 0
    half, frac_unit, vague = False, None, None
    decimals, dec_scale = "", 1.0
    i = 0
    while i < len(toks):
        w, e = toks[i]
        said = f"a {w}" if last == "a" else w if last is None else None
        if said in VAGUE:
            lo, hi = VAGUE[said]  # "a couple": 2 to 3, read as the middle, its span the rounding
            group, vague, last, end = (lo + hi) / 2, (hi - lo) / (hi + lo), "digit", e
            if i + 1 < len(toks) and toks[i + 1][0] == "of":
                i += 1
        elif w in ("a", "an"):
            if last not in (None, "half"):
                break
            if last == "half":
                end = e
            last = "a"
        elif w == "half" and last is None:
            half, last = True, "half"
            end = e
            i += 1
            continue
        elif w == "and" and i + 2 < len(toks) and toks[i + 1][0] in ("a", "an") and toks[i + 2][0] in FRACTIONS \
                and last in ("digit", "tens", "hundred", "scale", "decimal"):
            unit = SCALE_WORDS[toks[i - 1][0]] if last == "scale" else 1  # "four and a half", "a million and a half"
            total += FRACTIONS[toks[i + 2][0]] * unit
            frac_unit, end = FRACTIONS[toks[i + 2][0]] * unit / 2, toks[i + 2][1]
            break
        elif w == "and":
            if last not in ("hundred", "scale"):
                break
            last = "and"
        elif w in FRACTIONS and last == "a" and i == 1:  # "a tenth", "a quarter"
            return FRACTIONS[w], FRACTIONS[w] / 10, e
        elif w == "point" and last in ("digit", "tens", None) and not decimals:
            j = i + 1
            while j < len(toks) and toks[j][0] in DIGIT_WORDS and DIGIT_WORDS[toks[j][0]] < 10:
                decimals += str(DIGIT_WORDS[toks[j][0]])
                end = toks[j][1]
                j += 1
            if not decimals:
                break
            group += float("0." + decimals)
            last = "decimal"
            i = j
            continue
        elif w in DIGIT_WORDS:
            if last in ("digit", "decimal") or (last == "tens" and DIGIT_WORDS[w] >= 10):
                break
            group += DIGIT_WORDS[w]
            last, end = "digit", e
        elif w in TENS_WORDS:
            if last in ("digit", "tens", "decimal"):
                break
            group += TENS_WORDS[w]
            last, end = "tens", e
        elif w == "hundred":
            group = (group or 1) * 100
            last, end = "hundred", e
        elif w == "dozen":
            group = (group or 1) * 12
            last, end = "digit", e
        elif w in SCALE_WORDS:
            if decimals:
                dec_scale = SCALE_WORDS[w]
            total += (group or 1) * SCALE_WORDS[w]
            group = 0
            last, end = "scale", e
        else:
            break
        i += 1
    if last in (None, "a", "and") and not half:
        return None
    value = total + group
    if vague:
        return value, value * vague, end
    if frac_unit:
        halfunit = frac_unit
    elif decimals:
        halfunit = 0.5 * 10 ** -len(decimals) * dec_scale
    elif half and value == 0:
        return 0.5, 0.05, end
    else:
        halfunit = _int_half(int(value)) if value >= 1 else 0.5
    if half:  # "half a million" is 0.5 million, good to a tenth of that
        return value * 0.5, value * 0.05, end
    return value, halfunit, end


def _exponent(s: str) -> int:
    s = s.lower().strip()
    if s.lstrip("+-").isdigit():
        return int(s)
    n = 0
    for w in re.findall(r"[a-z]+", s):
        n += TENS_WORDS.get(w, 0) + DIGIT_WORDS.get(w, 0) + ORDINAL_WORDS.get(w, 0)
    return n


def _superscript(s: str) -> int:
    return int(s.translate(str.maketrans(_SUP, "0123456789-")))


def _mantissa(s: str | None) -> tuple[float, float]:
    if not s:
        return 1.0, 0.5
    if s[0].isdigit() or s[0] == ".":
        return _digits(s)
    parsed = _words(s)
    return (parsed[0], parsed[1]) if parsed else (1.0, 0.5)


MAX_DIGITS = 300  # a number written with more digits than a float holds is no quantity anyone said


def _parse_number(m: re.Match) -> tuple[float, float, bool, int] | None:
    """Value, half-unit, whether a scale was said, and the end of the number (absolute); None for no number,
    or one beyond a float's range (a 5,000-digit string, 10^999)."""
    g = m.groupdict()
    if len(m.group()) > MAX_DIGITS and sum(c.isdigit() for c in m.group()) > MAX_DIGITS:
        return None
    if g["sci_e"]:
        mant, exp = g["sci_e"].lower().split("e")
        if abs(int(exp)) > 300:
            return None  # no quantity anyone says overflows a float
        v, h = _digits(mant)
        return v * 10.0 ** int(exp), h * 10.0 ** int(exp), True, m.end()
    for mk, ek in (("m1", "e1"), ("m2", "sup"), ("m3", "e3"), ("m4", "e4")):  # m4: "2 * 10 to 13", no "the"
        if g[ek]:
            v, h = _mantissa(g[mk])
            exp = _superscript(g[ek]) if ek == "sup" else _exponent(g[ek])
            if abs(exp) > 300:
                return None
            return v * 10.0**exp, h * 10.0**exp, True, m.end()
    if g["dig"]:
        v, h = _digits(g["dig"])
        if g["suffix"]:
            mult = SUFFIXES.get(g["suffix"])  # exact case: "5m" is not five million
            if mult is None:
                return v, h, False, m.start("dig") + len(g["dig"])
            return v * mult, h * mult, True, m.end()
        if g["scale"]:
            mult = 1.0
            for w in re.findall(r"[A-Za-z]+", g["scale"]):
                mult *= SCALE_WORDS[w.lower()]
            if g["something"]:
                # "600 something billion": from 600 up to the next 100 (SPEC 4)
                step = 2 * _int_half(int(v)) if v == int(v) else 2 * h
                return v * mult, -(step * mult), True, m.end()
            return v * mult, h * mult, True, m.end()
        return v, h, False, m.end()
    if g["words"]:
        parsed = _words(g["words"])
        if parsed is None:
            return None
        v, h, n = parsed
        scaled = any(w.lower() in SCALE_WORDS for w in re.findall(r"[A-Za-z]+", g["words"][:n]))
        return v, h, scaled, m.start("words") + n
    return None


# ---------------------------------------------------------------- finding quantities

_NAME_BEFORE = re.compile(rf"(?<![A-Za-z])(?:{_alt(LEX['name_prefixes'])})[ \t]?-?[ \t]?(?:\d+(?:\.\d+)*[A-Za-z]*-)*$")


_POINT_DIGIT = re.compile(rf"\s+(?:{_DW})\b")


def _number_starts(text: str) -> list[int]:
    """Where a number can start: digits, and number words found in one pass by an Aho-Corasick automaton.

    Scanning with NUMBER itself, or with one alternation of the number words, tries every
    alternative at every position and costs more than tokenizing.
    """
    starts = [i - 1 if i and text[i - 1] == "." else i for i in (m.start() for m in _DIGIT.finditer(text))]
    low = lower(text)
    for end, (n, scale) in _NUMBER_WORDS.iter(low):
        i = end - n + 1
        if (i and low[i - 1].isalnum()) or (end + 1 < len(low) and low[end + 1].isalpha()):
            continue  # inside a word: "often", "someone"
        if n == 5 and low.startswith("point", i) and not _POINT_DIGIT.match(low, end + 1):
            continue  # "the point is": only "point five five" starts a number
        if not scale:
            starts.append(i)
        else:
            a = _ARTICLE_BEFORE.search(text, max(0, i - 12), i)
            if a is not None:
                starts.append(a.start())
            elif _BARE_SCALE_START.match(text, i) and not _NOT_BARE_BEFORE.search(text, max(0, i - 16), i):
                # "trillion parameter models": no article, a unit just after (not "per million tokens", nor the
                # rest of a number not read: "fifteen-ish trillion", "a handful of billion")
                starts.append(i)
    return sorted(starts)


def name_number_spans(text: str) -> list[tuple[int, int]]:
    """Numbers that belong to names: GPT-4, Llama 3, episode 459, RTX 4090."""
    return [(m.start(), m.end()) for m in _NAME_NUMBER.finditer(text)]


def find_quantities(text: str, masked: list[tuple[int, int]] = (), items: re.Pattern | None = None) -> list[Quantity]:
    """Every quantity in `text`, left to right. Spans in `masked` (names) hold no quantities.

    `items` matches what can be counted by name (hardware: "eight H100s"); its match becomes
    the quantity's item and counts as a GPU.
    """
    out: list[Quantity] = []
    pos = 0
    masked = sorted(masked)
    mask_starts = [s for s, _ in masked]
    for start in _number_starts(text):
        if start < pos:
            continue
        q = _spoken(text, start, items) if text[start].isalpha() else None
        if q is None:
            m = NUMBER.match(text, start)
            q = _quantity_at(text, m, items) if m else None
            if q is None and m and m.end() > start:
                pos = m.end()  # a number read as none ("10^999", "-175") leaves no pieces to read ("999")
        if q is None:
            continue
        pos = q.end
        in_name = _NAME_BEFORE.search(text, max(0, q.start - 24), q.start)  # "GPT-4", "Llama 3", "episode 459"
        k = bisect_left(mask_starts, q.number_end)  # the masks that start before the number ends...
        if not in_name and not (k and masked[k - 1][1] > q.start):  # ...the last of which must end before it
            out.append(q)
    return out


def _quantity_at(text: str, m: re.Match, items: re.Pattern | None) -> Quantity | None:
    """The quantity whose number `m` matched: number, range, unit words, hedge; or None if it is no quantity."""
    parsed = _parse_number(m)
    if parsed is None:
        return None
    value, half, scaled, end = parsed
    start = m.start()
    if start and text[start - 1] in "-−" and (start == 1 or text[start - 2] in " \t\n(\x00"):
        return None  # "-175 billion": nothing claimcheck checks is negative, and it must not read as +175 billion
    if _TIMESTAMP.match(text, end):  # a timestamp, not a quantity
        return None
    fraction = _FRACTION_END.search(text, start, end)  # "a tenth", which may go on "of a bit"
    vague = _VAGUE_START.match(text, start) is not None
    if _surely_bare(text, start, end, items) and not fraction:  # most numbers said ("one of them") carry no unit
        if vague:
            return None  # "a couple of them": no figure
        rounding = Interval(value, value - half) if half < 0 else Interval(value - half, value + half)
        return Quantity(start=start, end=end, text=text[start:end], value=value, unit=None, rounding=rounding, number_end=end)
    rounding = Interval(value, value - half) if half < 0 else Interval(value - half, value + half)  # <0: "something"
    value, rounding, scaled, end, is_range = _range(text, m, value, rounding, scaled, end)

    dollar = text[max(0, start - 2):start].rstrip().endswith("$")
    qstart = text.rfind("$", 0, start) if dollar else start
    number_end = end
    plus = text.startswith("+", end)  # "15T+ tokens": at least
    of = _FRACTION_OF.match(text, end) if fraction else None
    unit, binary, item, uend = _unit_after(text, of.end() if of else end + plus, "dollar" if dollar else None,
                                           scaled and value >= 1e6, items)
    if of and unit is None:
        uend = end
    if unit in LEX["exact_count_units"] and not is_range and value == int(value):
        rounding = Interval(value - 0.5, value + 0.5)  # "80 layers" is exactly 80, trailing zero or not

    # the character after the quote must not continue a word ("4o", "3rd", "8x7B")
    if uend < len(text) and (text[uend].isalnum() or text[uend] == "_"):
        return None
    if unit is None:  # a bare number ("one of them", a year): no hedge or readings to read
        return Quantity(start=qstart, end=uend, text=text[qstart:uend], value=value, unit=None, rounding=rounding,
                        number_end=number_end)
    if vague and not (scaled or unit == "order_of_magnitude"):
        return None  # "a couple of GPUs", "a few tokens": no figure anyone checks
    if unit == "order_of_magnitude":  # "three orders of magnitude": 10**3, give or take half an order
        low, high = (rounding.low, rounding.high) if vague else (value, value)  # "several": three to seven
        unit, value, rounding = "fold", 10.0 ** value, Interval(10.0 ** (low - 0.5), 10.0 ** (high + 0.5))
    hedge = "+" if plus else None
    if not plus and not is_range:
        hedge, qstart, uend = _hedge(text, qstart, uend)  # the quote is the quantity as said, hedge and all
    return Quantity(start=qstart, end=uend, text=text[qstart:uend], value=value, unit=unit, rounding=rounding,
                    hedge=hedge, hedge_kind=_HEDGE_KIND[hedge.lower()] if hedge else None,
                    readings=_readings(unit, binary, m.group("suffix")), item=item, number_end=number_end, vague=vague, span=is_range)


_TIMESTAMP = re.compile(r":\d")
_TEEN_TENS = _alt([w for w, v in DIGIT_WORDS.items() if v >= 10] + list(TENS_WORDS))
_ONES = _alt([w for w, v in DIGIT_WORDS.items() if 0 < v < 10])
# prices as people say them: "a dollar eighty", "two fifty an hour" ($2.50 when a rate follows)
_PRICE = re.compile(rf"(?i)(?:(?P<d1>an?|{_ONES})\s+dollars?\s+(?:and\s+)?(?P<c1>{_TEEN_TENS})(?:\s+cents)?\b"
                    rf"|(?P<d2>{_ONES})\s+(?P<c2>{_TEEN_TENS})(?=\s+(?:an?|per)\s+(?:\w+\s+)?hours?\b))")
_FRACTION_END = re.compile(rf"(?i)\b(?:{_FRACS})$")
_FRACTION_OF = re.compile(r"[ \t]+of[ \t]+an?[ \t]+", re.IGNORECASE)
_BARE_SIZE = re.compile(r"[ \t]+(?P<noun>active|activated|total)\b", re.IGNORECASE)
_PER_ITEM = re.compile(r"[ \t]+(?:an?|per|each)[ \t]+", re.IGNORECASE)
_ITEM_HOURS = re.compile(r"[ \t]*-?[ \t]*(?:GPU[ \t-]*)?hours?\b", re.IGNORECASE)


_ONE = re.compile(rf"(?i)an?[ \t]+(?=(?:{_alt(ARTICLE_UNITS)})s?\b)")


def _spoken(text: str, start: int, items) -> Quantity | None:
    """A price or 'a gigawatt' starting here; a cheap look first, as most number words start neither."""
    near = text[start:start + 40].lower()
    if ("dollar" in near or "hour" in near) and (q := _price(text, start, items)):
        return q
    return _one(text, start, items) if text[start] in "aA" else None


def _one(text: str, start: int, items) -> Quantity | None:
    """'a gigawatt', 'a terabyte': one of the unit, as roughly as any single digit."""
    m = _ONE.match(text, start)
    if not m:
        return None
    unit, binary, _, uend = _unit_after(text, m.end(), None, False, items)
    if unit is None:
        return None
    return Quantity(start=start, end=uend, text=text[start:uend], value=1.0, unit=unit, rounding=Interval(0.5, 1.5),
                    readings=_readings(unit, binary, None), number_end=m.end())


def _price(text: str, start: int, items) -> Quantity | None:
    m = _PRICE.match(text, start)
    if not m:
        return None
    d, c = (m.group("d1"), m.group("c1")) if m.group("d1") else (m.group("d2"), m.group("c2"))
    value = (1 if d.lower() in ("a", "an") else DIGIT_WORDS[d.lower()]) + _words(c)[0] / 100
    unit, _, _, uend = _unit_after(text, m.end(), "dollar", False, items)
    return Quantity(start=start, end=uend, text=text[start:uend], value=value, unit=unit,
                    rounding=Interval(value - 0.005, value + 0.005), number_end=m.end())


_NEXT = re.compile(r"[ \t]*(\S?)([A-Za-z]*)")
# first words of everything that can follow a number and make it more than a bare number
_MORE = ({s.split()[0].lower() for s, _, _ in UNIT_FORMS}
         | {w.split()[0].lower() for w in LEX["size_nouns"] + LEX["unit_qualifiers"] + LEX["apiece_words"]
            + [h for h, _ in LEX["hedges_after"]]}
         | {"to", "through", "and", "times", "something", "per", "a", "an", "each", "every", "equivalent"})
_BEGUN = {w[:n] for w in _MORE if w.isalpha() for n in range(3, len(w))}  # "megab megabytes": a unit begun, then said


def _surely_bare(text: str, start: int, end: int, items) -> bool:
    """True when nothing after the number can be a unit, a range or a hedge: a cheap look at the next word."""
    if text[max(0, start - 2):start].rstrip().endswith("$"):
        return False
    m = _NEXT.match(text, end)
    first, word = m.group(1), m.group(2).lower()
    if first and not first.isalpha():
        return first not in "-–—+%×xX/$"
    word = (first + word).lower()
    if word in _MORE or word in _BEGUN or (items is not None and items.match(text, m.start(1))):
        return False
    return True


def _range(text, m, value, rounding, scaled, end):
    """'15 to 20 megawatts', '1.2-1.5 million', 'between 10 and 20': the interval between the ends."""
    if scaled and _FROM.search(text, max(0, m.start() - 6), m.start()):
        return value, rounding, scaled, end, False  # "went from 2 trillion to 15 trillion": a change, two quantities
    j = _RANGE_JOIN.match(text, end)
    if not j and _BETWEEN.search(text[max(0, m.start() - 8):m.start()]):
        j = _AND.match(text, end)
    m2 = NUMBER.match(text, j.end()) if j else None
    p2 = _parse_number(m2) if m2 and (m2.group("dig") or m2.group("words")) else None
    if not p2 or p2[0] <= 0:
        return value, rounding, scaled, end, False
    v2, _, scaled2, end2 = p2
    if scaled2 and not scaled:  # the scale of the second end applies to the first
        value *= v2 / float(_mantissa_text(m2))
    if v2 <= value:
        return value, rounding, scaled, end, False
    return (value + v2) / 2, Interval(value, v2), scaled or scaled2, end2, True


def _unit_of(surface: str) -> tuple[str, str | None]:
    return _UNIT_OF.get(surface) or _UNIT_OF.get(surface.lower()) or _UNIT_OF[re.sub(r"[\s-]+", " ", surface.lower())]


_BLANKS = re.compile(r"[ \t]*")


def _unit_after(text: str, end: int, unit: str | None, big: bool, items: re.Pattern | None):
    """Unit words after a number: (unit, binary reading or None, item counted, end of the quote)."""
    binary, item, uend = None, None, end
    um = _UNIT_ATTACHED.match(text, end) or _UNIT_SPACED.match(text, end)
    fs = _FALSE_START.match(text, end) if um is None else None
    if fs:  # "20 megab megabytes": a word begun and said again in full
        um = _UNIT_SPACED.match(text, fs.end())
        um = um if um and um.group("unit").lower().startswith(fs.group(1).lower()) else None
    im = items.match(text, _BLANKS.match(text, end).end()) if items is not None else None  # no copy of the rest of the text
    if im and (um is None or im.end() >= um.end()):  # "eight H100s", "16,000 H100 GPUs"
        item, uend = im.group(), im.end()
        gm = _UNIT_SPACED.match(text, _EQUIVALENT.match(text, uend).end())
        if gm and _unit_of(gm.group("unit"))[0] == "GPU":
            uend = gm.end()
        hm = _ITEM_HOURS.match(text, uend)
        if hm and unit is None:  # "2.79 million H800 hours"
            unit, uend = "GPU * hour", hm.end()
        unit = unit or "GPU"
    elif um and unit is None:
        (unit, binary), uend = _unit_of(um.group("unit")), um.end()
    elif unit is None:
        tm, sm = _TIMES.match(text, end), _SIZE_NOUN.match(text, end)
        if tm:  # "10 times more"
            unit, uend = "fold", tm.end()
        elif sm and big:  # "a 70B model": B is billions of parameters next to 'model'
            unit, uend = "parameter", sm.end()
        elif big and _BARE_SIZE.match(text, end):  # "thirty seven billion active" (per token, if said, is how)
            unit, uend = "parameter", _BARE_SIZE.match(text, end).end()
            return unit, binary, item, uend
    pm = _PER.match(text, uend) if unit else None
    ih = _PER_ITEM.match(text, uend) if unit and items is not None else None
    per_item = items.match(text, ih.end()) if ih else None
    hm = _ITEM_HOURS.match(text, per_item.end()) if per_item else None
    if hm:  # "two dollars an H800 hour"
        return f"{unit} / (GPU * hour)", binary, per_item.group(), hm.end()
    if pm:  # "per token", "an hour", "/s", "per million tokens"
        per = LEX["per_units"][next(k for k in LEX["per_units"] if k.lower() == pm.group("per").lower())]
        if pm.group("perscale"):
            per = PER_SCALES[pm.group("perscale").lower()] + per
        if not same_dimension(unit, per):
            unit, uend = (f"{unit} / ({per})" if " " in per else f"{unit} / {per}"), pm.end()  # "/ (GPU * hour)"
    elif unit and unit != "GPU":
        am = _APIECE.match(text, uend)
        if am and unit in LEX["site_units"]:  # "a gigawatt each": each site, not each GPU
            uend = am.end()
        elif am:  # "1400 watts apiece": per GPU
            unit, uend = f"{unit} / GPU", am.end()
    return unit, binary, item, uend


def _hedge(text: str, qstart: int, uend: int) -> tuple[str | None, int, int]:
    """The hedge said with a quantity ("about", "or so"), and where the quote starts and ends with it."""
    at = max(0, qstart - 24)
    hb = _HEDGE_BEFORE.search(text[at:qstart])
    if hb:
        return hb.group("hedge"), at + hb.start("hedge"), uend
    ha = _HEDGE_AFTER.match(text, uend)
    return (ha.group("hedge"), qstart, ha.end()) if ha else (None, qstart, uend)


def _readings(unit: str | None, binary: str | None, suffix: str | None) -> tuple[Reading, ...]:
    """Both readings of an ambiguous unit: KB as 1000 or 1024 bytes, 128K tokens as 128,000 or 131,072."""
    if binary:
        base = unit.split(" ")[0]
        return (Reading(f"1 {_short(base)} = {factor(base, 'byte'):,.0f} B", 1.0),
                Reading(f"1 {_short(base)} = {factor(binary, 'byte'):,.0f} B", factor(binary, base)))
    if suffix and suffix.lower() == "k" and unit and unit.split(" ")[0] in LEX["binary_suffix_units"]:
        return (Reading("K = 1000", 1.0), Reading("K = 1024", 1.024))
    return ()


def _mantissa_text(m: re.Match) -> str:
    return m.group("dig").replace(",", "") if m.group("dig") else str(_words(m.group("words"))[0])


_SHORT = {"kilobyte": "KB", "megabyte": "MB", "gigabyte": "GB", "terabyte": "TB", "petabyte": "PB"}


def _short(unit: str) -> str:
    base = unit.split(" ")[0]
    return _SHORT.get(base, base)


def shift(q: Quantity, by: int) -> Quantity:
    """The same quantity, its offsets moved by `by` (from a transcript's start to a segment's)."""
    moved = copy(q)  # dataclasses.replace() is several times slower, and this is done for every quantity
    object.__setattr__(moved, "start", q.start + by)
    object.__setattr__(moved, "end", q.end + by)
    object.__setattr__(moved, "number_end", q.number_end + by)
    return moved


def with_unit(q: Quantity, unit: str, before: str, scale: float = 1.0, readings: tuple[Reading, ...] = ()) -> Quantity:
    """A bare number read with the unit the passage gives it ("Sixteen." after "32 gigs"), hedged by the words before it."""
    said = before + q.text
    hedge, start, end = _hedge(said, len(before), len(said))
    return replace(q, unit=unit, value=q.value * scale, rounding=q.rounding.scale(scale), hedge=hedge,
                   hedge_kind=_HEDGE_KIND[hedge.lower()] if hedge else None, readings=readings,
                   start=q.start - (len(before) - start), text=said[start:end])


def with_per(q: Quantity, per: str) -> Quantity:
    """The quantity read with a "per X" said elsewhere in its sentence ("grows per token ... 320 kilobytes")."""
    return replace(q, unit=f"{q.unit} / {per}", per_context=per)


SCALE_NAMES = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]


@lru_cache(maxsize=4096)
def fmt(x: float) -> str:
    """A number as a reader says it: 35.1 million, 0.0747, 327,680."""
    if x == 0 or not (abs(x) < float("inf")):
        return str(x)
    for size, name in SCALE_NAMES:
        if size <= abs(x) < size * 1000:
            return f"{x / size:.3g} {name}"
    if abs(x) >= 1e15 or abs(x) < 1e-3:
        return f"{x:.3g}"
    return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"
