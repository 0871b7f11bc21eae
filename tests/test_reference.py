"""The reference data: its shape is checked, every value cites a source, parameter counts follow from
the configs, names resolve as people say them and never across families (issue 10)."""
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.formulas import param_count
from pipeline.reference import configs

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_computed_parameter_counts_match_the_published_totals(reference):
    checked = 0
    for e in reference.entries.values():
        published, computed = e.fact("params_published"), e.fact("params_total")
        if e.kind == "model" and published and computed and "formulas.param_count" in computed.source:
            assert computed.value == pytest.approx(published.value, rel=0.01), (e.name, computed.value, published.value)
            checked += 1
    assert checked >= 1


def test_a_mixture_of_experts_counts_every_expert_and_the_routed_ones_as_active():
    # Mixtral 8x7B's config: 8 experts, 2 per token; its card says 46.7B total, 12.9B active
    total, active = param_count(32, 4096, 32, 14336, 32000, n_kv_heads=8, n_experts=8, experts_per_token=2)
    assert total == pytest.approx(46.7e9, rel=0.005) and active == pytest.approx(12.9e9, rel=0.005)


def test_a_hugging_face_config_becomes_a_config_block():
    gpt2_medium = {"model_type": "gpt2", "n_layer": 24, "n_embd": 1024, "n_head": 16, "n_inner": None,
                   "n_positions": 1024, "vocab_size": 50257}
    block = configs.from_hf(gpt2_medium)
    assert block["d_ff"] == 4096 and block["mlp"] == "plain" and block["tie_embeddings"] is True
    assert param_count(**block)[0] == pytest.approx(354.8e6, rel=0.01)  # "GPT-2 medium, 355M"
    with pytest.raises(configs.UnknownArchitecture, match="hf_config.json"):
        configs.from_hf({"model_type": "something_new", "hidden_size": 8})


@pytest.mark.parametrize("entry, message", [
    ({"name": "M", "facts": {"n_layer": {"value": 3, "source": "s"}}}, "models[0] 'M': unknown fact 'n_layer'"),
    ({"name": "M", "facts": {"n_layers": {"value": 3}}}, "models[0] 'M': fact 'n_layers' has no source"),
    ({"name": "M", "facts": {"n_layers": {"value": "32", "source": "s"}}}, "fact 'n_layers' must be a integer"),
    ({"name": "M", "famly": "Llama 3"}, "models[0] 'M': unknown key 'famly'"),
    ({"name": "M", "config": {"n_layers": 2, "d_model": 8, "n_heads": 2, "vocab_size": 10}}, "has no \"config_source\""),
    ({"name": "M", "config_source": "s", "config": {"n_layers": 2, "d_model": 8, "n_heads": 2, "vocab_size": 10, "mlp": "swiglu"}},
     "config 'mlp' must be one of gated, plain"),
    ({"name": "M", "facts": {"training_tokens": {"value": float("nan"), "source": "s"}}}, "fact 'training_tokens' must be a number"),
    ({"name": "M", "facts": {"context_length": {"value": 8, "low": 9, "high": 4, "source": "s"}}}, "low 9 is above high 4"),
    ({"name": "M", "facts": {"release_date": {"value": "2024-13-45", "source": "s"}}}, "fact 'release_date' must be a date"),
    ({"name": "M", "config_source": "s", "config": {"n_layers": 2, "d_model": 8, "n_heads": 0, "vocab_size": 10}},
     "config 'n_heads' must be a count"),
    ({"name": "M", "config_source": "s", "config": {"n_layers": 2, "d_model": 8, "n_heads": 2, "vocab_size": 10, "n_experts": 8}},
     "config lacks experts_per_token"),
    ({"name": "M", "aliases": ["--"]}, "'aliases' must be a names"),
    ({"name": "M", "notes": ["a", "list"]}, "'notes' must be a string"),
    ({"name": "Llama 3", "facts": {}}, "'Llama 3' names both a family and a model"),
])
def test_a_bad_reference_file_is_one_clear_line(tmp_path, entry, message):
    bad = tmp_path / "mine.json"
    bad.write_text(json.dumps({"models": [entry]}))
    for command in (["check", ROOT / "transcripts", "--out", tmp_path / "out"], ["reference"]):
        r = invoke(*command, "--reference", bad)
        assert r.exit_code == 2, r.output
        error = [l for l in r.output.splitlines() if l.startswith("Error:")]
        assert error == [error[0]] and error[0].startswith(f"Error: {bad}: ") and message in error[0], r.output
        assert "Traceback" not in r.output and "Usage:" not in r.output


def test_a_reference_file_that_is_not_utf8_is_one_clear_line(tmp_path):
    bad = tmp_path / "latin1.json"
    bad.write_bytes('{"models": [{"name": "Caf\xe9"}]}'.encode("latin-1"))
    r = invoke("reference", "--reference", bad)
    assert r.exit_code == 2 and "not UTF-8" in r.output and "Traceback" not in r.output


def _folded(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name.lower())


def test_names_resolve_to_their_own_entry_and_never_cross_families(reference):
    owner = {}
    for e in reference.entries.values():
        group = e.family or e.name
        for alias in (e.name, *e.aliases):
            key = (e.kind == "hardware", _folded(alias))
            assert owner.setdefault(key, group) == group, f"{alias!r} names both {owner[key]} and {group}"
            if e.kind != "family":
                assert reference.lookup(alias, e.kind) is e, (alias, e.name)


