"""From annotated text to claims: a model of the passage, then each quantity's role, kind and subject.

Every quantity said about the domain becomes a claim (SPEC 5). The passage model follows who and
what is under discussion: the models and accelerators named, the unnamed ones a speaker sets up
("say you train a 13B model": a hypothetical, its facts are what was said), size-only and pronoun
references ("the 8B", "it"), and the framing (a hypothetical, a counterfactual "by that rule it
should have..."). A quantity's role (the variable it is a value of: params, tokens, compute, GPU
count, ...) comes from its unit and the cue words bound to it (data/roles.json, data/cues.json,
found by spaCy). A bare number takes its unit and role from the passage ("Sixteen." after "32 gigs";
"from 2 trillion to 15 trillion" after talk of tokens). Numbers that are not about the domain
(years, ages, "in ten years", "one of them") are left out. How the subject was found is recorded;
nothing is guessed: no subject stays None.
"""
from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.nlp import CUES, ELLIPSIS_SENTENCES, Annotation, Mention
from pipeline.quantities import (DATA, LEX, SCALE_WORDS, Quantity, factor, name_number_spans, same_dimension, with_per,
                                 with_unit)
from pipeline.reference import Entry, Reference
from pipeline.transcript import Transcript

ROLES = json.loads((DATA / "roles.json").read_text(encoding="utf-8"))
PREMISES = ROLES["premises"]
BINDS = CUES["binds"]
LEXICON = LEX  # data/lexicon.json, read once (quantities)
WINDOW = 8  # how many sentences back still count as the same passage...
WINDOW_WORDS = 250  # ...and how many words (captions without punctuation have very long "sentences")
TOPIC_SENTENCES = 3  # a topic cue ("KV cache") holds for this many sentences
SCOPE_SENTENCES = 30  # the model a passage is about stays its subject this long without being named again
JUST_WORDS = 60  # "Llama 3 70B. Meta says ...": a maker named this soon after its model still means the model
AFTER_REACH = 60  # characters: a name said after a figure is its subject only this close ("2000 GPUs for ... V3")
CUE_REACH = 40  # characters: a local cue binds to a quantity this close to it
_GENERIC_AFTER = re.compile(r"[ \t-]*(?:" + "|".join(re.escape(w) for w in LEXICON["generic_after"]) + r")\b", re.I)  # "1B parameter models"
GENERIC = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in LEXICON["generic_subjects"]) + r")\b", re.I)
HARDWARE_KINDS = {"hardware_spec"}
NO_SUBJECT = {"ratio", "arithmetic"}  # they compare or combine things said; they are about no one model
PRECISION = {"fp32": 4, "float32": 4, "32-bit": 4, "32 bits": 4, "16 bits": 2, "8 bits": 1, "4 bits": 0.5,
             "fp16": 2, "float16": 2, "bf16": 2, "bfloat16": 2, "16-bit": 2,
             "half precision": 2, "fp8": 1, "int8": 1, "8-bit": 1, "int4": 0.5, "4-bit": 0.5,
             "four bits": 0.5, "eight bits": 1, "sixteen bits": 2, "four-bit": 0.5, "eight-bit": 1, "sixteen-bit": 2,
             "half a byte per parameter": 0.5, "a byte per parameter": 1, "one byte per parameter": 1, "1 byte per parameter": 1,
             "two bytes per parameter": 2, "2 bytes per parameter": 2, "four bytes per parameter": 4, "4 bytes per parameter": 4}
_PRECISION = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(PRECISION, key=len, reverse=True)) + r")(?![\w-])", re.I)
# "16-bit weights", "at 16 bits", "eight bits", "one byte per parameter": a precision
_ADJECTIVE_BITS = re.compile(r"(?i)^(?:\d+-bits?|(?:4|8|16|32) bits|(?:four|eight|sixteen|thirty-two)[ -]bits?"
                             r"|(?:half a|an?|one|two|four|[124]) bytes? per (?:parameter|param|weight))$")
_AT_END = re.compile(r"(?i)\bat\s+$")
_PER_AFTER = re.compile(r"[ \t]+per[ \t]+(parameter|token|GPU|second|hour)\b", re.I)
RATE_SENTENCES = 12  # "200 per parameter" takes the unit of a rate said this close before it
_SPOKEN_B = re.compile(r"[ \t]+[bB]\b(?![.'’]\w)")
_SIZE_NAME = re.compile(r"^\d+(?:\.\d+)?[BbMT]$")  # "the 70B", "a 13B": a size used as a name
_WORDS = LEXICON["passage_words"]
_LEADING = re.compile(rf"^\W*(?:(?:{'|'.join(map(re.escape, _WORDS['openers']))})\W+)*$", re.I)  # "No, sorry. Point five five"
_AT = re.compile(rf"\s+(?:{'|'.join(map(re.escape, _WORDS['per_gpu_joiners']))})\s+(?:about\s+|roughly\s+|around\s+)?(?:\$\s*)?", re.I)
_TIMES_AFTER = re.compile(r"^\s+times\b(?!\s+(?:a\b|per\b|an?\s+(?:day|week|month|year)|param|the param|tokens|n\b))", re.I)
_RESULT_BEFORE = re.compile(rf"(?:{'|'.join(map(re.escape, _WORDS['result_words']))})\W*$", re.I)  # "that's seven times"
# numbered things that are no model ("episode 212", "version 3.1", "table 4")
NOT_MODEL_NAMES = ("episode", "ep", "chapter", "number", "part", "season", "#", "version", "release", "table", "figure",
                   "section", "level", "stage", "phase", "gen", "tier", "no")
NOT_CLAIMS = {"not_claim", "negated", "named_by", "time_ago", "corrected"}  # local cues that make a number no claim
COUNT_UNITS = ("GPU", "token", "layer", "head", "kv_head", "expert", "parameter")  # counts: no precision goes with them


@dataclass
class Claim:
    id: str
    kind: str
    quantity: Quantity
    segment: int  # index into transcript.segments
    sentence: str
    sentence_index: int  # counts sentences across the whole transcript
    sentence_start: int  # where the sentence starts in the segment
    speaker: str | None
    start: float | None
    role: str = "other"  # the variable of the passage it is a value of (data/roles.json)
    scope: str | None = None  # the entity it is said of: a reference name, or "hypothetical N"
    framing: str | None = None  # hypothetical | counterfactual | premise (assumed, not claimed) | before ("up from")
    cues: frozenset[str] = frozenset()  # the local cues bound to it, and its sentence's
    topic: frozenset[str] = frozenset()  # the sentence cues said in the last few sentences ("training", "cache")
    subject: Entry | None = None
    subject_source: str | None = None  # sentence | discourse
    subject_how: str = ""
    precision: tuple[str, float] | None = None  # bytes per parameter said with it ("fp16", 2)
    fact: str | None = None  # the reference field an architecture or hardware claim is about
    hardware: Entry | None = None  # the accelerator named in the sentence or the passage, if any
    elliptical: str | None = None  # the quote a bare number took its unit from
    elliptical_here: bool = False  # ...said in its own sentence ("290 gigs in bf16, and 145 in fp8")
    unknown_name: str | None = None  # a model named with it that the reference data does not know
    comparand: Entry | None = None  # for a ratio: what the subject is compared with ("twice an H100")
    compared: str | None = None  # ...and the role compared ("43% more bandwidth": bandwidth)
    input_only: bool = False  # an input of the passage (a batch size), not reported as a claim
    generic: str | None = None  # typical: said of models in general ("LLMs are typically trained on ..."); kind: of a
    # kind of model ("a billion parameter models"), which says such models exist
    notes: list[str] = field(default_factory=list)

    @property
    def quote(self) -> str:
        return self.quantity.text


