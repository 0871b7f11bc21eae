"""The spaCy pipeline, spacy.blank("en") and our two components, and the annotate stage over it.

`claimcheck_mentions` finds the models, model families and accelerators of the reference data;
`claimcheck_quantities` finds quantities (quantities.py), skipping numbers inside those names.
Both are registered factories, so any spaCy pipeline can `nlp.add_pipe("claimcheck_quantities")`.
Results are in doc.spans["mentions"] and doc.spans["quantities"], each span carrying its
dataclass in span._.mention or span._.quantity, with exact character offsets.
"""
from __future__ import annotations

import gc
import json
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from itertools import accumulate

import ahocorasick
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy import util

from pipeline.transcript import lower
from pipeline import reference as ref
from pipeline.quantities import DATA, LEX, Quantity, find_quantities, shift

CUES = json.loads((DATA / "cues.json").read_text(encoding="utf-8"))  # the cue phrases, and which way each local cue binds
PLAIN_WORDS = frozenset(LEX["plain_words"])

Span.set_extension("mention", default=None, force=True)
Span.set_extension("quantity", default=None, force=True)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: str  # model | family | hardware | short (what a family's model adds to its name: "V3", "Opus")
    name: str  # the reference entry
    comparand: bool = False  # named as what something is compared with ("twice an H100", "than GPT-3")


# what stands before a name that something is compared with
_COMPARED = re.compile(r"(?i)(?:\btimes(?:\s+the\s+\w+(?:\s+\w+)?\s+of)?|\bthan|\bfrom\s+that|\b(?:way\s+|well\s+)?(?:under|over|below|above|past|beyond)|\bsame\s+as|(?:%|\bpercent)\s+of|\bversus|\bvs\.?|\bcompared\s+(?:to|with)|\brelative\s+to)"
                       r"\s+(?:an?\s+|the\s+)?$")


# "a 100 x speedup", "A 100 billion parameter model", "a 100 gigabytes", "a 100 H100s": a number, not an A100
_NOT_A_CHIP = re.compile(r"[ \t-]*(?:x\b|×|times\b|fold\b|percent\b|%|hundred|thousand|million|billion|trillion|dollars\b"
                         r"|bucks\b|gig|gigabytes?\b|megabytes?\b|terabytes?\b|tokens?\b|parameters?\b|params\b|watts?\b"
                         r"|[A-Z]\d)", re.I)


def _inside(m: Mention, starts: list[int], ends: list[int]) -> bool:
    """Whether m overlaps one of the names at starts/ends ("V3" in "DeepSeek-V3")."""
    i = bisect_left(ends, m.start + 1)  # the first name ending after m starts
    return i < len(starts) and starts[i] < m.end


class MentionFinder:
    def __init__(self, reference: ref.Reference):
        self.entries = [e for e in reference.entries.values()]
        self.pattern = ref.names_regex(self.entries, plural=True)
        # "V3", "Opus": a model only where its family is discussed, which the claims stage knows. A word is a name only
        # capitalised, and never a plain word ("Large", "Pro": data/lexicon.json plain_words)
        self.shorts = ahocorasick.Automaton()
        for n in reference.short_names():
            if any(ch.isdigit() for ch in n) or n not in PLAIN_WORDS:
                self.shorts.add_word(n, n)
        self.shorts.make_automaton()

    def _short_names(self, text: str):
        low = lower(text)
        for end, n in self.shorts.iter(low) if len(self.shorts) else ():
            i, j = end - len(n) + 1, end + 1
            if i and (low[i - 1].isalnum() or low[i - 1] in ".-") or j < len(low) and (
                    low[j].isalnum() or low[j] == "-" or low[j] == "." and low[j + 1:j + 2].isdigit()):
                continue  # inside a word or a name: "TPU v3s", "V3.1"
            if any(ch.isdigit() for ch in n) or text[i].isupper():
                yield Mention(i, j, text[i:j], "short", n)

    def find(self, text: str) -> list[Mention]:
        out = []
        for m in self.pattern.finditer(text):
            if m.group()[:2].lower() == "a " and _NOT_A_CHIP.match(text, m.end()):
                continue  # "a 100 x speedup", "a 100 trillion parameter model": a number, not an A100
            e = ref.matched_entry(m, self.entries)
            compared = _COMPARED.search(text, max(0, m.start() - 24), m.start()) is not None
            out.append(Mention(m.start(), m.end(), m.group(), e.kind, e.name, compared))
        if len(self.shorts):
            ends = [x.end for x in out]  # names do not overlap, so their ends are in order too
            starts = [x.start for x in out]
            shorts = [m for m in self._short_names(text) if not _inside(m, starts, ends)]
            out = sorted(out + shorts, key=lambda x: x.start) if shorts else out
        return out

    def __call__(self, doc: Doc) -> Doc:
        found = doc.user_data.pop("found_mentions", None)  # already found by annotate() on the whole transcript
        doc.spans["mentions"] = _spans(doc, self.find(text_of(doc)) if found is None else found, "mention", lambda x: x.kind)
        return doc


