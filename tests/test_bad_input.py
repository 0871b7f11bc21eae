"""Bad input: one clear line naming the file and the problem, exit 3, no partial output, the rest still done.

And property-based: arbitrary bytes and text never make a reader raise anything but InputError.
"""
import json
import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.read import READERS, read, read_bytes
from pipeline.transcript import InputError

GOOD = "Host: GPT-2 XL has 1.5 billion parameters.\nGuest: Right.\n"

BAD = {
    "empty.txt": (b"", "the file is empty"),
    "blank.txt": (b"  \n\t \n", "the file is empty"),
    "binary.bin": (bytes(range(256)) * 40, "binary"),
    "broken-utf16.txt": (b"\xff\xfeH\x00i\x00\x00\xd8", "cannot decode"),
    "timestamps.srt": (b"1\n00:00:99,000 --> later\nhello\n\n2\n1:2 --> 3:4\nworld\n", "no cues with valid timestamps"),
    "shape.json": (b'{"episode": {"lines": ["a", "b"]}}', "JSON of an unknown shape"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "broken.json": (b'{"segments": [{"start": 1, "text": "x"', "not valid JSON"),
    "nothing.vtt": (b"WEBVTT\n\nNOTE only a note\n", "no cues"),
}


@pytest.mark.parametrize("name", BAD)
def test_each_bad_input_is_one_clear_error(name):
    data, message = BAD[name]
    with pytest.raises(InputError, match=message):
        read_bytes(data, name)


def test_oversized_and_unopenable(tmp_path):
    big = tmp_path / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50_000_001)  # a 50 MB file, sparse
    with pytest.raises(InputError, match="over the"):
        read(big)
    with pytest.raises(InputError, match="a folder, not a transcript file"):
        read(tmp_path)  # a folder where a file was expected
    for device in ("/dev/zero", "/dev/null"):  # never ends; or nothing, and reading it must not wait
        with pytest.raises(InputError, match="not a regular file"):
            read(device)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block until a writer came
    with pytest.raises(InputError, match="not a regular file"):
        read(fifo)


def test_cli_reports_every_bad_file_and_checks_the_rest(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name, (data, _) in BAD.items():
        (src / name).write_bytes(data)
    (src / "good.txt").write_text(GOOD)
    with open(src / "big.txt", "wb") as f:
        f.truncate(50_000_001)
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["check", str(src), "--out", str(out), "--json", str(out / "all.json")])
    assert r.exit_code == 3
    errors = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert len(errors) == len(BAD) + 1
    for name, (_, message) in BAD.items():
        assert any(name in e and message in e for e in errors), name
    assert "Traceback" not in r.output
    assert sorted(p.name for p in (out / "claims").iterdir() if not p.name.startswith(".")) == ["claims.csv", "good.json"]
    assert sorted(p.name for p in (out / "reports").iterdir()) == ["good.html", "index.html"]
    doc = json.loads((out / "all.json").read_text())
    assert [e["id"] for e in doc["episodes"]] == ["good"]


def test_outputs_survive_a_failed_write(tmp_path, monkeypatch):
    """A crash while writing leaves the previous file whole: writes go to a temporary file, then rename."""
    from pipeline import render

    target = tmp_path / "claims" / "x.json"
    render.write_atomic(target, "old")

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        render.write_atomic(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in target.parent.iterdir()] == ["x.json"]


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data):
    try:
        t = read_bytes(data, "fuzz.txt")
    except InputError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert t.segments


@SETTINGS
@given(st.text(max_size=2000), st.sampled_from(sorted(READERS)))
def test_arbitrary_text_in_every_reader(text, fmt):
    try:
        segments, warnings, layout, media = READERS[fmt](text)
    except InputError as e:
        assert str(e) and "\n" not in str(e)
    else:
        assert all(isinstance(s.text, str) for s in segments)


cue_text = st.lists(st.sampled_from([
    "1", "00:00:01,000 --> 00:00:02,000", "00:05.000 --> 00:07,5", "WEBVTT", "NOTE x", "<v Ann>", "Ann: 70B model",
    "", " ", "&amp;", "-->", "12 GPUs at 700 W", "{\\an8}", "<c>", "99:99:99,999 --> 0:0", "[SPEAKER_00]: 1e25 FLOPs",
]), max_size=40).map("\n".join)


@SETTINGS
@given(cue_text)
def test_cue_like_text(text):
    try:
        READERS["srt"](text)
    except InputError:
        pass


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(list("0123456789 ,.-$%xkKMBT^e~") + [
    " tokens", " GPUs", " billion", " million", " to ", " about ", " per token", " kilobytes", " watts", " fold",
    " Llama 3", " 70B model", " GPT-4", ". ", " 10 to the ", " something ", " half a ", " times more"]), max_size=60).map("".join))
def test_whole_check_on_number_soup(check_text, text):
    """The grammar and the checks never crash on odd number talk, and every quote is verbatim."""
    try:
        ep = check_text("Host: " + text + "\n")
    except InputError:
        return
    for c in ep.claims:
        seg = ep.transcript.segments[c.segment].text
        assert seg[c.quantity.start:c.quantity.end] == c.quote
