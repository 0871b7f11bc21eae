"""The spaCy pipeline: spacy.blank("en"), the rule-based sentencizer and our two components.

`claimcheck_mentions` finds the models, model families and accelerators of the reference data;
`claimcheck_quantities` finds quantities (quantities.py), skipping numbers inside those names.
Both are registered factories, so any spaCy pipeline can `nlp.add_pipe("claimcheck_quantities")`.
Results are in doc.spans["mentions"] and doc.spans["quantities"], each span carrying its
dataclass in span._.mention or span._.quantity, with exact character offsets.
"""
from __future__ import annotations

from dataclasses import dataclass

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import reference as ref
from pipeline.quantities import find_quantities

Span.set_extension("mention", default=None, force=True)
Span.set_extension("quantity", default=None, force=True)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str
    kind: str  # model | family | hardware
    name: str  # the reference entry


class MentionFinder:
    def __init__(self, reference: ref.Reference):
        self.entries = [e for e in reference.entries.values()]
        self.pattern = ref.names_regex(self.entries, plural=True)

    def find(self, text: str) -> list[Mention]:
        out = []
        for m in self.pattern.finditer(text):
            e = ref.matched_entry(m, self.entries)
            out.append(Mention(m.start(), m.end(), m.group(), e.kind, e.name))
        return out

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["mentions"] = _spans(doc, self.find(doc.text), "mention", lambda x: x.kind)
        return doc


class QuantityFinder:
    def __init__(self, reference: ref.Reference):
        hardware = reference.hardware
        self.items = ref.names_regex(hardware, plural=True, group="item")
        self.item_names = hardware

    def __call__(self, doc: Doc) -> Doc:
        mentions = doc.spans["mentions"] if "mentions" in doc.spans else []
        masked = [(s._.mention.start, s._.mention.end) for s in mentions if s._.mention]
        found = find_quantities(doc.text, masked, self.items)
        doc.spans["quantities"] = _spans(doc, found, "quantity", lambda q: q.unit or "number")
        return doc


def _spans(doc: Doc, items, ext: str, label) -> list[Span]:
    spans = []
    for it in items:
        span = doc.char_span(it.start, it.end, label=label(it), alignment_mode="expand")
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


def build(reference: tuple[str, ...] = ()) -> Language:
    """The whole pipeline; build it once per process and reuse it."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("claimcheck_mentions", config={"reference": list(reference)})
    nlp.add_pipe("claimcheck_quantities", config={"reference": list(reference)})
    return nlp