class QuantityFinder:
    def __init__(self, reference: ref.Reference):
        hardware = reference.hardware
        self.items = ref.names_regex(hardware, plural=True, group="item")
        self.item_names = hardware

    def find(self, text: str, mentions: list[Mention] = ()) -> list[Quantity]:
        """Quantities in text, none inside the names `mentions` found there."""
        return find_quantities(text, [(m.start, m.end) for m in mentions], self.items)

    def __call__(self, doc: Doc) -> Doc:
        found = doc.user_data.pop("found_quantities", None)  # already found by annotate() on the whole transcript
        if found is None:
            mentions = [s._.mention for s in doc.spans["mentions"]] if "mentions" in doc.spans else []
            found = self.find(text_of(doc), mentions)
        doc.spans["quantities"] = _spans(doc, found, "quantity", lambda q: q.unit or "number")
        return doc


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    label: str  # e.g. "local:active", "sentence:cache", "passage:hypothetical"


class CueFinder:
    """Cue phrases (data/cues.json) as spaCy PhraseMatcher patterns on lower-case tokens.

    Like spaCy's own SpanRuler, the patterns are data: they serialize with to_disk/from_disk and
    adding a cue is a change to the data file. Results go to doc.spans["cues"], labelled
    "scope:name" (local, sentence or passage).
    """

    def __init__(self, nlp: Language, patterns: dict | None = None):
        self.nlp = nlp
        self.set_patterns(patterns or CUES)

    def set_patterns(self, patterns: dict) -> None:
        self.patterns = {k: v for k, v in patterns.items() if not k.startswith("_")}
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # where a topic or framing cue may stand, found in one pass: which sentences are worth tokenizing for them
        self.topic_words = ahocorasick.Automaton()
        for scope in ("sentence", "passage"):
            for phrases in self.patterns.get(scope, {}).values():
                for phrase in phrases:
                    self.topic_words.add_word(phrase.lower(), len(phrase))
        self.topic_words.make_automaton()
        for scope, groups in self.patterns.items():
            if scope not in ("local", "sentence", "passage"):
                continue
            for name, phrases in groups.items():
                self.matcher.add(f"{scope}:{name}", [self.nlp.make_doc(p) for p in phrases])

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["cues"] = self.matcher(doc, as_spans=True)
        return doc

    def topical(self, text: str) -> bool:
        """Whether a sentence or passage cue may be in `text` (a cheap look: the matcher decides)."""
        return next(self.topic_words.iter(text.lower()), None) is not None

    def to_bytes(self, **kwargs) -> bytes:
        return json.dumps(self.patterns).encode()

    def from_bytes(self, data: bytes, **kwargs) -> "CueFinder":
        self.set_patterns(json.loads(data))
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = util.ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / "cues.json").write_text(json.dumps(self.patterns, indent=1), encoding="utf-8")

    def from_disk(self, path, **kwargs) -> "CueFinder":
        self.set_patterns(json.loads((util.ensure_path(path) / "cues.json").read_text(encoding="utf-8")))
        return self


