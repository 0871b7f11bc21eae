"""One recipe per claim kind (SPEC 5): which formula, and where each of its inputs comes from.

A recipe returns a Calc, or raises Unverifiable with the reason a reader needs.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from pipeline.claims import LEXICON, PREMISES, SCOPE_SENTENCES, Claim
from pipeline.formulas import FORMULAS
from pipeline.inputs import (DEFAULT_KV_BYTES, Calc, Context, Input, Unverifiable, about, assumed, bytes_per_param, default,
                             from_reference, official, other_precisions, peak_key, said_precision, stated)
from pipeline.quantities import TOLERANCE, Interval, factor, fmt, same_dimension
from pipeline.reference import Entry

def _parameter_count(claim: Claim, ctx: Context, model: Entry) -> Calc:
    if claim.role == "params_active" and model.moe:
        active = from_reference("value", model, "params_active", "parameter")
        alt = [("total instead of active parameters", {"value": from_reference("value", model, "params_total", "parameter")})]
        return Calc(FORMULAS["reference_value"], {"value": active}, alt, unit="parameter")
    inputs = {"params_total": from_reference("params_total", model, "params_total", "parameter")}
    if model.fact("params_nominal"):
        inputs["params_nominal"] = from_reference("params_nominal", model, "params_nominal", "parameter")
    else:
        inputs["params_nominal"] = inputs["params_total"]
    alt = []
    if model.moe:
        act = from_reference("params_total", model, "params_active", "parameter")
        alt.append(("active instead of total parameters", {"params_total": act, "params_nominal": act}))
    return Calc(FORMULAS["parameter_count"], inputs, alt)


def _training_tokens(claim: Claim, ctx: Context, model: Entry) -> Calc:
    return Calc(FORMULAS["reference_value"], {"training_tokens": from_reference("training_tokens", model, "training_tokens", "token")},
                unit="token")


def _weight_bits_per_token(claim: Claim, ctx: Context, model: Entry) -> Calc:
    p = ctx.earlier(claim, "parameter_count", lambda s: s is not None and s.name == model.name)
    params = stated("params", p, "parameter") if p else from_reference("params", model, "params_total", "parameter")
    t = ctx.earlier(claim, "training_tokens", about(model))
    tokens = stated("tokens", t, "token") if t else from_reference("tokens", model, "training_tokens", "token")
    per = bytes_per_param(claim, model)
    alt = other_precisions(per, "{short} weights ({bits:g} bits per parameter)")
    if model.moe:
        alt.append(("active instead of total parameters", {"params": from_reference("params", model, "params_active", "parameter")}))
    return Calc(FORMULAS["weight_bits_per_token"], {"params": params, "bytes_per_param": per, "tokens": tokens}, alt)


def _kv_cache_per_token(claim: Claim, ctx: Context, model: Entry) -> Calc:
    per = (said_precision(claim, "bytes_per_element", "byte") if claim.precision
           else default("bytes_per_element", DEFAULT_KV_BYTES, "byte", "a 16-bit KV cache unless said otherwise"))
    alt = other_precisions(per, "a KV cache in {name}")
    mla = model.fact("mla")
    if mla:
        layers = from_reference("n_layers", model, "n_layers", "")
        inputs = {"n_layers": layers,
                  "kv_lora_rank": _from_dict("kv_lora_rank", model, "mla"),
                  "qk_rope_head_dim": _from_dict("qk_rope_head_dim", model, "mla"),
                  "bytes_per_element": per}
        return Calc(FORMULAS["kv_cache_per_token_mla"], inputs, alt)
    inputs = {k: from_reference(k, model, k, "") for k in ("n_layers", "n_kv_heads", "head_dim")}
    inputs["bytes_per_element"] = per
    if model.fact("n_heads") and model.fact("n_heads").value != model.fact("n_kv_heads").value:
        alt.append(("every attention head cached (no grouped-query attention)",
                    {"n_kv_heads": from_reference("n_kv_heads", model, "n_heads", "")}))
    alt.append(("K and V counted once", {"bytes_per_element": assumed(per, per.value / 2, "assumed: K or V only")}))
    return Calc(FORMULAS["kv_cache_per_token"], inputs, alt)


def _from_dict(key: str, model: Entry, fact: str) -> Input:
    f = model.fact(fact)
    v = float(f.value[key])
    return Input(key, v, Interval.point(v), "", f"reference: {model.name} {fact}.{key} ({f.source})")


NOT_COMPARED = ("second", "percent")  # "1200x in three years": durations and shares set the scene
RATIO_NEAR = 2  # sentences: the nearer of the two compared is said this close to the ratio...
RATIO_BEFORE = 12  # ...and the other within this many
RATIO_AFTER = 4  # sentences: "a 1200x reduction", and then the two prices compared


HARDWARE_FACTS_OF = {"compute": ("bf16_dense_tflops", 1e12, "FLOPS"), "bandwidth": ("bandwidth_tb_s", 1e12, "byte / second"),
                     "hw_memory": ("memory_gb", 1e9, "byte"), "power": ("tdp_w", 1, "watt")}
MODEL_FACTS_OF = {"compute": ("training_flops", 1, "FLOP"), "tokens": ("training_tokens", 1, "token"),
                  "params": ("params_total", 1, "parameter")}
SAID_AS = {"compute": ("compute", "peak"), "hw_memory": ("hw_memory",), "bandwidth": ("bandwidth",), "tokens": ("tokens",),
           "params": ("params",), "power": ("power", "tdp", "site_power")}


def _entity_ratio(claim: Claim, ctx: Context) -> Calc:
    """'43% more bandwidth than the H100', 'twice an H100', 'two orders of magnitude more compute than GPT-3':
    the subject's figure over the comparand's, each as said in the passage, else from the reference data."""
    what = claim.compared or next((c.role for c in reversed(ctx.before(claim, 0)) if c.role in ("peak", "bandwidth", "hw_memory")), None)
    what = "compute" if what == "peak" else what
    if what is None:
        raise Unverifiable(f"it compares something with {claim.comparand.name}, but the sentence does not say in what")
    b = _figure(claim.comparand, what, claim, ctx)
    if claim.subject is not None:
        a = _figure(claim.subject, what, claim, ctx)
    else:  # the figure said last of something else
        said = next((c for c in ctx.before(claim, SCOPE_SENTENCES) if c.scope != claim.comparand.name and c.role in SAID_AS.get(what, ())), None)
        if said is None:
            raise Unverifiable(f"it compares something with {claim.comparand.name}, and no {what} figure of it was said")
        a = stated("said", said, said.quantity.unit)
    unit = b.unit
    if not same_dimension(a.unit, unit):  # a model's training FLOPs against a chip's FLOP/s
        raise Unverifiable(f"it compares figures that do not compare ({a.unit} and {unit})")
    a = Input(a.name, a.value * factor(a.unit, unit), a.interval.scale(factor(a.unit, unit)), unit, a.source)
    big, small = (a, b) if a.value >= b.value else (b, a)
    return Calc(_ratio_formula(claim), {"larger": Input("larger", big.value, big.interval, unit, big.source),
                                 "smaller": Input("smaller", small.value, small.interval, unit, small.source)})


def _figure(entry: Entry, what: str, claim: Claim, ctx: Context) -> Input:
    """What an entity's figure is: said of it just before, else its reference fact."""
    said = next((c for c in ctx.before(claim, SCOPE_SENTENCES) if c.scope == entry.name and c.role in SAID_AS.get(what, ())), None)
    if said is not None:
        return stated(entry.name, said, said.quantity.unit)
    facts = HARDWARE_FACTS_OF if entry.kind == "hardware" else MODEL_FACTS_OF
    if what not in facts:
        raise Unverifiable(f"the reference data has no {what} figure for a {'chip' if entry.kind == 'hardware' else 'model'}")
    if entry.kind == "family" and entry.default:
        entry = ctx.reference.get(entry.default)
    key, scale, unit = facts[what]
    return from_reference(entry.name, official(entry), key, unit, scale)


