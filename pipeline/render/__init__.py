"""Writing results: the JSON contract (SPEC 8), claims.csv, one HTML report per episode, an index.

Every file is written atomically (a temporary file renamed into place), so a reader never sees
half a file. claims.csv and index.html are rebuilt from every episode JSON in the output folder,
so they cover all episodes checked there, not only this run's.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__, decisions
from pipeline.quantities import fmt as say
from pipeline.quantities import Interval

if TYPE_CHECKING:  # the type only: rendering never imports spaCy or the checking stage
    from pipeline.run import Episode

SCHEMA = "claimcheck/1"


def _num(x: float | None):
    """JSON has no NaN or Infinity, and the page's script would throw on them: null instead."""
    return None if x is None or not math.isfinite(x) else x


def _interval(iv: Interval | None) -> dict:
    return {"low": _num(iv.low), "high": _num(iv.high)} if iv else {"low": None, "high": None}


def claim_json(c, k) -> dict:
    q = c.quantity
    return {
        "id": c.id, "quote": q.text, "sentence": c.sentence, "segment": c.segment,
        "char_start": q.start, "char_end": q.end, "speaker": c.speaker, "start": _num(c.start),
        "kind": c.kind, "role": c.role, "scope": c.scope, "framing": c.framing,
        "subject": c.subject.name if c.subject else None,
        "subject_source": c.subject_source, "subject_how": c.subject_how or None,
        "stated": {"value": _num(q.value), "unit": q.unit, **_interval(q.interval), "hedge": q.hedge, "vague": q.vague or q.span,
                   "readings": [r.label for r in q.readings]},
        "expected": ({"value": _num(k.value), "unit": k.unit, **_interval(k.interval)} if k.value is not None else None),
        "verdict": k.verdict, "severity": k.severity, "contested": k.contested,
        "off_by": _num(k.off) if k.verdict == "mismatch" or k.contested else None,  # a factor off only where it is evidence
        "formula": k.formula,
        "inputs": [{"name": i.name, "value": _num(i.value), "unit": i.unit, **_interval(i.interval), "source": i.source}
                   for i in k.inputs],
        "notes": c.notes + k.notes,
        "reconcile": k.reconcile,
        "review": None,  # a reviewer's decision, attached by with_decisions()
    }


def episode_json(ep: Episode) -> dict:
    t = ep.transcript
    claims = [claim_json(c, k) for c, k in zip(ep.claims, ep.checks)]
    return {
        "id": ep.id, "source": t.source, "format": t.format, "sha256": t.sha256,
        "speakers": t.speakers, "warnings": t.warnings, "duration": _num(t.duration),
        "media": t.media,  # the audio or video file the transcript names (http(s) URL or relative file name)
        "summary": {"claims": len(claims), **{v: ep.count(v) for v in ("consistent", "mismatch", "unverifiable")}},
        "segments": [{"speaker": s.speaker, "start": _num(s.start), "end": _num(s.end), "text": s.text} for s in t.segments],
        "claims": claims,
        "orphaned_decisions": [],
    }


def document(episodes: list[dict], reference_version: str) -> dict:
    return {"schema": SCHEMA, "tool": {"version": __version__, "reference": reference_version}, "episodes": episodes}


_UMASK = os.umask(0o022)
os.umask(_UMASK)


TMP_PREFIX = ".claimcheck-"  # our temporary files, and only ours, are what a later run may remove (lock.py)