def text_of(doc: Doc) -> str:
    """The doc's text, computed once: Doc.text rebuilds it token by token, which costs as much as tokenizing."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def make_doc(nlp: Language, text: str) -> Doc:
    """A Doc that already knows its text, for nlp.pipe."""
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text
    return doc


def _spans(doc: Doc, items, ext: str, label) -> list[Span]:
    """Spans over the items' offsets (less doc.user_data["found_offset"] when they were found in a larger text)."""
    spans = []
    at = doc.user_data.get("found_offset", 0)
    for it in items:
        span = doc.char_span(it.start - at, it.end - at, label=label(it), alignment_mode="expand")
        if span is not None:
            span._.set(ext, it)
            spans.append(span)
    return spans


@Language.factory("claimcheck_mentions", default_config={"reference": []})
def make_mentions(nlp: Language, name: str, reference: list[str]):
    return MentionFinder(ref.load(tuple(reference)))


@Language.factory("claimcheck_quantities", default_config={"reference": []})
def make_quantities(nlp: Language, name: str, reference: list[str]):
    return QuantityFinder(ref.load(tuple(reference)))


@Language.factory("claimcheck_cues")
def make_cues(nlp: Language, name: str):
    return CueFinder(nlp)


def build(reference: tuple[str, ...] = ()) -> Language:
    """The whole pipeline; build it once per process and reuse it."""
    nlp = spacy.blank("en")
    nlp.add_pipe("claimcheck_mentions", config={"reference": list(reference)})
    nlp.add_pipe("claimcheck_quantities", config={"reference": list(reference)})
    nlp.add_pipe("claimcheck_cues")
    return nlp


