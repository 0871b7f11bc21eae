"""Batch runs (issue 6): incremental, safe when killed, one run at a time, bad files reported."""
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from benchmarks.synthetic import make
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]


def batch(*args):
    return CliRunner().invoke(main, ["batch", *map(str, args)])


def ledger(out):
    db = sqlite3.connect(out / "claims" / "ledger.sqlite")
    try:
        return {Path(p).name: (status, checked) for p, status, checked in db.execute("SELECT path, status, checked_at FROM files")}
    finally:
        db.close()


def assert_complete(out, names):
    """Every episode has a valid JSON and report, and the tables cover them all; nothing half-written."""
    assert not list(out.rglob("*.tmp"))
    ids = set()
    for name in names:
        ep = Path(name).stem
        ids.add(ep)
        doc = json.loads((out / "claims" / f"{ep}.json").read_text())
        assert doc["episodes"][0]["id"] == ep
        assert (out / "reports" / f"{ep}.html").read_text().rstrip().endswith("</html>")
    csv = pd.read_csv(out / "claims" / "claims.csv")
    assert set(csv["episode"]) == ids
    index = (out / "reports" / "index.html").read_text()
    assert all(f'href="{i}.html"' in index for i in ids)


def test_incremental_run_rechecks_only_the_edited_file(tmp_path):
    files = make(tmp_path / "cat", episodes=4, words=1500)
    out = tmp_path / "out"
    r = batch(tmp_path / "cat", "--out", out, "--jobs", 2, "--summary-json", tmp_path / "s.json")
    assert r.exit_code == 0, r.output
    assert "4 checked, 0 unchanged" in r.stdout
    first = ledger(out)
    time.sleep(1.1)  # checked_at has one-second resolution
    edited = files[2]
    edited.write_text(edited.read_text() + "\n\n")  # a changed file, whatever its format
    r = batch(tmp_path / "cat", "--out", out)
    assert r.exit_code == 0 and "1 checked, 3 unchanged" in r.stdout, r.output
    second = ledger(out)
    assert [n for n in second if second[n][1] != first[n][1]] == [edited.name]
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["checked"] == 4 and summary["claims"] > 0
    assert_complete(out, [f.name for f in files])


def test_removed_files_are_marked_and_their_outputs_go(tmp_path):
    files = make(tmp_path / "cat", episodes=3, words=800)
    out = tmp_path / "out"
    assert batch(tmp_path / "cat", "--out", out, "--jobs", 1).exit_code == 0
    files[0].unlink()
    r = batch(tmp_path / "cat", "--out", out, "--jobs", 1)
    assert "1 removed" in r.stdout
    assert ledger(out)[files[0].name][0] == "removed"
    assert not (out / "reports" / f"{files[0].stem}.html").exists()
    assert_complete(out, [f.name for f in files[1:]])


def test_a_bad_file_gives_exit_3_and_every_other_report(tmp_path):
    files = make(tmp_path / "cat", episodes=3, words=800)
    (tmp_path / "cat" / "broken.json").write_text('{"segments": [')
    out = tmp_path / "out"
    r = batch(tmp_path / "cat", "--out", out, "--jobs", 2)
    assert r.exit_code == 3
    assert any("broken.json" in l and "not valid JSON" in l for l in r.stderr.splitlines())
    assert "1 failed" in r.stdout
    assert_complete(out, [f.name for f in files])
    r = batch(tmp_path / "cat", "--out", out, "--jobs", 2)  # a failed file is not retried until it changes...
    assert "0 checked" in r.stdout
    assert r.exit_code == 3 and any("broken.json" in l and "still fails" in l for l in r.stderr.splitlines())  # ...nor forgotten


def cli(*args):
    return [sys.executable, "-m", "pipeline.cli", *map(str, args)]


