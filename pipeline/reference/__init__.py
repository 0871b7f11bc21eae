"""Reference data: models, model families and accelerators, every value with its source.

The data are the JSON files beside this module; `--reference FILE` adds or overrides entries by
name. Names are matched as people say and write them: "Llama 3 70B", "Llama-3-70B", "LLaMA3 70B".
"""
from __future__ import annotations

import hashlib
import json
import re

import ahocorasick
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline.files import read_bounded
from pipeline.reference import schema
from pipeline.transcript import InputError, lower


@dataclass(frozen=True)
class Fact:
    value: object
    source: str
    low: float | None = None  # where the source gives a range ("15T+": 15T to 15.6T), its ends
    high: float | None = None


@dataclass(frozen=True)
class Entry:
    """A model, a model family or an accelerator."""

    kind: str  # model | family | hardware
    name: str
    aliases: tuple[str, ...] = ()
    facts: dict[str, Fact] = field(default_factory=dict, hash=False, compare=False)
    family: str | None = None
    notes: str = ""
    unofficial: bool = False
    default: str | None = None  # for a family: the model its bare name usually means ("GPT-3" -> GPT-3 175B)
    includes: tuple[str, ...] = ()  # for a family: the families its name also covers ("Llama 3": Llama 3.1), by a source
    open: bool = False  # for a family: its name may mean a model the data lacks ("Mistral", "Llama 4"): agreement only

    def fact(self, key: str) -> Fact | None:
        return self.facts.get(key)

    @property
    def moe(self) -> bool:
        """A mixture of experts: fewer parameters active per token than in total."""
        active, total = self.fact("params_active"), self.fact("params_total")
        return bool(active and total and active.value != total.value)


@dataclass
class Reference:
    entries: dict[str, Entry]  # by name
    version: str
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a maker, or its name and a size -> the models so named
    makers: frozenset[str] = frozenset()
    _patterns: dict = field(default_factory=dict, repr=False)  # compiled names and other lookups, made once

    def members(self, family: str) -> list[Entry]:
        key = ("members", family)
        if key not in self._patterns:  # asked for every name said: looked up once
            self._patterns[key] = ([self.entries[n] for n in self.groups[family]] if family in self.groups else
                                   [e for e in self.entries.values() if e.kind == "model" and e.family == family])
        return self._patterns[key]

    def readings(self, name: str) -> list[Entry]:
        """Every model a name can mean as people say it: a family's own and those of the families it covers by
        its source ('Llama 3': Llama 3.1 405B too); a maker's; a maker and a size's ('Llama 70B')."""
        if name in self.groups:
            return self.members(name)
        e = self.entries.get(name)
        return [m for f in (name, *(e.includes if e is not None else ())) for m in self.members(f)]

    def short_names(self) -> dict[str, dict[str, str]]:
        """What a family's models add to its name ('DeepSeek-V3': 'v3'), lower-cased, by family: said while the family
        is discussed, they name the model. A short name starts with a letter: '70B' is a size, '3.1' a number."""
        if "short names" not in self._patterns:
            shorts: dict[str, dict[str, str]] = {}
            families = {e.name for e in self.entries.values() if e.kind == "family" and e.name not in self.groups}
            for f in families:
                for m in self.readings(f):
                    short = m.name[len(f):].strip(" -") if m.name.lower().startswith(f.lower()) else ""
                    if len(short) >= 2 and short[0].isalpha():
                        shorts.setdefault(short.lower(), {})[f] = m.name
            self._patterns["short names"] = shorts
        return self._patterns["short names"]

    def get(self, name: str) -> Entry | None:
        return self.entries.get(name)

    @property
    def hardware(self) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == "hardware"]

    def lookup(self, said: str, kind: str) -> Entry | None:
        """The entry of this kind whose name or alias is exactly what was said ("H100s" -> H100 SXM)."""
        if kind not in self._patterns:
            entries = [e for e in self.entries.values() if e.kind == kind]
            self._patterns[kind] = (entries, names_regex(entries, plural=True))
        entries, pattern = self._patterns[kind]
        m = pattern.fullmatch(said.strip())
        return matched_entry(m, entries) if m else None


    def find(self, said: str) -> list[Entry]:
        """Entries a reviewer means by `said`: the one it names (name or alias, as people say it), else
        every entry whose name or alias contains it."""
        for kind in ("model", "hardware", "family"):
            e = self.lookup(said, kind)
            if e:
                return [e]
        low = said.strip().lower()
        return [e for e in self.entries.values() if any(low in n.lower() for n in (e.name, *e.aliases))]


