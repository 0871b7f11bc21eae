"""From annotated text to claims: what kind each quantity is, and what it is about.

Every quantity that carries a unit becomes a claim (SPEC 5). Its kind comes from the rules in
data/kinds.json; its subject from the same sentence, else from the discourse: the model under
discussion in the last few sentences ("Llama 3 ... a 70B model" -> Llama 3 70B). How the subject
was found is recorded, and nothing is guessed: no subject stays None.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pipeline.nlp import Annotation, Mention
from pipeline.quantities import DATA, Quantity, name_number_spans, same_dimension, with_per
from pipeline.reference import Entry, Reference
from pipeline.transcript import Transcript

KINDS = json.loads((DATA / "kinds.json").read_text(encoding="utf-8"))
LEXICON = json.loads((DATA / "lexicon.json").read_text(encoding="utf-8"))
WINDOW = 5  # how many sentences back still count as the same passage...
WINDOW_WORDS = 150  # ...and how many words (captions without punctuation have very long "sentences")
GENERIC = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in LEXICON["generic_subjects"]) + r")\b", re.I)
HARDWARE_KINDS = {"hardware_spec"}
NO_SUBJECT = {"ratio", "arithmetic"}  # they compare or combine things said; they are about no one model
PRECISION = {"fp32": 4, "float32": 4, "32-bit": 4, "fp16": 2, "float16": 2, "bf16": 2, "bfloat16": 2, "16-bit": 2,
             "half precision": 2, "fp8": 1, "int8": 1, "8-bit": 1, "int4": 0.5, "4-bit": 0.5}
_PRECISION = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in sorted(PRECISION, key=len, reverse=True)) + r")(?![\w-])", re.I)
_ADJECTIVE_BITS = re.compile(r"^\d+-bits?$")


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
    subject: Entry | None = None
    subject_source: str | None = None  # sentence | discourse
    subject_how: str = ""
    precision: tuple[str, float] | None = None  # bytes per parameter said in the sentence ("fp16", 2)
    fact: str | None = None  # the reference field an architecture or hardware claim is about
    hardware: Entry | None = None  # the accelerator named in the sentence or the passage, if any
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


_RESULT_CUE = re.compile(r"(?:^|\W)(?:" + "|".join(re.escape(c) for c in sorted(LEXICON["result_cues"], key=len, reverse=True))
                         + r")\W*(?:(?:about|roughly|around|like|approximately|almost|nearly|some|just)\s+)?\$?$", re.I)


NOT_RESULTS = ("second", "fold")  # "so 10 years ago", "that's 90%": no sum ends in a duration or a share
NEAR = (40, 25)  # characters before and after a quantity that count as "near" it


def classify(q: Quantity, sentence: str, before: str = "", after: str = "", hardware_named: bool = False):
    """The claim kind of a quantity, the quantity read with a 'per X' from its sentence, and the fact it is about.

    `before` and `after` are the sentence's text around the quantity; `hardware_named`, whether an
    accelerator is named just before the quantity or counted by it.
    """
    low = sentence.lower()
    for rule in KINDS["rules"]:
        if rule.get("exact") and q.unit != rule["unit"]:
            continue
        if not same_dimension(q.unit, rule["unit"]):
            continue
        if rule.get("hardware") and not hardware_named:
            continue
        b, a = rule.get("near_chars", NEAR)
        near = f"{before[len(before) - b:]} {q.text} {after[:a]}".lower()
        if not _has_words(rule.get("context"), low) or not _has_words(rule.get("near"), near):
            continue
        per = rule.get("per_in_sentence")
        if per:
            if not re.search(rf"\bper\s+(?:\w+\s+)?{per}s?\b", low):
                continue
            q = with_per(q, per)
        return rule["kind"], q, rule.get("fact")
    if _RESULT_CUE.search(before) and not any(same_dimension(q.unit, u) for u in NOT_RESULTS):
        return "arithmetic", q, None
    return "other", q, None


def _has_words(words, text: str) -> bool:
    """No condition, or any of the words (a list, or the name of a list in kinds.json) in the text."""
    if not words:
        return True
    words = KINDS["word_lists"][words] if isinstance(words, str) else words
    return any(w in text for w in words)


def find_claims(transcript: Transcript, annotations: list[Annotation], reference: Reference) -> list[Claim]:
    claims: list[Claim] = []
    models, hardware = _Topic(), _Topic()
    k, words = -1, 0
    for seg_i, (seg, ann) in enumerate(zip(transcript.segments, annotations)):
        quantities, mentions = ann.quantities, ann.mentions
        for a, b in ann.sentences:
            k += 1
            now = (k, words)
            words += seg.text.count(" ", a, b) + 1
            if not mentions and not quantities:
                continue  # most sentences: nothing to resolve, only words to count
            text = seg.text[a:b]
            s_mentions = [m for m in mentions if a <= m.start < b]
            for m in s_mentions:
                e = reference.get(m.name)
                t = hardware if e.kind == "hardware" else models
                if e.kind == "family" and t.entry is not None and t.entry.family == e.name:
                    pass  # "Llama 3" after "Llama 3 70B": still the same model
                elif t.entry is None or t.entry.name != e.name:
                    t.entry, t.size, t.size_at = e, None, (-99, -9999)
                t.entry_at = now
            for q in (q for q in quantities if a <= q.start < b and q.unit):
                if _ADJECTIVE_BITS.match(q.text):
                    continue  # "16-bit weights" names a precision, it claims nothing
                hw_named = q.item is not None or any(reference.get(m.name).kind == "hardware" and 0 <= q.start - m.end <= NEAR[0]
                                                     for m in s_mentions)
                kind, q, fact = classify(q, text, seg.text[a:q.start], seg.text[q.end:b], hw_named)
                claim = Claim(id=f"c{len(claims) + 1}", kind=kind, quantity=q, segment=seg_i, sentence=text.strip(),
                              sentence_start=a + len(text) - len(text.lstrip()),
                              sentence_index=k, speaker=seg.speaker, start=seg.time_at(q.start), precision=_precision(text),
                              fact=fact)
                if q.per_context:
                    claim.notes.append(f"read per {q.per_context}: the sentence says 'per ... {q.per_context}'")
                topic = hardware if kind in HARDWARE_KINDS else models
                if kind not in NO_SUBJECT:
                    _resolve(claim, s_mentions, topic, reference, now, kind in HARDWARE_KINDS)
                named = [m for m in s_mentions if reference.get(m.name).kind == "hardware"]
                if named:
                    claim.hardware = reference.get(named[0].name)
                elif hardware.entry is not None and _Topic.fresh(hardware.entry_at, now):
                    claim.hardware = hardware.entry
                if kind == "parameter_count":
                    models.size, models.size_at = q, now
                claims.append(claim)
            if not s_mentions and models.size_at == now and models.entry is not None:
                models.entry_at = now  # a size said keeps the family under discussion
    return claims


def _precision(sentence: str) -> tuple[str, float] | None:
    m = _PRECISION.search(sentence)
    return (m.group(1), PRECISION[m.group(1).lower()]) if m else None


def _resolve(claim: Claim, mentions: list[Mention], topic: _Topic, reference: Reference, now: tuple[int, int], hw: bool):
    """Set the claim's subject: the same sentence first, then the passage; a family narrowed by size."""
    q = claim.quantity
    wanted = ("hardware",) if hw else ("model", "family")
    cands = [m for m in mentions if reference.get(m.name).kind in wanted]
    before = [m for m in cands if m.end <= q.start]
    after = [m for m in cands if m.start >= q.end]
    if hw and q.item:
        entry = reference.lookup(q.item, "hardware")
        if entry:
            claim.subject, claim.subject_source, claim.subject_how = entry, "sentence", f"named with the number: '{q.item}'"
            return
    m = before[-1] if before else (after[0] if after else None)
    unknown = _unknown_name(claim, mentions)
    if unknown and (m is None or m.end <= unknown[0]):
        claim.subject_how = f"'{unknown[1]}' is not in the reference data"
        return
    if m:
        entry, source, how = reference.get(m.name), "sentence", f"'{m.text}' in the same sentence"
    elif GENERIC.search(claim.sentence[:max(0, q.start - claim.sentence_start)]) and not hw:
        g = GENERIC.search(claim.sentence).group()
        claim.subject_how = f"the sentence speaks of models in general ('{g}'), not of one model"
        return
    elif topic.entry is not None and _Topic.fresh(topic.entry_at, now):
        entry, source = topic.entry, "discourse"
        n = now[0] - topic.entry_at[0]
        how = f"'{topic.entry.name}' under discussion ({n} sentence{'s' if n != 1 else ''} earlier)" if n else f"'{topic.entry.name}' under discussion"
    else:
        return
    size_here = q if claim.kind == "parameter_count" else (topic.size if topic.size_at == now else None)
    if size_here is not None and source == "discourse" and entry.kind == "model" and not _fits(entry, size_here):
        # a size said without a name is about the model of that size, not the one last named
        family = reference.get(entry.family) if entry.family else None
        if family is None or _member_of_size(family, size_here, reference) is None:
            claim.subject_how = f"'{entry.name}' is under discussion, but the size said does not fit it: another model?"
            return
        entry = family
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
    claim.subject, claim.subject_source, claim.subject_how = entry, source, how


def _unknown_name(claim: Claim, mentions: list[Mention]) -> tuple[int, str] | None:
    """A model name said before the quantity that the reference data does not know ('Llama 4', 'Claude 3')."""
    start, found = claim.sentence_start, None
    for a, b in name_number_spans(claim.sentence):
        a, b = a + start, b + start
        if b <= claim.quantity.start and not any(m.start < b and a < m.end for m in mentions):
            said = claim.sentence[a - start:b - start]
            if not said.lower().startswith(("episode", "ep", "chapter", "number", "part", "season", "#")):
                found = (a, said)  # the nearest one before the quantity
    return found


def _fits(model: Entry, size: Quantity) -> bool:
    iv = size.interval
    return any(iv.contains(float(model.facts[k].value)) for k in ("params_nominal", "params_total") if k in model.facts)


def _member_of_size(family: Entry, size: Quantity, reference: Reference) -> Entry | None:
    fits = [e for e in reference.members(family.name) if _fits(e, size)]
    return fits[0] if len(fits) == 1 else None
