"""The HTML report and the index: the working of every claim, escaping, no network, reviewer decisions."""
import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import __version__
from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
WRONG = ("Host: GPT-2 XL has 15 billion parameters.\n"
         "Guest: Llama 2 70B was trained on 2 trillion tokens.\n"
         "Host: And Llama 3 70B has 64 KV heads.\n")


def run(*args):
    r = CliRunner().invoke(main, ["check", *map(str, args)])
    assert r.exit_code in (0, 1), r.output
    return r


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    r = run(ROOT / "transcripts", "--out", out, "--json", "-")
    return json.loads(r.stdout)["episodes"][0], (out / "reports" / "dwarkesh-patel-appearances.html").read_text()


def test_every_claim_appears_with_its_working(sample):
    ep, html = sample
    for c in ep["claims"]:
        assert f'id="{c["id"]}"' in html and f'id="q-{c["id"]}"' in html  # table row and transcript mark
        assert f'href="#q-{c["id"]}"' in html and f'href="#{c["id"]}"' in html  # linked both ways
        if c["formula"]:
            assert c["formula"] in html
        text = re.sub(r"</?a\b[^>]*>", "", html)  # sources and notes with the pages they name as links
        for i in c["inputs"]:
            assert i["source"].replace("'", "&#39;") in text
        for n in c["notes"]:
            assert n.replace("'", "&#39;") in text


def test_sources_link_the_pages_they_name(sample):
    _, html = sample
    assert '<a href="https://arxiv.org/abs/2407.21783" rel="noreferrer">arXiv:2407.21783</a>' in html
    assert re.search(r'<a href="https://github.com/[\w.-]+/[\w.-]+/blob/[0-9a-f]{7,40}/[^"]+" rel="noreferrer">github:', html)


