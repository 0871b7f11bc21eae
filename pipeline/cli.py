"""The command line, thin over the library (SPEC 8).

Exit codes: 0 ran; 1 the --fail-on threshold was reached; 2 usage error or a bad reference, decisions
file or output path; 3 some input could not be read or written (the rest were still checked); 4 the
output folder is in use; 5 a bug of ours (the traceback is in a log). Logs go to stderr, so `--json -`
keeps stdout clean.
"""
from __future__ import annotations

import gc
import json
import os
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pipeline import __version__
from pipeline.crash import INTERNAL_ERROR, crash_log
from pipeline.transcript import InputError


def transcript_files(paths: tuple[str, ...], out: Path) -> tuple[list[tuple[Path, Path | None]], list[str]]:
    """(file, the folder it was found under) for every file named and every file under the folders named,
    and the problems with the paths themselves. Outputs are never inputs: the claims/ and reports/ of
    any claimcheck output folder (one with claims/.lock), this run's or an earlier one's, are skipped;
    so are hidden files and, with a note, a folder's README. A file named twice is checked once."""
    files, problems, seen = [], [], set()

    def real(f: Path) -> str:
        return os.path.realpath(f)  # never raises, even on a symlink loop

    outputs = {real(out / "claims"), real(out / "reports")}

    def add(f: Path, root: Path | None) -> None:
        if real(f) not in seen:
            seen.add(real(f))
            files.append((f, root))

    for p in map(Path, paths):
        if p.is_dir():
            for folder, dirs, names in os.walk(p, onerror=lambda e: problems.append(f"{e.filename}: cannot read: {e.strerror}")):
                here = Path(folder)
                output_root = (here / "claims" / ".lock").exists()  # an earlier run wrote its outputs here
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and real(here / d) not in outputs
                                 and not (output_root and d in ("claims", "reports")))
                for name in sorted(names):
                    f = here / name
                    if name.startswith(".") or os.path.dirname(real(f)) in outputs:
                        continue
                    if Path(name).stem.upper() == "README":
                        log(f"note: skipped {f} (a folder's README, not a transcript)")
                        continue
                    add(f, p)
        elif p.exists() or p.is_symlink():
            add(p, None)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


class Main(click.Group):
    """Every run ends with a documented exit code: a bug prints one line and leaves its traceback in a log."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError as e:  # the reader of stdout went away (`--json - | head`): the files are written
            _cannot_write("stdout", e.strerror)
            sys.exit(3)
        except Exception as e:
            log(f"internal error: {type(e).__name__}: {str(e)[:200]} (a bug in claimcheck; the traceback is in {crash_log()})")
            sys.exit(INTERNAL_ERROR)


class BadInput(click.ClickException):
    """A bad reference or decisions file: one `Error:` line naming the file and what is wrong, exit 2."""
    exit_code = 2


def writable(out: Path) -> None:
    """The output folders exist and can be written, or the run stops here with one line (exit 2)."""
    try:
        for sub in ("claims", "reports"):
            (out / sub).mkdir(parents=True, exist_ok=True)
            if not os.access(out / sub, os.W_OK | os.X_OK):
                raise PermissionError(13, "Permission denied")
    except OSError as e:
        raise BadInput(f"{out}: cannot write the outputs there: {e.strerror or e}") from None


def log(msg: str) -> None:
    click.echo(msg, err=True)


@click.group(cls=Main)
@click.version_option(__version__, prog_name="claimcheck")
def main():
    """Fact-check the numbers said in podcast transcripts."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for claims/ and reports/.")
@click.option("--json", "json_out", default=None, help="Also write the whole result as JSON to FILE, or - for stdout.")
@click.option("--reference", "references", multiple=True, type=click.Path(dir_okay=False),
              help="A JSON file of reference entries that adds to or overrides the shipped data.")
@click.option("--fail-on", type=click.Choice(["mismatch", "gross"]), default=None,
              help="Exit 1 when any claim is a mismatch (or a gross one).")
