"""The quantity grammar against a table of forms people say (SPEC 4), traps included."""
import dataclasses
import math

import pytest

from pipeline.quantities import Interval, find_quantities
from pipeline.read import read_bytes

INF = math.inf

# text, quote, value, unit, low, high, hedge  (low/high: the stated interval, all readings)
# the quote is the quantity as said: its hedge is part of it ("like 320 kilobytes")
CASES = [
    # digits, separators, decimals; trailing zeros of an integer are not significant
    ("trained on 15 trillion tokens", "15 trillion tokens", 15e12, "token", 14.5e12, 15.5e12, None),
    ("0.07 bits per token", "0.07 bits per token", 0.07, "bit / token", 0.065, 0.075, None),
    ("we had 16,000 GPUs", "16,000 GPUs", 16000, "GPU", 15500, 16500, None),
    ("we had 320 GPUs", "320 GPUs", 320, "GPU", 315, 325, None),
    ("1,400 W each", "1,400 W each", 1400, "watt / GPU", 1350, 1450, None),
    ("1400 watts apiece", "1400 watts apiece", 1400, "watt / GPU", 1350, 1450, None),
    ("80 layers", "80 layers", 80, "layer", 79.5, 80.5, None),  # counts of parts are exact
    ("8 KV heads", "8 KV heads", 8, "kv_head", 7.5, 8.5, None),
    ("a 128K context", "128K context", 128e3, "token", 127.5e3, 128.5e3 * 1.024, None),
    ("that is 2.0 trillion tokens", "2.0 trillion tokens", 2e12, "token", 1.95e12, 2.05e12, None),
    ("just 1 token", "1 token", 1, "token", 0.5, 1.5, None),
    ("a .5 second pause", ".5 second", 0.5, "second", 0.45, 0.55, None),
    # scientific forms
    ("1e25 FLOPs", "1e25 FLOPs", 1e25, "FLOP", 0.5e25, 1.5e25, None),
    ("3.8e25 FLOPs", "3.8e25 FLOPs", 3.8e25, "FLOP", 3.75e25, 3.85e25, None),
    ("10^25 FLOPs", "10^25 FLOPs", 1e25, "FLOP", 0.5e25, 1.5e25, None),
    ("10 to the 25 FLOPs", "10 to the 25 FLOPs", 1e25, "FLOP", 0.5e25, 1.5e25, None),
    ("ten to the twenty-fifth FLOPs", "ten to the twenty-fifth FLOPs", 1e25, "FLOP", 0.5e25, 1.5e25, None),
    ("3.8 times 10 to the 25 FLOPs", "3.8 times 10 to the 25 FLOPs", 3.8e25, "FLOP", 3.75e25, 3.85e25, None),
    ("two 10 to the 13 bytes", "two 10 to the 13 bytes", 2e13, "byte", 1.5e13, 2.5e13, None),
    ("10²⁵ FLOPs", "10²⁵ FLOPs", 1e25, "FLOP", 0.5e25, 1.5e25, None),
    ("3.8 × 10^25 FLOPs", "3.8 × 10^25 FLOPs", 3.8e25, "FLOP", 3.75e25, 3.85e25, None),
    # suffixes
    ("a 70B model", "70B model", 70e9, "parameter", 65e9, 75e9, None),
    ("a 7b model", "7b model", 7e9, "parameter", 6.5e9, 7.5e9, None),
    ("15T tokens", "15T tokens", 15e12, "token", 14.5e12, 15.5e12, None),
    ("15T+ tokens", "15T+ tokens", 15e12, "token", 15e12, INF, "+"),
    ("3.5k GPUs", "3.5k GPUs", 3500, "GPU", 3450, 3550, None),
    ("100k GPUs", "100k GPUs", 1e5, "GPU", 5e4, 1.5e5, None),
    ("$5.5bn", "$5.5bn", 5.5e9, "dollar", 5.45e9, 5.55e9, None),
    ("$100M", "$100M", 1e8, "dollar", 5e7, 1.5e8, None),
    ("a 35x speedup", "35x", 35, "fold", 34.5, 35.5, None),
    ("a window of 128K tokens", "128K tokens", 128e3, "token", 127.5e3, 128.5e3 * 1.024, None),
    ("70 billion parameters", "70 billion parameters", 70e9, "parameter", 65e9, 75e9, None),
    ("7 billion params", "7 billion params", 7e9, "parameter", 6.5e9, 7.5e9, None),
    # number words
    ("fifteen trillion tokens", "fifteen trillion tokens", 15e12, "token", 14.5e12, 15.5e12, None),
    ("one hundred and forty megawatts", "one hundred and forty megawatts", 140, "megawatt", 135, 145, None),
    ("a hundred and twenty GPUs", "a hundred and twenty GPUs", 120, "GPU", 115, 125, None),
    ("a million tokens", "a million tokens", 1e6, "token", 0.5e6, 1.5e6, None),
    ("half a megabyte", "half a megabyte", 0.5, "megabyte", 0.45, 0.55 * 1.048576, None),
    ("half a million dollars", "half a million dollars", 5e5, "dollar", 4.5e5, 5.5e5, None),
    ("a dozen GPUs", "a dozen GPUs", 12, "GPU", 11.5, 12.5, None),
    ("one point five trillion parameters", "one point five trillion parameters", 1.5e12, "parameter", 1.45e12, 1.55e12, None),
    ("twenty-five GPUs", "twenty-five GPUs", 25, "GPU", 24.5, 25.5, None),
    ("600 something billion parameters", "600 something billion parameters", 600e9, "parameter", 600e9, 700e9, None),
    ("400 something thousand GPUs", "400 something thousand GPUs", 400e3, "GPU", 400e3, 500e3, None),
    # ranges: the scale of the second end applies to the first
    ("15 to 20 megawatts", "15 to 20 megawatts", 17.5, "megawatt", 15, 20, None),
    ("1200 to 1400 watts", "1200 to 1400 watts", 1300, "watt", 1200, 1400, None),
    ("60K to 100K GPUs", "60K to 100K GPUs", 80e3, "GPU", 60e3, 100e3, None),
    ("10-20%", "10-20%", 15, "percent", 10, 20, None),
    ("between 10 and 20 percent", "10 and 20 percent", 15, "percent", 10, 20, None),
    ("1 to 2 trillion tokens", "1 to 2 trillion tokens", 1.5e12, "token", 1e12, 2e12, None),
    # units: bits and bytes with both readings of KB; IEC units are exact
    ("it's 320 kilobytes", "320 kilobytes", 320, "kilobyte", 315, 325 * 1.024, None),
    ("320KB per token", "320KB per token", 320, "kilobyte / token", 315, 325 * 1.024, None),
    ("320 kB", "320 kB", 320, "kilobyte", 315, 325, None),
    ("320 KiB", "320 KiB", 320, "kibibyte", 315, 325, None),
    ("80 GB of memory", "80 GB", 80, "gigabyte", 75, 85 * 1.073741824, None),
    ("3.35 TB/s", "3.35 TB/s", 3.35, "terabyte / second", 3.345, 3.355 * 1.099511627776, None),
    ("two bytes", "two bytes", 2, "byte", 1.5, 2.5, None),
    ("989 TFLOPS", "989 TFLOPS", 989, "teraFLOPS", 988.5, 989.5, None),
    ("a petaflop per second", None, None, None, None, None, None),
    ("1.3M GPU hours", "1.3M GPU hours", 1.3e6, "GPU * hour", 1.25e6, 1.35e6, None),
    ("$2 an hour", "$2 an hour", 2, "dollar / hour", 1.5, 2.5, None),
    ("$60 per million tokens", "$60 per million tokens", 60, "dollar / megatoken", 55, 65, None),
    ("50 tokens per second", "50 tokens per second", 50, "token / second", 45, 55, None),
    ("a 35 million fold difference", "35 million fold", 35e6, "fold", 34.5e6, 35.5e6, None),
    ("a 35 million-fold difference", "35 million-fold", 35e6, "fold", 34.5e6, 35.5e6, None),
    ("10 times more compute", "10 times", 10, "fold", 5, 15, None),
    ("30 percent", "30 percent", 30, "percent", 25, 35, None),
    ("two years", "two years", 2, "year", 1.5, 2.5, None),
    # hedges and bounds
    ("about 1400 watts", "about 1400 watts", 1400, "watt", 1260, 1540, "about"),
    ("it's like 320 kilobytes", "like 320 kilobytes", 320, "kilobyte", 288, 352 * 1.024, "like"),
    ("roughly 2 times 10 to the 24 FLOPs", "roughly 2 times 10 to the 24 FLOPs", 2e24, "FLOP", 1.5e24, 2.5e24, "roughly"),
    ("on the order of 10^25 FLOPs", "on the order of 10^25 FLOPs", 1e25, "FLOP", 1e25 / 3, 3e25, "on the order of"),
    ("more than 100,000 GPUs", "more than 100,000 GPUs", 1e5, "GPU", 1e5, INF, "more than"),
    ("up to 128K tokens", "up to 128K tokens", 128e3, "token", 0, 128e3 * 1.024, "up to"),
    ("almost 10x that", "almost 10x", 10, "fold", 9, 10, "almost"),
    ("20,000 tokens or so", "20,000 tokens or so", 2e4, "token", 1.5e4, 2.5e4, "or so"),  # rounding is wider here
    ("~8 GPUs", "~8 GPUs", 8, "GPU", 7.2, 8.8, "~"),
]


