"""Kill a batch run at random moments, many times in a row, and check that nothing is damaged (issue 13).

Each round starts `claimcheck batch` on a catalogue, kills it with SIGKILL after a random delay
(while it imports, checks, or writes), and then checks what a reader would find: every episode JSON
parses (no NaN or Infinity), every report ends in </html>, and the next run, which must finish with
exit 0, removes the temporary files the killed one left and completes the catalogue.

    python benchmarks/kill.py [--rounds 50] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import make  # noqa: E402


def cli(*args) -> list[str]:
    return [sys.executable, "-m", "pipeline.cli", *map(str, args)]


def damage(out: Path) -> list[str]:
    """What a reader of the outputs would find broken."""
    found = []
    for f in (out / "claims").glob("*.json"):
        try:
            json.loads(f.read_text(encoding="utf-8"), parse_constant=lambda c: 1 / 0)
        except (ValueError, ZeroDivisionError):
            found.append(f"{f.name}: not valid JSON")
    for f in (out / "reports").glob("*.html"):
        if not f.read_text(encoding="utf-8").rstrip().endswith("</html>"):
            found.append(f"{f.name}: cut short")
    return found


def one_round(catalogue: Path, out: Path, n_files: int, rng: random.Random) -> dict:
    p = subprocess.Popen(cli("batch", catalogue, "--out", out, "--jobs", rng.choice([1, 2])), cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.2, 3.0))
    killed = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait()
    after_kill = damage(out)
    leftovers_before = len(list(out.glob("*/.claimcheck-*.tmp")))
    r = subprocess.run(cli("batch", catalogue, "--out", out, "--jobs", 2), cwd=ROOT, capture_output=True, text=True)
    problems = after_kill + damage(out)
    if r.returncode != 0:
        problems.append(f"the next run exited {r.returncode}: {r.stderr.strip()[-300:]}")
    leftovers = list(out.glob("*/.claimcheck-*.tmp"))
    if leftovers:
        problems.append(f"{len(leftovers)} temporary files left after the next run")
    if len(list((out / "claims").glob("*.json"))) != n_files:
        problems.append("the next run did not complete the catalogue")
    return {"killed": killed, "tmp_left_by_kill": leftovers_before, "problems": problems}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="claimcheck-kill-"))
    files = make(work / "cat", episodes=12, words=4000)
    results = []
    for i in range(args.rounds):
        out = work / "out"
        if i % 2 == 0:  # every other round from nothing, else over the outputs of the round before
            shutil.rmtree(out, ignore_errors=True)
        for f in rng.sample([f for f in files if f.suffix == ".txt"], 1):  # a file changes, so runs have work to do
            f.write_text(f.read_text(encoding="utf-8") + f"\nHost: GPT-3 has 175 billion parameters, round {i}.\n", encoding="utf-8")
        results.append(one_round(work / "cat", out, len(files), rng))
        r = results[-1]
        print(f"round {i + 1:2}: {'killed' if r['killed'] else 'had finished'}, {r['tmp_left_by_kill']} temporary files "
              f"left by the kill, {'OK' if not r['problems'] else '; '.join(r['problems'])}", flush=True)
    bad = [r for r in results if r["problems"]]
    print(f"\n{len(results)} rounds, {sum(r['killed'] for r in results)} killed mid-run, "
          f"{sum(r['tmp_left_by_kill'] > 0 for r in results)} left temporary files that the next run removed, "
          f"{len(bad)} with damage")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
