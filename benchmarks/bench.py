"""Benchmarks of the quality bars (SPEC 10, issue 6), each a ratio measured in one run on one machine.

1. speed: words per second of the whole check (read, annotate, claims, check, JSON and HTML written)
   against spaCy's blank English tokenizer alone on the same segments; the bar is 0.5.
2. memory: peak resident memory of a batch run over the catalogue and over four times the catalogue;
   the bar is 1.25.
3. incremental: a second batch run over the unchanged catalogue against the first; the bar is 0.1.

    python benchmarks/bench.py [--episodes 6] [--words 12000]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make  # noqa: E402

PEAK = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def speed(files: list[Path], warmup: Path, out: Path, rounds: int = 3) -> tuple[int, float, float]:
    """Words, and the best of `rounds` timings of the tokenizer alone and of the whole check.

    Each round builds both pipelines afresh and warms them up on the same short episode, which
    is not part of what is timed (so neither starts knowing the catalogue's words); one-time costs
    such as imports and template compilation are paid there. The machine is shared, so the best
    round of each is kept.
    """
    import spacy

    from pipeline import nlp, reference, render
    from pipeline.read import read
    from pipeline.run import check_transcript

    ref = reference.load()
    transcripts = [read(f) for f in files]
    words = sum(len(s.text.split()) for t in transcripts for s in t.segments)
    warm = read(warmup)
    best_tok = best_whole = float("inf")
    for r in range(rounds):
        blank, pipe = spacy.blank("en"), nlp.build()
        list(blank.pipe(s.text for s in warm.segments))
        render.write_episode(out / "warm", render.episode_json(check_transcript(warm, pipe, ref)), ref.version)
        render.write_tables(out / "warm")

        start = time.perf_counter()
        for t in transcripts:
            for _ in blank.pipe(s.text for s in t.segments):
                pass
        best_tok = min(best_tok, time.perf_counter() - start)

        start = time.perf_counter()
        for f in files:
            doc = render.episode_json(check_transcript(read(f), pipe, ref))
            render.write_episode(out / str(r), doc, ref.version)
        render.write_tables(out / str(r))
        best_whole = min(best_whole, time.perf_counter() - start)
    return words, best_tok, best_whole


def peak_kib(folder: Path, out: Path) -> int:
    """Peak resident memory (KiB) of one `claimcheck batch --jobs 1` run, in a process of its own."""
    cmd = [sys.executable, "-c", PEAK, sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out), "--jobs", "1"]
    return int(subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip())


def timed_batch(folder: Path, out: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline.cli", "batch", str(folder), "--out", str(out)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--episodes", type=int, default=6)
    ap.add_argument("--words", type=int, default=12000)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        small = make(tmp / "x1", a.episodes, a.words)
        make(tmp / "x4", 4 * a.episodes, a.words)
        warmup = make(tmp / "warm", 1, 2000, seed=99)[0]

        words, tok, whole = speed(small, warmup, tmp / "speed")
        ratio = tok / whole
        print(f"speed       {words:,} words: tokenizer alone {words / tok:,.0f} words/s; whole check {words / whole:,.0f} words/s;"
              f" ratio {ratio:.2f} (bar 0.5: {'pass' if ratio >= 0.5 else 'FAIL'})")

        m1, m4 = peak_kib(tmp / "x1", tmp / "m1"), peak_kib(tmp / "x4", tmp / "m4")
        print(f"memory      peak {m1 / 1024:,.0f} MiB at {a.episodes} episodes, {m4 / 1024:,.0f} MiB at {4 * a.episodes};"
              f" ratio {m4 / m1:.2f} (bar 1.25: {'pass' if m4 / m1 <= 1.25 else 'FAIL'})")

        first, second = timed_batch(tmp / "x4", tmp / "inc"), timed_batch(tmp / "x4", tmp / "inc")
        print(f"incremental first run {first:.2f} s, unchanged re-run {second:.2f} s; ratio {second / first:.3f}"
              f" (bar 0.1: {'pass' if second / first < 0.1 else 'FAIL'})")


if __name__ == "__main__":
    main()