def _ratio(claim: Claim, ctx: Context) -> Calc:
    """A ratio compares two quantities of one dimension that the same speaker said around it.

    The nearest pair is taken. A mismatch is flagged only when that pair is close (RATIO_NEAR
    sentences) and no other pair in the passage would fit: otherwise it is not clear which two
    quantities were compared, and the claim stays unverifiable.
    """
    if claim.comparand is not None:
        return _entity_ratio(claim, ctx)
    calcs, pairs = _ratio_pairs(claim, ctx.before(claim, RATIO_BEFORE) + ctx.after(claim, 0))  # before it, and its sentence
    said = claim.quantity.interval
    if not pairs and claim.quantity.unit == "fold" and said.high <= 10 * said.low:
        # "a 1200x reduction ... from $60 ... to $0.05": the two the same speaker says just after (not "several orders")
        calcs, _ = _ratio_pairs(claim, [c for c in ctx.after(claim, RATIO_AFTER) if c.speaker == claim.speaker])
        agree = next((c for c in calcs if said.overlaps(c.evaluate()[1])), None)
        if agree is None:
            raise Unverifiable("no two comparable quantities said before it, and none said just after it give it")
        agree.notes.append("the two compared were said just after it")
        return agree
    if not pairs:
        raise Unverifiable("no two comparable quantities were said around it in the passage")
    calc, (a, b) = calcs[0], pairs[0]
    calc.notes += _ratio_from_expected(a, b, ctx)
    others_fit = any(claim.quantity.interval.overlaps(c.evaluate()[1]) for c in calcs[1:])
    before = all(ctx.position(x) < ctx.position(claim) for x in (a, b))
    if not (before and not others_fit and min(claim.sentence_index - x.sentence_index for x in (a, b)) <= RATIO_NEAR):
        calc.doubt = "it is not clear these are the two compared (too far back, or another pair fits)"
    return calc


