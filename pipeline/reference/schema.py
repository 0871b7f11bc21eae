"""The shape of a reference file (schema.json), checked at load: a misspelled key would otherwise make
claims silently unverifiable, and a zero or an infinity would reach the formulas. Every error names
the entry and the key; the loader adds the file."""
from __future__ import annotations

import json
import math
import re
from datetime import date
from functools import lru_cache
from importlib import resources

from pipeline.transcript import InputError


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # control and bidi characters


def _date(v) -> bool:
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", v):
        return False
    parts = [int(p) for p in v.split("-")] + [1, 1]
    try:
        return bool(date(*parts[:3]))
    except ValueError:
        return False


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


_TYPES = {
    "number": _number,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "count": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1,
    "string": lambda v: isinstance(v, str) and v.strip() != "" and not _CONTROL.search(v),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "names": lambda v: isinstance(v, list) and all(isinstance(a, str) and re.search(r"[A-Za-z0-9]", a)
                                                   and not _CONTROL.search(a) for a in v),
    "date": _date,
}


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(resources.files("pipeline.reference").joinpath("schema.json").read_text(encoding="utf-8"))


def _check(value, kind, what: str, where: str) -> None:
    ok = value in kind if isinstance(kind, list) else _TYPES[kind](value)
    if not ok:
        expected = "one of " + ", ".join(map(str, kind)) if isinstance(kind, list) else f"a {kind}"
        raise InputError(f"{where}: {what} must be {expected}, not {value!r}")


def validate(doc) -> None:
    """Raise InputError naming the entry and the key at the first thing out of shape (the caller adds the file)."""
    s = schema()
    if not isinstance(doc, dict):
        raise InputError("not a claimcheck reference file (a JSON object with families, models or hardware)")
    for key in doc:
        if key not in s["file"]:
            raise InputError(f"unknown top-level key {key!r} (expected {', '.join(s['file'])})")
    for section, kind in (("makers", "maker"), ("families", "family"), ("models", "model"), ("hardware", "hardware")):
        entries = doc.get(section, [])
        if not isinstance(entries, list):
            raise InputError(f"{section!r} must be a list of entries")
        for i, entry in enumerate(entries):
            _entry(entry, kind, f"{section}[{i}]", s)


def _entry(entry, kind: str, where: str, s: dict) -> None:
    if not isinstance(entry, dict) or not _TYPES["string"](entry.get("name")):
        raise InputError(f"{where}: an entry needs a non-empty \"name\"")
    where = f"{where} {entry['name']!r}"
    fields = s["entry"][kind]
    for key, value in entry.items():
        if key not in fields:
            raise InputError(f"{where}: unknown key {key!r} for a {kind} (expected {', '.join(fields)})")
        _check(value, fields[key], repr(key), where)
    if kind == "maker" and not all(entry.get(k) for k in ("families", "source")):
        raise InputError(f"{where}: a maker needs its \"families\" and a \"source\" that says they are its")
    if kind == "family" and entry.get("includes") and not entry.get("includes_source"):
        raise InputError(f"{where}: a family that includes others needs an \"includes_source\" that says so")
    for key, fact in entry.get("facts", {}).items():
        _fact(key, fact, s["facts"][kind].get(key), s["fact"], where)
    if "config" in entry:
        _config(entry, s["config"], where)


def _fact(key: str, fact, expected, fields: list[str], where: str) -> None:
    if expected is None:
        raise InputError(f"{where}: unknown fact {key!r}")
    if not isinstance(fact, dict) or set(fact) - set(fields):
        raise InputError(f"{where}: fact {key!r} must be {{\"value\", \"source\"}} (optional \"low\", \"high\")")
    if not _TYPES["string"](fact.get("source")):
        raise InputError(f"{where}: fact {key!r} has no source")
    _check(fact.get("value"), expected, f"fact {key!r}", where)
    for end in ("low", "high"):
        if end in fact:
            _check(fact[end], "number", f"fact {key!r}: {end!r}", where)
    if "low" in fact and "high" in fact and fact["low"] > fact["high"]:
        raise InputError(f"{where}: fact {key!r}: low {fact['low']} is above high {fact['high']}")


def _config(entry: dict, types: dict, where: str) -> None:
    config = entry["config"]
    if "config_source" not in entry:
        raise InputError(f"{where}: \"config\" has no \"config_source\"")
    for key, value in config.items():
        if key not in types:
            raise InputError(f"{where}: unknown config key {key!r}")
        _check(value, types[key], f"config {key!r}", where)
    needs = [("n_layers", "d_model", "n_heads", "vocab_size")]
    if "n_experts" in config:
        needs.append(("experts_per_token",))  # else no expert would count as active
    if "kv_lora_rank" in config:
        needs.append(("qk_nope_head_dim", "qk_rope_head_dim"))
    missing = [k for group in needs for k in group if k not in config]
    if missing:
        raise InputError(f"{where}: config lacks {', '.join(missing)}")
