"""Relations checked in any direction: a claim against every core relation whose other roles are known.

The other roles come, in this order, from what was said in the passage about the same entity (before
or after the claim, by anyone; after a self-correction, the corrected figure), the reference data of
that entity and of the accelerator in use, and declared defaults. A restated result is never its
own input: no value of the claim's own role is used to check it. A hypothetical or a counterfactual
("by that rule it should have seen...") never takes its own role from a real model's reference facts.
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from pipeline.claims import PREMISES, Claim
from pipeline.formulas import RELATIONS, ROLE_UNITS, Relation
from pipeline.inputs import (Calc, Context, Input, bytes_per_param, default, from_reference, other_precisions, peak_key,
                             stated)
from pipeline.quantities import Interval, same_dimension
from pipeline.reference import Entry

BEFORE, AFTER = 12, 4  # sentences around a claim whose figures are its inputs
EVIDENCE_SENTENCES = 5  # sentences: inputs this close make a mismatch evidence enough to flag
PASSAGE_WIDE = {"rate", "batch", "tokens_per_param"}  # a price or a rule holds for the whole passage ("at that same rate")
MODEL_FACTS = {"params": "params_total", "params_active": "params_active", "tokens": "training_tokens",
               "gpu_hours": "training_gpu_hours", "compute": "training_flops", "gpus": "training_gpu_count",
               "context": "context_length"}
RULE_ROLE = "tokens_per_param"  # the one rule a counterfactual is checked by
RULE_MODEL = "Chinchilla"  # the reference model whose tokens per parameter are "the Chinchilla rule"


def relation_calcs(claim: Claim, ctx: Context) -> list[Calc]:
    """A Calc for every relation that can give the claim's role from what is known around it."""
    role = claim.role
    mine, needed = _relations_of(role)
    if claim.framing == "counterfactual":  # "by that rule it should have seen...": the rule's relation, not the facts
        mine = [rel for rel in mine if RULE_ROLE in rel.roles]
    if not mine or role in PREMISES["always"]:
        return []  # no relation holds it, or it is assumed (a price, a utilization): nothing gives it
    known, at = _known(claim, ctx, needed)
    here = ctx.position(claim)
    if any(sum(r not in known for r in rel.roles) == 2 for rel in mine):
        _derive(known, at, role, here)  # one input short: perhaps another relation gives it
    out = []
    for rel in mine:
        others = [r for r in rel.roles if r != role]
        if all(r in known for r in others):
            inputs = {r: known[r] for r in others}
            if role != rel.out and at.get(rel.out, -1) > here:
                continue  # a premise is checked by a result said before it, never by what follows from it
            if claim.framing != "counterfactual" and not any(i.source.startswith(("stated", "computed")) for i in inputs.values()):
                continue  # reference facts alone: the reference check does that (a counterfactual has only this check)
            calc = _calc(rel, role, inputs)
            said = [at[r] for r in inputs if r in at and r not in PASSAGE_WIDE]
            # a mismatch is evidence only when what it was computed from was said close by, and no input was
            # already followed by another figure of the claim's role (that input went to that result)
            spent = any(c.role == role and c.scope == claim.scope for i in said for c in ctx.claims[i + 1:here])
            if spent:
                calc.doubt = "a figure it is computed from already gave another result said before this one"
            elif any(abs(ctx.claims[i].sentence_index - claim.sentence_index) > EVIDENCE_SENTENCES for i in said):
                calc.doubt = f"a figure it is computed from was said more than {EVIDENCE_SENTENCES} sentences away"
            out.append(calc)
    return out


@lru_cache(maxsize=None)
def _relations_of(role: str) -> tuple[list[Relation], frozenset[str]]:
    """The relations that hold a role, and the roles they need (or that one step before them needs)."""
    mine = [rel for rel in RELATIONS if role in rel.roles]
    near = {r for rel in mine for r in rel.roles}
    return mine, frozenset(near | {r for rel in RELATIONS if near & set(rel.roles) for r in rel.roles})