def _ratio_pairs(claim: Claim, near: list[Claim]) -> tuple[list[Calc], list[tuple[Claim, Claim]]]:
    """The pairs of comparable quantities among `near` (nearest first) that the ratio can be of, and their ratios."""
    near = [c for c in near if c.kind != "ratio" and c.quantity.unit and not c.input_only
            and not any(same_dimension(c.quantity.unit, u) for u in NOT_COMPARED)]
    near.sort(key=lambda c: c.speaker != claim.speaker)  # the speaker's own figures first, then another's ("that's seven times")
    pairs = _same_sentence_first(claim, [(a, b) for j, a in enumerate(near) for b in near[j + 1:]
                                         if same_dimension(a.quantity.unit, b.quantity.unit)])
    if claim.quantity.unit == "percent":  # "about 3% of it": the part and the whole are said with it
        pairs = [(a, b) for a, b in pairs if a.sentence_index == b.sentence_index == claim.sentence_index]
    calcs = [_ratio_of(a, b, claim) for a, b in pairs]
    if claim.quantity.unit == "fold" and claim.quantity.value >= 2:  # "140 megawatts, 150 megawatts": a restatement, not the two compared in a "10x"
        kept = [(c, p) for c, p in zip(calcs, pairs) if c.evaluate()[0] >= 1.5]
        calcs, pairs = [c for c, _ in kept], [p for _, p in kept]
    return calcs, pairs


def _same_sentence_first(claim: Claim, pairs: list) -> list:
    """Pairs said in the claim's own sentence, if there are any; else all pairs, nearest first."""
    own = [(a, b) for a, b in pairs if a.sentence_index == b.sentence_index == claim.sentence_index]
    return own or pairs


