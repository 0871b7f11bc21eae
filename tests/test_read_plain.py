"""Plain-text layouts (SPEC 3): speakers and times where the layout has them. Fixtures written for the tests."""
from pathlib import Path

import pytest

from pipeline.read import read, read_bytes
from pipeline.transcript import InputError, Segment

ROOT = Path(__file__).resolve().parents[1]


def segs(text):
    t = read_bytes(text.encode("utf-8"), "t.txt")
    return [(s.speaker, s.start, s.text) for s in t.segments]


def test_appearances_page_sample():
    t = read(ROOT / "transcripts" / "dwarkesh-patel-appearances.txt")
    assert t.format == "text/appearances"
    assert t.speakers == ["Dwarkesh Patel"]
    assert all("Appearances" not in s.text for s in t.segments)  # page chrome dropped
    assert len(t.segments) == 19  # one utterance per line
    assert t.segments[0].text.startswith("But the in context learning")


def test_name_colon():
    assert segs("Ann Lee: We trained on 2 trillion tokens.\nBob: Really?\nAnd more.\n\nAnn Lee: Yes.\n") == [
        ("Ann Lee", None, "We trained on 2 trillion tokens."), ("Bob", None, "Really? And more."), ("Ann Lee", None, "Yes.")]


def test_a_stray_label_is_not_a_speaker():
    assert segs("Note: the rate is 5%.\nIt went up.\n") == [(None, None, "Note: the rate is 5%. It went up.")]


def test_bold_name_paragraphs():
    text = "**Lex Fridman:** So how big is it?\n\n**Dylan Patel:** It's 600 something billion parameters.\nRight?\n"
    assert segs(text) == [("Lex Fridman", None, "So how big is it?"),
                          ("Dylan Patel", None, "It's 600 something billion parameters. Right?")]


def test_name_with_time_in_parentheses():
    assert segs("Maya Chen (00:12:34): We raised $4 million.\nHost (1:02:03): Nice.\n") == [
        ("Maya Chen", 754.0, "We raised $4 million."), ("Host", 3723.0, "Nice.")]


def test_bracket_time_and_name():
    assert segs("[00:00:53] Satya Nadella: Today we are here.\n[00:01:00] Dwarkesh Patel: Welcome.\n") == [
        ("Satya Nadella", 53.0, "Today we are here."), ("Dwarkesh Patel", 60.0, "Welcome.")]


def test_bold_time_caption_lines_merge_into_sentences():
    text = "**[17:51]** Well, one way to think about it is\n**[17:53]** how much the model stores.\n**[17:56]** Next one.\n"
    assert segs(text) == [(None, 1071.0, "Well, one way to think about it is how much the model stores."),
                          (None, 1076.0, "Next one.")]


def test_name_on_its_own_line_then_paragraphs():
    text = "Ann Lee\nWe used 512 GPUs.\n\nBob Stone\nThat is a lot.\n\nAnn Lee\nIt is.\n"
    assert segs(text) == [("Ann Lee", None, "We used 512 GPUs."), ("Bob Stone", None, "That is a lot."),
                          ("Ann Lee", None, "It is.")]


def test_hard_wrapped_paragraphs_join():
    text = "so the cluster had about\n100,000 GPUs in it and\nthat is big\n\nnew paragraph here\n"
    assert segs(text) == [(None, None, "so the cluster had about 100,000 GPUs in it and that is big"),
                          (None, None, "new paragraph here")]


@pytest.mark.parametrize("data,message", [(b"", "empty"), (b"   \n\t\n", "empty"), (bytes(range(256)) * 8, "binary")])
def test_bad_input(data, message):
    with pytest.raises(InputError, match=message):
        read_bytes(data, "bad.txt")


def test_encodings():
    text = "Host: It costs €5 and 16,000 GPUs.\n"
    for data in (text.encode("utf-8-sig"), text.encode("utf-16"), text.encode("cp1252")):
        t = read_bytes(data, "t.txt")
        assert t.segments[0].text == "It costs €5 and 16,000 GPUs."


@pytest.mark.parametrize("labels", [("Speaker 1", "Speaker 2"), ("SPEAKER_00", "SPEAKER_01"), ("Speaker A", "Speaker B")])
def test_transcription_services_numbered_speakers_are_speakers(labels):
    """The default labels of transcription services: each turn is its own segment, with its speaker."""
    one, two = labels
    text = f"{one}: We trained it on 15 trillion tokens.\n{two}: On how many GPUs?\n{one}: About 16,000 H100s.\n"
    assert segs(text) == [(one, None, "We trained it on 15 trillion tokens."), (two, None, "On how many GPUs?"),
                          (one, None, "About 16,000 H100s.")]


def test_hard_wrapped_text_is_joined_once_not_line_by_line(monkeypatch):
    """Work, not time: joining each wrapped line onto the paragraph so far built the paragraph again per line,
    the square of its length. Counted as the characters of the segments the reader makes."""
    import pipeline.read.plain as plain

    made = [0]

    def counted(text, **kw):
        made[0] += len(text)
        return Segment(text=text, **kw)

    monkeypatch.setattr(plain, "Segment", counted)
    line = "and the cluster had 100,000 GPUs in it drawing 150 megawatts\n"
    chars = {}
    for n in (200, 800):
        made[0] = 0
        t = read_bytes((line * n).encode("utf-8"), "wrapped.txt")
        assert len(t.segments) == 1 and len(t.segments[0].text) == n * len(line) - 1
        chars[n] = made[0]
    assert chars[800] <= 4.4 * chars[200], chars


def test_a_label_alone_on_its_line_starts_the_turn_of_the_lines_after_it():
    assert segs("**Lex:**\nGPT-2 XL has 1.5 billion parameters.\n\n[00:01] Ann:\nIt is small.\n") == [
        ("Lex", None, "GPT-2 XL has 1.5 billion parameters."), ("Ann", 1.0, "It is small.")]
