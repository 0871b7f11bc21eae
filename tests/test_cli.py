"""Exit codes, error messages and output safety of `claimcheck check` (SPEC 8)."""
import json
import os
import subprocess
import sys

from click.testing import CliRunner

from pipeline.cli import main

GOOD = "Dwarkesh Patel: GPT-2 XL has 1.5 billion parameters, which is small.\nDwarkesh Patel: Anyway.\n"
WRONG = "Host: GPT-2 XL has 15 billion parameters.\nHost: Llama 3 was trained on 12 trillion tokens.\n"


def invoke(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_missing_file_is_one_line_and_exit_3(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    r = invoke("check", good, tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert r.exit_code == 3
    errors = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert errors == [f"error: {tmp_path / 'nope.txt'}: no such file or folder"]
    assert "Traceback" not in r.output
    assert (tmp_path / "out" / "reports" / "good.html").exists()  # the rest is still done


def test_empty_and_binary_files_are_reported_not_written(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("  \n\n")
    (tmp_path / "in" / "blob.srt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "in" / "good.txt").write_text(GOOD)
    r = invoke("check", tmp_path / "in", "--out", tmp_path / "out")
    assert r.exit_code == 3
    lines = r.stderr.splitlines()
    assert any(l.startswith("error:") and "empty.txt" in l and "empty" in l for l in lines)
    assert any(l.startswith("error:") and "blob.srt" in l and "binary" in l for l in lines)
    written = sorted(p.name for p in (tmp_path / "out" / "claims").iterdir() if not p.name.startswith("."))
    assert written == ["claims.csv", "good.json"]


def test_usage_error_is_exit_2():
    assert invoke("check").exit_code == 2
    assert invoke("check", "x", "--fail-on", "sometimes").exit_code == 2


def test_fail_on(tmp_path):
    f = tmp_path / "wrong.txt"
    f.write_text(WRONG)
    assert invoke("check", f, "--out", tmp_path, "--fail-on", "gross").exit_code == 1
    assert invoke("check", f, "--out", tmp_path).exit_code == 0
    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    assert invoke("check", good, "--out", tmp_path, "--fail-on", "mismatch").exit_code == 0


def test_json_file_and_minor_mismatch(tmp_path):
    f = tmp_path / "wrong.txt"
    f.write_text(WRONG)
    r = invoke("check", f, "--out", tmp_path, "--json", tmp_path / "all.json", "--fail-on", "mismatch")
    assert r.exit_code == 1
    claims = json.loads((tmp_path / "all.json").read_text())["episodes"][0]["claims"]
    by = {c["quote"]: c for c in claims}
    assert by["15 billion parameters"]["severity"] == "gross"
    assert by["12 trillion tokens"]["verdict"] == "mismatch" and by["12 trillion tokens"]["severity"] == "minor"


def test_reference_override(tmp_path):
    f = tmp_path / "wrong.txt"
    f.write_text(WRONG)
    override = tmp_path / "ref.json"
    override.write_text(json.dumps({"models": [{"name": "GPT-2 XL", "facts": {
        "params_total": {"value": 15e9, "source": "test override"},
        "params_nominal": {"value": 15e9, "source": "test override"}}}]}))
    r = invoke("check", f, "--out", tmp_path, "--json", "-", "--reference", override)
    by = {c["quote"]: c for c in json.loads(r.stdout)["episodes"][0]["claims"]}
    assert by["15 billion parameters"]["verdict"] == "consistent"
    assert "test override" in by["15 billion parameters"]["inputs"][0]["source"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"models": [{"name": "X", "facts": {"params_total": {"value": 1}}}]}')
    r = invoke("check", f, "--out", tmp_path, "--reference", bad)
    assert r.exit_code == 2 and "no source" in r.output


def test_markup_in_transcripts_renders_as_text(tmp_path):
    f = tmp_path / "evil.txt"
    f.write_text('Host: <script>alert(1)</script> GPT-2 XL has 1.5 billion parameters "><img src=x onerror=alert(2)>\n'
                 "Guest: ok.\n")
    assert invoke("check", f, "--out", tmp_path).exit_code == 0
    html = (tmp_path / "reports" / "evil.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_console_script_runs(tmp_path):
    f = tmp_path / "good.txt"
    f.write_text(GOOD)
    r = subprocess.run([sys.executable, "-m", "pipeline.cli", "check", str(f), "--out", str(tmp_path), "--json", "-"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["episodes"][0]["summary"]["consistent"] == 1


def test_the_command_ends_at_once_with_its_exit_code_and_every_output_whole(tmp_path):
    """The command skips Python's teardown (os._exit): each exit code must still come through, and what was
    written (a JSON on stdout larger than a pipe's buffer, the outputs) must be whole."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # as a user's shell has it

    def command(*args):
        return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True,
                              env=buffered)

    good = tmp_path / "good.txt"
    good.write_text(GOOD)
    r = command("check", good, "--out", tmp_path / "out", "--json", "-")  # less than a buffer: kept until the end
    assert r.returncode == 0 and json.loads(r.stdout)["episodes"][0]["summary"]["consistent"] == 1

    wrong = tmp_path / "wrong.txt"
    wrong.write_text(WRONG * 400)
    r = command("check", wrong, "--out", tmp_path / "out", "--json", "-", "--fail-on", "gross")
    assert r.returncode == 1 and r.stderr.rstrip().endswith("reach --fail-on gross")
    assert len(r.stdout) > 65536 and len(json.loads(r.stdout)["episodes"][0]["claims"]) == 800
    assert json.loads((tmp_path / "out" / "claims" / "wrong.json").read_text())["episodes"][0]["summary"]["claims"] == 800
    assert command("check", tmp_path / "nope.txt", "--out", tmp_path / "out").returncode == 3
    r = command("check", "--fail-on", "sometimes", wrong)
    assert r.returncode == 2 and "Error:" in r.stderr
    assert command("--version").stdout.startswith("claimcheck")


def test_a_stdout_that_cannot_take_the_output_is_said_and_never_a_traceback(tmp_path):
    """A full disk loses what was printed, so the exit code says so (3); a stdout closed from the start or a reader
    that goes away after ten bytes gives no traceback and no crash log."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    good, wrong = tmp_path / "good.txt", tmp_path / "wrong.txt"
    good.write_text(GOOD)
    wrong.write_text(WRONG * 400)  # a JSON larger than a pipe's buffer

    def shell(line):
        return subprocess.run(f"{sys.executable} -m pipeline.cli {line}", shell=True, executable="/bin/bash", capture_output=True,
                              text=True, env=buffered, cwd=tmp_path)

    r = shell("check good.txt --out out --json - > /dev/full")
    assert r.returncode == 3 and r.stderr.splitlines()[-1] == "error: cannot write to stdout: No space left on device"
    for line in ("--version >&-", "check good.txt --out out >&-"):
        r = shell(line)
        assert r.returncode == 0 and "Traceback" not in r.stderr, (line, r.stderr)
    r = shell("check wrong.txt --out out --json - | head -c 10; exit ${PIPESTATUS[0]}")
    assert r.stdout == '{\n "schema' and r.returncode == 3
    assert r.stderr.splitlines()[-1].startswith("error: cannot write to stdout") and "internal error" not in r.stderr
