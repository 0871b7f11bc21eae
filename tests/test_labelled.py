"""The self-written labelled set (tests/labelled), as regression floors."""
from tests.labelled.score import labels, score


def test_labelled_set_covers_every_kind_in_four_formats():
    rows = [r for rs in labels().values() for r in rs]
    assert len(rows) >= 80
    assert len({name.rsplit(".", 1)[1] for name in labels()}) >= 4
    kinds = {r["kind"] for r in rows}
    assert kinds >= {"parameter_count", "training_tokens", "training_compute", "training_gpu_hours", "gpu_count",
                     "weight_memory", "kv_cache_per_token", "kv_cache_total", "weight_bits_per_token",
                     "tokens_per_parameter", "decode_throughput", "hardware_spec", "architecture", "arithmetic",
                     "ratio", "other"}
    wrong = sum(r["verdict"] == "mismatch" for r in rows)
    assert 0.25 <= wrong / len(rows) <= 0.4


def test_scores(nlp, reference):
    """Regression floors: this set was written with the rules, so it proves only that they do what they meant to.
    The measure of accuracy is ../shared/eval-dev/score.py (README, How well it does)."""
    result = score(nlp, reference)
    assert result["flag recall"] >= 0.95, result["differences"]
    assert result["flag precision"] >= 0.85, result["differences"]
    assert result["found"] >= 0.95 and result["kind right"] >= 0.85, result["differences"]
    assert result["claims found but not labelled"] == 0, result["differences"]