def _ratio_of(a: Claim, b: Claim, claim: Claim) -> Calc:
    unit = b.quantity.unit
    if a.quantity.value * factor(a.quantity.unit, unit) < b.quantity.value:
        a, b = b, a
    big, small = stated("larger", a, unit), stated("smaller", b, unit)
    # a spoken number misheard by ten ("5.6" written "56") is the classic transcription slip
    alt = [(f"'{c.quote}' off by ten (a decimal point lost in transcription)",
            {i.name: Input(i.name, i.value * f, i.interval.scale(f), i.unit, "assumed")})
           for c, i in ((a, big), (b, small)) for f in (0.1, 10)]
    return Calc(_ratio_formula(claim), {"larger": big, "smaller": small}, alt)


def _ratio_formula(claim: Claim):
    """'three times' is a ratio; '43% more' an excess; 'about 3% of it' a share."""
    if claim.quantity.unit != "percent":
        return FORMULAS["ratio"]
    return FORMULAS["excess" if "more" in claim.cues else "share"]


def _ratio_from_expected(a: Claim, b: Claim, ctx: Context) -> list[str]:
    ca, cb = ctx.checks.get(a.id), ctx.checks.get(b.id)
    if not (ca and cb and ca.value and cb.value and ca.verdict == cb.verdict == "consistent"):
        return []
    va = ca.value * factor(ca.unit, b.quantity.unit)
    r = max(va, cb.value) / min(va, cb.value)
    return [f"from the recomputed values of the two ({fmt(ca.value)} {ca.unit} and {fmt(cb.value)} {cb.unit}) the ratio is {fmt(r)}"]


def _params_for(claim: Claim, ctx: Context, model: Entry | None) -> Input:
    """Parameters: said earlier in the passage (about this model, or about no named model), else the reference."""
    same = (lambda s: s is not None and s.name == model.name) if model else (lambda s: s is None)
    p = ctx.earlier(claim, "parameter_count", same)
    if p:
        return stated("params", p, "parameter")
    if model is None:
        raise Unverifiable("no parameter count was said and no model is named")
    return from_reference("params", model, "params_total", "parameter")


def _subject_model_or_none(claim: Claim) -> Entry | None:
    s = claim.subject
    return official(s) if s is not None and s.kind == "model" else None


def _weight_memory(claim: Claim, ctx: Context) -> Calc:
    model = _subject_model_or_none(claim)
    params = _params_for(claim, ctx, model)
    per = bytes_per_param(claim, model)
    alt = other_precisions(per)
    return Calc(FORMULAS["weight_memory"], {"params": params, "bytes_per_param": per}, alt)


def _training_compute(claim: Claim, ctx: Context, model: Entry) -> Calc:
    p = ctx.earlier(claim, "parameter_count", lambda s: s is not None and s.name == model.name)
    t = ctx.earlier(claim, "training_tokens", about(model))
    if not (p or t) and model.fact("training_flops"):
        return Calc(FORMULAS["reference_value"], {"training_flops": from_reference("training_flops", model, "training_flops", "FLOP")},
                    unit="FLOP")
    moe = model.moe
    key = "params_active" if moe else "params_total"  # compute goes with the parameters each token uses
    params = stated("params_active", p, "parameter") if p else from_reference("params_active", model, key, "parameter")
    tokens = stated("tokens", t, "token") if t else from_reference("tokens", model, "training_tokens", "token")
    alt = [("2ND (forward pass only) instead of 6ND", {"params_active": assumed(params, params.value / 3, "assumed: 2ND")})]
    if moe:
        alt.append(("total instead of active parameters", {"params_active": from_reference("params_active", model, "params_total", "parameter")}))
    return Calc(FORMULAS["training_compute"], {"params_active": params, "tokens": tokens}, alt)



# ---------------------------------------------------------------- more kinds (SPEC 5)

