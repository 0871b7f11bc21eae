"""The sample episode end to end, through the command line, as a user runs it (issue 2's checks)."""
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts" / "dwarkesh-patel-appearances.txt"
CLAIM_FIELDS = ["id", "quote", "sentence", "segment", "char_start", "char_end", "speaker", "start", "kind",
                "subject", "subject_source", "stated", "expected", "verdict", "severity", "formula", "inputs", "notes"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(main, ["check", str(ROOT / "transcripts"), "--out", str(out), "--json", "-"])
    assert result.exit_code == 0, result.output
    return out, json.loads(result.stdout)


@pytest.fixture(scope="module")
def claims(run):
    _, doc = run
    (ep,) = doc["episodes"]
    return {c["quote"]: c for c in ep["claims"]}


def test_contract(run):
    _, doc = run
    assert doc["schema"] == "claimcheck/1"
    assert set(doc["tool"]) >= {"version", "reference"}
    (ep,) = doc["episodes"]
    assert ep["id"] == "dwarkesh-patel-appearances"
    assert ep["speakers"] == ["Dwarkesh Patel"]
    assert ep["summary"] == {"claims": 5, "consistent": 5, "mismatch": 0, "unverifiable": 0}
    for c in ep["claims"]:
        assert all(f in c for f in CLAIM_FIELDS)
        assert set(c["stated"]) >= {"value", "unit", "low", "high", "hedge"}


def test_the_five_claims(claims):
    assert sorted((c["quote"], c["kind"], c["subject"], c["verdict"]) for c in claims.values()) == sorted([
        ("15 trillion tokens", "training_tokens", "Llama 3", "consistent"),
        ("70B model", "parameter_count", "Llama 3 70B", "consistent"),
        ("0.07 bits per token", "weight_bits_per_token", "Llama 3 70B", "consistent"),
        ("like 320 kilobytes", "kv_cache_per_token", "Llama 3 70B", "consistent"),
        ("35 million fold", "ratio", None, "consistent"),
    ])


def test_bits_per_token_working(claims):
    c = claims["0.07 bits per token"]
    assert c["formula"] == "bits per token = params x 8 x bytes per param / tokens"
    assert c["subject_source"] == "discourse"
    assert c["expected"]["value"] == pytest.approx(70e9 * 16 / 15e12)
    src = {i["name"]: i["source"] for i in c["inputs"]}
    assert src["params"].startswith("stated: '70B model'")
    assert src["tokens"].startswith("stated: '15 trillion tokens'")
    assert src["bytes_per_param"].startswith("reference: Llama 3 70B bytes_per_param_release")
    assert c["stated"]["low"] == pytest.approx(0.065) and c["stated"]["high"] == pytest.approx(0.075)


def test_kv_cache_working(claims):
    c = claims["like 320 kilobytes"]
    assert c["formula"] == "2 x n_layers x n_kv_heads x head_dim x bytes_per_element"
    assert c["expected"]["value"] * 1000 == pytest.approx(327_680)
    assert {i["name"]: i["value"] for i in c["inputs"]} == {"n_layers": 80, "n_kv_heads": 8, "head_dim": 128, "bytes_per_element": 2}
    assert all(i["source"] for i in c["inputs"])
    assert any("exact under 1 KB = 1,024 B" in n for n in c["notes"])
    assert c["stated"]["hedge"] == "like"


def test_ratio_compares_the_two_quantities(claims):
    c = claims["35 million fold"]
    sources = sorted(i["source"] for i in c["inputs"])
    assert sources[0].startswith("stated: '0.07 bits per token'") and sources[1].startswith("stated: 'like 320 kilobytes'")
    assert c["expected"]["low"] <= 35e6 <= c["expected"]["high"]
    assert any("35.1 million" in n for n in c["notes"])  # 2,621,440 bits / 0.0747


def test_quotes_are_verbatim_and_no_claim_from_names(run):
    _, doc = run
    (ep,) = doc["episodes"]
    text = SAMPLE.read_text(encoding="utf-8")
    for c in ep["claims"]:
        seg = ep["segments"][c["segment"]]["text"]
        assert seg[c["char_start"]:c["char_end"]] == c["quote"]
        assert c["quote"] in text and c["sentence"] in text
        assert "Llama" not in c["quote"]
        # every number in the stated value is one the speaker said
        assert re.sub(r"[^0-9.]", "", c["quote"]).strip(".") in re.sub(r"[^0-9. ]", "", text)


def test_files_written(run, claims):
    out, _ = run
    assert json.loads((out / "claims" / "dwarkesh-patel-appearances.json").read_text())["episodes"][0]["claims"]
    csv = pd.read_csv(out / "claims" / "claims.csv")
    assert sorted(csv["quote"]) == sorted(claims)
    html = (out / "reports" / "dwarkesh-patel-appearances.html").read_text()
    for quote, c in claims.items():
        assert quote in html and c["formula"] in html
    assert not re.search(r"""(src|srcset|poster|action)=["']?(https?:)?//""", html)  # self-contained: nothing loads
    index = (out / "reports" / "index.html").read_text()
    assert 'href="dwarkesh-patel-appearances.html"' in index
    assert not list(out.rglob("*.tmp"))