def _calc(rel: Relation, role: str, inputs: dict[str, Input]) -> Calc:
    alts = []
    if "bytes_per_param" in inputs:
        alts += other_precisions(inputs["bytes_per_param"])
    if "run_time" in inputs or "gpu_hours" in inputs:
        t = inputs.get("run_time") or inputs["gpu_hours"]
        alts.append(("the hours of a day left out (x24)", {t.name: Input(t.name, t.value / 24, t.interval.scale(1 / 24), t.unit, "assumed")}))
    return Calc(rel.formula(role), inputs, alts, unit=ROLE_UNITS[role], upper_bound=rel.ceiling and role == rel.out)


def _known(claim: Claim, ctx: Context, needed: set[str]) -> tuple[dict[str, Input], dict[str, int]]:
    """The roles known around the claim (said, then reference, then defaults), and where each said one was said."""
    known, at = _said(claim, ctx)
    model = claim.subject if claim.subject is not None and claim.subject.kind == "model" and claim.framing != "hypothetical" else None
    if model is not None and not model.unofficial and claim.scope == model.name:
        for r, key in MODEL_FACTS.items():
            if r in known or r == claim.role or r not in needed:  # the reference check compares the claim with its own fact
                continue
            if r == "params_active" and not model.fact(key):
                key = "params_total"
            if model.fact(key) and model.fact(key).value is not None:
                known[r] = from_reference(r, model, key, ROLE_UNITS[r])
    hw = claim.hardware or _hardware_of(claim, ctx)
    if hw is not None:
        fp8 = claim.precision is not None and claim.precision[1] <= 1
        for r, key, scale in (("peak", peak_key(hw, fp8), 1e12),
                              ("bandwidth", "bandwidth_tb_s", 1e12), ("watts_per_gpu", "tdp_w", 1), ("hw_memory", "memory_gb", 1e9)):
            if r not in known and r != claim.role and r in needed and hw.fact(key):
                known[r] = from_reference(r, hw, key, ROLE_UNITS[r], scale)
    _defaults(known, claim, model, ctx)
    return known, at


def _said(claim: Claim, ctx: Context) -> tuple[dict[str, Input], dict[str, int]]:
    """Each role said around the claim about its entity: the latest said before it, else the first said after."""
    known: dict[str, Input] = {}
    at: dict[str, int] = {}
    family = claim.subject.family if claim.subject is not None else None
    for c in ctx.before(claim, BEFORE) + ctx.after(claim, AFTER):
        r = c.role
        if r not in ROLE_UNITS or r == claim.role or r in known or (c.quantity.unit is None and r != "batch"):
            continue
        wide = r in PASSAGE_WIDE and (r != RULE_ROLE or "rule" in c.cues)  # a ratio is a rule only when said as one
        if not wide and c.scope != claim.scope and not (family and c.scope == family):
            continue  # said of another model (said of its family counts: "Llama 3 ... 15 trillion tokens ... the 70B")
        if c.framing == "counterfactual" and (claim.framing != "counterfactual" or r in ("params", "params_active")):
            continue  # "by that rule it should have seen 1.4 trillion": not what it saw, nor another's rule-made size
        if r == RULE_ROLE and claim.framing == "counterfactual" and "rule" in claim.cues and "rule" not in c.cues:
            continue  # "by Chinchilla it should have...": the rule's own figure, not a ratio said of another model
        if r == "watts_per_gpu" and "gpus_alone" in claim.cues and "overhead" in c.cues:
            continue  # "for the GPUs alone": the chip's own power, not a figure said all-in
        try:
            known[r], at[r] = _stated(r, c), ctx.position(c)
        except ValueError:
            continue
    if "params" in known and "params_active" not in known and claim.role != "params_active" and _dense(claim):
        p = known["params"]
        known["params_active"] = Input("params_active", p.value, p.interval, "parameter", p.source + " (a dense model: every parameter is active)")
    return known, at


