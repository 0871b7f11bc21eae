"""The core formulas (SPEC 5): small pure functions, each with its units and its source.

Arguments are plain numbers or Intervals (quantities.Interval supports + * /), so the same function
gives the expected value and the expected interval. `FORMULAS` is the registry the checks use.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from pipeline.quantities import Interval


@dataclass(frozen=True)
class Formula:
    name: str
    text: str  # as the report shows it
    unit: str  # the unit of the result
    inputs: dict[str, str]  # argument -> unit
    source: str
    fn: Callable

    def __call__(self, **kw):
        return self.fn(**kw)


FORMULAS: dict[str, Formula] = {}


def formula(text: str, unit: str, inputs: dict[str, str]):
    """Register a formula; its docstring names its source."""
    def register(fn):
        FORMULAS[fn.__name__] = Formula(fn.__name__, text, unit, inputs, (fn.__doc__ or "").strip(), fn)
        return fn
    return register


def either(*values):
    """Any of several reference values: their hull as an interval, the first as the value."""
    if all(isinstance(v, Interval) for v in values):
        out = values[0]
        for v in values[1:]:
            out = out.hull(v)
        return out
    return values[0]


@formula("reference value", "", {"value": ""})
def reference_value(**values):
    """The reference data (each value carries its own source)."""
    return either(*values.values())


@formula("params_total (or the official size label, params_nominal)", "parameter",
         {"params_total": "parameter", "params_nominal": "parameter"})
def parameter_count(params_total, params_nominal):
    """Model config and card; a model named '70B' is said to have 70B parameters."""
    return either(params_total, params_nominal)


@formula("2 x n_layers x n_kv_heads x head_dim x bytes_per_element", "byte / token",
         {"n_layers": "", "n_kv_heads": "", "head_dim": "", "bytes_per_element": "byte"})
def kv_cache_per_token(n_layers, n_kv_heads, head_dim, bytes_per_element):
    """K and V per layer and KV head (stas00/ml-engineering inference/README.md)."""
    return 2 * n_layers * n_kv_heads * head_dim * bytes_per_element


@formula("n_layers x (kv_lora_rank + qk_rope_head_dim) x bytes_per_element", "byte / token",
         {"n_layers": "", "kv_lora_rank": "", "qk_rope_head_dim": "", "bytes_per_element": "byte"})
def kv_cache_per_token_mla(n_layers, kv_lora_rank, qk_rope_head_dim, bytes_per_element):
    """Multi-head latent attention caches one latent and one RoPE key per layer (deepseek-ai/DeepSeek-V3 inference/model.py)."""
    return n_layers * (kv_lora_rank + qk_rope_head_dim) * bytes_per_element


@formula("larger / smaller of the two quantities compared", "fold", {"larger": "", "smaller": ""})
def ratio(larger, smaller):
    """The quotient of the two quantities the speaker compared."""
    return larger / smaller


@formula("smaller / larger of the two quantities", "fold", {"larger": "", "smaller": ""})
def share(larger, smaller):
    """'about 3% of it': the part over the whole."""
    return smaller / larger


@formula("larger / smaller - 1 of the two quantities compared", "fold", {"larger": "", "smaller": ""})
def excess(larger, smaller):
    """'43% more bandwidth': how much the larger exceeds the smaller."""
    return larger / smaller + -1  # an Interval adds, it does not subtract

@formula("prefill GPUs + decode GPUs of one deployment", "GPU", {"prefill": "GPU", "decode": "GPU"})
def serving_gpus(prefill, decode):
    """One replica of a disaggregated serving system: a prefill unit and a decode unit (arXiv:2412.19437 §3.4;
    deepseek-ai/open-infra-index, day 6)."""
    return prefill + decode


@formula("a x b", "", {"a": "", "b": ""})
def product(a, b):
    """The speaker's own arithmetic: the product of the two quantities said before."""
    return a * b


# ---------------------------------------------------------------- relations between the roles of a passage

ROLE_UNITS = {  # the unit each role is computed in
    "params": "parameter", "params_active": "parameter", "tokens": "token", "compute": "FLOP", "gpus": "GPU",
    "peak": "FLOPS / GPU", "mfu": "fold", "run_time": "second", "gpu_hours": "GPU * hour", "rate": "dollar / (GPU * hour)",
    "cost": "dollar", "watts_per_gpu": "watt / GPU", "power": "watt", "weight_memory": "byte",
    "bytes_per_param": "byte / parameter", "bits_per_token": "bit / token", "tokens_per_param": "token / parameter",
    "kv_per_token": "byte / token", "kv_total": "byte", "context": "token", "batch": "", "decode_tps": "token / second",
    "bandwidth": "byte / second / GPU", "tdp": "watt", "hw_memory": "byte / GPU", "overhead": "fold",
    "sustained": "FLOPS", "weights_read": "byte / token", "node_memory": "byte", "system_power": "watt",
}


