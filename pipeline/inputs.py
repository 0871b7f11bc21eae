"""Inputs of a check and where each comes from: what the speaker said, the reference data, a default.

Inputs come, in this order, from what the speaker said earlier in the passage, the reference
data, and declared defaults (SPEC 5). Every Input carries its source as text a reader can follow.
A Calc is a formula with its inputs and the alternative assumptions a mismatch may be explained by.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pipeline.claims import WINDOW, Claim
from pipeline.formulas import Formula
from pipeline.quantities import Interval, factor
from pipeline.reference import Entry, Reference

if TYPE_CHECKING:
    from pipeline.check import Check

DEFAULT_BYTES_PER_PARAM = 2  # 16-bit weights unless said otherwise (SPEC 5)
DEFAULT_KV_BYTES = 2  # a 16-bit KV cache unless said otherwise
PRECISIONS = [("fp32 (4 bytes per value)", 4), ("bf16/fp16 (2 bytes per value)", 2),
              ("fp8/int8 (1 byte per value)", 1), ("int4 (half a byte per value)", 0.5)]


@dataclass(frozen=True)
class Input:
    name: str
    value: float
    interval: Interval
    unit: str
    source: str


class Unverifiable(Exception):
    """The reason a claim cannot be checked."""


@dataclass
class Calc:
    """A formula with its inputs, and alternative assumptions that a mismatch may be explained by."""

    formula: Formula
    inputs: dict[str, Input]
    alternatives: list[tuple[str, dict[str, Input]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    doubt: str | None = None  # why a mismatch would not be evidence enough to flag
    unit: str | None = None  # the result's unit, where the formula's own is generic
    upper_bound: bool = False  # the formula gives a ceiling: anything from 0 to it is consistent
    scalings: list[tuple[str, float]] = field(default_factory=list)  # reconciling factors on the result

    def evaluate(self, overrides: dict[str, Input] | None = None) -> tuple[float, Interval]:
        ins = {**self.inputs, **(overrides or {})}
        value = self.formula(**{k: i.value for k, i in ins.items()})
        iv = self.formula(**{k: i.interval for k, i in ins.items()})
        return float(value), iv


@dataclass
class Context:
    reference: Reference
    claims: list[Claim]  # every claim of the transcript, in order
    checks: dict[str, "Check"] = field(default_factory=dict)  # those done so far, by claim id

    def position(self, claim: Claim) -> int:
        return int(claim.id[1:]) - 1  # ids are c1, c2, ... in the order of self.claims

    def before(self, claim: Claim, sentences: int = WINDOW) -> list[Claim]:
        """The claims said before `claim`, nearest first, within so many sentences of it."""
        out, i = [], self.position(claim) - 1
        while i >= 0 and claim.sentence_index - self.claims[i].sentence_index <= sentences:
            out.append(self.claims[i])
            i -= 1
        return out

    def after(self, claim: Claim, sentences: int) -> list[Claim]:
        """The claims said after `claim`, nearest first, within so many sentences of it."""
        out, i = [], self.position(claim) + 1
        while i < len(self.claims) and self.claims[i].sentence_index - claim.sentence_index <= sentences:
            out.append(self.claims[i])
            i += 1
        return out

    def earlier(self, claim: Claim, kind: str, about=None) -> Claim | None:
        """The latest claim of this kind said before `claim` in the same passage."""
        return next((c for c in self.before(claim) if c.kind == kind and c.framing != "counterfactual"  # not a fact
                     and (about is None or about(c.subject))), None)


# ---------------------------------------------------------------- inputs

def stated(name: str, claim: Claim, unit: str) -> Input:
    q = claim.quantity
    f = factor(q.unit, unit) if q.unit else 1.0  # a bare count (a batch size) is a pure number
    who = f", {claim.speaker}" if claim.speaker else ""
    return Input(name, q.value * f, q.interval.scale(f), unit, f"stated: '{q.text}' (segment {claim.segment}{who})")


def from_reference(name: str, entry: Entry, key: str, unit: str, scale: float = 1.0) -> Input:
    fact = entry.fact(key)
    if fact is None or fact.value is None:
        raise Unverifiable(f"the reference data has no {key} for {entry.name}")
    v = float(fact.value) * scale
    low = float(fact.low if fact.low is not None else fact.value) * scale
    high = float(fact.high if fact.high is not None else fact.value) * scale
    times = f" = {fact.value} x {scale:g}" if scale != 1 else ""
    return Input(name, v, Interval(low, high), unit, f"reference: {entry.name} {key}{times} ({fact.source})")


def peak_key(hw: Entry, fp8: bool = False) -> str:
    """Which peak a chip's FLOP/s are read from: fp8 when said, else bf16, else fp16 (a V100 has no bf16)."""
    if fp8 and hw.fact("fp8_dense_tflops"):
        return "fp8_dense_tflops"
    return "fp16_dense_tflops" if not hw.fact("bf16_dense_tflops") and hw.fact("fp16_dense_tflops") else "bf16_dense_tflops"


def default(name: str, value: float, unit: str, why: str) -> Input:
    return Input(name, value, Interval.point(value), unit, f"default: {why}")


def assumed(inp: Input, value: float, source: str) -> Input:
    return Input(inp.name, value, Interval.point(value), inp.unit, source)


def said_precision(claim: Claim, name: str, unit: str) -> Input:
    word, b = claim.precision
    return Input(name, b, Interval.point(b), unit, f"stated: '{word}' with it")


def bytes_per_param(claim: Claim, model: Entry | None) -> Input:
    """The precision said with the claim, else the one the model was released in, else 16-bit weights."""
    if claim.precision:
        return said_precision(claim, "bytes_per_param", "byte / parameter")
    if model is not None and model.fact("bytes_per_param_release"):
        return from_reference("bytes_per_param", model, "bytes_per_param_release", "byte / parameter")
    return default("bytes_per_param", DEFAULT_BYTES_PER_PARAM, "byte / parameter", "16-bit weights unless said otherwise")


def other_precisions(per: Input, label: str = "{short} weights") -> list[tuple[str, dict[str, Input]]]:
    """The same calculation at the other common precisions: a precision left unsaid is the classic slip."""
    return [(label.format(short=name.split(" ")[0], name=name, bits=b * 8), {per.name: assumed(per, b, f"assumed: {name}")})
            for name, b in PRECISIONS if b != per.value]


# ---------------------------------------------------------------- subjects a check needs

def model_of(claim: Claim, ctx: Context) -> Entry:
    e = claim.subject
    if e is None:
        raise Unverifiable(no_subject(claim))
    if e.kind == "family":
        sizes = ", ".join(_size_label(m) for m in ctx.reference.members(e.name))
        raise Unverifiable(f"'{e.name}' names a family ({sizes}) and the passage does not say which model")
    return official(e)


def no_subject(claim: Claim) -> str:
    return claim.subject_how or f"no model is named in this sentence or the {WINDOW} before it"


def official(e: Entry) -> Entry:
    if e.unofficial:
        raise Unverifiable(f"there are only unofficial figures for {e.name}")
    return e


def _size_label(e: Entry) -> str:
    f = e.fact("params_nominal")
    return e.name if f is None else f"{e.name} ({float(f.value) / 1e9:g}B)"


def about(entry: Entry):
    """Claims about this model, or about its family."""
    return lambda s: s is not None and (s.name == entry.name or s.name == entry.family)
