"""Reference data: models, model families and accelerators, every value with its source.

The data are the JSON files beside this module; `--reference FILE` adds or overrides entries by
name. Names are matched as people say and write them: "Llama 3 70B", "Llama-3-70B", "LLaMA3 70B".
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pipeline.transcript import InputError


@dataclass(frozen=True)
class Fact:
    value: object
    source: str


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

    def fact(self, key: str) -> Fact | None:
        return self.facts.get(key)


@dataclass
class Reference:
    entries: dict[str, Entry]  # by name
    version: str
    _patterns: dict = field(default_factory=dict, repr=False)

    def members(self, family: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == "model" and e.family == family]

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


def _entries(doc: dict) -> list[Entry]:
    out = []
    for f in doc.get("families", []):
        out.append(Entry("family", f["name"], tuple(f.get("aliases", ())), default=f.get("default")))
    for kind, key in (("model", "models"), ("hardware", "hardware")):
        for m in doc.get(key, []):
            missing = [k for k, v in m.get("facts", {}).items() if not v.get("source")]
            if missing:  # every reference value has a source (SPEC 7)
                raise InputError(f"reference entry {m['name']!r}: no source for {', '.join(missing)}")
            facts = {k: Fact(v["value"], v["source"]) for k, v in m.get("facts", {}).items()}
            out.append(Entry(kind, m["name"], tuple(m.get("aliases", ())), facts, m.get("family"),
                             m.get("notes", ""), bool(m.get("unofficial"))))
    return out


BUILTIN = ("models.json", "hardware.json")


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = ()) -> Reference:
    """The shipped reference data, overridden entry by entry by each file in `extra`."""
    here = resources.files("pipeline.reference")
    texts = [(here / name).read_text(encoding="utf-8") for name in BUILTIN]
    for path in extra:
        try:
            texts.append(Path(path).read_text(encoding="utf-8"))
        except OSError as e:
            raise InputError(f"{path}: cannot open the reference file: {e.strerror or e}") from None
    entries: dict[str, Entry] = {}
    for i, text in enumerate(texts):
        try:
            doc = json.loads(text)
            new = _entries(doc)
        except InputError as e:
            raise InputError(f"{_where(i, extra)}: {e}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise InputError(f"{_where(i, extra)}: not a claimcheck reference file ({e})") from None
        for e in new:
            old = entries.get(e.name)
            if old and old.kind == e.kind:  # an override keeps what it does not restate
                e = Entry(e.kind, e.name, e.aliases or old.aliases, {**old.facts, **e.facts},
                          e.family or old.family, e.notes or old.notes, e.unofficial, e.default or old.default)
            entries[e.name] = e
    version = hashlib.sha256("\0".join(texts).encode()).hexdigest()[:12]
    return Reference(entries, version)


def _where(i: int, extra: tuple[str, ...]) -> str:
    return extra[i - len(BUILTIN)] if i >= len(BUILTIN) else BUILTIN[i]


# ---------------------------------------------------------------- names as people say them

_CHUNK = re.compile(r"[a-z]+|\d+(?:\.\d+)?|[^\sa-z\d_-]")


def alias_pattern(alias: str, plural: bool = False) -> str:
    """'Llama 3 70B' -> matches 'Llama-3-70B', 'llama3 70b', 'LLaMA 3 70B' but not 'Llama 3.2'."""
    chunks = _CHUNK.findall(alias.lower())
    body = r"[\s_-]*".join(re.escape(c) for c in chunks)
    if not re.search(r"\d", alias):
        body = r"[\s_-]*".join(re.escape(c) for c in _CHUNK.findall(alias))  # plain words keep their case
        flags = ""
    else:
        flags = "(?i)"
    tail = "s?" if plural else ""
    return rf"(?<![A-Za-z0-9.]){flags and '(?i:'}{body}{tail}{flags and ')'}(?![A-Za-z0-9]|\.\d)"


def names_regex(entries: list[Entry], plural: bool = False, group: str = "name") -> re.Pattern:
    """One pattern for all names, longest first, each alternative tagged with its entry."""
    pairs = []
    for i, e in enumerate(entries):
        for alias in {e.name, *e.aliases}:
            pairs.append((len(alias), i, alias_pattern(alias, plural)))
    pairs.sort(key=lambda p: -p[0])
    alts = "|".join(f"(?P<{group}{n}_{i}>{pat})" for n, (_, i, pat) in enumerate(pairs))
    return re.compile(alts)


def matched_entry(m: re.Match, entries: list[Entry]) -> Entry:
    key = m.lastgroup  # e.g. name12_3: entry 3
    return entries[int(key.rsplit("_", 1)[1])]