@dataclass
class _Topic:
    """What the passage is about: the last model or family named, and the last size said."""

    entry: Entry | None = None
    entry_at: tuple[int, int] = (-99, -9999)  # (sentence, word) where it was last named
    size: Quantity | None = None
    size_at: tuple[int, int] = (-99, -9999)

    @staticmethod
    def fresh(at: tuple[int, int], now: tuple[int, int]) -> bool:
        return now[0] - at[0] <= WINDOW and now[1] - at[1] <= WINDOW_WORDS


@dataclass
class _Passage:
    """The state of the passage as it is read: topics, the frame, the cues said lately."""

    models: _Topic = field(default_factory=_Topic)
    hardware: _Topic = field(default_factory=_Topic)
    scope: str | None = None
    hypothetical: int = 0  # the number of the hypothetical under discussion, 0 for none
    hypotheticals: int = 0
    hypothetical_at: tuple[int, int] = (-99, -9999)  # where its last figure was said
    topic_cues: dict[str, int] = field(default_factory=dict)  # sentence cue -> last sentence it was said
    last: "Claim | None" = None  # the last quantity with a unit, for elliptical numbers
    previous_hardware: Entry | None = None  # the accelerator discussed before the one under discussion
    precision: tuple | None = None  # (scope, (word, bytes), sentence): a precision said of what follows
    about: tuple[str, int] | None = None  # the model the last claim resolved by name or discourse was about, and where
    sizes_said: list[Mention] = field(default_factory=list)  # "the 8B" in this sentence, as a name
    recent: list["Claim"] = field(default_factory=list)  # the claims said lately, the last one last


def _is_size_name(q: Quantity, text: str) -> bool:
    """'the 8B', 'the seventy b': a model's size used as its name."""
    return q.unit is None and (_SIZE_NAME.match(q.text) is not None or _SPOKEN_B.match(text, q.end) is not None)


def _bind(quantities: list[Quantity], cues, names: list[bool]) -> list[set[str]]:
    """Local cues bind to the quantity they are part of, else to the nearest one within CUE_REACH characters (a size
    used as a name takes none)."""
    out = [set() for _ in quantities]
    for c in cues:
        scope, name = c.label.split(":", 1)
        if scope != "local" or not quantities:
            continue
        way = BINDS.get(name)
        near = [(0 if q.start <= c.start and c.end <= q.end else c.start - q.end if c.start >= q.end else q.start - c.end, i)
                for i, q in enumerate(quantities)
                if not (names[i] or way == "next" and q.start < c.end or way == "previous" and q.end > c.start)]
        d, i = min(near, default=(CUE_REACH + 1, 0))
        if d <= CUE_REACH:
            out[i].add(name)
    return out


_CONDITIONS = [{k: frozenset(rule[k]) for k in ("local", "cue", "not_local", "topic") if k in rule} for rule in ROLES["rules"]]


@lru_cache(maxsize=None)
def _rules_for_unit(unit: str) -> list[tuple[dict, dict]]:
    """The rules whose unit a quantity in `unit` can have, in order."""
    return [(rule, cond) for rule, cond in zip(ROLES["rules"], _CONDITIONS)
            if (unit == rule["unit"] if rule.get("exact") else same_dimension(unit, rule["unit"]))]


def _rule_for(q: Quantity, cues: set[str], said: set[str], topic: set[str], hardware_named: bool,
              hardware_before: bool, system_named: bool = False) -> dict | None:
    """The first rule of data/roles.json that the quantity fits."""
    for rule, cond in _rules_for_unit(q.unit):
        if rule.get("hardware") and not hardware_named:
            continue
        if rule.get("system") and not system_named:
            continue
        if rule.get("hardware_before") and not hardware_before:
            continue
        if "local" in cond and not cues & cond["local"]:
            continue
        if "cue" in cond and not (cues & cond["cue"] or said & cond["cue"]):
            continue
        if "not_local" in cond and cues & cond["not_local"]:
            continue
        if "topic" in cond and not topic & cond["topic"]:
            continue
        size = q.value * factor(q.unit, rule["unit"]) if "max" in rule or "min" in rule else 0
        if size > rule.get("max", math.inf) or size < rule.get("min", 0):
            continue
        return rule
    return None


_YEAR = re.compile(r"(?:19|20)\d\d(?:\s*(?:to|-|–)\s*(?:19|20)\d\d)?")
SCALES = [(w, v) for w, v in sorted(SCALE_WORDS.items(), key=lambda x: -x[1]) if v >= 1e3]
_MONEY_WORDS = "(?:" + "|".join(map(re.escape, LEXICON["money_words"])) + ")"
_MONEY_ANY = re.compile(rf"(?i)\b{_MONEY_WORDS}\b")
_MONEY_BEFORE = re.compile(rf"(?i)\b{_MONEY_WORDS}\b[^,.;:]{{0,25}}$")  # "a market cap of like 1.8 trillion", in its clause
_MONEY_AFTER = re.compile(rf"(?i)(?:\s+(?:that|which)\s+[^,.;:]{{1,25}}?)?\s+{_MONEY_WORDS}\b")  # "6 million that DeepSeek spent"
UNIT_NOUNS = {k.lower(): v for k, v in LEXICON["unit_nouns"].items()}
_UNIT_NOUN = re.compile(r"(?i)\b(" + "|".join(re.escape(n) for n in sorted(UNIT_NOUNS, key=len, reverse=True)) + r")\b")


