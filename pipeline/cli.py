"""The command line, thin over the library (SPEC 8).

Exit codes: 0 ran; 1 the --fail-on threshold was reached; 2 usage error; 3 some input could not be
read (the rest were still checked). Logs go to stderr, so `--json -` keeps stdout clean.
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from pipeline import __version__
from pipeline.transcript import InputError

SKIP_NAMES = ("README",)  # a folder's README describes it; it is not a transcript


def transcript_files(paths: tuple[str, ...]) -> tuple[list[Path], list[str]]:
    """Files named, and every file under folders named; plus problems with the paths themselves."""
    files, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts)
                            and not f.name.upper().startswith(SKIP_NAMES))
        elif p.exists():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


class BadInput(click.ClickException):
    """A bad reference or decisions file: one `Error:` line naming the file and what is wrong, exit 2."""
    exit_code = 2


def log(msg: str) -> None:
    click.echo(msg, err=True)


@click.group()
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
    from pipeline.run import check_file, slug

    try:
        reference = ref_mod.load(tuple(references))
    except InputError as e:
        raise BadInput(str(e)) from None
    from pipeline import decisions

    out = Path(out)
    try:
        reviews = decisions.load(out / "claims")
    except InputError as e:
        raise BadInput(str(e)) from None
    files, problems = transcript_files(paths)
    for p in problems:
        log(f"error: {p}")
    nlp = nlp_mod.build(tuple(references))
    from pipeline.lock import output_lock

    with output_lock(out, on_wait=log):  # one run at a time per output folder
        episodes, ids, failed = [], set(), bool(problems)
        for f in files:
            ep_id = slug(str(f))
            n = 2
            while ep_id in ids:
                ep_id, n = f"{slug(str(f))}-{n}", n + 1
            try:
                ep = check_file(f, nlp, reference, ep_id)
            except InputError as e:
                log(f"error: {f}: {e}")
                failed = True
                continue
            except Exception as e:  # a bug of ours must not cost the other files their reports
                log(f"error: {f}: could not be checked ({type(e).__name__}: {e})")
                failed = True
                continue
            ids.add(ep_id)
            doc = render.with_decisions(render.episode_json(ep), reviews)
            render.write_episode(out, doc, reference.version, reviews)
            episodes.append(doc)
            s = doc["summary"]
            log(f"{f}: {s['claims']} claims, {s['mismatch']} mismatch, {s['unverifiable']} unverifiable, "
                f"{s['consistent']} consistent -> {out / 'reports' / (ep_id + '.html')}")
        if episodes or (out / "claims").is_dir():
            render.write_tables(out)
    if json_out:
        text = json.dumps(render.document(episodes, reference.version), indent=1, ensure_ascii=False)
        if json_out == "-":
            sys.stdout.write(text + "\n")
        else:
            render.write_atomic(Path(json_out), text)
    if not files and not problems:
        log("error: no transcript files found")
        failed = True
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
    files, _ = transcript_files((folder,))
    try:
        with output_lock(out, wait=None if wait else 0, on_wait=log):
            with _progress(len(files)) as tick:
                summary = batch_mod.run(Path(folder), files, out, jobs, tuple(references), tick)
    except Busy as e:
        log(f"error: {e}")
        sys.exit(4)
    except InputError as e:
        raise BadInput(str(e)) from None
    for line in summary.errors:
        log(f"error: {line}")
    click.echo(summary.line())
    if summary_json:
        batch_mod.write_summary(Path(summary_json), summary, batch_mod.elapsed(started))
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
        counts = {kind: sum(e.kind == kind for e in entries) for kind in ("model", "family", "hardware")}
        log(f"{counts['model']} models, {counts['family']} families, {counts['hardware']} accelerators and systems"
            f" (reference {ref.version})")


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
            log(f"{result['path']}: {status}")
        yield line


if __name__ == "__main__":
    main()