FACT_UNITS = {"n_layers": "layer", "n_heads": "head", "n_kv_heads": "kv_head", "n_experts": "expert",
              "experts_per_token": "expert", "vocab_size": "token", "context_length": "token", "d_model": "hidden_unit"}
SWAPPED = {"n_kv_heads": ("n_heads", "all attention heads, not the KV heads"),
           "n_heads": ("n_kv_heads", "the KV heads, not all attention heads"),
           "n_experts": ("experts_per_token", "the experts active per token, not all of them"),
           "experts_per_token": ("n_experts", "all experts, not those active per token")}


def _architecture(claim: Claim, ctx: Context, model: Entry) -> Calc:
    key = claim.fact
    unit = FACT_UNITS[key]
    calc = Calc(FORMULAS["reference_value"], {key: from_reference(key, model, key, unit)}, unit=unit)
    other, label = SWAPPED.get(key, (None, None))
    if other and model.fact(other):
        calc.alternatives.append((label, {key: from_reference(key, model, other, unit)}))
    return calc


HARDWARE_FACTS = {"dense_tflops": ("bf16_dense_tflops", "teraFLOPS"), "bandwidth_tb_s": ("bandwidth_tb_s", "terabyte / second"),
                  "memory_gb": ("memory_gb", "gigabyte"), "tdp_w": ("tdp_w", "watt"), "system_power_w": ("system_power_w", "watt")}


def _hardware_spec(claim: Claim, ctx: Context, hw: Entry) -> Calc:
    key, unit = HARDWARE_FACTS[claim.fact]
    if claim.fact == "dense_tflops":
        key = peak_key(hw) if not (claim.precision and claim.precision[1] <= 1) else "fp8_dense_tflops"  # "fp8 teraflops"
    if " / GPU" in (claim.quantity.unit or ""):
        unit = f"{unit} / GPU"
    calc = Calc(FORMULAS["reference_value"], {key: from_reference(key, hw, key, unit)}, unit=unit)
    if claim.fact == "dense_tflops":
        calc.scalings.append(("the figure with 2:4 sparsity (x2), not the dense one", 2.0))
        other = "fp8_dense_tflops" if key == "bf16_dense_tflops" else "bf16_dense_tflops"
        if hw.fact(other):
            calc.alternatives.append((f"the {other.split('_')[0]} figure, not the {key.split('_')[0]} one", {key: from_reference(key, hw, other, unit)}))
    return calc


TRAINING = re.compile(r"\b(?:train|trained|training|pre-?train)", re.I)


SERVING = re.compile(r"\b(?:inference|serving|serve|served|deployment|replica)\b", re.I)


def _distance(pattern: re.Pattern, claim: Claim) -> float:
    """Characters from the claim's quantity to the nearest word of `pattern` in its sentence."""
    return _nearest(pattern, claim.sentence, claim.quantity.start - claim.sentence_start)


@lru_cache(maxsize=4096)
def _nearest(pattern: re.Pattern, text: str, at: int) -> float:
    """Asked once a reading: a name of a dozen models asks the same sentence a dozen times."""
    return min((abs(m.start() - at) for m in pattern.finditer(text)), default=math.inf)


def _gpu_count(claim: Claim, ctx: Context, model: Entry) -> Calc:
    training = _distance(TRAINING, claim)
    if _distance(SERVING, claim) < training:  # "DeepSeek's implementation of inference is like 160 GPUs"
        calc = Calc(FORMULAS["serving_gpus"], {"prefill": from_reference("prefill", model, "serving_prefill_gpus", "GPU"),
                                               "decode": from_reference("decode", model, "serving_decode_gpus", "GPU")})
        calc.doubt = "the maker's own deployment is one way to serve it; a single node or another provider uses other counts"
        return calc
    if not (training < math.inf or "training" in claim.topic):
        raise Unverifiable("a count of GPUs said of neither a training run nor a serving deployment: nothing to compare it with")
    calc = Calc(FORMULAS["reference_value"], {"training_gpu_count": from_reference("training_gpu_count", model, "training_gpu_count", "GPU")}, unit="GPU")
    said = ctx.reference.lookup(claim.quantity.item, "hardware") if claim.quantity.item else None
    kind = model.fact("training_gpu_type")
    if said and kind and said.name != kind.value:
        calc.notes.append(f"the reference says {model.name} trained on {kind.value}, not {said.name} ({kind.source})")
    return calc