def describe(e: Entry, reference: Reference) -> dict:
    """One entry as `claimcheck reference --json` prints it: every fact with its source."""
    facts = {k: {"value": f.value, "source": f.source, **({"low": f.low} if f.low is not None else {}),
                 **({"high": f.high} if f.high is not None else {})} for k, f in sorted(e.facts.items())}
    out = {"name": e.name, "kind": e.kind, "aliases": list(e.aliases), "facts": facts}
    if e.family:
        out["family"] = e.family
    if e.default:
        out["default"] = e.default
    if e.kind == "family":
        out["members"] = [m.name for m in reference.members(e.name)]
    if e.notes:
        out["notes"] = e.notes
    return out


def _entries(doc: dict) -> list[Entry]:
    out = [Entry("family", m["name"], spoken(m["name"], m.get("aliases", ())), notes=f"a maker: {', '.join(m['families'])}")
           for m in doc.get("makers", [])]  # "Meta trained it on 16,000 H100s": the maker's models are its readings
    for f in doc.get("families", []):
        out.append(Entry("family", f["name"], spoken(f["name"], f.get("aliases", ())), default=f.get("default"),
                         notes=f.get("notes", ""), includes=tuple(f.get("includes", ())), open=bool(f.get("open"))))
    for kind, key in (("model", "models"), ("hardware", "hardware")):
        for m in doc.get(key, []):
            stated = m.get("facts", {})
            if "config" in m:  # the config's facts first; what the entry states outright wins
                from pipeline.reference import configs  # here, not at import: it brings pint, which a version check needs not
                stated = {**configs.facts_of(m["config"], m["config_source"]), **stated}
            if kind == "model":
                stated = {**_implied(m["name"], stated), **stated}
            facts = {k: Fact(v["value"], v["source"], v.get("low"), v.get("high")) for k, v in stated.items()}
            out.append(Entry(kind, m["name"], spoken(m["name"], m.get("aliases", ())), facts, m.get("family"),
                             m.get("notes", ""), bool(m.get("unofficial"))))
    return out


_NAMED_SIZE = re.compile(r"(?<![\dx.])(\d+(?:\.\d+)?)([MBT])\b")


def _implied(name: str, stated: dict) -> dict:
    """What a model's facts imply without a config: its size from its official name ("Qwen3 8B": 8B), its
    total from the maker's published count."""
    out = {}
    m = _NAMED_SIZE.search(name)
    if m and "params_nominal" not in stated:
        out["params_nominal"] = {"value": float(m.group(1)) * {"M": 1e6, "B": 1e9, "T": 1e12}[m.group(2)],
                                 "source": f"the official model name ({name})"}
    if "params_published" in stated and "params_total" not in stated:
        out["params_total"] = stated["params_published"]
    return out


BUILTIN = ("models.json", "hardware.json")
MAX_REFERENCE = 50_000_000  # bytes: the shipped files are a few hundred KB


def _texts(extra: tuple[str, ...]) -> list[str]:
    here = resources.files("pipeline.reference")
    texts = [(here / name).read_text(encoding="utf-8") for name in BUILTIN]
    for path in extra:
        try:
            texts.append(read_bounded(Path(path), MAX_REFERENCE, "reference file").decode("utf-8"))
        except InputError as e:
            raise InputError(f"{path}: {e}") from None
        except OSError as e:
            raise InputError(f"{path}: cannot open the reference file: {e.strerror or e}") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: a reference file is JSON in UTF-8, and this is not UTF-8") from None
    return texts


def version(extra: tuple[str, ...] = ()) -> str:
    """What the reference data is, as a hash of its files: enough for a batch run to know whether
    anything must be checked again, without parsing them."""
    return _hash(_texts(extra))


