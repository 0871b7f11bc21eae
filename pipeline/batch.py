"""Scheduled batch runs (SPEC 9): every transcript under a folder, incremental, parallel and safe.

The ledger (claims/ledger.sqlite) records each file's content hash, the tool and reference-data
versions it was checked with, its status and error, and every claim. A file is checked again only
when one of those changed; files that are gone are marked removed. Outputs are written atomically
and the ledger is updated only after a file's outputs are in place, so a run killed at any moment
leaves the previous results intact and the next run finishes the job.
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import stat
import time
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline import __version__
from pipeline.ids import episode_id

LEDGER = "ledger.sqlite"
ADDED_COLUMNS = {"off_by": "REAL", "reviewer": "TEXT", "decision_date": "TEXT"}  # columns added to the claims table since its first version, with their types
SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY, episode TEXT UNIQUE, sha256 TEXT, tool TEXT, reference TEXT,
    status TEXT, error TEXT, checked_at TEXT, claims INTEGER, mismatches INTEGER);
CREATE TABLE IF NOT EXISTS claims (
    episode TEXT, claim TEXT, verdict TEXT, severity TEXT, off_by REAL, kind TEXT, quote TEXT, subject TEXT, speaker TEXT,
    start REAL, stated_value REAL, stated_low REAL, stated_high REAL, unit TEXT, expected_value REAL,
    expected_low REAL, expected_high REAL, formula TEXT, notes TEXT, sentence TEXT, source TEXT,
    decision TEXT, decision_note TEXT, reviewer TEXT, decision_date TEXT, PRIMARY KEY (episode, claim));
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started TEXT, finished TEXT, checked INTEGER, skipped INTEGER,
    failed INTEGER, removed INTEGER);
"""


@dataclass
class Summary:
    files: int = 0
    checked: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    claims: int = 0
    mismatches: int = 0
    gross: int = 0
    bugs: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was skipped without failing a file (a bad decision row)

    def line(self) -> str:
        return (f"{self.files} files: {self.checked} checked, {self.skipped} unchanged, {self.failed} failed, "
                f"{self.removed} removed; {self.claims} claims, {self.mismatches} mismatches")


def connect(out: Path) -> sqlite3.Connection:
    (out / "claims").mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(out / "claims" / LEDGER, timeout=60)
    db.execute("PRAGMA journal_mode=WAL")  # readers can query while a run writes
    db.executescript(SCHEMA)
    have = {row[1] for row in db.execute("PRAGMA table_info(claims)")}
    for column in ADDED_COLUMNS:  # a ledger of an earlier version: its claims table gains the new columns
        if column not in have:
            db.execute(f"ALTER TABLE claims ADD COLUMN {column} {ADDED_COLUMNS[column]}")
    return db


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ---------------------------------------------------------------- workers: one pipeline each, built once

_worker: dict = {}


def _init(references: tuple[str, ...], decisions_rows: list[dict]) -> None:
    from pipeline import decisions, nlp, reference

    _worker["reference"] = reference.load(references)
    _worker["nlp"] = nlp.build(references)
    nlp.started()
    _worker["decisions"] = [decisions.Decision(**d) for d in decisions_rows]


def _check(job: tuple[str, str, str, str, str]) -> dict:
    """Check one file and write its outputs; return what the ledger needs (small: no transcript, no HTML)."""
    from pipeline import render
    from pipeline.run import check_and_write

    key, path, episode, digest, out = job
    doc, why, bug = check_and_write(path, _worker["nlp"], _worker["reference"], episode, Path(out), _worker["decisions"])
    return {"path": key, "file": path, "episode": episode, "sha256": digest, "error": why,
            "rows": render.claim_rows(doc) if doc else [], "bug": bug}


# ---------------------------------------------------------------- the run