def test_killed_run_leaves_valid_outputs_and_the_next_run_finishes(tmp_path):
    files = make(tmp_path / "cat", episodes=10, words=3000)
    out = tmp_path / "out"
    p = subprocess.Popen(cli("batch", tmp_path / "cat", "--out", out, "--jobs", 1), cwd=ROOT,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:  # kill it once some files are done, before all are
        try:
            done = sum(1 for s, _ in ledger(out).values() if s == "ok")
        except sqlite3.Error:
            done = 0
        if done >= 2:
            break
        time.sleep(0.05)
    p.send_signal(signal.SIGKILL)
    p.wait()
    assert 2 <= sum(1 for s, _ in ledger(out).values() if s == "ok") < 10
    for f in (out / "claims").glob("*.json"):
        json.loads(f.read_text())  # whatever is there is whole
    r = subprocess.run(cli("batch", tmp_path / "cat", "--out", out, "--jobs", 2), cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert_complete(out, [f.name for f in files])
    assert all(s == "ok" for s, _ in ledger(out).values())


def test_two_runs_on_one_folder_take_turns(tmp_path):
    files = make(tmp_path / "cat", episodes=6, words=2000)
    out = tmp_path / "out"
    runs = [subprocess.Popen(cli("batch", tmp_path / "cat", "--out", out, "--jobs", 1), cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=120) for p in runs]
    assert all(p.returncode == 0 for p in runs), results
    outs = sorted(o for o, _ in results)
    assert outs[0].startswith("6 files: 0 checked, 6 unchanged") and outs[1].startswith("6 files: 6 checked")
    assert_complete(out, [f.name for f in files])
    # and one that will not wait says so
    with open(out / "claims" / ".lock", "r+") as held:
        import fcntl
        fcntl.flock(held, fcntl.LOCK_EX)
        r = subprocess.run(cli("batch", tmp_path / "cat", "--out", out, "--no-wait"), cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 4 and "in use by another claimcheck run" in r.stderr


def test_one_catalogue_however_it_is_named_and_a_moved_file_keeps_its_id(tmp_path, monkeypatch):
    files = make(tmp_path / "cat", episodes=3, words=500)
    out = tmp_path / "out"
    assert batch(tmp_path / "cat", "--out", out, "--jobs", 1).exit_code == 0
    monkeypatch.chdir(tmp_path)
    r = batch("cat", "--out", out, "--jobs", 1)  # relative now, absolute before
    assert r.exit_code == 0 and "0 checked, 3 unchanged, 0 failed, 0 removed" in r.stdout
    ids = {p.name for p in (out / "claims").glob("*.json")}
    (tmp_path / "cat" / "season-2").mkdir()
    moved = files[0].rename(tmp_path / "cat" / "season-2" / files[0].name)
    r = batch("cat", "--out", out, "--jobs", 1)
    assert "1 checked, 2 unchanged, 0 failed, 0 removed" in r.stdout  # checked again, so its outputs name its new path...
    assert {p.name for p in (out / "claims").glob("*.json")} == ids  # ...under its old id, which its decisions follow
    doc = json.loads((out / "claims" / f"{files[0].stem}.json").read_text())
    assert Path(doc["episodes"][0]["source"]) == Path("cat") / "season-2" / moved.name


def test_check_and_batch_give_a_file_one_id(tmp_path):
    (tmp_path / "cat" / "season-1").mkdir(parents=True)
    (tmp_path / "cat" / "season-1" / "ep-12.txt").write_text("Host: GPT-3 has 175 billion parameters.\n")
    CliRunner().invoke(main, ["check", str(tmp_path / "cat"), "--out", str(tmp_path / "a")])
    batch(tmp_path / "cat", "--out", tmp_path / "b", "--jobs", 1)
    assert [p.name for p in (tmp_path / "a" / "claims").glob("*.json")] == ["season-1-ep-12.json"]
    assert [p.name for p in (tmp_path / "b" / "claims").glob("*.json")] == ["season-1-ep-12.json"]


def test_a_ledger_of_an_earlier_version_gains_the_new_columns(tmp_path):
    import sqlite3
    from pipeline import batch
    (tmp_path / "claims").mkdir()
    old = sqlite3.connect(tmp_path / "claims" / batch.LEDGER)
    old.execute("CREATE TABLE claims (episode TEXT, claim TEXT, verdict TEXT, severity TEXT, PRIMARY KEY (episode, claim))")
    old.commit()
    old.close()
    db = batch.connect(tmp_path)
    assert "off_by" in {row[1] for row in db.execute("PRAGMA table_info(claims)")}