def _read_bare(q: Quantity, before: str, after: str, cues: set[str], said: set[str], p: _Passage, k: int,
               noun_unit: str | None) -> tuple[Quantity, bool] | None:
    """A bare number read with the unit the passage gives it, and whether that unit came from an earlier
    quantity (an elliptical number); None when it is just a number."""
    if cues & NOT_CLAIMS or q.value == 0 or (q.value == 1 and q.rounding.high - q.rounding.low >= 1):
        return None  # "the one I like": a bare one is a word, not a figure
    if _YEAR.fullmatch(q.text):
        return None
    m = _TIMES_AFTER.match(after)
    if m and (_RESULT_BEFORE.search(before) or _LEADING.match(before)):  # "that's seven times", "More than ten times."
        return replace(q, end=q.end + m.end(), text=q.text + after[:m.end()], unit="fold"), False
    m = _PER_AFTER.match(after)
    rate = next((c for c in reversed(p.recent) if c.quantity.unit.endswith(f" / {m.group(1).lower()}")
                 and k - c.sentence_index <= RATE_SENTENCES), None) if m else None
    if rate is not None:  # "It's over 200 per parameter", after "twenty tokens per parameter"
        q = replace(q, end=q.end + m.end(), text=q.text + after[:m.end()])
        return with_unit(q, rate.quantity.unit, before), False
    scaled = q.value >= 1e6 or _scale_of(q.text) > 1
    ante = p.last if p.last is not None and k - p.last.sentence_index <= ELLIPSIS_SENTENCES else None
    if noun_unit:  # "the GPU hours were like one point eight million"
        unit = noun_unit
    elif scaled and (_MONEY_BEFORE.search(before) or _MONEY_AFTER.match(after)):  # "the 6 million that DeepSeek spent"
        unit = "dollar"
    elif q.value >= 1e18:  # "six N D is eight point four times ten to the twenty-fourth": only compute is that large
        unit = "FLOP"
    elif scaled and q.value >= 1e8 and "model_named" in said and not _MONEY_ANY.search(before):
        # "mix trial eight by seven B. That's fifty-six billion" (not "the cost, with the hardware, was 1.6 billion")
        unit = "parameter"
    elif ante is not None and (_LEADING.match(before) or cues & {"active", "total"} or _PRECISION.search(after[:12])
                               or (k - ante.sentence_index <= 1 and len(before) + len(after) < 160
                                   and ante.quantity.unit not in LEXICON["exact_count_units"])):  # "61 layers, 256 experts"
        scale = 1.0 if scaled else _scale_of(ante.quantity.text)  # "Twelve point eight" after "128 million dollars"
        if not 1 / 30 <= q.value * scale / max(ante.quantity.value, 1e-300) <= 30:
            return None
        q = _with_qualifier(q, after)
        return with_unit(q, ante.quantity.unit, before, scale, ante.quantity.readings), True
    else:
        return None
    if not scaled and q.value < 2 and unit != "FLOP":
        return None
    return with_unit(_with_qualifier(q, after), unit, before), False


_QUALIFIER_AFTER = re.compile(r"[ \t]+(?:active|activated|total)\b", re.I)


def _with_qualifier(q: Quantity, after: str) -> Quantity:
    """'roughly thirteen active': the qualifier is part of what was said."""
    m = _QUALIFIER_AFTER.match(after)
    return replace(q, end=q.end + m.end(), text=q.text + after[:m.end()]) if m else q


def _scale_of(text: str) -> float:
    low = text.lower()
    return next((v for w, v in SCALES if w in low), 1.0)


class _Slicer:
    """What a segment's annotation holds in a sentence, by bisection (a long segment has many sentences)."""

    def __init__(self, ann: Annotation):
        self.lists = tuple(sorted(items, key=lambda x: x.start) for items in (ann.cues, ann.mentions, ann.quantities))
        self.starts = [[x.start for x in items] for items in self.lists]

    def __call__(self, a: int, b: int) -> tuple[list, list, list]:
        return tuple(items[bisect_left(st, a):bisect_left(st, b)] for items, st in zip(self.lists, self.starts))


def find_claims(transcript: Transcript, annotations: list[Annotation], reference: Reference) -> list[Claim]:
    claims: list[Claim] = []
    p = _Passage()
    k, words = -1, 0
    for seg_i, (seg, ann) in enumerate(zip(transcript.segments, annotations)):
        if not (ann.cues or ann.mentions or ann.quantities):  # most segments: only sentences and words to count
            k += len(ann.sentences)
            words += sum(seg.text.count(" ", a, b) + 1 for a, b in ann.sentences)
            continue
        within = _Slicer(ann)
        for a, b in ann.sentences:
            k += 1
            now = (k, words)
            words += seg.text.count(" ", a, b) + 1
            s_cues, s_mentions, s_q = within(a, b)
            if not (s_cues or s_mentions or s_q):
                continue  # most sentences: nothing to resolve, only words to count
            precision = _PRECISION.search(seg.text, a, b)  # a precision said in the sentence ("in fp8")
            said, topic = _cues_said(p, k, s_cues, s_q, precision)
            # "Chinchilla said twenty tokens per parameter": the rule's source, not the model under discussion
            rules = [c for c in s_cues if c.label == "sentence:rule"]
            rule_sources = [m for m in s_mentions if any(c.start <= m.start < c.end or m.start <= c.start < m.end for c in rules)]
            s_mentions = [m for m in s_mentions if m not in rule_sources]
            s_mentions = _short_names(p, s_mentions, reference, now)
            framing = _frame(p, s_mentions, said, reference, now, seg.text)
            s_mentions = _version(p, seg.text[a:b], s_mentions, reference, now)
            if p.models.entry is not None and k - p.models.entry_at[0] <= 1 and p.models.entry.name not in reference.makers:
                said.add("model_named")  # a model, not a maker ("Meta's market cap is 1.8 trillion")
            s_claims: list[Claim] = []
            p.sizes_said = []
            for q, local in zip(s_q, _bind(s_q, s_cues, [_is_size_name(q, seg.text) for q in s_q])):
                claim = _read(q, local, said, topic, s_q, s_mentions, p, reference, seg, seg_i, (a, b), now, len(claims))
                if claim is None:
                    continue
                claim.framing = framing if claim.kind not in HARDWARE_KINDS else None  # a chip's specs are facts in any scenario
                if framing == "hypothetical":
                    p.hypothetical_at = now  # a figure of it keeps the hypothetical going
                if _premise(claim, framing, local, seg.text[max(a, claim.quantity.start - 12):claim.quantity.start]):
                    claim.framing = "premise"
                elif "state_before" in local:  # "128K context, up from 8K": what it was before, not what it is now
                    claim.framing = "before"
                if not claim.input_only:
                    named = sorted(s_mentions + p.sizes_said, key=lambda m: m.start)
                    _place(claim, named + rule_sources if claim.role == "tokens_per_param" else named, p, reference, now, s_q)
                    p.last = claim
                    p.recent = p.recent[-20:] + [claim]
                else:  # a batch size, the days of a run: inputs, not figures the next bare number follows
                    claim.scope = p.scope if not p.hypothetical else f"hypothetical {p.hypothetical}"
                claims.append(claim)
                s_claims.append(claim)
            _respectively(s_claims, s_mentions, reference)
            _said_of_unnamed(s_claims, s_mentions, seg.text)
            _carry_precision(p, s_claims, precision, k)
            if not s_mentions and p.models.size_at == now and p.models.entry is not None:
                p.models.entry_at = now  # a size said keeps the family under discussion
    return claims


