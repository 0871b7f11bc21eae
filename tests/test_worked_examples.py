"""SPEC 11: the worked examples, each as a one-line transcript."""
import pytest


def only(ep, kind):
    found = [(c, k) for c, k in zip(ep.claims, ep.checks) if c.kind == kind]
    assert len(found) == 1, [(c.kind, c.quote) for c in ep.claims]
    return found[0]


@pytest.mark.parametrize("text,kind,quote,verdict,severity,subject", [
    ("Llama 2 13B keeps 800 kilobytes of KV cache per token.", "kv_cache_per_token", "800 kilobytes",
     "consistent", None, "Llama 2 13B"),
    ("GPT-2 XL has 1.5 billion parameters.", "parameter_count", "1.5 billion parameters", "consistent", None, "GPT-2 XL"),
    ("GPT-2 XL has 15 billion parameters.", "parameter_count", "15 billion parameters", "mismatch", "gross", "GPT-2 XL"),
    ("Qwen2.5-72B was trained on 18 trillion tokens.", "training_tokens", "18 trillion tokens", "consistent", None, "Qwen2.5 72B"),
    ("A 7B model in fp16 needs 14 gigabytes.", "weight_memory", "14 gigabytes", "consistent", None, None),
    ("A 7B model in fp16 needs 28 gigabytes.", "weight_memory", "28 gigabytes", "mismatch", "gross", None),
    ("Gemma 2 27B was trained on 13 trillion tokens, about 2 times 10 to the 24 FLOPs.", "training_compute",
     "about 2 times 10 to the 24 FLOPs", "consistent", None, "Gemma 2 27B"),
    ("We rented 64 H100s at $3 an hour, so about $4,600 a day.", "arithmetic", "about $4,600 a day", "consistent", None, None),
    ("512 GPUs at 700 watts is about 36 megawatts.", "power", "about 36 megawatts", "mismatch", "gross", None),
])
def test_worked_example(check_text, text, kind, quote, verdict, severity, subject):
    ep = check_text(text)
    c, k = only(ep, kind)
    assert c.quote == quote
    assert k.verdict == verdict, k.notes
    assert k.severity == severity
    assert (c.subject.name if c.subject else None) == subject
    assert k.formula and k.inputs and all(i.source for i in k.inputs)
    if verdict == "mismatch":
        assert k.reconcile  # some alternative assumption explains it


def test_kv_cache_llama2_13b_is_800_kib_exactly(check_text):
    c, k = only(check_text("Llama 2 13B keeps 800 kilobytes of KV cache per token."), "kv_cache_per_token")
    assert k.value * 1000 == pytest.approx(819_200)  # bytes: 2 x 40 x 40 x 128 x 2
    assert any("exact under 1 KB = 1,024 B" in n for n in k.notes)


def test_wrong_memory_reconciles_with_fp32(check_text):
    c, k = only(check_text("A 7B model in fp16 needs 28 gigabytes."), "weight_memory")
    assert any(r.startswith("fp32") for r in k.reconcile)
    assert {i.name: i.source for i in k.inputs}["params"].startswith("stated: '7B model'")
    assert {i.name: i.source for i in k.inputs}["bytes_per_param"] == "stated: 'fp16' with it"


def test_wrong_parameter_count_is_reconciled_only_by_a_slip_of_ten(check_text):
    c, k = only(check_text("GPT-2 XL has 15 billion parameters."), "parameter_count")
    assert k.reconcile == ["a slip of a power of ten (x10)"]  # nothing about GPT-2 XL itself makes 15 billion right


def test_gemma_compute_is_6nd(check_text):
    c, k = only(check_text("Gemma 2 27B was trained on 13 trillion tokens, about 2 times 10 to the 24 FLOPs."), "training_compute")
    assert k.value == pytest.approx(6 * 27_227_128_320 * 13e12)
    inputs = {i.name: i for i in k.inputs}
    assert inputs["tokens"].source.startswith("stated: '13 trillion tokens'")
    assert inputs["params_active"].source.startswith("reference: Gemma 2 27B params_")  # dense: active = total


def test_rented_gpus_per_day(check_text):
    c, k = only(check_text("We rented 64 H100s at $3 an hour, so about $4,600 a day."), "arithmetic")
    assert k.value == pytest.approx(64 * 3 * 24)
    assert sorted(i.source.split("'")[1] for i in k.inputs) == ["$3 an hour", "64 H100s"]


def test_power_of_a_cluster(check_text):
    c, k = only(check_text("512 GPUs at 700 watts is about 36 megawatts."), "power")
    assert k.value == pytest.approx(0.3584)
    assert "a slip of a power of ten (x100)" in k.reconcile  # 0.36 MW said as 36