@pytest.mark.parametrize("said, name", [
    ("Llama three seventy b", "Llama 3 70B"),
    ("llama-3-70b", "Llama 3 70B"),
    ("H one hundreds", "H100 SXM"),
    ("deep seek v three", "DeepSeek-V3"),
])
def test_spoken_and_written_forms_resolve(reference, said, name):
    assert [e.name for e in reference.find(said)] == [name]


def test_the_reference_command_lists_and_explains(tmp_path):
    r = invoke("reference", "--json")
    assert r.exit_code == 0
    entries = json.loads(r.stdout)["entries"]
    assert {e["kind"] for e in entries} == {"model", "family", "hardware"}
    assert all(set(e) >= {"name", "kind", "aliases", "facts"} for e in entries)
    assert all(f["source"] for e in entries for f in e["facts"].values())

    one = invoke("reference", "Llama 3 70B")
    assert one.exit_code == 0 and "d_model: 8192" in one.stdout and "source:" in one.stdout
    assert invoke("reference", "no such model").exit_code == 2
    family = json.loads(invoke("reference", "Llama 2", "--json").stdout)["entries"][0]
    assert family["kind"] == "family" and "Llama 2 70B" in family["members"]


def test_the_add_model_tool_prints_an_entry_the_loader_accepts(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"model_type": "llama", "num_hidden_layers": 80, "hidden_size": 8192,
                                  "num_attention_heads": 64, "num_key_value_heads": 8, "intermediate_size": 28672,
                                  "vocab_size": 128256, "max_position_embeddings": 8192, "tie_word_embeddings": False}))
    r = subprocess.run([sys.executable, ROOT / "tools" / "add_model.py", config, "--name", "Test 70B", "--family", "Test",
                        "--source", "test config", "--published", "70.6e9", "--published-source", "test card"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    ref = tmp_path / "ref.json"
    ref.write_text(json.dumps({"models": [json.loads(r.stdout)]}))
    shown = invoke("reference", "Test 70B", "--reference", ref, "--json")
    facts = json.loads(shown.stdout)["entries"][0]["facts"]
    assert facts["params_total"]["value"] == 70553706496 and "param_count" in facts["params_total"]["source"]
    off = subprocess.run([sys.executable, ROOT / "tools" / "add_model.py", config, "--name", "T", "--family", "T",
                          "--source", "s", "--published", "80e9", "--published-source", "s"], capture_output=True, text=True)
    assert off.returncode == 1 and "off the published" in off.stderr


def _verdicts(ep):
    return {c.quote: (c.subject.name if c.subject else None, k.verdict) for c, k in zip(ep.claims, ep.checks)}


@pytest.mark.parametrize("text, quote, subject, verdict", [
    ("A DGX H100 draws about 10.2 kilowatts.", "about 10.2 kilowatts", "DGX H100", "consistent"),
    ("The whole DGX B200 box pulls 14.3 kW at peak.", "14.3 kW", "DGX B200", "consistent"),
    ("A DGX H100 draws about 40 kilowatts.", "about 40 kilowatts", "DGX H100", "mismatch"),
    ("The B200 draws 1,200 watts.", "1,200 watts", "B200", "consistent"),  # the B200 of a GB200 is rated so
    ("The MI300X has 192 gigabytes of HBM.", "192 gigabytes", "MI300X", "consistent"),
    ("A DGX H100 has eight H100s, each drawing 700 watts.", "700 watts", "H100 SXM", "consistent"),  # the chips', not the box's
    ("The V100 does 125 teraflops.", "125 teraflops", "V100 SXM2", "consistent"),  # fp16: a V100 has no bf16
])
def test_systems_and_chips_are_checked_against_their_own_figures(check_text, text, quote, subject, verdict):
    assert _verdicts(check_text(f"Host: {text}"))[quote] == (subject, verdict)


@pytest.mark.parametrize("text, quote, subject", [
    ("Qwen three eight b has 36 layers.", "36 layers", "Qwen3 8B"),
    ("Kimi K two has 32 billion active parameters.", "32 billion active parameters", "Kimi K2"),
    ("Gemma three twenty seven b saw 14 trillion tokens.", "14 trillion tokens", "Gemma 3 27B"),
    ("GPT OSS 120B has 117 billion parameters.", "117 billion parameters", "gpt-oss-120b"),
    ("Llama 3.2 comes in two sizes. The 1B was trained on 9 trillion tokens.", "9 trillion tokens", "Llama 3.2 1B"),
])
def test_new_names_resolve_as_said(check_text, text, quote, subject):
    assert _verdicts(check_text(f"Host: {text}"))[quote] == (subject, "consistent")


def test_the_readme_states_the_coverage_the_data_has(reference):
    kinds = [e.kind for e in reference.entries.values() if e.name not in reference.groups]  # groups are derived
    said = (f"{kinds.count('model')} models\nin {kinds.count('family')} families and {kinds.count('hardware')} "
            "accelerators and systems")
    assert said in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, quote, subject", [
    ("Llama 3 70B is good. Oh one more thing, it was trained on 15 trillion tokens.", "15 trillion tokens", "Llama 3 70B"),
    ("Flowers bloom in spring. GPT-3 has 175 billion parameters.", "175 billion parameters", "GPT-3 175B"),
])
def test_ordinary_words_are_not_names(check_text, text, quote, subject):
    assert _verdicts(check_text(f"Host: {text}"))[quote] == (subject, "consistent")


def test_a_ten_gigabyte_file_is_no_accelerator(check_text):
    ep = check_text("Host: Copying a ten gigabyte file to a 24 gigabyte card takes a while.")
    assert not any(c.subject is not None and c.subject.name == "A10" for c in ep.claims)