def _training_cost(claim: Claim, ctx: Context, model: Entry) -> Calc:
    """The cost of the training run as its maker published it (DeepSeek-V3: GPU-hours at a stated rental price)."""
    if not (TRAINING.search(claim.sentence) or "training" in claim.topic):
        raise Unverifiable("a sum not said of a training run: nothing to compare it with")
    cost = from_reference("training_cost", model, "training_cost_usd", "dollar")
    calc = Calc(FORMULAS["reference_value"], {"training_cost": cost}, unit="dollar")
    if claim.quantity.value * factor(claim.quantity.unit, "dollar") > cost.interval.high:
        calc.doubt = "a larger sum may count what the published cost of the final run leaves out (research, salaries, hardware)"
    return calc


def _training_gpu_hours(claim: Claim, ctx: Context, model: Entry) -> Calc:
    if model.fact("training_gpu_hours"):
        return Calc(FORMULAS["reference_value"], {"training_gpu_hours": from_reference("training_gpu_hours", model, "training_gpu_hours", "GPU * hour")},
                    unit="GPU * hour")
    gpu = model.fact("training_gpu_type")
    hw = ctx.reference.get(gpu.value) if gpu else None
    if hw is None:
        raise Unverifiable(f"the reference data has neither GPU-hours nor the training hardware of {model.name}")
    flops = _training_compute(claim, ctx, model)
    value, iv = flops.evaluate()
    inputs = {"compute": Input("compute", value, iv, "FLOP", f"computed: {flops.formula.text} = {fmt(value)}"),
              "peak": from_reference("peak", hw, "bf16_dense_tflops", "FLOPS / GPU", 1e12),
              "mfu": Input("mfu", 0.4, Interval(0.15, 0.6), "", "assumed: model FLOPs utilisation of 15-60%")}
    return Calc(FORMULAS["training_gpu_hours"], inputs)


def _tokens_per_parameter(claim: Claim, ctx: Context, model: Entry) -> Calc:
    t = ctx.earlier(claim, "training_tokens", about(model))
    tokens = stated("tokens", t, "token") if t else from_reference("tokens", model, "training_tokens", "token")
    return Calc(FORMULAS["tokens_per_parameter"], {"tokens": tokens, "params": _params_for(claim, ctx, model)})


SINGLE_STREAM = re.compile("|".join(re.escape(w) for w in LEXICON["single_stream_words"]), re.I)


def _decode_throughput(claim: Claim, ctx: Context, model: Entry) -> Calc:
    if claim.hardware is None:
        raise Unverifiable("no accelerator is named in the passage")
    hw = official(claim.hardware)
    n = ctx.earlier(claim, "gpu_count")
    n_gpus = stated("gpus", n, "GPU") if n else default("gpus", 1, "GPU", "one GPU unless said otherwise")
    key = "params_active" if model.fact("params_active") else "params_total"
    calc = Calc(FORMULAS["decode_throughput"], {
        "gpus": n_gpus, "bandwidth": from_reference("bandwidth", hw, "bandwidth_tb_s", "byte / second / GPU", 1e12),
        "params_active": from_reference("params_active", model, key, "parameter"),
        "bytes_per_param": bytes_per_param(claim, model)}, upper_bound=True)
    if not SINGLE_STREAM.search(claim.sentence):
        bound = calc.evaluate()[0]
        raise Unverifiable(f"one stream can decode at most {fmt(bound)} tokens/s on {fmt(n_gpus.value)} {hw.name}"
                           f" (bandwidth / bytes of weights); a batch of streams can do more, and the sentence does not say which")
    calc.notes.append("an upper bound: batch-1 decoding is limited by memory bandwidth")
    return calc


