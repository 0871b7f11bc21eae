"""One fixture per format of SPEC 3, written for these tests: segments, speakers and times."""
from pathlib import Path

import pytest

from pipeline.read import read

FIX = Path(__file__).parent / "fixtures"


def segs(name):
    t = read(FIX / name)
    return t, [(s.speaker, s.start, s.text) for s in t.segments]


def test_webvtt_voices_notes_styles_and_missing_hours():
    t, s = segs("voices.vtt")
    assert t.format == "webvtt/cues"
    assert s == [
        ("Ann Lee", 1.0, "We trained a 70B model on 15 trillion tokens."),
        ("Bob", 4.0, "Really? & how many GPUs?"),  # comma milliseconds in a VTT cue: read, not dropped
        ("Bob", 6.0, "About 16,000 H100s."),  # the voice is carried forward
        ("Ann Lee", 3723.5, "And Llama 3 was trained on 15 trillion tokens."),
    ]


def test_srt_labels_carried_forward_minutes_seconds_and_lost_blank_lines():
    t, s = segs("labels.srt")
    assert s == [
        ("Maya Chen", 1.0, "We used 512 GPUs at 700 watts each."),
        ("Maya Chen", 3.2, "That is about 360 kilowatts."),  # a cue number where the blank line was lost
        ("Host", 5.0, "And the KV cache?"),
        ("Maya Chen", 7.5, "Llama 2 13B keeps 800 kilobytes of KV cache per token."),  # 00:07.500 is 7.5 s, not minutes
        ("Maya Chen", 10.0, "Note: the rest is silence."),  # "Note:" is not a speaker
    ]


@pytest.mark.parametrize("name", ["rolling.vtt", "rolling.srt"])
def test_rolling_auto_captions_are_read_once(name):
    t, s = segs(name)
    assert t.format.endswith("/rolling")
    text = " ".join(x[2] for x in s)
    words = text.lower().split()
    for phrase in ("64 h100s", "4,600 dollars", "100,000 gpus", "140 megawatts"):
        assert text.lower().count(phrase) <= 1
    assert len(words) == len(text.split())
    if name == "rolling.vtt":
        assert text == "we rented 64 h100s at 3 dollars an hour so about 4,600 dollars a day"


def test_podcasting2_words_merge_into_turns():
    t, s = segs("words.json")
    assert t.format == "json/podcasting2"
    assert s == [("Maya Chen", 12.5, "GPT-2 XL has 1.5 billion parameters."),
                 ("Host", 16.0, "And Gemma 2 27B saw 13 trillion tokens?")]
    assert t.segments[0].time_at(s[0][2].index("1.5")) == 13.4  # the word's own time, inside a merged turn


@pytest.mark.parametrize("name,fmt,expected", [
    ("whisper.json", "json/whisper", [(None, 0.0, "A 7B model in fp16 needs 14 gigabytes.")]),
    ("whisperx.json", "json/whisperx", [("SPEAKER_00", 0.03, "Qwen2.5-72B was trained on 18 trillion tokens."),
                                        ("SPEAKER_01", 4.5, "Wow.")]),
    ("whispercpp.json", "json/whisper.cpp", [(None, 0.0, "GPT-2 XL has 1.5 billion parameters.")]),
    ("cues.json", "json/cue-list", [("Host", 61.0, "We rented 64 H100s at $3 an hour."), ("Host", 64.2, "So about $4,600 a day.")]),
    ("fragment.html", "html/podcasting2", [
        ("Maya Chen", 12.0, "Llama 2 13B keeps 800 kilobytes of KV cache per token & that's a lot."),
        ("Host", 3787.0, "And GPT-2 XL has 1.5 billion parameters.")]),
])
def test_json_and_html(name, fmt, expected):
    t, s = segs(name)
    assert t.format == fmt
    assert s == expected


def test_cues_json_reads_milliseconds_and_name_prefixes():
    t, _ = segs("cues.json")
    assert t.segments[0].end == 64.2


@pytest.mark.parametrize("name,text", [
    ("cp1252.txt", "It’s about 1,400 W – roughly."),
    ("utf16.srt", "GPT-2 XL has 1.5 billion parameters."),
    ("mojibake.txt", "It’s 4½ times more — GPT-2 XL has 1.5 billion parameters."),
])
def test_encodings(name, text):
    t, s = segs(name)
    assert s[0][2] == text


def test_claims_carry_speaker_and_time(check_text, nlp, reference):
    from pipeline.run import check_file

    ep = check_file(FIX / "labels.srt", nlp, reference)
    by = {c.quote: c for c in ep.claims}
    kv = by["800 kilobytes"]
    assert (kv.speaker, kv.start, kv.kind) == ("Maya Chen", 7.5, "kv_cache_per_token")
    assert by["about 360 kilowatts"].start == 3.2
    ep = check_file(FIX / "words.json", nlp, reference)
    c = next(c for c in ep.claims if c.quote == "1.5 billion parameters")
    assert (c.speaker, c.start, c.subject.name) == ("Maya Chen", 13.4, "GPT-2 XL")


def test_captions_cut_after_of_are_joined():
    """'several orders of | magnitude': a caption that ends in 'of' ends no sentence, long as the line is."""
    from pipeline.read import read_bytes
    words = " ".join(["talk"] * 130)
    srt = (f"1\n00:00:01,000 --> 00:00:04,000\n{words} there are several orders of\n\n"
           f"2\n00:00:04,000 --> 00:00:06,000\nmagnitude more data in vision\n\n")
    t = read_bytes(srt.encode(), "x.srt")
    assert any("several orders of magnitude more data" in s.text for s in t.segments)