def ledger_key(root: Path, path: Path) -> str:
    """A file's key in the ledger: its path under the catalogue folder, however that folder was given
    (a name not in UTF-8 is kept apart from others by its escapes)."""
    return os.fsencode(path.relative_to(root).as_posix()).decode("utf-8", "backslashreplace")


def _digest(path: Path) -> str:
    """The content hash, or '' for what cannot be hashed (a dangling link, a pipe, a device): the check
    then reports why, as a failed file, instead of the run hanging or crashing here."""
    try:
        return sha256(path) if stat.S_ISREG(os.stat(path).st_mode) else ""
    except OSError:
        return ""


def plan(db: sqlite3.Connection, root: Path, files: list[Path], reference_version: str, complete: bool = True):
    """(jobs to do, unchanged count, keys gone) by comparing hashes and versions with the ledger.

    A file moved or renamed under the catalogue (same content, where exactly one file's key is gone
    and exactly one new file has that content) keeps its row, its episode id and so its reviewer
    decisions; it is checked again, so its outputs name its new path. With an incomplete listing (a
    folder that could not be read), nothing counts as gone.
    """
    known = {row[0]: row for row in db.execute("SELECT path, episode, sha256, tool, reference, status FROM files")}
    keys = {ledger_key(root, f): f for f in files}
    digests = {k: _digest(f) for k, f in keys.items()}
    gone_by_hash, new_by_hash = {}, {}
    for k, row in known.items():
        if k not in keys and row[5] != "removed" and row[2]:
            gone_by_hash.setdefault(row[2], []).append(k)
    for k, d in digests.items():
        if k not in known and d:
            new_by_hash.setdefault(d, []).append(k)
    taken = {row[1] for row in known.values()}
    todo, unchanged = [], 0
    for key, f in keys.items():
        digest, row = digests[key], known.get(key)
        if row is None and len(gone_by_hash.get(digest, ())) == 1 and len(new_by_hash.get(digest, ())) == 1:
            old = gone_by_hash.pop(digest)[0]  # moved: the one file gone with this content
            with db:
                db.execute("UPDATE files SET path = ? WHERE path = ?", (key, old))
            row = known[key] = (key, *known.pop(old)[1:])
            todo.append((key, str(f), row[1], digest))
            continue
        if row and digest and row[2] == digest and row[3] == __version__ and row[4] == reference_version \
                and row[5] in ("ok", "failed"):
            unchanged += 1
            continue
        episode = row[1] if row else episode_id(f, root, taken)
        taken.add(episode)
        todo.append((key, str(f), episode, digest))
    gone = [k for k, row in known.items() if row[5] != "removed" and k not in keys] if complete else []
    return todo, unchanged, gone


def record(db: sqlite3.Connection, result: dict, reference_version: str) -> None:
    """One file's result into the ledger, in one transaction."""
    from pipeline.render import CSV_COLUMNS

    rows = result["rows"]
    with db:
        db.execute("DELETE FROM claims WHERE episode = ?", (result["episode"],))
        db.executemany(f"INSERT INTO claims ({', '.join(CSV_COLUMNS)}) VALUES ({', '.join('?' * len(CSV_COLUMNS))})",
                       [tuple(r[c] for c in CSV_COLUMNS) for r in rows])
        db.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET episode=excluded.episode,"
            " sha256=excluded.sha256, tool=excluded.tool, reference=excluded.reference, status=excluded.status,"
            " error=excluded.error, checked_at=excluded.checked_at, claims=excluded.claims, mismatches=excluded.mismatches",
            (result["path"], result["episode"], result["sha256"], __version__, reference_version,
             "failed" if result["error"] else "ok", result["error"], now(), len(rows),
             sum(r["verdict"] == "mismatch" for r in rows)))