def check(paths, out, json_out, references, fail_on):
    """Check transcripts (files or folders) and write reports."""
    from pipeline import nlp as nlp_mod
    from pipeline import reference as ref_mod
    from pipeline import render
    from pipeline.ids import episode_id
    from pipeline.run import check_and_write

    try:
        reference = ref_mod.load(tuple(references))
    except InputError as e:
        raise BadInput(str(e)) from None
    from pipeline import decisions

    out = Path(out)
    try:
        reviews = decisions.load(out / "claims", warn=lambda line: log(f"warning: {line}"))
    except InputError as e:
        raise BadInput(str(e)) from None
    files, problems = transcript_files(paths, out)
    for p in problems:
        log(f"error: {p}")
    if not files:
        log("error: no transcript files found" if not problems else "error: nothing to check")
        sys.exit(3)
    nlp = nlp_mod.build(tuple(references))
    nlp_mod.started()
    from pipeline.lock import output_lock

    writable(out)
    with output_lock(out, on_wait=log):  # one run at a time per output folder
        episodes, ids, failed, crashed = [], set(), bool(problems), False
        for f, root in files:
            ep_id = episode_id(f, root, ids)
            doc, why, bug = check_and_write(f, nlp, reference, ep_id, out, reviews)
            if doc is None:
                log(f"error: {f}: {why}")
                failed, crashed = failed or not bug, crashed or bug
                continue
            ids.add(ep_id)
            episodes.append(doc)
            s = doc["summary"]
            log(f"{f}: {s['claims']} claims, {s['mismatch']} mismatch, {s['unverifiable']} unverifiable, "
                f"{s['consistent']} consistent -> {out / 'reports' / (ep_id + '.html')}")
        try:
            render.write_tables(out)
        except OSError as e:
            log(f"error: {out}: cannot write claims.csv and the index ({e.filename}: {e.strerror or e})")
            failed = True
    if json_out:
        text = json.dumps(render.document(episodes, reference.version), indent=1, ensure_ascii=False, allow_nan=False)
        if json_out == "-":
            sys.stdout.write(text + "\n")
        else:
            try:
                render.write_named(Path(json_out), text)
            except OSError as e:
                raise BadInput(f"{json_out}: cannot write the JSON there: {e.strerror or e}") from None
    if crashed:
        sys.exit(INTERNAL_ERROR)
    if failed:
        sys.exit(3)
    if fail_on:
        bad = [c for ep in episodes for c in ep["claims"]
               if c["verdict"] == "mismatch" and (fail_on == "mismatch" or c["severity"] == "gross")]
        if bad:
            log(f"{len(bad)} claim(s) reach --fail-on {fail_on}")
            sys.exit(1)


@main.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder for claims/ (with the ledger) and reports/.")
@click.option("--jobs", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="all cores",
              help="Files checked at once, one process each.")
@click.option("--reference", "references", multiple=True, type=click.Path(dir_okay=False),
              help="A JSON file of reference entries that adds to or overrides the shipped data.")
@click.option("--summary-json", type=click.Path(dir_okay=False), help="Write the run's summary as JSON to FILE.")
@click.option("--fail-on", type=click.Choice(["mismatch", "gross"]), default=None,
              help="Exit 1 when any claim in the catalogue is a mismatch (or a gross one).")
@click.option("--wait/--no-wait", default=True, show_default=True,
              help="When another run is using the output folder: wait for it, or exit at once (code 4).")
def batch(folder, out, jobs, references, summary_json, fail_on, wait):
    """Check every transcript under FOLDER, redoing only what changed since the last run."""
    import time

    from pipeline import batch as batch_mod
    from pipeline.lock import Busy, output_lock

    started = time.monotonic()
    out = Path(out)
    listed, problems = transcript_files((folder,), out)
    files = [f for f, _ in listed]
    for p in problems:  # a folder that could not be read: its files are not taken for removed
        log(f"error: {p}")
    try:
        writable(out)
        with output_lock(out, wait=None if wait else 0, on_wait=log):
            with _progress(len(files)) as tick:
                summary = batch_mod.run(Path(folder), files, out, jobs, tuple(references), tick, complete=not problems)
    except Busy as e:
        log(f"error: {e}")
        sys.exit(4)
    except InputError as e:
        raise BadInput(str(e)) from None
    except sqlite3.DatabaseError as e:
        raise BadInput(f"{out / 'claims' / batch_mod.LEDGER}: not a claimcheck ledger ({e}); move it away to start afresh") from None
    summary.failed += len(problems)
    for line in summary.warnings:
        log(f"warning: {line}")
    for line in summary.errors:
        log(f"error: {line}")
    click.echo(summary.line())
    if summary_json:
        try:
            batch_mod.write_summary(Path(summary_json), summary, batch_mod.elapsed(started))
        except OSError as e:
            raise BadInput(f"{summary_json}: cannot write the summary there: {e.strerror or e}") from None
    if summary.bugs:
        sys.exit(INTERNAL_ERROR)
    if summary.failed:
        sys.exit(3)
    if fail_on and (summary.gross if fail_on == "gross" else summary.mismatches):
        sys.exit(1)


