"""Verdicts (SPEC 6): the expected interval against the stated one, notes, and reconciling hints.

A claim is consistent when the stated and expected intervals overlap; a mismatch when they do not
(gross when off by a factor of 2 or more); unverifiable when there is no formula, subject or input,
and the note says which. Flag only what the evidence supports.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from pipeline.claims import Claim
from pipeline.inputs import Calc, Context, Input, Unverifiable, model_of, official
from pipeline.quantities import TOLERANCE, Interval, Reading, factor, fmt, units
from pipeline.recipes import GENERAL_FACTS, RECIPES, in_general
from pipeline.reference import Reference
from pipeline.relations import relation_calcs


@dataclass
class Check:
    verdict: str  # consistent | mismatch | unverifiable
    severity: str | None = None  # gross | minor, for mismatches
    value: float | None = None  # expected, in the stated unit
    interval: Interval | None = None
    unit: str | None = None
    formula: str | None = None
    inputs: list[Input] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reconcile: list[str] = field(default_factory=list)
    off: float | None = None  # for a mismatch: by what factor the figure said is off
    contested: bool = False  # unverifiable, yet every model the name can mean contradicts it: a reviewer should look


def check_all(claims: list[Claim], reference: Reference) -> list[Check]:
    ctx = Context(reference, claims)
    out = []
    checked: dict[tuple, tuple[Claim, Check]] = {}  # the figures found consistent so far, for restatements
    for c in claims:
        chk = check(c, ctx)
        key = _figure_key(c)
        if chk.verdict == "unverifiable" and c.framing is None and key in checked:  # a premise is nobody's restatement
            # "It was 2x every two years. This is 1200x": the same figure checked earlier in the episode stands
            said, earlier = checked[key]
            chk = replace(earlier, notes=[f"restates '{said.quote}', said earlier and checked there"] + earlier.notes)
        elif chk.verdict == "consistent":
            checked[key] = (c, chk)
        ctx.checks[c.id] = chk
        out.append(chk)
    return out


def _figure_key(c: Claim) -> tuple:
    """The same kind, unit and value, of the same thing (a ratio is of no one thing)."""
    return c.kind, c.quantity.unit, c.quantity.value, None if c.kind == "ratio" else c.scope


BOUND_REACH = 10  # "over 200" allows up to 2,000, "under a tenth" down to a hundredth: a bound says where, roughly
FACT_KINDS = {"parameter_count", "training_tokens", "architecture", "hardware_spec", "gpu_count", "training_gpu_hours"}


def check(claim: Claim, ctx: Context) -> Check:
    """Every relation that can check the claim from its passage, and its reference facts; consistent if any agrees."""
    if claim.framing == "premise":
        return Check("unverifiable", notes=["a premise the speaker assumes (a price, a utilization, the setup of a hypothetical): "
                                            "nothing to check it against; the claims that follow from it are checked with it"])
    if claim.framing == "before":
        return Check("unverifiable", notes=["what it was before ('up from ...'): not a figure of the model now, and which "
                                            "earlier model it was is not said"])
    done = [verdict(claim, calc) for calc in relation_calcs(claim, ctx)]
    framed = claim.framing in ("hypothetical", "counterfactual")
    ref = check_reference(claim, ctx) if not framed else None
    if ref is not None and ref.verdict == "mismatch" and claim.subject_source == "passage":
        ref.verdict, ref.severity = "unverifiable", None  # named a while ago: agreement is telling, a mismatch is not
        ref.notes.append(f"{claim.subject_how}, named a while before: its figure does not match, but the speaker may have moved on")
    if ref is not None and ref.verdict != "unverifiable":
        done.append(ref)
    if not done:
        if ref is not None:
            return ref
        why = ("a premise of a hypothetical: nothing to check it against" if claim.framing == "hypothetical"
               else "a counterfactual: checked only against the rule and the inputs said, and none gives it")
        return Check("unverifiable", notes=[why])
    if ref is not None and ref.verdict == "consistent" and claim.kind in FACT_KINDS:
        done.insert(0, done.pop())  # a fact that agrees with its source is shown by its source
    rank = {"consistent": 0, "mismatch": 1, "unverifiable": 2}  # any agreement, else evidence of a mismatch, else doubt
    best = min(done, key=lambda c: rank[c.verdict])
    if best.verdict == "mismatch" and claim.elliptical and not claim.elliptical_here:
        best.verdict, best.severity = "unverifiable", None
        best.notes.append(f"its unit was read from the passage ('{claim.elliptical}'): a mismatch on that reading is not evidence enough")
    for other in done:
        if other is not best and other.verdict != best.verdict and other.value is not None:
            best.notes.append(f"by {other.formula} it would be {fmt(other.value)} {other.unit} ({other.verdict})")
    return best


def check_reference(claim: Claim, ctx: Context) -> Check:
    """The claim's kind against the reference facts of its subject (recipes.py)."""
    recipe = RECIPES.get(claim.kind)
    if recipe is None:
        why = "no formula relates it to anything" if claim.kind == "other" else f"claimcheck has no formula for {claim.kind.replace('_', ' ')} claims yet"
        return Check("unverifiable", notes=[why])
    fn, needs = recipe
    if claim.generic and claim.role in GENERAL_FACTS:
        fn, needs = in_general, None
    try:
        if needs is None:
            calc = fn(claim, ctx)
        elif needs == "hardware":
            if claim.subject is None or claim.subject.kind != "hardware":
                raise Unverifiable(claim.subject_how or "no accelerator is named with it")
            calc = fn(claim, ctx, official(claim.subject))
        elif claim.subject is not None and claim.subject.kind == "family":
            return _check_readings(claim, ctx, fn)
        else:
            calc = fn(claim, ctx, model_of(claim, ctx))
    except Unverifiable as e:
        return Check("unverifiable", notes=[str(e)])
    family = (lambda: _family_alternatives(claim, ctx, fn)) if needs == "model" else (lambda: [])
    return verdict(claim, calc, family)