BATCH = re.compile(r"\bbatch(?: size)? of (\d+)|\b(\d+) (?:users|sequences|requests|streams)\b", re.I)


def _kv_cache_total(claim: Claim, ctx: Context, model: Entry) -> Calc:
    k = ctx.earlier(claim, "kv_cache_per_token", lambda s: s is not None and s.name == model.name)
    if k:
        per = stated("kv_per_token", k, "byte / token")
    else:
        inner = _kv_cache_per_token(claim, ctx, model)
        v, iv = inner.evaluate()
        per = Input("kv_per_token", v, iv, "byte / token",
                    f"computed: {inner.formula.text} = {fmt(v)} B ({', '.join(f'{i.name} {fmt(i.value)}' for i in inner.inputs.values())})")
    c = ctx.earlier(claim, "architecture")
    if c is not None and c.fact == "context_length" and c.sentence_index >= claim.sentence_index - 1:
        context = stated("context", c, "token")
    else:
        context = from_reference("context", model, "context_length", "token")
    b = BATCH.search(claim.sentence)
    if b:
        n = float(b.group(1) or b.group(2))
        batch = Input("batch", n, Interval.point(n), "", f"stated: '{b.group()}' in the sentence")
    else:
        batch = default("batch", 1, "", "one sequence unless said otherwise")
    return Calc(FORMULAS["kv_cache_total"], {"kv_per_token": per, "context": context, "batch": batch})


ARITH_NEAR = 2  # sentences: the inputs of a result are said just before it, or (worked out aloud) just after


def _arithmetic(claim: Claim, ctx: Context) -> Calc:
    """A figure that two quantities said around it multiply to: '100,000 GPUs at 1400 watts apiece ... 140 megawatts'
    (before it), 'about 10 to the 15 bytes; you can compute this from 20 megabytes per second' (after it). Any pair
    that gives it is agreement; a mismatch is evidence only from the one pair said just before it."""
    target = claim.quantity.unit
    before = [c for c in ctx.before(claim, ARITH_NEAR) if c.speaker == claim.speaker and c.quantity.unit]
    after = [c for c in ctx.after(claim, ARITH_NEAR) if c.speaker == claim.speaker and c.quantity.unit]
    around, n = before + after, len(before)
    early = [(c, a, b) for a, b in _same_sentence_first(claim, [(a, b) for j, a in enumerate(before) for b in before[j + 1:]])
             if (c := _product(a, b, target))]
    late = [c for j, a in enumerate(around) for k, b in enumerate(around[j + 1:], j + 1) if k >= n  # one of them said after it
            and (c := _product(a, b, target))]
    said = claim.quantity.interval
    said = Interval(said.low / (1 + TOLERANCE), said.high * (1 + TOLERANCE))
    agree = [c for c in [c for c, _, _ in early] + late if said.overlaps(c.evaluate()[1])]
    if agree:  # the pair nearest to what was said
        return min(agree, key=lambda c: abs(math.log(max(c.evaluate()[0], 1e-300) / max(claim.quantity.value, 1e-300))))
    if not early and not late:
        raise Unverifiable("no two quantities said around it multiply to it")
    if not early:
        calc = late[0]
        calc.doubt = "the quantities it would come from were said after it, and may be for something else"
        return calc
    calc, a, b = early[0]
    spent = next((c for c in ctx.claims[max(map(ctx.position, (a, b))) + 1:ctx.position(claim)]
                  if c.quantity.unit and same_dimension(c.quantity.unit, target)), None)
    if len(early) + len(late) > 1:
        calc.doubt = "another pair of the quantities said around it multiplies to something else"
    elif spent is not None:  # "15 trillion tokens at 4 bytes, so that's 60 terabytes, and compressed that's 20"
        calc.doubt = f"those figures already gave '{spent.quote}', said between them and this one"
    elif claim.role not in ("result", *PREMISES["always"]) and a.sentence_index != claim.sentence_index:
        # "80 gigs each ... The activations, that's 100 GB": a figure of its own, said after "that's"
        calc.doubt = "its inputs were said in another sentence, and it has a name of its own"
    return calc


