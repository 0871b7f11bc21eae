"""A real browser opens a report and works in it as a reviewer does (issues 5 and 11): triage, filters, jumps,
decisions, a phone, contrast. The `browser` fixture (conftest.py) skips without chromium, except in CI."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.browsing import CONTRAST, phone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("Host: GPT-2 XL has 15 billion parameters.\n"
        "Guest: Llama 2 70B was trained on 2 trillion tokens.\n"
        "Host: And Llama 3 70B has 64 KV heads, and it took two years.\n")


def check(args):
    """`claimcheck check ARGS`, which must run."""
    r = CliRunner().invoke(main, ["check", *map(str, args)])
    assert r.exit_code == 0, r.output


def test_mismatch_filter_leaves_only_mismatches(tmp_path, browser):

    src = tmp_path / "episode.txt"
    src.write_text(TEXT)
    check([str(src), "--out", str(tmp_path)])
    browser.get((tmp_path / "reports" / "episode.html").as_uri())
    claims = browser.find_elements(By.CSS_SELECTOR, "tbody.claim")
    verdicts = [c.get_attribute("data-verdict") for c in claims]
    assert "mismatch" in verdicts and set(verdicts) != {"mismatch"}  # there is something to filter out

    for v in ("consistent", "unverifiable"):  # each verdict is a toggle: leave only the mismatches
        browser.find_element(By.CSS_SELECTOR, f'button[data-verdict="{v}"]').click()
    visible = [c.get_attribute("data-verdict") for c in claims if c.is_displayed()]
    assert visible and set(visible) == {"mismatch"}
    assert browser.find_element(By.ID, "shown").text == f"{len(visible)} of {len(claims)} claims shown"

    (ROOT / "reports").mkdir(exist_ok=True)
    browser.save_screenshot(str(ROOT / "reports" / "browser-test.png"))  # the CI artefact

    browser.find_element(By.ID, "f-reset").click()
    assert all(c.is_displayed() for c in claims if c.get_attribute("data-group") != "unverifiable")
    browser.find_element(By.CSS_SELECTOR, 'button[data-sort="quote"]').click()  # sorted within each group
    quotes = [c.find_element(By.CSS_SELECTOR, "td:nth-child(2) a").text
              for c in browser.find_elements(By.CSS_SELECTOR, 'tbody.claim[data-group="decide"]')]
    assert len(quotes) > 1 and quotes == sorted(quotes, key=str.lower)

    # a reviewer's choice is offered for every claim, once its working is open
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "select.decision")) == len(claims))


def choose(browser, claim, value):
    """Pick a decision as a reviewer does: open the claim's working, choose, and the page hears the change."""
    browser.execute_script("document.getElementById(arguments[0]).parentNode.querySelector('details').open = true", claim)
    select = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, f'select.decision[data-claim="{claim}"]'))
    browser.execute_script("arguments[0].scrollIntoView(); arguments[0].value = arguments[1];"
                           "arguments[0].dispatchEvent(new Event('change'))", select, value)