def _cues_said(p: _Passage, k: int, s_cues, s_q: list[Quantity], precision: re.Match | None) -> tuple[set[str], set[str]]:
    """The sentence's own cues (and what its figures say: a parameter count, a GPU count, a precision), and the
    topic cues of the last few sentences."""
    said = {c.label.split(":", 1)[1] for c in s_cues if not c.label.startswith("local:")}
    for name in said:
        p.topic_cues[name] = k
    topic = {n for n, at in p.topic_cues.items() if k - at <= TOPIC_SENTENCES}
    if any(q.unit == "parameter" for q in s_q):
        said.add("params_said")
    if any(q.unit == "GPU" for q in s_q):
        said.add("gpus_said")
    if precision:
        said.add("precision_said")
    return said, topic


def _carry_precision(p: _Passage, s_claims: list[Claim], said: re.Match | None, k: int) -> None:
    """'The fun one is the 70B on an H200 in fp8.' A precision said with a model named, and with no figure of its
    own, holds for what follows."""
    if said and p.models.entry_at[0] == k and not any(c.precision for c in s_claims):
        p.precision = (p.scope, (said.group(1), PRECISION[said.group(1).lower()]), k)


_CLAUSE = re.compile(r"[,;:]|\band\b|\bor\b|\bbut\b")
# "a 7B model", "a dense 70B", "Mistral's 12B" (not "that's 56B")
_A_SIZE = re.compile(r"(?i)(?:\b(?:an?|any)|\b(?!(?:that|it|what|there|here|let|he|she|who)'s)[a-z][\w-]*'s)\s+(?:[a-z-]+\s+)?$")
_UNNAMED = re.compile(r"(?i)\b(?:model|models|llm|llms)\b")  # a size said as a kind of model ("a 7B model")
_FOR_NAME = re.compile(r"\s*(?:per token\s*|of cache\s*)?(?:for|of|on|with)\s+(?:the\s+)?", re.I)
_THAT_NAME = re.compile(r"\s*(?:that|which)\s+(?:the\s+)?", re.I)  # "the 5 million that DeepSeek spent"
# another clause, not a fronted phrase ("With 405 billion parameters, Llama 3.1 405B ..." keeps its name)
_CLAUSE_BREAK = re.compile(r"[;—]|\b(?:though|although|but|while|whereas|unlike|and)\b", re.I)
_FOR_A = re.compile(r"(?i)\b(?:for|of|on|in|with)\s+(?:an?|one)\s+(?:[a-z-]+\s+){0,2}$")


def _said_of_unnamed(s_claims: list[Claim], s_mentions: list[Mention], text: str) -> None:
    """'2.5 megabytes for a dense 70B model': the figure just before such a size, and the size itself, are of an
    unnamed model, not of the one under discussion."""
    for i, size in enumerate(s_claims):
        if size.role != "params" or not _FOR_A.search(text, max(0, size.quantity.start - 40), size.quantity.start):
            continue
        before = s_claims[i - 1] if i else None
        named_between = before is not None and any(before.quantity.end <= m.start < size.quantity.start for m in s_mentions)
        for c in (size, before) if before is not None and not named_between else (size,):
            if c.kind not in NO_SUBJECT | HARDWARE_KINDS:
                c.subject, c.subject_source, c.scope = None, None, f"unnamed {size.quote}"
                c.subject_how = f"said of an unnamed model ('{size.quote}'), not of one in the reference data"


def _respectively(s_claims: list[Claim], s_mentions: list[Mention], reference: Reference) -> None:
    """'Between Llama 2 and Llama 3 it went from 2 trillion to 15 trillion': names and figures in the same order."""
    models = [m for m in s_mentions if m.kind != "hardware"]
    models = [m for m in models if not any(_wider(reference, reference.get(m.name), reference.get(o.name)) for o in models)]
    if len(models) < 2 or not s_claims or models[-1].end > s_claims[0].quantity.start:
        return
    same = [c for c in s_claims if c.role == s_claims[0].role and c.kind not in NO_SUBJECT]
    if len(same) != len(models) or len({m.name for m in models}) != len(models):
        return
    for c, m in zip(same, models):
        c.subject, c.subject_source, c.scope = reference.get(m.name), "sentence", m.name
        c.subject_how = f"'{m.text}': the names and the figures of the sentence in the same order"


_VERSION_SAID = re.compile(r"(?i)\b(?:the\s+(\d+(?:\.\d+)?)\s+(?:version|release)|version\s+(\d+(?:\.\d+)?))\b")
_NAME_PARTS = re.compile(r"^(.*?\D)\s*(\d+(?:\.\d+)?)(\s+\S+)?$")  # "Llama 3 70B": name, version, size


def _version(p: _Passage, sentence: str, s_mentions: list[Mention], reference: Reference, now) -> list[Mention]:
    """'And the 3.1 version goes out to 128K' after Llama 3 70B: Llama 3.1 70B is under discussion, and the
    sentence's own 'Llama 3 70B' ('Llama 3 70B has 128K in the 3.1 release') means it too."""
    said = _VERSION_SAID.search(sentence)
    named = _under_discussion(p, reference, now) if said else None
    if named is None:
        return s_mentions
    t = p.models
    parts = _NAME_PARTS.match(named.name)
    other = reference.get(f"{parts.group(1).strip()} {said.group(1) or said.group(2)}{parts.group(3) or ''}") if parts else None
    if other is None or other.kind not in ("model", "family"):
        return s_mentions
    t.entry, t.entry_at, p.scope = other, now, other.name
    return [replace(m, name=other.name) if m.name == named.name else m for m in s_mentions]


def _short_names(p: _Passage, s_mentions: list[Mention], reference: Reference, now) -> list[Mention]:
    """'V3' while DeepSeek is discussed, 'Opus' after Claude 3: a short name (found by the mention finder) names the
    model of a family under discussion or named in the sentence; of no such family, it names nothing ('Rabbit R1')."""
    if not any(m.kind == "short" for m in s_mentions):
        return s_mentions
    named = [_under_discussion(p, reference, now)] + [reference.get(m.name) for m in s_mentions if m.kind in ("model", "family")]
    families = {e.name if e.kind == "family" else e.family for e in named if e is not None}
    shorts = reference.short_names()
    out = []
    for m in s_mentions:
        if m.kind != "short":
            out.append(m)
        elif member := next((shorts[m.name][f] for f in shorts[m.name] if f in families), None):
            out.append(replace(m, kind="model", name=member))
    return out


_PREMISE_BEFORE = {role: re.compile(rf"(?i)\b(?:{'|'.join(map(re.escape, words))})\s+(?:an?\s+|the\s+)?$")
                   for role, words in PREMISES["before"].items() if words}  # "at 128K context": a setting, not a claim


