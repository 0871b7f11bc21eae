"""Nothing in a file, a name or a path crashes a run, hangs it or costs another file its results (issue 13).

The hostile corpus is generated here, not committed. Every run must end with a documented exit code
(0, 1, 2, 3, 4, 5), print no traceback, finish within its time, and leave the good file's outputs
complete and valid: JSON without NaN or Infinity, HTML that ends in </html>.
"""
import csv
import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main

GOOD = "Host: GPT-3 has 175 billion parameters.\n"
CODES = {0, 1, 2, 3, 4, 5}


def run(*args, limit: float = 60, codes=CODES - {5}):
    """The run, which must end in time with a documented exit code, no traceback, and no bug (5) unless allowed."""
    t = time.monotonic()
    r = CliRunner().invoke(main, list(map(str, args)))
    assert time.monotonic() - t < limit, args
    assert r.exit_code in codes and "Traceback" not in r.output, r.output[-2000:]
    assert not (r.exception and not isinstance(r.exception, SystemExit)), repr(r.exception)
    return r


def strict_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(f"{c} in {path}"))


def assert_good_outputs(out: Path, episode: str = "good"):
    doc = strict_json(out / "claims" / f"{episode}.json")
    assert doc["episodes"][0]["claims"], doc
    assert (out / "reports" / f"{episode}.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert (out / "reports" / "index.html").read_text(encoding="utf-8").rstrip().endswith("</html>")


HOSTILE = {
    "huge-number.txt": "Host: it has " + "9" * 5000 + " parameters.\nHost: and 1e400 FLOPs, 10^999 tokens.\n",
    "negative.txt": "Host: GPT-3 has -175 billion parameters.\n",
    "formula.txt": "=HYPERLINK(\"http://x\",\"click\") GPT-3 has 175 billion parameters.\n+1 and 70B\n-3 and 8B\n@SUM(A1) 9 GB\n",
    "control.txt": "Host: GPT-3 has 175 billion\x01\x07\x1b parameters.\n",
    "index.txt": GOOD,
    "x" * 240 + ".txt": GOOD,
    "broken.json": '{"segments": [',
    "inf-times.json": '{"segments": [{"speaker": "A", "startTime": 1e400, "endTime": 1e999, "body": "GPT-3 has 175 billion parameters."}]}',
    "voices.vtt": "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Tom &amp; Jerry>GPT-3 has 175 billion parameters.\n",
    "empty.txt": "",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in HOSTILE.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "good.txt").write_text(GOOD)
    return folder


def test_a_hostile_folder_costs_the_good_file_nothing(corpus, tmp_path):
    out = tmp_path / "out"
    r = run("check", corpus, "--out", out)
    assert r.exit_code == 3  # the broken and the empty file
    errors = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert {Path(l.split(":")[1].strip()).name for l in errors} == {"broken.json", "empty.txt"}
    assert_good_outputs(out)
    assert (out / "reports" / "index-episode.html").exists()  # a transcript named index is not overwritten
    for f in (out / "claims").glob("*.json"):
        strict_json(f)
        assert len(f.name) < 100  # a 240-character name gets a shortened id
    for f in (out / "reports").glob("*.html"):
        html = f.read_text(encoding="utf-8")
        assert html.rstrip().endswith("</html>") and "\x01" not in html and "\x1b" not in html
        assert "&amp;amp;" not in html


def test_no_claim_is_read_from_a_number_beyond_a_float(corpus, tmp_path):
    r = run("check", corpus / "huge-number.txt", corpus / "negative.txt", "--out", tmp_path, "--json", "-")
    claims = [c for ep in json.loads(r.stdout)["episodes"] for c in ep["claims"]]
    assert claims == []  # not 999 tokens, not +175 billion


def test_spreadsheet_formulas_are_neutralised_in_claims_csv(corpus, tmp_path):
    run("check", corpus / "formula.txt", "--out", tmp_path)
    with open(tmp_path / "claims" / "claims.csv", encoding="utf-8") as f:
        cells = [v for row in csv.reader(f) for v in row]
    assert not [v for v in cells if v[:1] in ("=", "+", "-", "@")], cells


def test_outputs_are_never_inputs(tmp_path):
    (tmp_path / "ep.txt").write_text(GOOD)
    for _ in range(3):  # the default --out . is inside the folder checked
        r = run("check", tmp_path, "--out", tmp_path)
        assert r.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "claims").glob("*.json")) == ["ep.json"]
    for _ in range(2):
        assert run("batch", tmp_path, "--out", tmp_path, "--jobs", 1).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "claims").glob("*.json")) == ["ep.json"]


def test_a_path_that_does_not_exist_creates_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("check", "no-such-file.txt")
    assert r.exit_code == 3 and list(tmp_path.iterdir()) == []


