"""The core formulas against values worked out by hand, and the reference data against its own sources."""
import json
from pathlib import Path

import pytest

from pipeline.formulas import FORMULAS, RELATIONS
from pipeline.quantities import Interval

F = FORMULAS
SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "models.json"


def test_kv_cache_gqa():
    assert F["kv_cache_per_token"](n_layers=80, n_kv_heads=8, head_dim=128, bytes_per_element=2) == 327_680  # Llama 3 70B


def test_kv_cache_mha():
    assert F["kv_cache_per_token"](n_layers=40, n_kv_heads=40, head_dim=128, bytes_per_element=2) == 819_200  # Llama 2 13B


def test_kv_cache_mla():
    assert F["kv_cache_per_token_mla"](n_layers=61, kv_lora_rank=512, qk_rope_head_dim=64, bytes_per_element=2) == 70_272


def test_weight_bits_per_token():
    assert F["weight_bits_per_token"](params=70e9, bytes_per_param=2, tokens=15e12) == pytest.approx(0.0746667, rel=1e-6)


def test_weight_memory():
    assert F["weight_memory"](params=7e9, bytes_per_param=2) == 14e9
    assert F["weight_memory"](params=70_553_706_496, bytes_per_param=2) == pytest.approx(141.1e9, rel=1e-3)


def test_training_compute_matches_published_gpt3():
    assert F["training_compute"](params_active=174.6e9, tokens=300e9) == pytest.approx(3.14e23, rel=2e-3)


def test_formulas_take_intervals():
    iv = F["weight_bits_per_token"](params=Interval(65e9, 75e9), bytes_per_param=2, tokens=Interval(14.5e12, 15.5e12))
    assert iv.low == pytest.approx(65e9 * 16 / 15.5e12) and iv.high == pytest.approx(75e9 * 16 / 14.5e12)
    assert F["ratio"](larger=Interval(2.52e6, 2.6624e6), smaller=Interval(0.065, 0.075)).low == pytest.approx(2.52e6 / 0.075)


def test_relations_solve_in_any_direction():
    """cost = GPU-hours x price: each of the three from the other two."""
    cost = next(r for r in RELATIONS if r.name == "cost")
    assert cost.solve("cost", {"gpu_hours": 1.2e6, "rate": 2.5}) == pytest.approx(3e6)
    assert cost.solve("gpu_hours", {"cost": 3e6, "rate": 2.5}) == pytest.approx(1.2e6)
    assert cost.solve("rate", {"cost": 3e6, "gpu_hours": 1.2e6}) == pytest.approx(2.5)
    run = next(r for r in RELATIONS if r.name == "run_time")  # 3.12e23 FLOPs on 2,048 H100s at 40%: 4.46 days
    assert run.solve("run_time", {"compute": 3.12e23, "gpus": 2048, "peak": 989e12, "mfu": 0.4}) / 86400 == pytest.approx(4.457, rel=1e-3)
    assert run.solve("gpus", {"run_time": 4.457 * 86400, "compute": 3.12e23, "peak": 989e12, "mfu": 0.4}) == pytest.approx(2048, rel=1e-3)
    iv = run.solve("run_time", {"compute": Interval(3e23, 3.2e23), "gpus": 2048, "peak": 989e12, "mfu": Interval(0.35, 0.45)})
    assert iv.low == pytest.approx(3e23 / (2048 * 989e12 * 0.45)) and iv.high == pytest.approx(3.2e23 / (2048 * 989e12 * 0.35))


def test_every_formula_names_its_units_and_source():
    for f in FORMULAS.values():
        assert f.text and f.source and f.inputs


def test_every_reference_value_has_a_source(reference):
    for e in reference.entries.values():
        for key, fact in e.facts.items():
            assert fact.source.strip(), (e.name, key)


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/reference is not here")
def test_kv_formula_agrees_with_the_researched_table(reference):
    """Our formula over our reference config gives the KV bytes the research notes computed."""
    research = {m["name"]: m for m in json.loads(SHARED.read_text())}
    checked = 0
    for e in reference.entries.values():
        if e.kind != "model" or e.unofficial:
            continue
        aliases = {e.name, *e.aliases}
        row = next((r for n, r in research.items() if n in aliases or set(r["aliases"]) & aliases), None)
        if row is None or not row.get("kv_bytes_per_token_16bit"):
            continue
        if e.fact("mla"):
            mla = e.fact("mla").value
            got = F["kv_cache_per_token_mla"](n_layers=e.fact("n_layers").value, kv_lora_rank=mla["kv_lora_rank"],
                                              qk_rope_head_dim=mla["qk_rope_head_dim"], bytes_per_element=2)
        else:
            got = F["kv_cache_per_token"](n_layers=e.fact("n_layers").value, n_kv_heads=e.fact("n_kv_heads").value,
                                          head_dim=e.fact("head_dim").value, bytes_per_element=2)
        assert got == row["kv_bytes_per_token_16bit"], e.name
        checked += 1
    assert checked >= 20