def test_no_external_references(sample):
    _, html = sample
    assert not re.search(r"""(?:src|srcset|poster|action|data)\s*=\s*["']?(?:https?:)?//""", html, re.I)  # nothing loads
    links = re.findall(r"<a\b[^>]*href=\"(?:https?:)?//[^>]*>", html)
    assert links and all('rel="noreferrer"' in a for a in links)  # a source's page is a link to follow, nothing more
    assert not re.search(r"<(?:link|img|iframe|object|embed)\b", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "<svg" in html  # the plot is inline


def test_header_filters_and_sorting_are_there(sample):
    ep, html = sample
    assert f"claimcheck {__version__}" in html and "reference data" in html and "Dwarkesh Patel" in html
    for key in ("rank", "quote", "speaker", "time", "kind", "subject", "stated", "expected", "off"):
        assert f'data-sort="{key}"' in html
    assert 'data-verdict="mismatch"' in html and 'data-filter="kind"' in html and 'data-filter="speaker"' in html
    assert 'id="f-search"' in html and 'id="import"' in html
    assert 'id="page-data"' in html


def test_markup_in_transcripts_and_names_is_inert(tmp_path):
    f = tmp_path / "evil.txt"
    f.write_text('<b>Host</b>: <script>alert(1)</script> GPT-2 XL has 1.5 billion parameters "><img src=x onerror=alert(2)>\n'
                 "Guest: ok </script><script>alert(3)</script>.\n")
    run(f, "--out", tmp_path)
    html = (tmp_path / "reports" / "evil.html").read_text()
    assert "<script>alert" not in html and "<img src=x" not in html and "</script><script>" not in html
    assert html.count("<script") == 2  # our own: the page data and the page script


def test_index_puts_mismatches_first(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Host: GPT-2 XL has 1.5 billion parameters.\n")
    (tmp_path / "in" / "bad.txt").write_text(WRONG)
    run(tmp_path / "in", "--out", tmp_path)
    index = (tmp_path / "reports" / "index.html").read_text()
    assert index.index('href="bad.html"') < index.index('href="good.html"')


def decide(out, episode, rows, columns=("episode", "claim", "kind", "quote", "sentence", "decision", "note")):
    (out / "claims").mkdir(exist_ok=True)
    with open(out / "claims" / "decisions.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        w.writerows(rows)


def reviews(out, episode):
    doc = json.loads((out / "claims" / f"{episode}.json").read_text())["episodes"][0]
    return {c["quote"]: (c["review"] or {}).get("decision") for c in doc["claims"]}, doc


def test_decisions_survive_reruns_and_edits(tmp_path):
    src = tmp_path / "ep.txt"
    src.write_text(WRONG)
    run(src, "--out", tmp_path)
    _, doc = reviews(tmp_path, "ep")
    by = {c["quote"]: c for c in doc["claims"]}
    a, b = by["15 billion parameters"], by["64 KV heads"]
    decide(tmp_path, "ep", [
        ["ep", a["id"], a["kind"], a["quote"], a["sentence"], "confirmed error", "it is 1.5B"],
        ["ep", b["id"], b["kind"], b["quote"], b["sentence"], "false flag", "he meant query heads"],
        ["other-episode", "c9", "ratio", "10x", "a sentence", "note", "kept"],
    ])
    run(src, "--out", tmp_path)  # the same transcript again
    got, _ = reviews(tmp_path, "ep")
    assert got["15 billion parameters"] == "confirmed error" and got["64 KV heads"] == "false flag"
    # a slightly edited transcript: a claim added before (ids shift), a word changed in a decided sentence
    src.write_text("Host: Chinchilla was trained on 1.4 trillion tokens.\n" + WRONG.replace("And Llama 3 70B", "Also, Llama 3 70B"))
    run(src, "--out", tmp_path)
    got, doc = reviews(tmp_path, "ep")
    assert got == {"1.4 trillion tokens": None, "15 billion parameters": "confirmed error",
                   "2 trillion tokens": None, "64 KV heads": "false flag"}
    html = (tmp_path / "reports" / "ep.html").read_text()
    assert "reviewed: confirmed error" in html and "he meant query heads" in html  # in the page data
    assert "other-episode" in html  # its row is kept for the download
    rows = list(csv.DictReader(open(tmp_path / "claims" / "claims.csv")))
    assert {r["quote"]: r["decision"] for r in rows}["64 KV heads"] == "false flag"
    # a decided claim that is gone is kept and shown, not lost
    src.write_text(WRONG.replace("Host: And Llama 3 70B has 64 KV heads.\n", ""))
    run(src, "--out", tmp_path)
    _, doc = reviews(tmp_path, "ep")
    assert [d["quote"] for d in doc["orphaned_decisions"]] == ["64 KV heads"]
    assert "no longer found" in (tmp_path / "reports" / "ep.html").read_text()


def test_a_bad_decision_row_is_reported_with_its_line_and_skipped(tmp_path):
    """Issue 11: a hand-typed "Confirmed Error" is read; "maybe" is one warning line, and the run goes on."""
    src = tmp_path / "ep.txt"
    src.write_text(WRONG)
    decide(tmp_path, "ep", [["ep", "c1", "parameter_count", "15 billion parameters", "x", "maybe", ""],
                            ["ep", "c1", "parameter_count", "15 billion parameters", "x", " Confirmed  Error ", ""]])
    r = CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "line 2" in r.output and "maybe" in r.output and "skipped" in r.output
    _, doc = reviews(tmp_path, "ep")
    assert [d["decision"] for d in doc["orphaned_decisions"]] == ["confirmed error"]  # sentence "x": its claim is gone


def test_who_decided_and_when_is_kept_for_the_audit(tmp_path):
    """Issue 11: reviewer and date columns; a file written before them (above) still reads."""
    src = tmp_path / "ep.txt"
    src.write_text(WRONG)
    run(src, "--out", tmp_path)
    _, doc = reviews(tmp_path, "ep")
    a = next(c for c in doc["claims"] if c["quote"] == "15 billion parameters")
    decide(tmp_path, "ep", [["ep", a["id"], a["kind"], a["quote"], a["sentence"], "Confirmed error", "", "Ana Ruiz", "2026-11-20"]],
           columns=("episode", "claim", "kind", "quote", "sentence", "decision", "note", "reviewer", "date"))
    run(src, "--out", tmp_path)
    _, doc = reviews(tmp_path, "ep")
    review = next(c["review"] for c in doc["claims"] if c["quote"] == "15 billion parameters")
    assert review == {"decision": "confirmed error", "note": "", "reviewer": "Ana Ruiz", "date": "2026-11-20"}
    row = next(r for r in csv.DictReader(open(tmp_path / "claims" / "claims.csv")) if r["quote"] == "15 billion parameters")
    assert (row["reviewer"], row["decision_date"]) == ("Ana Ruiz", "2026-11-20")


def test_the_index_colours_no_zero(tmp_path):
    """Issue 11: a red "0" on every row said "mismatch" where there was none."""
    src = tmp_path / "good.txt"
    src.write_text("Host: GPT-2 XL has 1.5 billion parameters.\n")
    r = CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    row = re.search(r'<tr[^>]*>\s*<td><a href="good.html">.*?</tr>', (tmp_path / "reports" / "index.html").read_text(), re.S).group()
    assert "v-mismatch" not in row and "v-consistent" in row


def test_a_mismatch_shows_what_was_said_what_was_expected_and_how_far_off(tmp_path):
    """Issue 11: 'stated' is what was said (not the interval the words allow), and 'off by' sorts the flags."""
    src = tmp_path / "ep.txt"
    src.write_text("Host: GPT-2 XL has 15 billion parameters.\n")
    r = CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path), "--json", str(tmp_path / "all.json")])
    assert r.exit_code == 0, r.output
    c = json.loads((tmp_path / "all.json").read_text())["episodes"][0]["claims"][0]
    assert c["verdict"] == "mismatch" and 9 < c["off_by"] < 10  # 15 billion against GPT-2 XL's 1.56 billion
    row = re.search(r'<tr id="c1">.*?</tr>', (tmp_path / "reports" / "ep.html").read_text(), re.S).group()
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    assert cells[6] == "15 billion parameters" and " to " not in cells[7] and cells[8].startswith("×9.")
    assert 'data-sort="off"' in (tmp_path / "reports" / "ep.html").read_text()


