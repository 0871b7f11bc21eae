"""The shape of a reference file (schema.json), checked at load: a misspelled key would otherwise make
claims silently unverifiable. Every error names the entry and the key; the loader adds the file."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from pipeline.transcript import InputError

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_TYPES = {
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "string": lambda v: isinstance(v, str) and v.strip() != "",
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "date": lambda v: isinstance(v, str) and bool(_DATE.fullmatch(v)),
}


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files("pipeline.reference").joinpath("schema.json").read_text(encoding="utf-8"))


def _fits(value, kind) -> bool:
    return value in kind if isinstance(kind, list) else _TYPES[kind](value)


def _type_name(kind) -> str:
    return "one of " + ", ".join(map(str, kind)) if isinstance(kind, list) else f"a {kind}"


def validate(doc) -> None:
    """Raise InputError naming the entry and the key at the first thing out of shape (the caller adds the file)."""
    s = schema()
    if not isinstance(doc, dict):
        raise InputError("not a claimcheck reference file (a JSON object with families, models or hardware)")
    for key in doc:
        if key not in s["file"]:
            raise InputError(f"unknown top-level key {key!r} (expected {', '.join(s['file'])})")
    for section, kind in (("families", "family"), ("models", "model"), ("hardware", "hardware")):
        entries = doc.get(section, [])
        if not isinstance(entries, list):
            raise InputError(f"{section!r} must be a list of entries")
        for i, entry in enumerate(entries):
            _entry(entry, kind, f"{section}[{i}]", s)


def _entry(entry, kind: str, where: str, s: dict) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise InputError(f"{where}: an entry needs a non-empty \"name\"")
    where = f"{where} {entry['name']!r}"
    for key in entry:
        if key not in s["entry"][kind]:
            raise InputError(f"{where}: unknown key {key!r} for a {kind} (expected {', '.join(s['entry'][kind])})")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise InputError(f"{where}: \"aliases\" must be a list of names")
    facts = entry.get("facts", {})
    if not isinstance(facts, dict):
        raise InputError(f"{where}: \"facts\" must be an object of fact keys")
    for key, fact in facts.items():
        expected = s["facts"][kind].get(key)
        if expected is None:
            raise InputError(f"{where}: unknown fact {key!r}")
        if not isinstance(fact, dict) or set(fact) - set(s["fact"]):
            raise InputError(f"{where}: fact {key!r} must be {{\"value\", \"source\"}} (optional \"low\", \"high\")")
        if not isinstance(fact.get("source"), str) or not fact["source"].strip():
            raise InputError(f"{where}: fact {key!r} has no source")
        if not _fits(fact.get("value"), expected):
            raise InputError(f"{where}: fact {key!r} must be {_type_name(expected)}, not {fact.get('value')!r}")
        for end in ("low", "high"):
            if end in fact and not _TYPES["number"](fact[end]):
                raise InputError(f"{where}: fact {key!r}: {end!r} must be a number")
    if "config" in entry:
        config = entry["config"]
        if not isinstance(config, dict):
            raise InputError(f"{where}: \"config\" must be an object")
        if not isinstance(entry.get("config_source"), str) or not entry["config_source"].strip():
            raise InputError(f"{where}: \"config\" has no \"config_source\"")
        for key, value in config.items():
            expected = s["config"].get(key)
            if expected is None:
                raise InputError(f"{where}: unknown config key {key!r}")
            if not _fits(value, expected):
                raise InputError(f"{where}: config {key!r} must be {_type_name(expected)}, not {value!r}")
        missing = [k for k in ("n_layers", "d_model", "n_heads", "vocab_size") if k not in config]
        if missing:
            raise InputError(f"{where}: config lacks {', '.join(missing)}")