def test_devices_and_pipes_are_refused_not_read(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text(GOOD)
    r = run("check", "/dev/zero", fifo, tmp_path / "good.txt", "--out", tmp_path / "out", limit=30)
    assert r.exit_code == 3 and r.stderr.count("not a regular file") == 2
    assert_good_outputs(tmp_path / "out")


def test_output_paths_that_cannot_be_written_are_one_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "out" / "reports").mkdir(parents=True)
    (tmp_path / "out" / "reports" / "good.html").mkdir()  # a folder where the report goes
    r = run("check", tmp_path / "good.txt", "--out", tmp_path / "out")
    assert r.exit_code == 3 and "good.txt" in r.stderr
    assert not (tmp_path / "out" / "claims" / "good.json").exists()  # a failed file leaves no partial outputs
    r = run("check", tmp_path / "good.txt", "--json", tmp_path, "--out", tmp_path / "out2")  # --json into a folder
    assert r.exit_code == 2


def test_a_bug_is_exit_5_with_its_traceback_in_a_log(tmp_path, monkeypatch):
    import pipeline.run

    def broken(*a, **k):
        raise ZeroDivisionError("a bug")
    monkeypatch.setattr(pipeline.run, "check_transcript", broken)
    (tmp_path / "a.txt").write_text(GOOD)
    r = run("check", tmp_path / "a.txt", "--out", tmp_path / "out", codes={5})
    log = Path(r.stderr.split("the traceback is in ")[1].split(")")[0])
    assert "ZeroDivisionError: a bug" in log.read_text()
    log.unlink()


def test_a_decisions_file_with_a_huge_field_is_one_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "out" / "claims").mkdir(parents=True)
    (tmp_path / "out" / "claims" / "decisions.csv").write_text(
        "episode,claim,kind,quote,sentence,decision,note\ngood,c1,x,q,s,confirmed," + "n" * 200_000 + "\n")
    r = run("check", tmp_path / "good.txt", "--out", tmp_path / "out")
    assert r.exit_code == 2 and "decisions" in r.stderr


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list("0123456789 .,-+=@$%^eE\n\t:<>&;\"'{}") + ["GPT-3", " billion", " tokens", " H100",
                                                                                   "WEBVTT", " --> ", "00:01.000"]),
                max_size=120).map("".join))
def test_any_text_gives_a_documented_exit_and_valid_outputs(tmp_path, text):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    (folder / "x.txt").write_text(text, encoding="utf-8")
    (folder / "good.txt").write_text(GOOD)
    out = tmp_path / "out"
    run("check", folder, "--out", out, limit=30)
    assert_good_outputs(out)
    for f in (out / "claims").glob("*.json"):
        strict_json(f)


