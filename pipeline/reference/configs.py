"""A model's architecture as its Hugging Face config.json states it, in the reference data's own terms,
and the facts that follow from it (parameter counts by formulas.param_count). The key names of each
model type are data (hf_config.json), so a new architecture is mostly a data change."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from pipeline.formulas import param_count


@lru_cache(maxsize=1)
def _mapping() -> dict:
    return json.loads(resources.files("pipeline.reference").joinpath("hf_config.json").read_text(encoding="utf-8"))


class UnknownArchitecture(ValueError):
    """A config this module cannot describe: an unknown model type, or the sizes missing."""


MLA_KEYS = ("q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim")
MOE_KEYS = ("n_experts", "experts_per_token", "moe_d_ff", "n_shared_experts", "shared_d_ff", "dense_layers", "moe_every")


def from_hf(config: dict) -> dict:
    """A config.json -> the config block of a reference entry (only what the config states or its type implies)."""
    if isinstance(config.get("text_config"), dict):  # multimodal models keep the language model in text_config
        config = {**config, **config["text_config"]}
    m = _mapping()
    model_type = config.get("model_type")
    if model_type not in m["model_types"]:
        raise UnknownArchitecture(f"model_type {model_type!r} is not in pipeline/reference/hf_config.json; "
                                  f"known: {', '.join(sorted(m['model_types']))}")
    out = dict(m["model_types"][model_type])
    for key, names in m["keys"].items():
        value = next((config[n] for n in names if config.get(n) is not None), None)
        if value is not None:
            out[key] = value
    if "n_kv_heads" not in out and (config.get("multi_query") or config.get("n_head_kv") == 1):
        out["n_kv_heads"] = 1  # Falcon-7B: one K and V head
    elif "n_kv_heads" not in out and config.get("n_head_kv"):
        out["n_kv_heads"] = config["n_head_kv"]
    if "d_ff" not in out and out.get("mlp") == "plain":
        out["d_ff"] = 4 * out["d_model"]  # GPT-2, BLOOM, Falcon: the classic 4d MLP
    if out.pop("learned_positions", False):
        out["learned_positions"] = out.get("context_length", 0)
    if not out.get("n_experts"):
        for k in MOE_KEYS:
            out.pop(k, None)
    if not out.get("kv_lora_rank"):
        for k in MLA_KEYS:
            out.pop(k, None)
    missing = [k for k in ("n_layers", "d_model", "n_heads", "vocab_size") if k not in out]
    if missing:
        raise UnknownArchitecture(f"the config gives no {', '.join(missing)} (nor do its model type's defaults in hf_config.json)")
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in out.items()}


FACT_KEYS = ("n_layers", "d_model", "n_heads", "n_kv_heads", "head_dim", "d_ff", "vocab_size", "context_length",
             "n_experts", "experts_per_token")


def facts_of(config: dict, source: str) -> dict[str, dict]:
    """The facts a config block gives, each citing the config; the parameter counts computed from it."""
    out = {k: {"value": config[k], "source": source} for k in FACT_KEYS if k in config}
    if "n_kv_heads" not in out and "kv_lora_rank" not in config:
        out["n_kv_heads"] = {"value": config["n_heads"], "source": f"{source} (no key-value heads given: one per query head)"}
    if "head_dim" not in out and "kv_lora_rank" not in config and config["d_model"] % config["n_heads"] == 0:
        out["head_dim"] = {"value": config["d_model"] // config["n_heads"], "source": f"{source} (head_dim = d_model / n_heads)"}
    if "kv_lora_rank" in config:
        out["mla"] = {"value": {k: config[k] for k in MLA_KEYS if k in config}, "source": source}
    if "d_ff" in config:
        total, active = param_count(**config)
        how = f"computed from the config by formulas.param_count ({source})"
        out["params_total"] = {"value": total, "source": how}
        out["params_active"] = {"value": active, "source": how}
    return out