def remove(db: sqlite3.Connection, out: Path, path: str) -> None:
    episode = db.execute("SELECT episode FROM files WHERE path = ?", (path,)).fetchone()[0]
    for f in (out / "claims" / f"{episode}.json", out / "reports" / f"{episode}.html"):
        f.unlink(missing_ok=True)
    with db:
        db.execute("DELETE FROM claims WHERE episode = ?", (episode,))
        db.execute("UPDATE files SET status = 'removed', checked_at = ? WHERE path = ?", (now(), path))


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def run(root: Path, files: list[Path], out: Path, jobs: int, references: tuple[str, ...], progress,
        complete: bool = True) -> Summary:
    """Check what changed under `root` (the caller holds the output lock). `progress(result)` is told of each file."""
    from pipeline import decisions, reference

    ref_version = reference.version(references)
    with closing(connect(out)) as db:  # however the run ends, so the ledger is one file again (no -wal or -shm beside it)
        summary = Summary(files=len(files))
        run_id = db.execute("INSERT INTO runs (started) VALUES (?)", (now(),)).lastrowid
        db.commit()
        last_finished = db.execute("SELECT finished FROM runs WHERE id < ? ORDER BY id DESC LIMIT 1", (run_id,)).fetchone()
        todo, summary.skipped, gone = plan(db, root, files, ref_version, complete)
        redo, present = {k for k, *_ in todo}, {ledger_key(root, f) for f in files}
        for key, error in db.execute("SELECT path, error FROM files WHERE status = 'failed'").fetchall():
            if key not in redo and key in present:  # unchanged, and still failing
                summary.failed += 1
                summary.errors.append(f"{root / key}: still fails: {error}")
        for path in gone:
            remove(db, out, path)
        summary.removed = len(gone)
        reviews = [d.row() for d in decisions.load(out / "claims", warn=summary.warnings.append)]
        work = [(k, p, e, d, str(out)) for k, p, e, d in todo]
        for result in _results(work, jobs, references, reviews):
            record(db, result, ref_version)
            if result["error"]:
                summary.failed += 1
                summary.bugs += result["bug"]
                summary.errors.append(f"{root / result['path']}: {result['error']}")
            else:
                summary.checked += 1
            progress(result)
        if todo or gone or (last_finished is not None and last_finished[0] is None) or not (out / "claims" / "claims.csv").exists():
            from pipeline.render import write_tables

            try:
                write_tables(out)
            except OSError as e:  # claims.csv or the index cannot be replaced (a folder in its place): the run still ends
                summary.failed += 1
                summary.errors.append(f"{out}: cannot write claims.csv and the index ({e.filename}: {e.strerror or e})")
        totals = db.execute("SELECT COUNT(*), SUM(verdict = 'mismatch'), SUM(severity = 'gross') FROM claims").fetchone()
        summary.claims, summary.mismatches, summary.gross = totals[0], totals[1] or 0, totals[2] or 0
        with db:
            db.execute("UPDATE runs SET finished = ?, checked = ?, skipped = ?, failed = ?, removed = ? WHERE id = ?",
                       (now(), summary.checked, summary.skipped, summary.failed, summary.removed, run_id))
    return summary


def _results(work: list, jobs: int, references: tuple[str, ...], reviews: list[dict]):
    """Results as they come: in this process for one job, else from a pool of workers.

    The pipeline is built here first: a bad reference file ends the run with its error (a worker that
    failed in its initializer would be started again and again), and forked workers inherit the
    built pipeline instead of each importing and building it again.
    """
    if not work:
        return
    _init(references, reviews)
    if jobs <= 1 or len(work) == 1:
        for job in work:
            yield _check(job)
        return
    with multiprocessing.get_context("fork").Pool(min(jobs, len(work))) as pool:  # POSIX only, as lock.py is
        yield from pool.imap_unordered(_check, work)


def write_summary(path: Path, summary: Summary, seconds: float) -> None:
    from pipeline.render import write_named

    write_named(path, json.dumps({**asdict(summary), "seconds": round(seconds, 3), "tool": __version__}, indent=1))


def elapsed(since: float) -> float:
    return time.monotonic() - since
