"""A real browser opens a report and uses its filter (issue 5). Needs Debian's chromium and chromium-driver;
.ci/run installs them, and in CI (CI=true) their absence is a failure, not a skip."""
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
BROWSER, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
TEXT = ("Host: GPT-2 XL has 15 billion parameters.\n"
        "Guest: Llama 2 70B was trained on 2 trillion tokens.\n"
        "Host: And Llama 3 70B has 64 KV heads, and it took two years.\n")

if not (BROWSER and DRIVER):
    if os.environ.get("CI") == "true":
        pytest.fail("CI needs chromium and chromedriver (.ci/run installs them)", pytrace=False)
    pytest.skip("chromium or chromedriver is not installed", allow_module_level=True)


@pytest.fixture
def browser():
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager look for drivers on the network
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = BROWSER
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1200,1600"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


def test_mismatch_filter_leaves_only_mismatches(tmp_path, browser):
    from selenium.webdriver.common.by import By

    src = tmp_path / "episode.txt"
    src.write_text(TEXT)
    CliRunner().invoke(main, ["check", str(src), "--out", str(tmp_path)])
    browser.get((tmp_path / "reports" / "episode.html").as_uri())
    claims = browser.find_elements(By.CSS_SELECTOR, "tbody.claim")
    verdicts = [c.get_attribute("data-verdict") for c in claims]
    assert "mismatch" in verdicts and set(verdicts) != {"mismatch"}  # there is something to filter out

    browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="mismatch"]').click()
    visible = [c.get_attribute("data-verdict") for c in claims if c.is_displayed()]
    assert visible and set(visible) == {"mismatch"}
    assert browser.find_element(By.ID, "shown").text == f"{len(visible)} of {len(claims)} claims shown"

    (ROOT / "reports").mkdir(exist_ok=True)
    browser.save_screenshot(str(ROOT / "reports" / "browser-test.png"))  # the CI artefact

    browser.find_element(By.CSS_SELECTOR, 'button[data-verdict="all"]').click()
    assert all(c.is_displayed() for c in claims)
    browser.find_element(By.CSS_SELECTOR, 'button[data-sort="quote"]').click()
    quotes = [c.find_element(By.CSS_SELECTOR, "td:nth-child(2) a").text for c in browser.find_elements(By.CSS_SELECTOR, "tbody.claim")]
    assert quotes == sorted(quotes, key=str.lower)

    # a reviewer's choice is offered for every claim
    assert len(browser.find_elements(By.CSS_SELECTOR, "select.decision")) == len(claims)


def choose(browser, select, value):
    """Pick a decision as a reviewer does: open the working, choose, and the page hears the change."""
    browser.execute_script("arguments[0].closest('details').open = true; arguments[0].scrollIntoView();"
                           "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('change'))", select, value)


def test_decisions_survive_reload_and_merge_across_episodes(tmp_path, browser):
    """Issue 11: choices are kept as they are made, across a reload and another episode's page, and the download
    holds every kept decision, including one whose claim is gone."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT)
    (tmp_path / "in" / "b.txt").write_text("Host: GPT-2 XL has 1.5 billion parameters.\nHost: Llama 2 70B has 80 layers.\n")
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "decisions.csv").write_text(
        "episode,claim,kind,quote,sentence,decision,note\nb,c9,parameter_count,9 parameters,Gone now.,note,kept\n")
    CliRunner().invoke(main, ["check", str(tmp_path / "in"), "--out", str(tmp_path)])
    a, b = ((tmp_path / "reports" / f"{x}.html").as_uri() for x in "ab")

    browser.get(a)
    browser.execute_script("localStorage.clear()")
    browser.get(a)
    first = browser.find_elements(By.CSS_SELECTOR, "select.decision")[0]
    claim_a = first.get_attribute("data-claim")
    choose(browser, first, "confirmed error")
    wait = WebDriverWait(browser, 10)
    wait.until(lambda d: "reviewed: confirmed error" in d.find_element(By.ID, claim_a).text)  # shown at once
    browser.refresh()
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, f'select.decision[data-claim="{claim_a}"]')
               .get_attribute("value") == "confirmed error")

    browser.get(b)
    sel = browser.find_elements(By.CSS_SELECTOR, "select.decision")[0]
    choose(browser, sel, "false flag")
    wait.until(lambda d: {(r[0], r[5]) for r in d.execute_script("return window.decisionRows()")}
               == {("a", "confirmed error"), ("b", "false flag"), ("b", "note")})