def _other(claim: Claim, ctx: Context) -> Calc:
    """A figure no formula names ('about 10 to the 15 bytes') may still be the product of two said around it;
    not being one is no evidence: the speaker did not say it was worked out."""
    try:
        calc = _arithmetic(claim, ctx)
    except Unverifiable:
        raise Unverifiable("no formula relates it to anything, and no two quantities said around it multiply to it") from None
    calc.doubt = calc.doubt or "the speaker does not say it was worked out from them"
    return calc


COUNTS = ("GPU",)  # "64 H100s at $3 an hour": the rate is per GPU


def _product(a: Claim, b: Claim, target: str) -> Calc | None:
    ua, ub = a.quantity.unit, b.quantity.unit
    if same_dimension(f"({ua}) * ({ub})", target):
        unit_b = f"({target}) / ({ua})"
        note = None
    else:
        for x, y in ((a, b), (b, a)):
            if x.quantity.unit in COUNTS and same_dimension(y.quantity.unit, target):
                a, b, unit_b = x, y, target
                note = f"'{y.quote}' read as per {x.quantity.unit} ({x.quote})"
                break
        else:
            return None
    ia, ib = stated("a", a, a.quantity.unit), stated("b", b, unit_b)
    calc = Calc(FORMULAS["product"], {"a": ia, "b": ib}, unit=target)
    if note:
        calc.notes.append(note)
    return calc


GENERAL_FACTS = {"tokens": ("training_tokens", "token"), "params": ("params_total", "parameter"),
                 "context": ("context_length", "token")}  # by role: what models in general have a span of


def in_general(claim: Claim, ctx: Context) -> Calc:
    """'LLMs are typically trained on the order of 10^13 tokens': the span of the models in the reference data."""
    key, unit = GENERAL_FACTS[claim.role]
    models = sorted((e for e in ctx.reference.entries.values() if e.kind == "model" and not e.unofficial and e.fact(key)),
                    key=lambda e: float(e.fact(key).value))
    if not models:
        raise Unverifiable(f"the reference data has no {key} of any model")
    least, most = models[0], models[-1]
    calc = Calc(FORMULAS["reference_value"], {"the least": from_reference("the least", least, key, unit),
                                              "the most": from_reference("the most", most, key, unit)}, unit=unit,
                notes=[f"said of models in general: from the least to the most of the {len(models)} models in the reference data"])
    if claim.generic == "kind":
        calc.doubt = "such models may exist outside the reference data, or be coming"
    return calc


RECIPES = {
    "arithmetic": (_arithmetic, None),
    "other": (_other, None),
    "architecture": (_architecture, "model"),
    "hardware_spec": (_hardware_spec, "hardware"),
    "gpu_count": (_gpu_count, "model"),
    "training_gpu_hours": (_training_gpu_hours, "model"),
    "training_cost": (_training_cost, "model"),
    "tokens_per_parameter": (_tokens_per_parameter, "model"),
    "decode_throughput": (_decode_throughput, "model"),
    "kv_cache_total": (_kv_cache_total, "model"),
    "weight_memory": (_weight_memory, None),
    "training_compute": (_training_compute, "model"),
    "parameter_count": (_parameter_count, "model"),
    "training_tokens": (_training_tokens, "model"),
    "weight_bits_per_token": (_weight_bits_per_token, "model"),
    "kv_cache_per_token": (_kv_cache_per_token, "model"),
    "ratio": (_ratio, None),
}