def _premise(claim: Claim, framing: str | None, local: set[str], before: str) -> bool:
    """A figure the speaker assumes rather than claims (data/roles.json "premises")."""
    if claim.role in PREMISES["always"] and claim.kind != "arithmetic":
        return True
    if framing == "hypothetical" and claim.role in PREMISES["hypothetical"] and "result" not in local:
        return True
    said = _PREMISE_BEFORE.get(claim.role)
    return said is not None and said.search(before) is not None


def _frame(p: _Passage, s_mentions: list[Mention], said: set[str], reference: Reference, now, text: str) -> str | None:
    """Follow the names said and the framing cues; the framing of this sentence's claims."""
    _follow_mentions(p, s_mentions, reference, now, text)
    if "real" in said or p.hypothetical and not _Topic.fresh(p.hypothetical_at, now):
        p.hypothetical = 0  # "in reality ...", or a passage gone by with no figure of the hypothetical
    if "scene" in said and all(m.kind == "hardware" for m in s_mentions):  # "Now it's a hundred thousand H100s": another cluster, another time
        p.hypothetical, p.scope = 0, f"scene {now[0]}"
        p.models.entry_at = (-99, -9999)
    if "hypothetical" in said and not any(m.kind != "hardware" and m.name not in reference.makers for m in s_mentions):
        p.hypotheticals += 1
        p.hypothetical, p.hypothetical_at = p.hypotheticals, now
        p.scope = f"hypothetical {p.hypothetical}"
    return "counterfactual" if "counterfactual" in said else ("hypothetical" if p.hypothetical else None)


def _read(q: Quantity, local: set[str], said: set[str], topic: set[str], s_q: list[Quantity], s_mentions: list[Mention],
          p: _Passage, reference: Reference, seg, seg_i: int, sentence: tuple[int, int], now, n: int) -> Claim | None:
    """One quantity as a claim with its role and kind, or None when it is no claim."""
    a, b = sentence
    k = now[0]
    said_as = q  # as found, before the passage reads it with a unit
    if "corrected" in local and not any(x.start >= q.end for x in s_q):
        local = local - {"corrected"}  # "405 billion parameters, I mean, it's huge": nothing corrects it
    if _ADJECTIVE_BITS.match(q.text) or q.unit == "byte" and q.value <= 4 and _AT_END.search(seg.text, a, q.start):
        return None  # "16-bit weights", "at one byte" name a precision, they claim nothing
    if _is_size_name(q, seg.text):  # "the 8B", "a 13B", "the seventy b": a name, not a claim
        if not _SIZE_NAME.match(q.text):
            q = replace(q, value=q.value * 1e9, rounding=q.rounding.scale(1e9))
        named = _NAME_BEFORE_SIZE.search(seg.text, max(a, q.start - 30), q.start)
        if named is None or named.group(1).lower() in FUNCTION_WORDS or reference.find(named.group(1)):
            # not "Chameleon 34B": the size of a model we do not know
            _size_reference(p, q, reference, now)
        return None
    ellipsis = None
    if q.unit is None:
        if "batch" in local:
            return _claim(n, q, "other", "batch", seg_i, seg, sentence, k, None, input_only=True)
        lo = max([a, q.start - 50] + [x.end for x in s_q if x.end <= q.start])  # a unit word said alone, not with a number
        nouns = [UNIT_NOUNS[m.group(1).lower()] for m in _UNIT_NOUN.finditer(seg.text, lo, q.start)]
        if not nouns and topic & {"training", "tokens_said"} and "trillion" in q.text.lower():
            nouns = ["token"]  # "Meta went from 2 trillion to 15 trillion", after talk of training data
            local = local | {"training"}
        read = _read_bare(q, seg.text[max(a, q.start - 80):q.start], seg.text[q.end:b], local, said, p, k,
                          nouns[-1] if nouns else None)
        if read is None:
            return None
        q, from_passage = read
        ellipsis = p.last if from_passage else None
    if _not_a_claim(q, local, seg.text[max(a, q.start - 30):q.start], p, k):
        if q.unit and same_dimension(q.unit, "second") and not local & NOT_CLAIMS:
            # "1,000 H100s for 10 days": the time of a run; "awake for 16,000 hours": a time the speaker multiplies by
            role = "run_time" if any(x.unit == "GPU" for x in s_q) else "duration"
            return _claim(n, q, "other", role, seg_i, seg, sentence, k, None, input_only=True)
        return None
    counted = [x for x in s_q if x.end <= q.start and x.unit == "GPU"]
    if counted and _AT.fullmatch(seg.text, counted[-1].end, q.start):
        local = local | {"per_gpu"}  # "512 GPUs at 700 watts": the figure is per GPU
    last = p.last
    if (ellipsis is None and last is not None and k - last.sentence_index <= ELLIPSIS_SENTENCES and " / " in last.quantity.unit
            and " / " not in q.unit and same_dimension(q.unit, last.quantity.unit.split(" / ")[0]) and not local - {"result"}):
        per = last.quantity.unit.split(" / ", 1)[1]  # "five and a half bits per token ... under a tenth of a bit"
        f = factor(q.unit, last.quantity.unit.split(" / ")[0])
        if (any(same_dimension(per, u) for u in ("token", "parameter", "second"))
                and 1e-4 <= q.value * f / max(last.quantity.value, 1e-300) <= 1e4):
            q = with_per(q, per)
    hw_named = q.item is not None or any(m.kind == "hardware" and abs(q.start - m.end) <= 60
                                         for m in s_mentions)
    hw_before = any(m.kind == "hardware"  # "each H100 gives you 80 gigs", "an 80 gig A100"
                    and (0 <= q.start - m.end <= 30 and not any(m.end <= o.start < q.start for o in s_mentions
                                                                 if o.kind != "hardware")
                         or 0 <= m.start - q.end <= 2)
                    for m in s_mentions)
    nearest = max((m for m in s_mentions if m.kind == "hardware" and m.end <= q.start), key=lambda m: m.end, default=None)
    system = (nearest is not None and q.start - nearest.end <= 60  # "a DGX H100 draws 10.2 kW": the whole system's
              and reference.get(nearest.name).fact("system_power_w") is not None)  # not "a DGX H100's H100s draw 700 W"
    rule = _rule_for(q, local, said, topic, hw_named, hw_before, system)
    if ("result" in local and (rule is None or rule["role"] in PREMISES["always"])
            or "worked_out" in local and rule is not None and rule["kind"] == "other"):
        # "so about $4,600 a day", "is $16 an hour": the speaker's own arithmetic (and still, say, a price)
        rule = {**(rule or {"role": "result"}), "kind": "arithmetic"}
    if ellipsis is not None and ellipsis.role != "other" and same_dimension(q.unit, ellipsis.quantity.unit) \
            and (rule is None or not local - {"not_claim"}):
        rule = {"role": ellipsis.role, "kind": ellipsis.kind, "fact": ellipsis.fact}  # "Gigabytes. A hundred and fifty gigabytes."
    rule = rule or {"role": "other", "kind": "other"}
    if rule.get("read_as") == "per token":
        q = with_per(q, "token")
    elif rule.get("read_as"):
        q = replace(q, unit=rule["read_as"] if rule["read_as"] != "FLOPS" else f"{q.unit} / second")
    claim = _claim(n, q, rule["kind"], rule["role"], seg_i, seg, sentence, k, rule.get("fact"))
    claim.cues, claim.topic = frozenset(local | said), frozenset(topic)
    claim.precision = _precision_near(seg.text, said_as, [x for x in s_q if not (x.unit in COUNT_UNITS or _ADJECTIVE_BITS.match(x.text))], a, b)
    if claim.precision is None and p.precision is not None and p.precision[0] == p.scope and k - p.precision[2] <= 2:
        claim.precision = p.precision[1]
    if ellipsis is not None:
        claim.elliptical, claim.elliptical_here = ellipsis.quote, ellipsis.sentence_index == k
        claim.notes.append(f"unit from the passage: '{q.text}' read as {q.unit}, after '{ellipsis.quote}'")
    return claim