def _defaults(known: dict[str, Input], claim: Claim, model: Entry | None, ctx: Context) -> None:
    """Declared defaults, and the precision or rule said with the claim."""
    if "bytes_per_param" not in known:
        known["bytes_per_param"] = bytes_per_param(claim, model)
    if claim.role in ("power", "gpus", "watts_per_gpu") and "overhead" in claim.cues:
        known["overhead"] = Input("overhead", 1.0, Interval(1.0, 2.5), "fold", "default: servers, networking and cooling "
                                  "add up to 150% to the GPUs' own power (said: all-in, not the chips alone)")
    elif claim.role == "power":
        known["overhead"] = default("overhead", 1.0, "fold", "the figure per GPU as said, or the GPUs alone")
    if "gpus" not in known and claim.role == "decode_tps":
        known["gpus"] = default("gpus", 1, "GPU", "one GPU unless said otherwise")
    if "batch" not in known and claim.role == "kv_total":
        known["batch"] = default("batch", 1, "", "one sequence unless said otherwise")
    if claim.framing == "counterfactual" and RULE_ROLE not in known and "rule" in claim.cues:
        ch = ctx.reference.get(RULE_MODEL)
        if ch is not None and ch.fact("training_tokens") and ch.fact("params_total"):
            v = float(ch.fact("training_tokens").value) / float(ch.fact("params_total").value)
            known[RULE_ROLE] = Input(RULE_ROLE, v, Interval.point(v), "token / parameter",
                                              f"reference: the Chinchilla rule, {ch.name} training_tokens / params_total "
                                              f"({ch.fact('training_tokens').source})")


def _dense(claim: Claim) -> bool:
    s = claim.subject
    return s is None or s.kind != "model" or not s.moe


def _hardware_of(claim: Claim, ctx: Context) -> Entry | None:
    """The accelerator of the GPU count said in the claim's scope ("2,048 H100s")."""
    for c in ctx.before(claim, BEFORE):
        if c.role == "gpus" and c.scope == claim.scope and c.hardware is not None:
            return c.hardware
    return None


def _stated(role: str, c: Claim) -> Input:
    unit = ROLE_UNITS[role]
    q = c.quantity
    if q.unit is None or same_dimension(q.unit, unit):  # None: a bare count, such as a batch size
        return stated(role, c, unit)
    # "$2 an hour" is a price per GPU-hour; "1400 watts" all-in is per GPU: the count is implied
    for implied in (unit.replace(" / (GPU * hour)", " / hour"), unit.replace(" / GPU", ""), unit.replace("GPU * ", "")):
        if implied != unit and same_dimension(q.unit, implied):
            said = stated(role, c, implied)
            return replace(said, unit=unit, source=said.source + ", read per GPU")
    raise ValueError(role)


def _derive(known: dict[str, Input], at: dict[str, int], target: str, here: int, rounds: int = 2) -> None:
    """Fill in roles that other relations give from what is known (never the target itself); a derived role
    counts as said where the last of its inputs was."""
    for _ in range(rounds):
        new = False
        for rel in RELATIONS:
            missing = [r for r in rel.roles if r not in known]
            if len(missing) != 1 or target in rel.roles:
                continue  # a relation that holds the target is for checking it, not for its inputs
            r = missing[0]
            if r != rel.out and at.get(rel.out, -1) > here:
                continue  # an input found by undoing a result said after the claim: the claim would check itself
            ins = {x: known[x] for x in rel.roles if x != r}
            if not any(i.source.startswith("stated") for i in ins.values()):
                continue
            value = rel.solve(r, {x: i.value for x, i in ins.items()})
            iv = rel.solve(r, {x: i.interval for x, i in ins.items()})
            parts = ", ".join(f"{x} {i.value:.4g}" for x, i in ins.items())
            known[r] = Input(r, float(value), iv, ROLE_UNITS[r], f"computed: {rel.text}, from {parts}")
            said = [at[x] for x in ins if x in at]
            if said:
                at[r] = max(said)
            new = True
        if not new:
            return