def test_decisions_survive_reload_and_merge_across_episodes(tmp_path, browser):
    """Issue 11: choices are kept as they are made, across a reload and another episode's page, and the download
    holds every kept decision, including one whose claim is gone."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT)
    (tmp_path / "in" / "b.txt").write_text("Host: GPT-2 XL has 1.5 billion parameters.\nHost: Llama 2 70B has 80 layers.\n")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "decisions.csv").write_text(
        "episode,claim,kind,quote,sentence,decision,note\nb,c9,parameter_count,9 parameters,Gone now.,note,kept\n")
    check([str(tmp_path / "in"), "--out", str(tmp_path)])
    a, b = ((tmp_path / "reports" / f"{x}.html").as_uri() for x in "ab")

    browser.get(a)
    browser.execute_script("localStorage.clear()")
    browser.get(a)
    claim_a = browser.find_element(By.CSS_SELECTOR, "tbody.claim").get_attribute("data-id")
    choose(browser, claim_a, "confirmed error")
    wait = WebDriverWait(browser, 10)
    wait.until(lambda d: "reviewed: confirmed error" in d.find_element(By.ID, claim_a).text)  # shown at once
    browser.refresh()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f'select.decision[data-claim="{claim_a}"]')
               .get_attribute("value") == "confirmed error")

    browser.get(b)
    choose(browser, browser.find_element(By.CSS_SELECTOR, "tbody.claim").get_attribute("data-id"), "false flag")
    wait.until(lambda d: {(r[0], r[5]) for r in d.execute_script("return window.decisionRows()")}
               == {("a", "confirmed error"), ("b", "false flag"), ("b", "note")})


WORKSPACE = ("Host: GPT-2 XL has 15 billion parameters.\n"  # mismatch, off by 9.6
             "Guest: Llama 2 70B was trained on 2 trillion tokens.\n"  # consistent
             "Host: And Llama 3 70B has 64 KV heads, and it took two years.\n"  # mismatch, off by 8
             "Guest: Some startup has 3,000 GPUs.\n"  # unverifiable
             "Guest: GPT-2 XL has 3 billion parameters.\n"  # mismatch, off by 1.9
             "Host: Llama 3 has 500 layers.\n"  # no Llama 3 model has it: unverifiable, but needs a decision
             "Guest: Some other lab has 9,000 GPUs.\n")  # unverifiable


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    out = tmp_path_factory.mktemp("ws")
    (out / "ep.txt").write_text(WORKSPACE)
    r = CliRunner().invoke(main, ["check", str(out / "ep.txt"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out / "reports" / "ep.html"


def shown_rows(browser):
    """(claim id, group) of the claim rows a reader sees, top to bottom."""
    return browser.execute_script("return Array.from(document.querySelectorAll('tbody.claim')).filter(b => !b.hidden)"
                                  ".map(b => [b.dataset.id, b.dataset.group])")


def test_triage_first_and_the_factor_sort(workspace, browser):
    """Issue 11: what needs a decision on top, furthest off first; the unverifiable rows folded; 'off by' sorts."""

    browser.get(workspace.as_uri())
    rows = shown_rows(browser)
    assert [g for _, g in rows] == ["decide"] * 4 + ["consistent"]  # the two unverifiable rows are folded
    assert [i for i, _ in rows][:4] == ["c1", "c3", "c6", "c5"]  # x9.6, x8, x4.0 (no Llama 3 has 500 layers), x1.9
    assert "2 more in folded groups" in browser.find_element(By.ID, "shown").text
    browser.find_element(By.CSS_SELECTOR, 'tbody.group[data-group="unverifiable"] button').click()
    assert [g for _, g in shown_rows(browser)][-2:] == ["unverifiable", "unverifiable"]

    off = browser.find_element(By.CSS_SELECTOR, 'button[data-sort="off"]')
    off.click()  # the furthest off first, within each group
    assert [i for i, g in shown_rows(browser) if g == "decide"] == ["c1", "c3", "c6", "c5"]
    assert off.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    off.click()
    assert [i for i, g in shown_rows(browser) if g == "decide"] == ["c5", "c6", "c3", "c1"]
    assert off.find_element(By.XPATH, "..").get_attribute("aria-sort") == "ascending"


def test_multi_select_filters_and_search_are_kept_in_the_url(workspace, browser):

    browser.get(workspace.as_uri())
    kind = browser.find_element(By.CSS_SELECTOR, 'details.multi[data-filter="kind"]')
    kind.find_element(By.TAG_NAME, "summary").click()
    for k in ("parameter_count", "gpu_count"):
        kind.find_element(By.CSS_SELECTOR, f'input[value="{k}"]').click()
    browser.find_element(By.CSS_SELECTOR, 'tbody.group[data-group="unverifiable"] button').click()
    assert {i for i, _ in shown_rows(browser)} == {"c1", "c5", "c4", "c7"}  # two kinds at once
    browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="mismatch"]').click()  # hide the mismatches
    assert {i for i, _ in shown_rows(browser)} == {"c4", "c7"}
    browser.find_element(By.ID, "f-search").send_keys("9,000 gpu")
    assert [i for i, _ in shown_rows(browser)] == ["c7"]
    kinds, q = browser.execute_script("var p = new URLSearchParams(location.search); return [p.getAll('kind'), p.get('q')]")
    assert set(kinds) == {"parameter_count", "gpu_count"} and q == "9,000 gpu"

    browser.refresh()  # the state comes back from the URL: a view can be bookmarked or sent
    assert [i for i, _ in shown_rows(browser)] == ["c7"]
    assert browser.find_element(By.ID, "f-search").get_attribute("value") == "9,000 gpu"
    browser.find_element(By.ID, "f-reset").click()
    assert len(shown_rows(browser)) == 5


def test_a_jump_from_the_transcript_shows_and_marks_the_row_below_the_sticky_header(workspace, browser):

    browser.get(workspace.as_uri())
    browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="mismatch"]').click()  # c3 is now filtered out
    assert "c3" not in [i for i, _ in shown_rows(browser)]
    mark = browser.find_element(By.CSS_SELECTOR, "#q-c3 a")
    browser.execute_script("arguments[0].scrollIntoView()", mark)
    mark.click()
    row = browser.find_element(By.ID, "c3")
    assert row.is_displayed() and "jumped" in row.get_attribute("class")
    head, box = browser.execute_script("var r = document.getElementById('c3').getBoundingClientRect(),"
                                       "h = document.querySelector('thead th').getBoundingClientRect();"
                                       "return [[h.top, h.bottom], [r.top, r.bottom]]")
    assert box[0] >= head[1] and box[1] <= browser.execute_script("return innerHeight")  # in view, not under the header
    browser.execute_script("scrollTo(0, document.getElementById('claim-table').offsetTop + 150)")
    assert browser.execute_script("return document.querySelector('thead th').getBoundingClientRect().top") == 0  # it sticks
    back = row.find_element(By.CSS_SELECTOR, "a.back")
    assert back.get_attribute("href").endswith("#q-c3")


def test_a_phone_gets_cards_that_fit_and_thumb_sized_controls(workspace, browser):
    """Issue 11: at 390 px nothing runs off the side, and every control is at least 44 px tall."""
    phone(browser)
    for page in (workspace, workspace.parent / "index.html"):
        browser.get(page.as_uri())
        if page == workspace:
            for b in browser.find_elements(By.CSS_SELECTOR, 'tbody.group button[aria-expanded="false"]'):
                b.click()
            browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 390, page.name
    browser.get(workspace.as_uri())
    small = browser.execute_script("""return Array.from(document.querySelectorAll(
        '.filters button, .filters select, .filters input, .filters summary, .decisions button, .decisions input,'
        + 'select.decision, input.decision-note, tbody.group button')).filter(e => e.offsetParent)
        .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect().height]).filter(x => x[1] < 44)""")
    assert not small
    assert browser.execute_script("return getComputedStyle(document.querySelector('thead')).display") == "none"  # cards


def test_every_text_meets_wcag_aa_contrast(workspace, browser):
    """Issue 11: the verdict colours, pressed and not, in the table, the transcript and the plot: 4.5:1 at least."""

    browser.get(workspace.as_uri())
    browser.find_element(By.CSS_SELECTOR, 'tbody.group[data-group="unverifiable"] button').click()
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert browser.execute_script(CONTRAST, 3) == []
    for v in ("mismatch", "consistent", "unverifiable"):  # each verdict's chip unpressed too
        browser.find_element(By.CSS_SELECTOR, f'button[data-verdict="{v}"]').click()
    assert browser.execute_script(CONTRAST, 3) == []
    browser.get((workspace.parent / "index.html").as_uri())
    assert browser.execute_script(CONTRAST, 3) == []


def test_importing_a_csv_reads_decisions_as_people_type_them(workspace, browser, tmp_path):
    """Issue 11: 'Confirmed Error' is read, a bad row is named by its line and skipped, another episode's row and
    one whose claim is gone are kept for the download."""

    browser.get(workspace.as_uri())
    browser.execute_script("localStorage.clear()")
    browser.refresh()
    sentence = "Host: GPT-2 XL has 15 billion parameters."[6:]
    csv_file = tmp_path / "decisions.csv"
    csv_file.write_text("episode,claim,kind,quote,sentence,decision,note,reviewer,date\n"
                        f'ep,c1,parameter_count,15 billion parameters,"{sentence}",Confirmed Error,"it is 1.5B, not 15B",Ana,2026-11-20\n'
                        "ep,c3,architecture,64 KV heads,x,maybe,,,\n"
                        "other,c2,ratio,10x,A sentence.,false-flag,,,\n"
                        "ep,c9,ratio,5x,A sentence no longer there.,note,kept,,\n")
    browser.find_element(By.ID, "import").send_keys(str(csv_file))
    WebDriverWait(browser, 10).until(lambda d: d.find_element(By.ID, "import-status").text)
    status = browser.find_element(By.ID, "import-status").text
    assert "Imported 3 decisions" in status and "line 3" in status and "maybe" in status
    assert browser.find_element(By.CSS_SELECTOR, 'select.decision[data-claim="c1"]').get_attribute("value") == "confirmed error"
    assert "reviewed: confirmed error" in browser.find_element(By.ID, "c1").text
    rows = {(r[0], r[3], r[5], r[7]) for r in browser.execute_script("return window.decisionRows()")}
    assert rows == {("ep", "15 billion parameters", "confirmed error", "Ana"), ("other", "10x", "false flag", ""),
                    ("ep", "5x", "note", "")}
    assert browser.find_element(By.ID, "progress").text.startswith("1 of 4")


def test_a_decision_follows_its_claim_when_a_rerun_renumbers_and_stays_in_its_folder(tmp_path, browser):
    """A choice kept in the browser is named by its claim (kind, quote, sentence), not its id: after a re-run that
    shifts the ids it is still on its claim, and on no other; another folder of reports does not see it."""
    src = tmp_path / "ep.txt"
    src.write_text(TEXT)
    check([str(src), "--out", str(tmp_path / "a")])
    page = (tmp_path / "a" / "reports" / "ep.html").as_uri()
    browser.get(page)
    browser.execute_script("localStorage.clear()")
    browser.get(page)
    assert browser.find_element(By.CSS_SELECTOR, "#c1 td:nth-child(2)").text == "“15 billion parameters”"
    choose(browser, "c1", "confirmed error")

    src.write_text("Guest: Chinchilla was trained on 1.4 trillion tokens.\n" + TEXT)  # every id shifts by one
    check([str(src), "--out", str(tmp_path / "a")])
    browser.get(page)
    WebDriverWait(browser, 10).until(lambda d: "reviewed: confirmed error" in d.find_element(By.ID, "c2").text)
    assert "reviewed" not in browser.find_element(By.ID, "c1").text
    rows = browser.execute_script("return window.decisionRows()")
    assert [(r[1], r[3], r[5]) for r in rows] == [("c2", "15 billion parameters", "confirmed error")]
    browser.get((tmp_path / "a" / "reports" / "index.html").as_uri())  # the index counts it too, as not yet downloaded
    assert "1 more decided in this browser" in browser.find_element(By.CSS_SELECTOR, 'tr[data-episode="ep"]').text

    check([str(src), "--out", str(tmp_path / "b")])  # the same episode, another folder
    browser.get((tmp_path / "b" / "reports" / "ep.html").as_uri())
    assert browser.execute_script("return window.decisionRows()") == []


def test_the_same_jump_again_shows_the_row_again_and_one_way_back(workspace, browser):
    browser.get(workspace.as_uri())
    for v in ("mismatch", "consistent"):
        browser.find_element(By.CSS_SELECTOR, f'button[data-verdict="{v}"]').click()
    mark = browser.find_element(By.CSS_SELECTOR, "#q-c2 a")
    browser.execute_script("arguments[0].scrollIntoView()", mark)
    mark.click()
    assert browser.find_element(By.ID, "c2").is_displayed()
    browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="mismatch"]').click()  # a filter change lets it go
    assert not browser.find_element(By.ID, "c2").is_displayed()
    browser.execute_script("arguments[0].scrollIntoView()", mark)
    mark.click()  # the same link, the same hash
    assert browser.find_element(By.ID, "c2").is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "a.back")) == 1


def test_asking_for_a_folded_verdict_opens_its_group(workspace, browser):
    browser.get(workspace.as_uri())
    chip = browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="unverifiable"]')
    chip.click()  # off
    chip.click()  # on again: the unverifiable rows are what the reader asks for
    assert {"c4", "c7"} <= {i for i, _ in shown_rows(browser)}


def test_an_address_typed_wrong_leaves_a_working_page(workspace, browser):
    browser.get(workspace.as_uri() + "?sort=a%22b&q=GPT&kind=parameter_count&kind=gpu_count#%E0%A4")
    assert {i for i, _ in shown_rows(browser)} == {"c1", "c5"}  # the search read as typed lower-case, the sort ignored
    browser.find_element(By.ID, "f-reset").click()
    assert len(shown_rows(browser)) == 5
    browser.get(workspace.as_uri() + "?verdict=mismatch&verdict=mismatch#constructor")  # a value twice; no such claim
    chip = browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="mismatch"]')
    chip.click()
    assert chip.get_attribute("aria-pressed") == "false" and browser.get_log("browser") == []


def test_a_note_typed_with_no_decision_is_kept_as_a_note(workspace, browser):
    browser.get(workspace.as_uri())
    browser.execute_script("localStorage.clear()")
    browser.get(workspace.as_uri())
    browser.execute_script("document.getElementById('c2').parentNode.querySelector('details').open = true")
    note = WebDriverWait(browser, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "#c2 ~ tr input.decision-note"))
    note.send_keys("the 2T is Llama 2's")
    rows = browser.execute_script("return window.decisionRows()")
    assert [(r[1], r[5], r[6]) for r in rows] == [("c2", "note", "the 2T is Llama 2's")]


def test_a_decision_the_file_has_since_is_the_files(tmp_path, browser):
    """The browser's choice gives way once decisions.csv has it, or has a later one (a colleague's, merged)."""
    src = tmp_path / "ep.txt"
    src.write_text(TEXT)
    check([str(src), "--out", str(tmp_path)])
    page = (tmp_path / "reports" / "ep.html").as_uri()
    browser.get(page)
    browser.execute_script("localStorage.clear()")
    browser.get(page)
    choose(browser, "c1", "false flag")
    sentence = TEXT.splitlines()[0][len("Host: "):]
    (tmp_path / "claims" / "decisions.csv").write_text(
        "episode,claim,kind,quote,sentence,decision,note,reviewer,date\n"
        f"ep,c1,parameter_count,15 billion parameters,{sentence},confirmed error,,Ana,2999-01-01\n")
    check([str(src), "--out", str(tmp_path)])
    browser.get(page)
    assert [(r[1], r[5]) for r in browser.execute_script("return window.decisionRows()")] == [("c1", "confirmed error")]
    browser.get((tmp_path / "reports" / "index.html").as_uri())
    assert "decided in this browser" not in browser.find_element(By.CSS_SELECTOR, 'tr[data-episode="ep"]').text


def test_a_kind_is_hidden_by_choosing_all_but_it(workspace, browser):
    """Issue 11: 'other' could not be hidden; now: tick it, then 'all but these'."""
    browser.get(workspace.as_uri())
    kind = browser.find_element(By.CSS_SELECTOR, 'details.multi[data-filter="kind"]')
    kind.find_element(By.TAG_NAME, "summary").click()
    kind.find_element(By.CSS_SELECTOR, 'input[value="gpu_count"]').click()
    kind.find_element(By.CSS_SELECTOR, "button.invert").click()
    assert {i for i, _ in shown_rows(browser)} == {"c1", "c2", "c3", "c5", "c6"}  # all but the two GPU counts
    assert not browser.find_element(By.CSS_SELECTOR, 'tbody.group[data-group="unverifiable"]').is_displayed()  # all GPUs


def test_a_figure_said_twice_in_a_sentence_has_a_decision_of_its_own(tmp_path, browser):
    (tmp_path / "ep.txt").write_text("Host: GPT-2 XL has 15 billion parameters, yes, 15 billion parameters.\n")
    check([tmp_path / "ep.txt", "--out", tmp_path])
    page = (tmp_path / "reports" / "ep.html").as_uri()
    browser.get(page)
    browser.execute_script("localStorage.clear()")
    browser.get(page)
    choose(browser, "c2", "note")
    browser.get(page)
    WebDriverWait(browser, 10).until(lambda d: "reviewed: note" in d.find_element(By.ID, "c2").text)
    assert "reviewed" not in browser.find_element(By.ID, "c1").text
    assert [(r[1], r[5]) for r in browser.execute_script("return window.decisionRows()")] == [("c2", "note")]