COMPARED = ROLES["compared"]
_COMPARED_WORD = re.compile(r"(?i)\b(" + "|".join(map(re.escape, COMPARED)) + r")\b")


def _comparison(claim: Claim, s_mentions: list[Mention], p: _Passage, reference: Reference, now) -> None:
    """A ratio between two named things: 'twice an H100', '43% more bandwidth' (than the chip before), 'than GPT-3'."""
    q = claim.quantity
    named = sorted((m for m in s_mentions if m.comparand), key=lambda m: m.start < q.start)  # after it first
    at = q.start - claim.sentence_start
    before = list(_COMPARED_WORD.finditer(claim.sentence, max(0, at - 40), at))  # the nearest first
    what = _COMPARED_WORD.search(claim.sentence, at, at + 60) or (before[-1] if before else None)
    last = p.last
    if not named and last is not None and last.comparand is not None and now[0] - last.sentence_index <= 1 \
            and last.quantity.unit == q.unit:  # "176% more memory than the H100." "Seventy-six percent more."
        claim.subject, claim.subject_source, claim.comparand, claim.compared = last.subject, "discourse", last.comparand, last.compared
        claim.subject_how = last.subject_how + ", as just said"
        return
    if named:
        comparand = reference.get(named[0].name)
    elif what and "more" in claim.cues and p.previous_hardware is not None and COMPARED[what.group(1).lower()] in HW_ROLES:
        comparand = p.previous_hardware  # "And if I swap in an H200? ... about 43% more bandwidth"
    else:
        return
    own = [m for m in s_mentions if not m.comparand and m.end <= q.start
           and (m.kind == "hardware") == (comparand.kind == "hardware")]
    topic = p.hardware if comparand.kind == "hardware" else p.models
    subject = reference.get(own[-1].name) if own else topic.entry if _Topic.fresh(topic.entry_at, now) else None
    if subject is not None and subject.name == comparand.name:
        subject = None  # "thirty times the GPT-4 cluster" said of a cluster with no name: its figure is the one said last
    claim.subject, claim.subject_source, claim.comparand = subject, ("sentence" if own else "discourse") if subject else None, comparand
    claim.subject_how = f"'{subject.name if subject else 'what was just said'}' compared with '{comparand.name}'"
    claim.compared = COMPARED[what.group(1).lower()] if what else None


HW_ROLES = {"bandwidth", "hw_memory", "compute"}


def _place(claim: Claim, s_mentions: list[Mention], p: _Passage, reference: Reference, now, s_q: list[Quantity]) -> None:
    """The claim's subject, accelerator and scope, from its sentence and the passage; the passage follows it."""
    hw_kind = claim.kind in HARDWARE_KINDS
    if claim.kind == "ratio":
        _comparison(claim, s_mentions, p, reference, now)
    if claim.kind not in NO_SUBJECT:
        _resolve(claim, s_mentions, p.hardware if hw_kind else p.models, reference, now, hw_kind, s_q)
    scoped = reference.get(p.scope) if p.scope and now[0] - p.models.entry_at[0] <= SCOPE_SENTENCES else None
    if (claim.subject is None and not p.hypothetical and scoped is not None and scoped.kind != "hardware"
            and claim.kind not in NO_SUBJECT | HARDWARE_KINDS and not claim.subject_how):
        # the model the passage is about, named a while ago; still talked of if a claim just before was about it
        talked = p.about is not None and p.about[0] == scoped.name and now[0] - p.about[1] <= WINDOW
        claim.subject, claim.subject_source = scoped, "discourse" if talked else "passage"
        claim.subject_how = f"'{scoped.name}' under discussion in the passage"
    elif claim.subject is not None and claim.subject_source in ("sentence", "discourse") and not hw_kind:
        p.about = (claim.subject.name, now[0])
    if p.hypothetical and not hw_kind and claim.comparand is None and (claim.subject_source == "discourse" or not claim.subject_how):
        claim.subject, claim.subject_source = None, None
        claim.subject_how = "a hypothetical: its figures are what was said, not a real model's"
    q = claim.quantity
    named = [m for m in s_mentions if m.kind == "hardware"]
    if q.item and reference.lookup(q.item, "hardware"):
        claim.hardware = reference.lookup(q.item, "hardware")
    elif named:
        claim.hardware = reference.get(named[0].name)
    elif p.hardware.entry is not None and _Topic.fresh(p.hardware.entry_at, now):
        claim.hardware = p.hardware.entry
    if claim.hardware is not None and not hw_kind:
        p.hardware.entry, p.hardware.entry_at = claim.hardware, now
    if claim.role == "params" and claim.subject is None and not p.hypothetical and not claim.unknown_name \
            and _UNNAMED.search(claim.quote):
        p.scope = f"unnamed {claim.quote}"  # "you can run a 7B model on a laptop": a model of that size, not the one named
        p.models.entry, p.models.entry_at = None, (-99, -9999)
    if claim.unknown_name:
        p.scope, p.hypothetical = f"unknown {claim.unknown_name}", 0  # "Kimi K2 is a trillion total": not in the reference data
    claim.scope = (claim.subject.name if claim.subject is not None and hw_kind
                   else f"hypothetical {p.hypothetical}" if p.hypothetical
                   else claim.subject.name if claim.subject is not None else p.scope)
    if claim.kind == "parameter_count" and claim.role != "params_active":
        p.models.size, p.models.size_at = q, now


def _claim(n: int, q: Quantity, kind: str, role: str, seg_i: int, seg, sentence: tuple[int, int], k: int, fact,
           input_only: bool = False) -> Claim:
    a, b = sentence
    text = seg.text[a:b]
    return Claim(id=f"c{n + 1}", kind=kind, quantity=q, segment=seg_i, sentence=text.strip(),
                 sentence_start=a + len(text) - len(text.lstrip()), sentence_index=k, speaker=seg.speaker,
                 start=seg.time_at(q.start), role=role, fact=fact, input_only=input_only)