def _hash(texts: list[str]) -> str:
    return hashlib.sha256("\0".join(texts).encode()).hexdigest()[:12]


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = ()) -> Reference:
    """The shipped reference data, overridden entry by entry by each file in `extra`."""
    texts = _texts(extra)
    entries: dict[str, Entry] = {}
    makers: dict[str, list[str]] = {}
    for i, text in enumerate(texts):
        try:
            doc = json.loads(text)
            schema.validate(doc)
            new = _entries(doc)
            makers.update((m["name"], m["families"]) for m in doc.get("makers", []))
        except InputError as e:
            raise InputError(f"{_where(i, extra)}: {e}") from None
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:  # RecursionError: nested too deep
            raise InputError(f"{_where(i, extra)}: not a claimcheck reference file ({str(e)[:200]})") from None
        for e in new:
            old = entries.get(e.name)
            if old and old.kind != e.kind:  # one name, one thing: a model named like a family would hide it
                raise InputError(f"{_where(i, extra)}: {e.name!r} names both a {old.kind} and a {e.kind}")
            if old:  # an override keeps what it does not restate
                e = Entry(e.kind, e.name, e.aliases or old.aliases, {**old.facts, **e.facts},
                          e.family or old.family, e.notes or old.notes, e.unofficial, e.default or old.default,
                          e.includes or old.includes, e.open or old.open)
            entries[e.name] = e
    groups = _size_groups(entries)
    for name in groups:
        entries[name] = Entry("family", name, spoken(name, ()),
                              notes="a maker's name with a size, said of every model so named: " + ", ".join(groups[name]))
    known = {e.family for e in entries.values() if e.kind == "model"}
    for e in entries.values():
        if e.kind == "family" and (unknown := [f for f in e.includes if f not in known]):
            raise InputError(f"family {e.name!r}: no model is of the included families {', '.join(map(repr, unknown))}")
    for name, families in makers.items():
        if unknown := [f for f in families if f not in known]:
            raise InputError(f"maker {name!r}: no model is of the families {', '.join(map(repr, unknown))}")
        groups[name] = tuple(e.name for e in entries.values() if e.kind == "model" and e.family in families)
    return Reference(entries, _hash(texts), groups, frozenset(makers))


_GENERATION = re.compile(r"[\s-]*v?\d+(?:\.\d+)?$", re.I)  # "Llama 3.1" -> "Llama", "Phi-3" -> "Phi"


def _size_groups(entries: dict[str, Entry]) -> dict[str, tuple[str, ...]]:
    """'Llama 70B': a maker's name and a size, without the generation, means every model so named (Llama 2 70B,
    Llama 3 70B, ...). Only where it names models of two or more generations, and no entry has that name."""
    said = {n.lower() for e in entries.values() for n in (e.name, *e.aliases)}
    groups: dict[tuple[str, float], list[Entry]] = {}
    spelled = {}
    for e in entries.values():
        size = e.fact("params_nominal")
        if e.kind != "model" or not e.family or size is None or e.unofficial:
            continue
        brand = _GENERATION.sub("", e.family)
        if brand == e.family or not brand:
            continue
        spelled[brand.lower()] = brand  # "LLaMA 1", "Llama 2": one maker, spelled as lately
        groups.setdefault((brand.lower(), float(size.value)), []).append(e)
    out = {}
    for (brand, size), models in groups.items():
        name = f"{spelled[brand]} {size / 1e9:g}B"
        if name.lower() not in said and len({m.family for m in models}) >= 2:
            out[name] = tuple(m.name for m in models)
    return out


def _where(i: int, extra: tuple[str, ...]) -> str:
    return extra[i - len(BUILTIN)] if i >= len(BUILTIN) else BUILTIN[i]


# ---------------------------------------------------------------- names as people say them

_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_VERSION = re.compile(r"(?<![\d.])(\d{1,3})(?:\.(\d))?(?![\d.]|[A-Za-z]*\d|[BbMmKkTGx])")  # "3", "3.1", "V3", "H100"; not "70B"
_SIZE = re.compile(r"(?<![\d.])(\d{1,3})[Bb]\b")  # "70B", as captions write it said: "seventy b"
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "DeepSeek" -> "Deep Seek"; not "LLaMA", "PaLM"
_WORD_FIRST = re.compile(r"(?i)^(?:a|i)\s")  # "A ten" (A10) is "a ten gigabyte file": no spoken form starts so