@main.command()
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print {\"entries\": [...]} as JSON.")
@click.option("--reference", "references", multiple=True, type=click.Path(dir_okay=False),
              help="A JSON file of reference entries that adds to or overrides the shipped data.")
def reference(name, as_json, references):
    """List what the tool knows, or one entry (NAME: a model, family or accelerator) with every fact and source."""
    from pipeline import reference as ref_mod

    try:
        ref = ref_mod.load(tuple(references))
    except InputError as e:
        raise BadInput(str(e)) from None
    entries = ref.find(name) if name else sorted(ref.entries.values(), key=lambda e: (e.kind, e.family or "", e.name))
    if not entries:
        raise click.UsageError(f"nothing in the reference data is called {name!r}; `claimcheck reference` lists every entry")
    if as_json:
        click.echo(json.dumps({"version": ref.version, "entries": [ref_mod.describe(e, ref) for e in entries]}, indent=1,
                              ensure_ascii=False))
    elif name and len(entries) == 1:
        d = ref_mod.describe(entries[0], ref)
        click.echo(f"{d['name']} ({d['kind']}{', family ' + d['family'] if 'family' in d else ''})")
        if d["aliases"]:
            click.echo("  also called: " + ", ".join(d["aliases"]))
        if d.get("members"):
            click.echo("  models: " + ", ".join(d["members"]) + (f" (said alone: {d['default']})" if d.get("default") else ""))
        for key, f in d["facts"].items():
            span = f" (range {f['low']:g} to {f['high']:g})" if "low" in f and "high" in f else ""
            click.echo(f"  {key}: {f['value']}{span}\n      source: {f['source']}")
        if d.get("notes"):
            click.echo(f"  notes: {d['notes']}")
    else:
        for e in entries:
            click.echo(f"{e.kind:9} {e.name:32} {(e.family or ''):20} {len(e.facts):3} facts")
        counts = {kind: sum(e.kind == kind and e.name not in ref.groups for e in entries) for kind in ("model", "family", "hardware")}
        log(f"{counts['model']} models, {counts['family']} families, {counts['hardware']} accelerators and systems"
            f" (reference {ref.version}); {len(ref.makers)} makers and {len(ref.groups) - len(ref.makers)} names of a maker"
            " and a size ('Llama 70B') mean several models")


@contextmanager
def _progress(total: int):
    """A progress bar on a terminal; a log line a file otherwise (for cron and CI logs)."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        with tqdm(total=total, unit="file", file=sys.stderr) as bar:
            yield lambda result: bar.update(1)
    else:
        def line(result):
            status = f"failed: {result['error']}" if result["error"] else f"{len(result['rows'])} claims"
            log(f"{result['file']}: {status}")
        yield line


def run() -> None:
    """The `claimcheck` command: main() with two savings, 0.25 s of a one-line check's 1.05 s.

    The collector is off until the pipeline is built (nlp.started()): the modules and the pipeline are
    hundreds of thousands of objects that live as long as the process, so collecting while they are made
    finds nothing. And the process ends at once (os._exit) once stdout and stderr are flushed (every file
    is written and closed by then): Python's own teardown of spaCy, pint and pandas takes longer than
    checking a page of text.
    """
    gc.disable()
    try:
        main()  # standalone: it ends in SystemExit, with click's usage and error lines printed
        code = 0
    except SystemExit as e:
        code = e.code
    except OSError:  # stderr itself cannot be written (a full disk), so not even the error could be said
        code = 3
    if code is not None and not isinstance(code, int):  # sys.exit("a message")
        log(str(code))
        code = 1
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            if stream is not None:  # None: closed when the command started (a daemon, `>&-`)
                stream.flush()
        except OSError as e:  # a full disk, a reader gone (`| head`): not all that was printed got there
            _cannot_write(name, e.strerror or str(e))
            code = code or 3
    os._exit(code or 0)


def _cannot_write(name: str, why: str) -> None:
    """One line on stderr, unless stderr is what cannot be written."""
    if name != "stderr":
        try:
            log(f"error: cannot write to {name}: {why}")
        except OSError:
            pass


if __name__ == "__main__":
    run()