def _precision_near(text: str, q: Quantity, s_q: list[Quantity], a: int, b: int) -> tuple[str, float] | None:
    """The precision said with this quantity: each precision of the sentence goes with the quantity nearest to it
    ("290 gigs in bf16, and 145 in fp8"; "In fp16 the weights are 140 gigabytes")."""
    def gap(m, x):  # characters between them, and a clause boundary ("70 gigabytes, and at 4-bit") counts for more
        lo, hi = (x.end, m.start()) if m.start() >= x.end else (m.end(), x.start)
        return hi - lo + (30 if _CLAUSE.search(text, lo, hi) else 0)
    mine = [m for m in _PRECISION.finditer(text, a, b) if q in s_q and min(s_q, key=lambda x: gap(m, x)) is q]
    if not mine:
        return None
    m = min(mine, key=lambda m: gap(m, q))
    return m.group(1), PRECISION[m.group(1).lower()]


_NOT_DURATION_BEFORE = re.compile(r"(?i)\b(?:in|for|every|last|the last|of|since|ago|each)\s+(?:about\s+|the\s+)?$")


RUN_ROLES = {"run_time", "compute", "gpus", "mfu", "gpu_hours"}


def _not_a_claim(q: Quantity, local: set[str], before: str, p: _Passage, k: int) -> bool:
    """Numbers that are not about the domain: spans of time, shares of an audience, a count of one."""
    if local & NOT_CLAIMS:  # "0.07, not 0.5": the figure corrected, not said again; "the 3.1 version": a name
        return True
    if q.unit and same_dimension(q.unit, "second"):
        # a duration is a claim only as the time of a run worked out in the passage, not "in ten years"
        if "run_time" in local:  # "you're done in about three weeks"
            return False
        run = p.last is not None and p.last.role in RUN_ROLES and k - p.last.sentence_index <= 2
        return not run or bool(_NOT_DURATION_BEFORE.search(before))
    if q.unit in COUNT_UNITS and q.value == 1:
        return True  # "one GPU", "one token at a time"
    return False


def _follow_mentions(p: _Passage, s_mentions: list[Mention], reference: Reference, now, text: str) -> None:
    for m in s_mentions:
        e = reference.get(m.name)
        if m.comparand:
            continue  # "about two and a quarter times an H100": what it is compared with, not what is discussed
        t = p.hardware if e.kind == "hardware" else p.models
        if _wider(reference, e, t.entry) and _just(t.entry_at, now) and not _OTHER_AFTER.match(text, m.end):
            t.entry_at = now  # "Llama 3" or "Meta" after "Llama 3 70B": still the same model
            p.hypothetical, p.scope = 0, t.entry.name
            continue
        if t.entry is None or t.entry.name != e.name:
            if t is p.hardware:
                p.previous_hardware = t.entry
            t.entry, t.size, t.size_at = e, None, (-99, -9999)
        t.entry_at = now
        if e.kind != "hardware":
            p.hypothetical, p.scope = 0, e.name


# "Meta trained its newer models on ...": a wider name that says it means another model
_OTHER_AFTER = re.compile(r"(?i)\W*(?:'s\s+)?(?:[a-z]+\s+){0,2}?(?:" + "|".join(LEXICON["other_model_words"]) + r")\b")


def _just(at: tuple[int, int], now: tuple[int, int]) -> bool:
    """Named in this sentence or the one before, a few words ago: a wider name said now still means it."""
    return now[0] - at[0] <= 1 and now[1] - at[1] <= JUST_WORDS


def _wider(reference: Reference, e: Entry, topic: Entry | None) -> bool:
    """'Llama 3' or 'Meta' said while Llama 3 70B is discussed: a wider name for the model under discussion."""
    if topic is None or e.kind != "family" or topic.name == e.name:
        return False
    names = {m.name for m in reference.readings(e.name)}
    inner = reference.members(topic.name) if topic.kind == "family" else []
    return topic.name in names or bool(inner) and all(m.name in names for m in inner)


def _under_discussion(p: _Passage, reference: Reference, now) -> Entry | None:
    """The model named lately, or the one the passage has been about since (SCOPE_SENTENCES)."""
    t = p.models
    if t.entry is not None and _Topic.fresh(t.entry_at, now):
        return t.entry
    scoped = reference.get(p.scope) if p.scope else None
    return scoped if scoped is not None and now[0] - t.entry_at[0] <= SCOPE_SENTENCES else None


def _size_reference(p: _Passage, q: Quantity, reference: Reference, now) -> None:
    """'the 8B' after 'Llama 3': that member of the family ('the 405B': the model named so, 'Llama 3 405B'); 'a 13B'
    with no family: an unnamed model. The member counts as named there, for the claims of the sentence."""
    t = p.models
    named = _under_discussion(p, reference, now)
    family = None
    if named is not None:
        family = reference.get(named.family) if named.kind == "model" and named.family else named
    member = _member_of_size(family, q, reference) if family is not None and family.kind == "family" else None
    if member is None and family is not None:
        member = reference.lookup(f"{family.name} {q.value / 1e9:g}B", "model")
    if member is not None:
        t.entry, t.entry_at, t.size, t.size_at = member, now, None, (-99, -9999)
        p.scope = member.name
        p.sizes_said.append(Mention(q.start, q.end, q.text, "model", member.name))
    else:
        t.size, t.size_at = q, now