def _check_readings(claim: Claim, ctx: Context, fn) -> Check:
    """A name that can mean several models ('Llama 3', 'DeepSeek', 'Meta', 'Llama 70B'), and the passage does not
    say which: checked against each. One agreeing is agreement, and says which. A mismatch is evidence only for a
    family of the reference data whose every model has the figure, and the same: a maker, or a maker and a size, can
    mean a model the reference data lacks ('Llama 4 Behemoth'), and models that differ leave the one meant open."""
    name = claim.subject.name
    models = ctx.reference.readings(name)
    checks, why = {}, set()
    for m in models:
        try:
            checks[m.name] = verdict(claim, fn(claim, ctx, official(m)))
        except Unverifiable as e:
            why.add(str(e).replace(m.name, "it"))
    if not checks:
        if len(why) == 1:  # the same reason for every model ("a count of GPUs not said of a training run")
            return Check("unverifiable", notes=[why.pop()])
        model_of(claim, ctx)  # raises: the name does not say which model, and none of them has the figure
    agree = [n for n, c in checks.items() if c.verdict == "consistent"]
    ivs = [c.interval for c in checks.values() if c.interval is not None]
    if (2 <= len(ivs) == len(checks) == len(models) and name not in ctx.reference.groups and not claim.subject.open
            and len({c.verdict for c in checks.values()}) == 1
            and max(iv.low for iv in ivs) <= min(iv.high for iv in ivs) * (1 + 1e-9)):
        first = next(iter(checks.values()))  # every model of the family has it, and they agree: that figure
        first.notes.append(f"the same for every {name} model in the reference data")
        return first
    if agree:
        best, others = checks[agree[0]], [n for n in checks if n not in agree]
        best.notes.insert(0, f"'{name}' does not say which model; consistent for {_names(agree)}"
                          + (f" (not for {_names(others)})" if others else
                             f", the only {name} model with this figure in the reference data" if len(checks) == 1 else ""))
        return best
    said = "; ".join(f"{n}: {fmt(c.value)} {c.unit}" for n, c in checks.items() if c.value is not None)
    note = (f"'{name}' does not say which model, and none of those with this figure in the reference data matches "
            f"({said}); the speaker may mean another")
    closed = name not in ctx.reference.groups and not claim.subject.open  # a family the data has whole, not a maker
    if closed and len(checks) == len(models) and all(c.off for c in checks.values()):  # every reading contradicts it
        near = min(checks.items(), key=lambda kv: kv[1].off)
        return Check("unverifiable", value=near[1].value, interval=near[1].interval, unit=near[1].unit, formula=near[1].formula,
                     inputs=near[1].inputs, notes=[note, f"the nearest is {near[0]}, off by a factor of {near[1].off:.3g}"],
                     contested=True, off=near[1].off)
    return Check("unverifiable", notes=[note])


def _names(names: list[str], most: int = 4) -> str:
    return ", ".join(names) if len(names) <= most else f"{', '.join(names[:most])} and {len(names) - most} more"


def _family_alternatives(claim: Claim, ctx: Context, fn) -> list[tuple[str, Interval]]:
    """Another model of the same family: the classic slip (Llama 2 70B for Llama 3 70B)."""
    s = claim.subject
    if s is None or s.kind != "model" or not s.family:
        return []
    out = []
    for other in ctx.reference.members(s.family):
        if other.name == s.name or other.unofficial:
            continue
        try:
            calc = fn(claim, ctx, other)
        except Unverifiable:
            continue
        out.append((f"another {s.family} model: {other.name}", calc.evaluate()[1], calc.formula.unit))
    return out