def said_and_expected(tmp_path, text, claim="c1"):
    (tmp_path / "ep.txt").write_text(text)
    assert CliRunner().invoke(main, ["check", str(tmp_path / "ep.txt"), "--out", str(tmp_path)]).exit_code == 0
    row = re.search(rf'<tr id="{claim}">.*?</tr>', (tmp_path / "reports" / "ep.html").read_text(), re.S).group()
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[6:8]


def test_a_figure_is_shown_as_said_with_its_hedge_and_a_wide_expectation_as_its_span(tmp_path):
    """Issue 11: 'said' is what was said, not the interval the words allow; a middle of 'LLMs in general' is no figure."""
    said, expected = said_and_expected(tmp_path, "Host: LLMs are typically trained on the order of 10 to the 13 tokens.\n")
    assert said == "on the order of 10 trillion tokens" and " to " in expected
    said, expected = said_and_expected(tmp_path, "Host: GPT-3 has over 100 billion parameters.\n")
    assert said == "over 100 billion parameters" and expected == "175 billion parameters"


def test_an_uncertain_expectation_shows_its_figure_and_its_interval(tmp_path):
    said, expected = said_and_expected(tmp_path, "Host: A cluster of 100,000 H100s draws about 14 megawatts.\n", "c2")
    assert said == "about 14 megawatts" and re.fullmatch(r"[\d.]+ megawatts \([\d.]+ to [\d.]+\)", expected)


def test_a_range_said_is_shown_in_the_speakers_words(tmp_path):
    src = tmp_path / "ep.txt"
    src.write_text("Host: Meta has 60K to 100K H100 equivalent GPUs in their training clusters.\n")
    assert CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path)]).exit_code == 0
    row = re.search(r'<tr id="c1">.*?</tr>', (tmp_path / "reports" / "ep.html").read_text(), re.S).group()
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[6] == "60K to 100K H100 equivalent GPUs"  # in the speaker's words