def _resolve(claim: Claim, mentions: list[Mention], topic: _Topic, reference: Reference, now: tuple[int, int], hw: bool,
             s_q: list[Quantity]):
    """Set the claim's subject: the same sentence first, then the passage; a family narrowed by size."""
    q = claim.quantity
    wanted = ("hardware",) if hw else ("model", "family")
    cands = [m for m in mentions if m.kind in wanted and not m.comparand]  # not "way under Chinchilla"
    before = [m for m in cands if m.end <= q.start]
    # a name after it, unless another figure stands between ("10,000 GPUs in 2021 and 2,000 for V3": V3's is the 2,000)
    # and not across a clause ("32,000 tokens, though Llama 3 went to 128K": Llama 3's is the 128K)
    s0 = claim.sentence_start
    after = [m for m in cands if q.end <= m.start <= q.end + AFTER_REACH
             and not any(q.end <= x.start and x.end <= m.start for x in s_q)
             and not _CLAUSE_BREAK.search(claim.sentence, q.end - s0, m.start - s0)]
    if hw and q.item:
        entry = reference.lookup(q.item, "hardware")
        if entry:
            claim.subject, claim.subject_source, claim.subject_how = entry, "sentence", f"named with the number: '{q.item}'"
            return
    m = before[-1] if before else (after[0] if after else None)
    if after and _FOR_NAME.fullmatch(claim.sentence, q.end - s0, after[0].start - s0):
        m = after[0]  # "versus about 320 KB for Llama 3 70B": the name the figure is said for
    elif (after and _THAT_NAME.fullmatch(claim.sentence, q.end - s0, after[0].start - s0)
          and (not before or _CLAUSE_BREAK.search(claim.sentence, before[-1].end - s0, q.start - s0))):
        m = after[0]  # "OpenAI is spending billions, but the 5 million that DeepSeek spent": the figure's own clause
    unknown = _unknown_name(claim, mentions) or _unknown_member(claim, m, reference)
    if unknown and (m is None or m.end <= unknown[0]):
        claim.unknown_name = unknown[1]
        claim.subject_how = f"'{unknown[1]}' is not in the reference data"
        return
    if (m and _wider(reference, reference.get(m.name), topic.entry) and _just(topic.entry_at, now)
            and not _OTHER_AFTER.match(claim.sentence, m.end - claim.sentence_start)):
        entry, source, how = topic.entry, "discourse", f"'{topic.entry.name}' under discussion ('{m.text}' is a wider name for it)"
    elif m:
        entry, source, how = reference.get(m.name), "sentence", f"'{m.text}' in the same sentence"
    elif GENERIC.search(claim.sentence[:max(0, q.start - claim.sentence_start)]) and not hw:
        g = GENERIC.search(claim.sentence).group()
        claim.subject_how, claim.generic = f"the sentence speaks of models in general ('{g}'), not of one model", "typical"
        return
    elif (kind := _GENERIC_AFTER.match(claim.sentence, q.end - claim.sentence_start)) and not hw:
        claim.subject_how = f"said of a kind of model ('{claim.quote} {kind.group().strip()}'), not of one model"
        claim.generic = "kind"
        return
    elif topic.entry_at == now and any(c.name == topic.entry.name for c in cands):
        # named in this sentence only after it, for another figure: not what this one is said of
        claim.subject_how = f"'{topic.entry.name}' is named after it, for another figure"
        return
    elif topic.entry is not None and _Topic.fresh(topic.entry_at, now):
        entry, source = topic.entry, "discourse"
        n = now[0] - topic.entry_at[0]
        how = f"'{topic.entry.name}' under discussion ({n} sentence{'s' if n != 1 else ''} earlier)" if n else f"'{topic.entry.name}' under discussion"
    else:
        return
    size_here = q if claim.kind == "parameter_count" else (topic.size if topic.size_at == now else None)
    if size_here is q and source == "discourse" and _A_SIZE.search(claim.sentence, 0, q.start - claim.sentence_start) \
            and not _named_size(entry, q, reference):
        claim.subject_how = f"said of a model of that size ('{claim.quote}'), not of '{entry.name}' under discussion"
        return  # "now you can run a 7B model on a laptop", after GPT-3: any 7B model, not GPT-3 6.7B
    if size_here is not None and source == "discourse" and entry.kind == "model" and not _fits(entry, size_here):
        # a size said without a name is about the model of that size, not the one last named
        family = reference.get(entry.family) if entry.family else None
        if family is not None and _member_of_size(family, size_here, reference) is not None:
            entry = family
        elif now[0] - topic.entry_at[0] > 1:
            claim.subject_how = f"'{entry.name}' is under discussion, but the size said does not fit it: another model?"
            return
        else:  # "Mixtral 8x7B. That's fifty-six billion, right?": a wrong size of the model just named
            how += "; the model just named, though the size said does not fit it"
    if entry.kind == "family" and entry.default and claim.kind != "parameter_count":
        how += f"; '{entry.name}' usually means {entry.default}"
        entry = reference.get(entry.default)
    if entry.kind == "family" and not hw:
        size = q if claim.kind == "parameter_count" else (topic.size if _Topic.fresh(topic.size_at, now) else None)
        if size is not None:
            member = _member_of_size(entry, size, reference)
            if member is not None:
                said = "this quantity" if size is q else f"'{size.text}'"
                how += f"; the {entry.name} model of the size said ({said})"
                entry = member
            elif any(_fits(e, size) for e in reference.members(entry.name)):
                how += f"; several {entry.name} models have the size said"  # "Meta's 70B": checked against each
            elif size is q and (source == "discourse" or _A_SIZE.search(claim.sentence, 0, q.start - claim.sentence_start)):
                # "now you can run a 7B model on a laptop", after GPT-3; "Mistral put out a 123B model": not one we know
                claim.subject_how = f"'{entry.name}' is under discussion, but no {entry.name} model has the size said"
                return
    claim.subject, claim.subject_source, claim.subject_how = entry, source, how


def _unknown_name(claim: Claim, mentions: list[Mention]) -> tuple[int, str] | None:
    """A model name said before the quantity that the reference data does not know ('Llama 4', 'Claude 3')."""
    start, found = claim.sentence_start, None
    for a, b in name_number_spans(claim.sentence):
        a, b = a + start, b + start
        if b <= claim.quantity.start and not any(m.start < b and a < m.end for m in mentions):
            said = claim.sentence[a - start:b - start]
            if not said.lower().startswith(NOT_MODEL_NAMES):
                found = (a, said)  # the nearest one before the quantity
    return found


FUNCTION_WORDS = frozenset(LEXICON["function_words"])  # "The 70B", "Meta's new ...": not a name
_NAME_BEFORE_SIZE = re.compile(r"\b([A-Z][A-Za-z]{2,})[ \t-]*$")
_MEMBER_AFTER = re.compile(r"(?:'s)?[ \t]+([A-Z][A-Za-z]{2,})\b")


def _unknown_member(claim: Claim, m: Mention | None, reference: Reference) -> tuple[int, str] | None:
    """'Meta's Chameleon', 'Llama 4 Behemoth': a family or maker, then a name the reference data does not know."""
    if m is None or m.kind != "family":
        return None
    said = _MEMBER_AFTER.match(claim.sentence, m.end - claim.sentence_start)
    if (said is None or said.group(1).lower() in reference.short_names() or said.group(1).lower() in FUNCTION_WORDS
            or reference.find(said.group(1))):
        return None
    return m.end, f"{m.text} {said.group(1)}"


def _fits(model: Entry, size: Quantity) -> bool:
    iv = size.interval
    return any(iv.contains(float(model.facts[k].value)) for k in ("params_nominal", "params_total", "params_active") if k in model.facts)


def _named_size(entry: Entry, size: Quantity, reference: Reference) -> bool:
    """'a 70B model' while Llama 3 is discussed: the size its family names a model by (Llama 3 70B), said exactly."""
    family = reference.get(entry.family) if entry.kind == "model" and entry.family else entry
    members = reference.members(family.name) if family is not None else []
    return any(m.fact("params_nominal") and m.fact("params_nominal").value == size.value for m in members)


def _member_of_size(family: Entry, size: Quantity, reference: Reference) -> Entry | None:
    fits = [e for e in reference.members(family.name) if _fits(e, size)]
    return fits[0] if len(fits) == 1 else None