def verdict(claim: Claim, calc: Calc, family_alts=lambda: []) -> Check:
    """`family_alts` gives the other models of the subject's family, asked for only when there is a mismatch."""
    q = claim.quantity
    unit = q.unit
    result_unit = calc.unit or calc.formula.unit or unit
    try:
        f = factor(result_unit, unit)
    except Exception:
        return Check("unverifiable", notes=[f"the claim's unit ({unit}) does not match the formula's ({result_unit})"])
    value, iv = calc.evaluate()
    value, iv = value * f, iv.scale(f)
    stated_iv = q.interval
    if calc.upper_bound and (q.hedge_kind == "upper" or "ceiling" in claim.cues):
        # "at most 35 tokens a second", "the ceiling is about 200": the bound said is the ceiling, compared as a figure
        stated_iv = q.rounding if q.hedge_kind == "upper" else q.interval
        calc.notes.append("a ceiling said as a ceiling: compared with the computed ceiling itself")
    elif calc.upper_bound:
        iv = Interval(0.0, iv.high)
    chk = Check("consistent", value=value, interval=iv, unit=unit, formula=calc.formula.text,
                inputs=list(calc.inputs.values()), notes=list(calc.notes))
    if q.hedge_kind in ("lower", "upper") and not calc.upper_bound:
        # "over 200", "under a tenth": true of anything past the bound, but a bound says roughly where it is
        said = q.interval
        stated_iv = (Interval(said.low, said.low * BOUND_REACH) if q.hedge_kind == "lower"
                     else Interval(said.high / BOUND_REACH, said.high))
    if stated_iv.overlaps(iv):
        chk.notes += _why_consistent(q, value, iv)
        return chk
    if Interval(stated_iv.low / (1 + TOLERANCE), stated_iv.high * (1 + TOLERANCE)).contains(value):
        chk.notes.append(f"within {TOLERANCE:.0%} of it: close enough for a figure said aloud, and sources differ by as much")
        return chk
    if calc.doubt:
        chk.verdict = "unverifiable"
        chk.notes.append(f"{calc.formula.text} gives {fmt(value)}, which does not match; but {calc.doubt}")
        return chk
    chk.verdict = "mismatch"
    # how far the figure said is from what it should be; from the nearer end when the expectation is a wide range
    wide = iv.low > 0 and iv.high / iv.low > 2
    near = (iv.high if q.value > iv.high else iv.low) if wide else value
    span = q.vague or stated_iv.low > 0 and stated_iv.high / stated_iv.low > 2  # "several orders": its nearer end
    said = (stated_iv.low if stated_iv.low > near else stated_iv.high) if span else q.value
    off = max(said / near, near / said) if said > 0 and near > 0 else float("inf")
    if q.vague and off < 2:  # "a few hundred billion" for 671 billion: loose, not wrong
        chk.verdict = "unverifiable"
        chk.notes.append(f"'{q.text}' is said loosely, and {fmt(value)} is not far past what it allows: no evidence either way")
        return chk
    chk.severity, chk.off = ("gross" if off >= 2 else "minor"), off
    hints = [(label, calc.evaluate(over)[1].scale(f)) for label, over in calc.alternatives]
    hints += [(label, iv.scale(x)) for label, x in calc.scalings]
    hints += [(label, alt_iv.scale(factor(alt_unit or unit, unit))) for label, alt_iv, alt_unit in family_alts()]
    if _is_information(unit):
        hints += [("bits and bytes swapped (x8)", iv.scale(8)), ("bits and bytes swapped (/8)", iv.scale(1 / 8))]
    hints += [(f"a slip of a power of ten (x{x:g})" if x > 1 else f"a slip of a power of ten (/{1 / x:g})", iv.scale(x))
              for x in (10, 100, 1000, 0.1, 0.01, 0.001)]  # "1.5" said "15", kilo for mega
    if stated_iv.low > 0 and stated_iv.high / stated_iv.low > 10:
        hints = []  # a span that wide ("several orders") would fit any slip: no hint says anything
    chk.reconcile = list(dict.fromkeys(label for label, alt in hints if stated_iv.overlaps(alt, rel=0.01)))  # hints, not verdicts: 1% slack
    chk.notes.append(f"off by a factor of {fmt(off)}")
    return chk


@lru_cache(maxsize=None)
def _is_information(unit: str) -> bool:
    return "[information]" in str(units(unit).dimensionality)


def _why_consistent(q, value: float, iv: Interval) -> list[str]:
    """Say when only rounding, a hedge or one unit reading makes the intervals overlap (SPEC 6)."""
    notes = []
    readings = q.readings or (Reading("", 1.0),)
    if q.readings:
        exact = [r for r in readings if abs(q.value * r.factor - value) <= 1e-9 * abs(value)]
        fits = [r for r in readings if q.reading_interval(r).overlaps(iv)]
        if exact:
            others = [f"under {o.label} it is {abs(value / (q.value * o.factor) - 1) * 100:.1f}% off"
                      for o in readings if o not in exact]
            notes.append("; ".join([f"exact under {exact[0].label}"] + others))
        elif len(fits) == 1:
            notes.append(f"consistent only under {fits[0].label}")
    unhedged = any(q.reading_interval(r).overlaps(iv) for r in readings)
    if q.hedge and not unhedged:
        notes.append(f"consistent only within the hedge '{q.hedge}'")
    elif unhedged and not any(iv.contains(q.value * r.factor) for r in readings):
        notes.append(f"consistent within the rounding of '{q.text}' ({fmt(q.rounding.low)} to {fmt(q.rounding.high)})")
    return notes