@dataclass
class Relation:
    """out = k x product of terms**exponent: every core formula of a passage is a monomial, so any one of
    its roles can be solved for from the others, in whichever order they were said."""

    name: str
    text: str
    out: str
    terms: tuple[tuple[str, int], ...]
    source: str
    k: float = 1.0
    ceiling: bool = False  # the out role is a bound (the decode speed one stream cannot exceed)

    @cached_property
    def roles(self) -> tuple[str, ...]:
        return (self.out, *(r for r, _ in self.terms))

    def solve(self, target: str, known: dict):
        """The value (a number or an Interval) of `target` from the others' values in `known`."""
        if target == self.out:
            v = self.k if not isinstance(known[self.terms[0][0]], Interval) else Interval.point(self.k)
            for r, e in self.terms:
                v = v * known[r] if e > 0 else v / known[r]
            return v
        e_t = dict(self.terms)[target]
        v = known[self.out] / self.k
        for r, e in self.terms:
            if r != target:
                v = v / known[r] if e > 0 else v * known[r]
        return v if e_t > 0 else 1 / v

    def formula(self, target: str) -> Formula:
        """The relation solved for `target`, as the checks use it."""
        text = self.text if target == self.out else f"{target}, from {self.text}"
        return Formula(self.name, text, ROLE_UNITS[target], {r: ROLE_UNITS[r] for r in self.roles if r != target},
                       self.source, lambda **kw: self.solve(target, kw))


RELATIONS = [
    Relation("training_compute", "compute = 6 x active params x tokens", "compute", (("params_active", 1), ("tokens", 1)),
             "Kaplan et al. 2020 (arXiv:2001.08361) sec. 2.1: 2ND forward + 4ND backward", k=6),
    Relation("sustained", "sustained FLOP/s = GPUs x peak FLOP/s x utilization", "sustained",
             (("gpus", 1), ("peak", 1), ("mfu", 1)), "the definition of model FLOPs utilization (PaLM, arXiv:2204.02311 app. B)"),
    Relation("node_memory", "memory = GPUs x memory per GPU", "node_memory", (("gpus", 1), ("hw_memory", 1)), "definition"),
    Relation("weights_read", "bytes read per token = active params x bytes per param", "weights_read",
             (("params_active", 1), ("bytes_per_param", 1)), "decoding reads every active weight once per token"),
    Relation("run_time", "time = compute / (GPUs x peak FLOP/s x utilization)", "run_time",
             (("compute", 1), ("gpus", -1), ("peak", -1), ("mfu", -1)), "the definition of model FLOPs utilization (PaLM, arXiv:2204.02311 app. B)"),
    Relation("gpu_hours", "GPU-hours = GPUs x time", "gpu_hours", (("gpus", 1), ("run_time", 1)), "definition", k=1 / 3600),
    Relation("training_gpu_hours", "GPU-hours = compute / (peak FLOP/s x utilization)", "gpu_hours",
             (("compute", 1), ("peak", -1), ("mfu", -1)), "the definition of model FLOPs utilization", k=1 / 3600),
    Relation("cost", "cost = GPU-hours x price per GPU-hour", "cost", (("gpu_hours", 1), ("rate", 1)), "definition"),
    Relation("cost_of_run", "cost = GPUs x time x price per GPU-hour", "cost", (("gpus", 1), ("run_time", 1), ("rate", 1)), "definition",
             k=1 / 3600),
    Relation("power", "power = GPUs x watts per GPU x overhead", "power", (("gpus", 1), ("watts_per_gpu", 1), ("overhead", 1)),
             "definition; overhead: servers, networking and cooling on top of the chips"),
    Relation("weight_memory", "weights = params x bytes per param", "weight_memory", (("params", 1), ("bytes_per_param", 1)),
             "EleutherAI, Transformer Math 101 (2023)"),
    Relation("weight_bits_per_token", "bits per token = params x 8 x bytes per param / tokens", "bits_per_token",
             (("params", 1), ("bytes_per_param", 1), ("tokens", -1)), "the research notes, sec. 2.6 (bytes x 8 = bits)", k=8),
    Relation("tokens_per_parameter", "tokens per parameter = tokens / params", "tokens_per_param", (("tokens", 1), ("params", -1)),
             "Hoffmann et al. 2022 (arXiv:2203.15556)"),
    Relation("kv_cache_total", "KV cache = per token x context x batch", "kv_total",
             (("kv_per_token", 1), ("context", 1), ("batch", 1)), "the cache holds K and V for every token of every sequence"),
    Relation("decode_throughput", "tokens/s <= GPUs x bandwidth / (active params x bytes per param)", "decode_tps",
             (("gpus", 1), ("bandwidth", 1), ("params_active", -1), ("bytes_per_param", -1)),
             "batch-1 decoding reads every active weight once per token", ceiling=True),
]