def _say(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    rest = n % 100
    return _ONES[n // 100] + " hundred" + ("" if rest == 0 else " " + _say(rest))


def _say_digits(n: int) -> str:
    """405 and 120 as people say them: "four oh five", "one twenty"."""
    if n < 100 or n % 100 == 0:
        return _say(n)
    return f"{_ONES[n // 100]} oh {_ONES[n % 10]}" if n % 100 < 10 else f"{_ONES[n // 100]} {_say(n % 100)}"


def spoken(name: str, aliases) -> tuple[str, ...]:
    """The aliases, and each as speech recognition writes it: 'DeepSeek V3' -> 'Deep Seek V three', 'H100' -> 'H one hundred'."""
    out = dict.fromkeys(aliases)
    for a in (name, *aliases):
        said = _CAMEL.sub(" ", a.replace("-", " "))
        said = _VERSION.sub(lambda m: " " + _say(int(m.group(1))) + (f" point {_ONES[int(m.group(2))]}" if m.group(2) else "") + " ", said)
        sizes = (_SIZE.sub(lambda m: " " + say(int(m.group(1))) + " b", said) for say in (_say, _say_digits))
        for form in (said, *sizes):  # "Llama three seventy b", "four oh five b"
            form = re.sub(r"\s+", " ", form).strip()
            if form.lower() != a.lower() and re.search(r"[a-z]{3}", form) and not _WORD_FIRST.match(form):
                out.setdefault(form)
    return tuple(out)

_CHUNK = re.compile(r"[a-z]+|\d+(?:\.\d+)?|[^\sa-z\d_-]")
_SEP = re.compile(r"[\s_-]*")
_FIRST = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?|[^\sA-Za-z\d_-]")  # a name's first word, as _CHUNK cuts it


NAME_BEFORE, NAME_AFTER = r"(?<![A-Za-z0-9.])", r"(?![A-Za-z0-9]|\.\d)"  # a name is not part of a longer word or version


def alias_pattern(alias: str, plural: bool = False) -> str:
    """'Llama 3 70B' -> matches 'Llama-3-70B', 'llama3 70b', 'LLaMA 3 70B' but not 'Llama 3.2'
    (within NAME_BEFORE and NAME_AFTER)."""
    one_word = not re.search(r"\d", alias) and " " not in alias.strip()  # a plain word keeps its case ("Gemini")
    body = r"[\s_-]*".join(re.escape(c) for c in _CHUNK.findall(alias if one_word else alias.lower())) + ("s?" if plural else "")
    return body if one_word else f"(?i:{body})"


class NamePattern:
    """All names of some entries as one pattern, longest alternative first, each tagged with its entry.

    Scanning text with one alternation of hundreds of names is slow (every alternative is tried
    at every position), so the first words of the names, found in one pass by an Aho-Corasick
    automaton, say where a name can start, and only the names with that first word are tried there.
    Their patterns are compiled the first time that word is seen: compiling one alternation of two
    thousand names took half a second of every start-up.
    """

    def __init__(self, entries: list[Entry], plural: bool = False, group: str = "name"):
        self.group = group
        self.by_first: dict[str, list[tuple[int, int, str]]] = {}  # first word -> (length, entry, alias)
        self.starts: dict[str, set[str | None]] = {}  # first word -> first characters of the next, None if no next
        self.plural = plural
        for i, e in enumerate(entries):
            for alias in sorted({e.name, *e.aliases}):
                chunks = _CHUNK.findall(alias.lower())
                self.by_first.setdefault(chunks[0], []).append((len(alias), i, alias))
                # what follows the first word: a digit (H100), or a whole word ("H one hundred", not every "ho")
                follow = None if len(chunks) < 2 else chunks[1] if chunks[1].isalpha() else chunks[1][0]
                self.starts.setdefault(chunks[0], set()).add(follow)
        self._compiled: dict[str, re.Pattern] = {}
        self.longest_first = max(map(len, self.by_first), default=0)

        # what to look for: a name's first word, or for a short one ("h" of H100) the first word with
        # the start of the next ("h1", "h 1", "h-1"), so as not to stop at every "h"; all of them in
        # one Aho-Corasick automaton, which finds every occurrence of every needle in one pass
        self.automaton = ahocorasick.Automaton()
        for first, follow in self.starts.items():
            if len(first) <= 2 and None not in follow:
                for f in follow:
                    for sep in ("", " ", "-", "_"):
                        self.automaton.add_word(first + sep + f, (first, len(first + sep + f)))
            else:
                self.automaton.add_word(first, (first, len(first)))
        self.automaton.make_automaton()

    def _pattern(self, first: str) -> re.Pattern:
        """The names that start with this word, longest first, each group tagged with its length and entry
        (to choose between the names of several first words said at one place, _rank)."""
        if first not in self._compiled:
            names = sorted(self.by_first[first], key=lambda x: (-x[0], x[1], x[2]))
            names = "|".join(f"(?P<{self.group}{length}_{n}_{i}>{alias_pattern(alias, self.plural)})"
                             for n, (length, i, alias) in enumerate(names))
            self._compiled[first] = _compile(f"{NAME_BEFORE}(?:{names}){NAME_AFTER}")  # one boundary: half the compiling
        return self._compiled[first]

    def _match(self, text: str, pos: int, how: str = "match"):
        """The longest name said at pos. Separators are optional ("Deep Seek" is also "deepseek"), so the
        names whose first word begins the word said here are tried too."""
        w = _FIRST.match(text, pos)
        if w is None:
            return None
        said = w.group().lower()
        best = None
        for k in range(1, min(len(said), self.longest_first) + 1):  # a 400k-letter "word" costs no more than a name
            if said[:k] in self.by_first:
                m = getattr(self._pattern(said[:k]), how)(text, pos)
                if m and (best is None or _rank(m) > _rank(best)):
                    best = m
        return best

    def finditer(self, text: str):
        low = lower(text)
        found = set()
        for end, (first, n) in self.automaton.iter(low):
            i = end - n + 1
            if (i == 0 or not (low[i - 1].isalnum() or low[i - 1] == ".")) and self._ends_word(low, first, i + len(first)):
                found.add(i)
        pos = 0
        for i in sorted(found):
            if i < pos:
                continue
            m = self._match(text, i)
            if m:
                yield m
                pos = m.end()

    def _ends_word(self, low: str, first: str, j: int) -> bool:
        """The first word ends at j (as _CHUNK cuts words), and what follows can continue the name."""
        if j < len(low) and (low[j].isalpha() if first[-1].isalpha() else low[j].isdigit()):
            return False
        follow = self.starts[first]
        if None in follow:
            return True
        k = _SEP.match(low, j).end()
        return any(low.startswith(f, k) for f in follow)

    def match(self, text: str, pos: int = 0):
        """A name starting exactly at pos."""
        return self._match(text, pos)

    def fullmatch(self, text: str):
        return self._match(text, 0, "fullmatch")


@lru_cache(maxsize=None)
def _compile(pattern: str) -> re.Pattern:
    """Compiled once a process, however many pipelines are built (re's own cache holds only 512)."""
    return re.compile(pattern)


def _rank(m: re.Match) -> tuple[int, int]:
    """Which of two names said at one place wins: the longer, then the first entry, as one alternation of
    all names, longest first, would have chosen (group name{length}_{n}_{entry})."""
    return _group_rank(m.lastgroup)


@lru_cache(maxsize=None)
def _group_rank(group: str) -> tuple[int, int]:
    length, _, entry = re.match(r"[a-z]+(\d+)_(\d+)_(\d+)$", group).groups()
    return int(length), -int(entry)


def names_regex(entries: list[Entry], plural: bool = False, group: str = "name") -> NamePattern:
    return NamePattern(entries, plural, group)


def matched_entry(m: re.Match, entries: list[Entry]) -> Entry:
    key = m.lastgroup  # e.g. name12_0_3: a 12-character name, entry 3
    return entries[int(key.rsplit("_", 1)[1])]