def test_the_claims_table_puts_the_flags_first_the_furthest_off_first(tmp_path):
    """Issue 11: the one wrong claim of an episode no longer sits under eleven unverifiable rows."""
    src = tmp_path / "ep.txt"
    src.write_text("Host: Some startup has 3,000 GPUs.\nHost: GPT-2 XL has 1.5 billion parameters.\n"
                   "Host: GPT-2 XL has 3 billion parameters.\nHost: GPT-2 XL has 15 billion parameters.\n")
    assert CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path)]).exit_code == 0
    page = (tmp_path / "reports" / "ep.html").read_text()
    verdicts = re.findall(r'<tbody class="claim" data-verdict="(\w+)"', page)
    quotes = re.findall(r'<tr id="c\d+">\s*<td[^>]*>.*?</td>\s*<td[^>]*><a[^>]*>“(.*?)”', page, re.S)
    assert verdicts == ["mismatch", "mismatch", "consistent", "unverifiable"]
    assert quotes[:2] == ["15 billion parameters", "3 billion parameters"]


def test_a_figure_no_reading_of_its_name_allows_needs_a_decision(tmp_path):
    """No Llama 3 model has 500 layers: not a flag (the speaker may mean a model the data lacks), but a reviewer looks."""
    src = tmp_path / "ep.txt"
    src.write_text("Host: Llama 3 has 500 layers.\nHost: Meta has 24,000 GPUs.\n")
    r = CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path), "--json", str(tmp_path / "all.json")])
    assert r.exit_code == 0, r.output
    layers, gpus = json.loads((tmp_path / "all.json").read_text())["episodes"][0]["claims"]
    assert layers["verdict"] == "unverifiable" and layers["contested"] and 3.9 < layers["off_by"] < 4
    assert not gpus["contested"]  # 'Meta' is a maker: its models in the data are not all it has
    page = (tmp_path / "reports" / "ep.html").read_text()
    assert re.findall(r'<tbody class="claim" data-verdict="\w+" data-group="(\w+)"', page) == ["decide", "unverifiable"]


def test_nothing_is_folded_when_nothing_else_would_show(tmp_path):
    """An episode of unverifiable claims only does not open on an empty table."""
    src = tmp_path / "ep.txt"
    src.write_text("Host: Some startup has 3,000 GPUs.\nHost: Another lab has 9,000 GPUs.\n")
    assert CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path)]).exit_code == 0
    page = (tmp_path / "reports" / "ep.html").read_text()
    assert 'class="fold"' not in page and 'aria-expanded="true">unverifiable (2)' in page


@pytest.mark.parametrize("unit, value, said", [("teraFLOPS", 989, "TFLOP/s"), ("kilowatt_hour", 3, "kWh"), ("kv_head", 1, "KV head"),
                                               ("kv_head", 8, "KV heads"), ("GPU * hour", 2, "GPU-hours"),
                                               ("kilobyte / token", 320, "kilobytes / token"), ("fold", 35, "fold")])
def test_units_read_as_people_say_them(unit, value, said):
    from pipeline.render.html import unit_text

    assert unit_text(unit, value) == said


def test_times_link_to_audio_named_on_the_web_and_nothing_else(tmp_path):
    page = '<audio src="https://cdn.example/ep.mp3?a=1&b=&quot;2"></audio><p><cite>Host:</cite><time>0:05</time> GPT-2 XL has 1.5 billion parameters.</p>'
    (tmp_path / "web.html").write_text(page)
    (tmp_path / "local.html").write_text(page.replace("https://cdn.example/ep.mp3?a=1&b=&quot;2", "ep.mp3"))
    assert CliRunner().invoke(main, ["check", str(tmp_path / "web.html"), str(tmp_path / "local.html"), "--out", str(tmp_path)]).exit_code == 0
    web = (tmp_path / "reports" / "web.html").read_text()
    assert 'href="https://cdn.example/ep.mp3?a=1&amp;b=&#34;2#t=5" rel="noreferrer"' in web
    assert "#t=" not in (tmp_path / "reports" / "local.html").read_text()  # a file beside the transcript: not linked