def started() -> None:
    """Once the pipeline is built, when the command turned the collector off for start-up (cli.run): freeze what
    start-up made (gc.freeze: collections no longer walk it, and forked batch workers share its pages) and turn the
    collector back on."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


# ---------------------------------------------------------------- the annotate stage

@dataclass
class Annotation:
    """What the claims stage needs of one segment: its sentences, and the mentions and quantities in it."""

    sentences: list[tuple[int, int]]  # character offsets
    mentions: list[Mention]
    quantities: list[Quantity]  # with a unit or bare ("Sixteen.", "closer to eleven and a half")
    cues: list[Cue] = field(default_factory=list)


# the end of a sentence: . ! ? (and closing quotes) before white space, or a line or segment break;
# no alternative may start with \s*, or every space would be tried as a sentence end; the lookahead
# in front lets re skip to the next candidate character instead of trying each position
_SENTENCE_END = re.compile(r"(?=[.!?…\n\x00])([.!?…]+[\"'”’)\]]*(?:[ \t]*[\n\x00][\s\x00]*|(?=\s))|[\n\x00][\s\x00]*)")
CONTEXT_SENTENCES = 2  # sentences before a claim's that are annotated for its topic cues
ELLIPSIS_SENTENCES = 2  # a bare number can take its unit from a quantity said this close before it
SEPARATOR = "\x00"  # between the segments of a transcript: no pattern matches across it


MAX_SENTENCE = 1000  # characters: unpunctuated text is cut at a space, so no "sentence" is the whole transcript


def _cut(text: str, lo: int, hi: int) -> int:
    """Where an over-long sentence is cut: after the last space in [lo, hi) that does not follow a digit
    ("175 billion" stays whole); at hi if there is none."""
    cut = text.rfind(" ", lo, hi)
    while cut > lo and text[cut - 1].isdigit():
        cut = text.rfind(" ", lo, cut)
    return cut + 1 if cut > lo else hi


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets: a run of . ! ? before white space ends one ("0.07" does not), as does a new line;
    one longer than MAX_SENTENCE ends at its last space before that length."""
    # split() with a captured end hands back sentence and end in turn; their lengths give the offsets
    ends = list(accumulate(len(p) for p in _SENTENCE_END.split(text)))[1::2]
    if not ends or ends[-1] < len(text):
        ends.append(len(text))
    out = []
    for a, b in zip([0] + ends, ends):
        while b - a > MAX_SENTENCE:
            cut = _cut(text, a + MAX_SENTENCE // 2, a + MAX_SENTENCE)
            out.append((a, cut))
            a = cut
        if b > a:
            out.append((a, b))
    return out


MAX_RUN = 100_000  # characters in one Doc: spaCy refuses texts over its max_length (a million)


def _runs(spans: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Sentences of a segment that follow one another go through spaCy as one Doc: fewer, larger Docs cost less."""
    out: list[tuple[int, int, int]] = []
    for i, a, b in spans:
        if out and out[-1][0] == i and out[-1][2] >= a - 1 and b - out[-1][1] <= MAX_RUN:
            out[-1] = (i, out[-1][1], b)
        else:
            out.append((i, a, b))
    return out


def _any_in(starts: list[int], a: int, b: int) -> bool:
    k = bisect_left(starts, a)
    return k < len(starts) and starts[k] < b


def annotate(texts: list[str], nlp: Language) -> list[Annotation]:
    """Annotate the segments of a transcript through the spaCy pipeline.

    The finders run once over the whole transcript (segments joined by SEPARATOR), which is far
    cheaper than once a segment. Only the sentences that can hold a claim (a quantity with a
    unit, or a model or accelerator named) then go through spaCy: in a real episode a few percent
    of them, and tokenizing the rest would cost more than everything else together. Each of those
    Docs carries its share of what was found (doc.user_data), so the components set their spans
    without finding anything twice; the spans are what the claims stage reads.
    """
    whole = SEPARATOR.join(texts)
    starts, at = [], 0
    for t in texts:
        starts.append(at)
        at += len(t) + len(SEPARATOR)
    mentions = nlp.get_pipe("claimcheck_mentions").find(whole)
    quantities = nlp.get_pipe("claimcheck_quantities").find(whole, mentions)
    # a name, or a quantity with a unit (or a big one: "fifteen trillion"), can hold a claim; a bare small number
    # ("two of them") only just after one of those, as an elliptical figure ("Sixteen.", "closer to eleven")
    strong = sorted([m.start for m in mentions] + [q.start for q in quantities if q.unit or q.value >= 1e6])
    weak = sorted(q.start for q in quantities if not (q.unit or q.value >= 1e6 or q.value in (0, 1)))
    cues = nlp.get_pipe("claimcheck_cues")
    out = [Annotation([], [], []) for _ in texts]
    wanted, recent, i, last_strong = [], [], 0, -99
    for n, (a, b) in enumerate(sentences(whole)):  # in order, and none crosses a segment
        while i + 1 < len(starts) and starts[i + 1] <= a:
            i += 1
        b = min(b, starts[i] + len(texts[i]))
        out[i].sentences.append((a - starts[i], b - starts[i]))
        if _any_in(strong, a, b):
            # the sentences just before one that holds a claim set its topic ("... the KV cache. Each token is 320 KB")
            wanted += [prev for m, prev in recent if n - m <= CONTEXT_SENTENCES and (not wanted or wanted[-1][1] < prev[1])
                       and cues.topical(whole[prev[1]:prev[2]])]
            recent.clear()
            wanted.append((i, a, b))
            last_strong = n
        elif n - last_strong <= ELLIPSIS_SENTENCES and _any_in(weak, a, b):
            wanted.append((i, a, b))
            recent.clear()
        else:
            recent.append((n, (i, a, b)))
            del recent[:-CONTEXT_SENTENCES]
    wanted = _runs(wanted)

    m_starts, q_starts = [m.start for m in mentions], [q.start for q in quantities]

    def docs():
        for i, a, b in wanted:
            doc = make_doc(nlp, whole[a:b])
            doc.user_data["found_offset"] = a  # what was found is counted from the transcript's start
            doc.user_data["found_mentions"] = mentions[bisect_left(m_starts, a):bisect_left(m_starts, b)]
            doc.user_data["found_quantities"] = quantities[bisect_left(q_starts, a):bisect_left(q_starts, b)]
            yield doc

    for (i, a, b), doc in zip(wanted, nlp.pipe(docs())):
        by = -starts[i]  # from the transcript's offsets to the segment's
        out[i].mentions += [_moved(s._.mention, by) for s in doc.spans["mentions"]]
        out[i].quantities += [shift(s._.quantity, by) for s in doc.spans["quantities"]]
        out[i].cues += [Cue(s.start_char + a + by, s.end_char + a + by, s.label_) for s in doc.spans["cues"]]
    return out


def _moved(m: Mention, by: int) -> Mention:
    return replace(m, start=m.start + by, end=m.end + by)
