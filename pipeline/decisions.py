"""Reviewer decisions: a plain CSV in claims/ that people edit and commit.

A decision names its claim by what does not change when the transcript is re-read: the episode,
the claim's kind, its quote and its sentence. Ids like "c3" shift when a claim is added before it,
so they are only a hint. When a sentence was edited slightly, the most similar sentence with the
same quote and kind still carries the decision; a decision whose claim is gone is kept and shown.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from pipeline.transcript import InputError

FILE = "decisions.csv"
COLUMNS = ["episode", "claim", "kind", "quote", "sentence", "decision", "note", "reviewer", "date"]
DECISIONS = ("confirmed error", "false flag", "note")
SIMILAR = 0.6  # how alike an edited sentence must be to keep its decision


@dataclass(frozen=True)
class Decision:
    episode: str
    claim: str  # the claim id when the decision was made: a hint only
    kind: str
    quote: str
    sentence: str
    decision: str
    note: str = ""
    reviewer: str = ""  # who decided, and when (an ISO date): the audit trail; older files have neither
    date: str = ""

    def row(self) -> dict:
        return {c: getattr(self, c) for c in COLUMNS}


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet runs as a formula (OWASP, CSV injection)


def neutralise(value):
    """A text cell a spreadsheet would run as a formula, with a quote in front so it shows as text."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA) else value


def restore(value: str) -> str:
    """The text as it was, before neutralise()."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def decision_of(said: str) -> str | None:
    """A decision as a person types it ("Confirmed Error", "false-flag"), or None if it is none of them."""
    said = " ".join(said.replace("_", " ").replace("-", " ").lower().split())
    return said if said in DECISIONS else None


def load(claims_dir: Path, warn=lambda line: None) -> list[Decision]:
    """Every decision in claims/decisions.csv; none if there is no such file. A row whose decision is none of
    DECISIONS is skipped, and `warn` told of it with its line: one typo must not stop a run."""
    path = claims_dir / FILE
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read the decisions file: {e}") from None
    out = []
    try:
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
    except csv.Error as e:  # a field over the csv module's limit (128 KB), a stray NUL
        raise InputError(f"{path}: not a decisions CSV ({e})") from None
    if text.strip() and not {"episode", "claim", "decision"} <= set(reader.fieldnames or ()):
        raise InputError(f"{path}: the first line must name the columns ({', '.join(COLUMNS)})")
    for i, row in enumerate(rows, start=2):
        row = {k: restore((v or "").strip()) for k, v in row.items() if isinstance(k, str) and k and isinstance(v, (str, type(None)))}
        if not row.get("decision"):
            continue
        decision = decision_of(row["decision"])
        if decision is None:
            warn(f"{path}, line {i}: decision must be one of {', '.join(DECISIONS)}, not {row['decision'][:80]!r}; "
                 "the row is skipped")
            continue
        out.append(Decision(**{**{c: row.get(c, "") for c in COLUMNS}, "decision": decision}))
    return out


def attach(episode: dict, decisions: list[Decision]) -> tuple[dict[str, Decision], list[Decision]]:
    """Decisions by claim id for this episode's claims (a JSON episode), and those whose claim is gone."""
    mine = [d for d in decisions if d.episode == episode["id"]]
    by_claim: dict[str, Decision] = {}
    orphans = []
    for d in mine:
        best, score = None, 0.0
        for c in episode["claims"]:
            if c["quote"] != d.quote or c["kind"] != d.kind or c["id"] in by_claim:
                continue
            if c["sentence"] == d.sentence:
                s = 1.01 if c["id"] == d.claim else 1.0
            else:
                s = SequenceMatcher(None, c["sentence"], d.sentence).ratio()
            if s > score:
                best, score = c, s
        if best is not None and score >= SIMILAR:
            by_claim[best["id"]] = d
        else:
            orphans.append(d)
    return by_claim, orphans