def test_a_reference_file_nested_too_deep_is_one_line(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    r = run("reference", "--reference", deep)
    assert r.exit_code == 2 and "not a claimcheck reference file" in r.output


def test_reports_are_readable_by_others(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    run("check", tmp_path / "good.txt", "--out", tmp_path / "out")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "out" / "reports" / "good.html").stat().st_mode & 0o777 == 0o666 & ~umask  # not mkstemp's 0600
    private = tmp_path / "private.json"
    private.write_text("{}")
    private.chmod(0o600)
    run("check", tmp_path / "good.txt", "--out", tmp_path / "out", "--json", private)
    assert private.stat().st_mode & 0o777 == 0o600  # a file replaced keeps its permissions


def test_a_device_or_a_link_named_for_json_is_written_to_not_replaced(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    os.mkfifo(tmp_path / "pipe.json")
    import threading
    got = []
    reader = threading.Thread(target=lambda: got.append((tmp_path / "pipe.json").read_text()))
    reader.start()
    run("check", tmp_path / "good.txt", "--out", tmp_path / "out", "--json", tmp_path / "pipe.json")
    reader.join(10)
    assert json.loads(got[0])["episodes"] and (tmp_path / "pipe.json").is_fifo()
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    run("check", tmp_path / "good.txt", "--out", tmp_path / "out", "--json", tmp_path / "link.json")
    assert (tmp_path / "link.json").is_symlink() and json.loads((tmp_path / "real.json").read_text())["episodes"]


def test_a_reference_that_is_a_device_is_refused_before_reading(tmp_path):
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    r = run("reference", "--reference", tmp_path / "zero.json", limit=20)
    assert r.exit_code == 2 and "not a regular file" in r.output


def test_links_that_loop_and_files_named_twice(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(GOOD)
    (tmp_path / "in" / "self").symlink_to("self")
    r = run("check", tmp_path / "in", tmp_path / "in" / "good.txt", tmp_path / "in" / "." / "good.txt", "--out", tmp_path / "out")
    assert r.exit_code == 3 and "self" in r.stderr  # the loop is one error line; the good file is checked once
    assert sorted(p.name for p in (tmp_path / "out" / "claims").glob("*.json")) == ["good.json"]


def test_long_lines_of_claims_stay_under_spacys_text_limit(tmp_path):
    (tmp_path / "long.txt").write_text("\n".join("GPT-3 has 175 billion parameters and " + "x" * 190 + " words."
                                                 for _ in range(5000)))
    r = run("check", tmp_path / "long.txt", "--out", tmp_path / "out", limit=120)
    assert r.exit_code == 0, r.stderr


def test_outputs_of_an_earlier_run_elsewhere_are_not_inputs(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    run("check", ".")  # outputs in ./claims and ./reports
    r = run("check", ".", "--out", "elsewhere")
    assert r.exit_code == 0 and [p.name for p in (tmp_path / "elsewhere" / "claims").glob("*.json")] == ["good.json"]


def test_a_folder_where_claims_csv_goes_is_an_error_line_not_a_crash(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "out" / "claims" / "claims.csv").mkdir(parents=True)
    r = run("check", tmp_path / "good.txt", "--out", tmp_path / "out")
    assert r.exit_code == 3 and "claims.csv" in r.stderr


def test_a_file_name_that_is_not_utf8(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (b"\xff.txt", b"\xfe.txt"):  # the same name if bad bytes were replaced, not escaped
        (folder / os.fsdecode(name)).write_text(GOOD)
    (folder / "good.txt").write_text(GOOD)
    for command in ("check", "batch"):
        r = run(command, folder, "--out", tmp_path / command)
        assert r.exit_code == 0, r.output
        assert len(list((tmp_path / command / "claims").glob("*.json"))) == 3


def test_a_decisions_file_without_its_header_is_one_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "out" / "claims").mkdir(parents=True)
    (tmp_path / "out" / "claims" / "decisions.csv").write_text("good,c1,x,q,s,confirmed,\n")
    r = run("check", tmp_path / "good.txt", "--out", tmp_path / "out")
    assert r.exit_code == 2 and "must name the columns" in r.output


def test_outputs_replace_links_and_leave_other_hidden_files_alone(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    (tmp_path / "out" / "reports").mkdir(parents=True)
    (tmp_path / "out" / "reports" / "good.html").symlink_to(victim)
    (tmp_path / "out" / "reports" / ".notes.tmp").write_text("mine too")
    run("check", tmp_path / "good.txt", "--out", tmp_path / "out")
    assert victim.read_text() == "mine" and not (tmp_path / "out" / "reports" / "good.html").is_symlink()
    assert (tmp_path / "out" / "reports" / ".notes.tmp").read_text() == "mine too"


def test_a_cut_sentence_keeps_a_number_with_its_scale(tmp_path):
    head = "word " * 199 + "so the model has 175"  # a 1,000-character window ends between "175" and "billion"
    (tmp_path / "long.txt").write_text(f"Host: GPT-3 is big, {head} billion parameters and more " + "word " * 300 + "\n")
    r = run("check", tmp_path / "long.txt", "--out", tmp_path / "out", "--json", "-")
    quotes = [c["quote"] for ep in json.loads(r.stdout)["episodes"] for c in ep["claims"]]
    assert "175 billion parameters" in quotes, quotes


def test_a_huge_word_after_a_number_costs_no_more_than_a_name(tmp_path):
    (tmp_path / "word.txt").write_text("Host: it has 7 " + "b" * 400_000 + " things.\n")
    run("check", tmp_path / "word.txt", "--out", tmp_path / "out", limit=10)


def test_batch_with_a_dangling_link_and_a_pipe_reports_them_and_does_the_rest(tmp_path):
    cat = tmp_path / "cat"
    cat.mkdir()
    (cat / "good.txt").write_text(GOOD)
    (cat / "dangling.txt").symlink_to(tmp_path / "nowhere")
    os.mkfifo(cat / "pipe.txt")
    r = run("batch", cat, "--out", tmp_path / "out", "--jobs", 1, limit=60)
    assert r.exit_code == 3 and "dangling.txt" in r.stderr and "pipe.txt" in r.stderr
    assert_good_outputs(tmp_path / "out")


def test_batch_on_a_corrupt_ledger_is_one_line(tmp_path):
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "good.txt").write_text(GOOD)
    (tmp_path / "out" / "claims").mkdir(parents=True)
    (tmp_path / "out" / "claims" / "ledger.sqlite").write_text("not a database " * 100)
    r = run("batch", tmp_path / "cat", "--out", tmp_path / "out", "--jobs", 1)
    assert r.exit_code == 2 and "not a claimcheck ledger" in r.output


def test_a_letter_that_lowers_to_two_moves_nothing_after_it(check_text):
    """'İ' lowers to 'i̇' (two characters): names and numbers after it must still be found where they are."""
    ep = check_text("İlker: hello.\nHost: Llama 3.1 405B has 405 billion parameters.\n")
    (c, k), = zip(ep.claims, ep.checks)
    assert c.subject.name == "Llama 3.1 405B" and k.verdict == "consistent"