FORMULAS.update({rel.name: rel.formula(rel.out) for rel in RELATIONS})  # each equation once: the relations


# ---------------------------------------------------------------- parameters from a model's config

def param_count(n_layers: int, d_model: int, n_heads: int, d_ff: int, vocab_size: int, *, n_kv_heads: int | None = None,
                head_dim: int | None = None, tie_embeddings: bool = False, mlp: str = "gated", bias: str = "none",
                norm: str = "rmsnorm", norms_per_layer: int = 2, qk_norm: bool = False, learned_positions: int = 0,
                n_experts: int = 0, experts_per_token: int = 0, moe_d_ff: int | None = None, n_shared_experts: int = 0,
                shared_d_ff: int | None = None, dense_layers: int = 0, moe_every: int = 1, q_lora_rank: int | None = None,
                kv_lora_rank: int | None = None, qk_nope_head_dim: int = 0, qk_rope_head_dim: int = 0,
                v_head_dim: int | None = None, context_length: int | None = None,
                sliding_window: int | None = None) -> tuple[int, int]:
    """(total, active) parameters of a decoder-only transformer, counted weight by weight from its config.

    Attention d x H x h (Q) + 2 x d x K x h (K, V) + H x h x d (O) (Kaplan et al. 2020, arXiv:2001.08361
    sec. 2.1, with grouped KV heads), or multi-head latent attention's low-rank projections
    (DeepSeek-V2, arXiv:2405.04434 sec. 2.1); an MLP of 3 x d x f (SwiGLU, Shazeer 2020,
    arXiv:2002.05202) or 2 x d x f (GELU); norms; embeddings V x d, twice when the output head is
    untied; a mixture of experts counts every expert in the total and the routed top-k plus shared
    experts as active (Fedus et al. 2021, arXiv:2101.03961). The context and sliding window set no
    weights. Result unit: parameter.
    """
    d, H = d_model, n_heads
    K = n_kv_heads or H
    h = head_dim or d // H
    norm_size = {"rmsnorm": d, "layernorm": 2 * d, "none": 0}[norm]  # RMSNorm: a scale; LayerNorm: scale and shift

    if kv_lora_rank:  # multi-head latent attention
        qk = qk_nope_head_dim + qk_rope_head_dim
        v = v_head_dim or qk_nope_head_dim
        q = d * q_lora_rank + q_lora_rank + q_lora_rank * H * qk if q_lora_rank else d * H * qk
        attention = q + d * (kv_lora_rank + qk_rope_head_dim) + kv_lora_rank + kv_lora_rank * H * (qk_nope_head_dim + v) + H * v * d
    else:
        attention = d * H * h + 2 * d * K * h + H * h * d
        attention += {"none": 0, "qkv": (H + 2 * K) * h, "all": (H + 2 * K) * h + d}[bias]
        attention += 2 * h if qk_norm else 0

    def ffn(f: int) -> int:
        weights = (3 if mlp == "gated" else 2) * d * f
        return weights + ((2 if mlp == "gated" else 1) * f + d if bias == "all" else 0)

    per_layer = attention + norms_per_layer * norm_size
    moe_layers = (n_layers - dense_layers) // moe_every if n_experts else 0
    dense = (n_layers - moe_layers) * (per_layer + ffn(d_ff))
    expert, shared = ffn(moe_d_ff or d_ff), n_shared_experts * ffn(shared_d_ff or moe_d_ff or d_ff)
    moe_total = moe_layers * (per_layer + n_experts * expert + shared + d * n_experts)
    moe_active = moe_layers * (per_layer + experts_per_token * expert + shared + d * n_experts)
    rest = vocab_size * d * (1 if tie_embeddings else 2) + learned_positions * d + norm_size
    return dense + moe_total + rest, dense + moe_active + rest