@contextmanager
def atomic_open(path: Path):
    """A file that appears at `path` whole or not at all: written beside it, then renamed into place.
    A file replaced keeps its permissions; a new one gets those the umask allows (not mkstemp's 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_UMASK
    fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{path.name[:100]}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
        os.replace(tmp, path)  # atomic on POSIX: readers see the old file or the new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str) -> None:
    with atomic_open(path) as f:
        f.write(text)


def write_named(path: Path, text: str) -> None:
    """A file the user named (--json FILE, --summary-json FILE): a link is followed, not replaced; a
    device or a pipe (/dev/stdout, /dev/null) is written to, never replaced by a file."""
    path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file() and not path.is_dir():
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        write_atomic(path, text)


def remove_episode(out: Path, episode: str) -> None:
    """A failed file leaves no outputs: neither a partial one of this run nor a stale one of an earlier."""
    for path in (out / "claims" / f"{episode}.json", out / "reports" / f"{episode}.html"):
        if path.is_file():  # not a folder someone put there (which is why the write failed)
            path.unlink(missing_ok=True)


def with_decisions(ep_doc: dict, all_decisions: list) -> dict:
    """The episode with each reviewer decision attached to its claim ("review"), and those whose claim is gone."""
    by_claim, orphans = decisions.attach(ep_doc, all_decisions)
    def review(d: decisions.Decision) -> dict:
        return {"decision": d.decision, "note": d.note, "reviewer": d.reviewer, "date": d.date}

    claims = [{**c, "review": review(by_claim[c["id"]]) if c["id"] in by_claim else None} for c in ep_doc["claims"]]
    return {**ep_doc, "claims": claims, "orphaned_decisions": [d.row() for d in orphans]}


def write_episode(out: Path, ep_doc: dict, reference_version: str, all_decisions: list = ()) -> None:
    from pipeline.render.html import report

    doc = document([ep_doc], reference_version)
    others = [d.row() for d in all_decisions if d.episode != ep_doc["id"]]
    write_atomic(out / "claims" / f"{ep_doc['id']}.json", json.dumps(doc, ensure_ascii=False, allow_nan=False))
    write_atomic(out / "reports" / f"{ep_doc['id']}.html", report(ep_doc, doc["tool"], others))


CSV_COLUMNS = ["episode", "claim", "verdict", "severity", "off_by", "kind", "quote", "subject", "speaker", "start",
               "stated_value", "stated_low", "stated_high", "unit", "expected_value", "expected_low",
               "expected_high", "formula", "notes", "sentence", "source", "decision", "decision_note",
               "reviewer", "decision_date"]


def claim_rows(ep: dict) -> list[dict]:
    """One flat row per claim of an episode (JSON form), as in claims.csv and the batch ledger."""
    rows = []
    for c in ep["claims"]:
        expected, review = c["expected"] or {}, c.get("review") or {}
        rows.append({
            "episode": ep["id"], "claim": c["id"], "verdict": c["verdict"], "severity": c["severity"], "off_by": c.get("off_by"),
            "kind": c["kind"], "quote": c["quote"], "subject": c["subject"], "speaker": c["speaker"],
            "start": c["start"], "stated_value": c["stated"]["value"], "stated_low": c["stated"]["low"],
            "stated_high": c["stated"]["high"], "unit": c["stated"]["unit"], "expected_value": expected.get("value"),
            "expected_low": expected.get("low"), "expected_high": expected.get("high"), "formula": c["formula"],
            "notes": " | ".join(c["notes"]), "sentence": c["sentence"], "source": ep["source"],
            "decision": review.get("decision"), "decision_note": review.get("note"),
            "reviewer": review.get("reviewer"), "decision_date": review.get("date"),
        })
    return rows


def episode_files(out: Path):
    """(path, episode, tool) for every episode JSON in out/claims, one at a time, newest first.

    One at a time, so that memory does not grow with the catalogue.
    """
    paths = sorted((out / "claims").glob("*.json"), key=lambda p: -p.stat().st_mtime)
    for p in paths:
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("schema") == SCHEMA:
            for ep in doc.get("episodes", []):
                if isinstance(ep, dict) and ep.get("id") == p.stem:  # an episode file, not a --json dump
                    yield p, ep, doc.get("tool", {})


def decided(ep: dict) -> dict[str, str]:
    """The decision and note on each claim, by the key the report's script keeps it under (report.js, named): kind,
    quote and sentence, and for a figure said twice in one sentence, which time."""
    out, seen = {}, {}
    for c in ep["claims"]:
        key = "\0".join((c["kind"], c["quote"], c["sentence"]))
        nth = seen[key] = seen.get(key, -1) + 1
        if c.get("review"):
            out[key + (f"\0{nth}" if nth else "")] = f'{c["review"]["decision"]}\0{c["review"]["note"] or ""}'
    return out


def write_tables(out: Path) -> None:
    """claims/claims.csv and reports/index.html over every episode in the output folder."""
    import pandas as pd

    from pipeline.render.html import group, index

    summaries = []
    with atomic_open(out / "claims" / "claims.csv") as f:
        pd.DataFrame(columns=CSV_COLUMNS).to_csv(f, index=False)
        for path, ep, tool in episode_files(out):
            rows = [{k: decisions.neutralise(v) for k, v in row.items()} for row in claim_rows(ep)]
            pd.DataFrame(rows, columns=CSV_COLUMNS).to_csv(f, header=False, index=False)
            to_decide = [c for c in ep["claims"] if group(c) == "decide"]  # as the report groups them
            summaries.append({"id": ep["id"], "source": ep["source"], "summary": {**ep["summary"], "decide": len(to_decide),
                                                                            "reviewed": sum(1 for c in to_decide if c.get("review"))},
                              "mtime": path.stat().st_mtime, "tool": tool,
                              "decided": decided(ep)})
    write_atomic(out / "reports" / "index.html", index(summaries))


def fmt(x) -> str:
    return "" if x is None else say(float(x))