@pytest.mark.parametrize("text,quote,value,unit,low,high,hedge", CASES, ids=[c[0] for c in CASES])
def test_quantity(text, quote, value, unit, low, high, hedge):
    found = [q for q in find_quantities(text) if q.unit]
    if quote is None:
        assert found == [] or all(q.unit != "FLOP" for q in found)
        return
    assert len(found) == 1, found
    q = found[0]
    assert q.text == quote
    assert text[q.start:q.end] == quote  # the quote is verbatim
    assert q.value == pytest.approx(value)
    assert q.unit == unit
    assert q.interval.low == pytest.approx(low)
    assert q.interval.high == pytest.approx(high) if high != INF else q.interval.high == INF
    assert q.hedge == hedge


# numbers in names, years, timestamps and counts that are not quantities with units
NOT_QUANTITIES = [
    "GPT-4 came out in 2023",
    "Llama 3 is open",
    "the H100 and the H800",
    "Qwen2.5-72B is a model",
    "the 4o model",
    "episode 459 of the podcast",
    "[00:12:34] Dwarkesh Patel: hello",
    "two of them",
    "in 2024 and 2025",
    "COVID-19 hit",
    "RTX 4090 cards",
    "5m away",
    "the 3rd time",
    "per million tokens",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_a_quantity_with_unit(text, reference):
    from pipeline.nlp import MentionFinder

    masked = [(m.start, m.end) for m in MentionFinder(reference).find(text)]  # names, as the pipeline masks them
    assert [q for q in find_quantities(text, masked) if q.unit] == []


def test_interval_arithmetic():
    a, b = Interval(2, 3), Interval(4, 5)
    assert (a * b) == Interval(8, 15)
    assert (b / a) == Interval(4 / 3, 2.5)
    assert (2 * a) == Interval(4, 6)
    assert (a + 1) == Interval(3, 4)
    assert Interval(0, INF).overlaps(Interval(5, 6))
    assert not Interval(1, 2).overlaps(Interval(2.5, 3))


def test_hardware_items_count_as_gpus():
    from pipeline.nlp import build

    doc = build()("We rented 64 H100s and eight A100 GPUs.")
    qs = [s._.quantity for s in doc.spans["quantities"]]
    assert [(q.text, q.value, q.unit, q.item) for q in qs] == [
        ("64 H100s", 64, "GPU", "H100s"), ("eight A100 GPUs", 8, "GPU", "A100")]


class _Counting(str):
    """A text that counts the characters copied out of it by slicing."""
    copied = 0

    def __getitem__(self, key):
        out = str.__getitem__(self, key)
        if isinstance(key, slice):
            _Counting.copied += len(out)
        return out


def test_finding_quantities_copies_no_more_than_the_sentences_around_them(reference):
    """Work, not time: a number must not copy the rest of a long segment (it did, once per number)."""
    from pipeline.quantities import find_quantities
    from pipeline.reference import names_regex

    items = names_regex(reference.hardware, plural=True, group="item")  # as the pipeline calls it

    sentence = "So the H100 has 80 gigabytes, about 3.35 terabytes a second, and 16,000 of them cost a lot. "
    copied = {}
    for n in (100, 400):
        _Counting.copied = 0
        assert len(find_quantities(_Counting(sentence * n), items=items)) >= 3 * n
        copied[n] = _Counting.copied
    assert copied[400] <= 4.4 * copied[100] and copied[400] < 200 * len(sentence) * 4, copied


_reads = [0]


def _counted(item):
    """The same item, of a subclass that counts every attribute read of it."""
    def get(self, name):
        _reads[0] += 1
        return super(cls, self).__getattribute__(name)
    cls = type(type(item).__name__, (type(item),), {"__getattribute__": get})
    return cls(**{f.name: getattr(item, f.name) for f in dataclasses.fields(item)})


def test_each_sentence_finds_its_figures_by_position_not_by_reading_the_segment(nlp, reference):
    """Work, not time: the claims stage once read every quantity and name of a segment for each of its sentences,
    so a transcript read as one segment (one paragraph, 'Speaker 1:' lines not read) cost the square of its length."""
    from pipeline.claims import find_claims
    from pipeline.nlp import annotate

    sentence = "The H100 has 80 gigabytes of memory, and we rented 16,000 of them for GPT-4. "
    read = {}
    for n in (50, 200):
        t = read_bytes((sentence * n).encode("utf-8"), "one-paragraph.txt")
        assert len(t.segments) == 1
        anns = annotate([s.text for s in t.segments], nlp)
        for a in anns:
            a.cues, a.mentions, a.quantities = ([_counted(x) for x in xs] for xs in (a.cues, a.mentions, a.quantities))
        _reads[0] = 0
        assert len(find_claims(t, anns, reference)) >= n
        read[n] = _reads[0]
    assert read[200] <= 4.4 * read[50], read


@pytest.mark.parametrize("text, value", [
    ("that is 2 * 10 to 13 bytes", 2e13),  # a multiplication sign says the 10 is a base, not a range's start
    ("about 3 x 10 to 24 FLOPs", 3e24),
    ("roughly two times ten to thirteen bytes", 2e13),
])
def test_a_power_of_ten_said_without_the(text, value):
    from pipeline.quantities import find_quantities
    assert [q.value for q in find_quantities(text) if q.unit] == [value]


def test_ten_to_thirteen_alone_is_still_a_range():
    from pipeline.quantities import find_quantities
    q, = find_quantities("it has 10 to 13 layers")
    assert q.value < 100 and q.interval.low <= 10 and q.interval.high >= 13
