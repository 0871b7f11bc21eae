import os
import shutil

import pytest

from pipeline import nlp as nlp_mod
from pipeline import reference as ref_mod
from pipeline.read import read_bytes
from pipeline.run import check_transcript
from tests.browsing import chromium


@pytest.fixture(scope="session")
def nlp():
    return nlp_mod.build()


@pytest.fixture(scope="session")
def reference():
    return ref_mod.load()


@pytest.fixture(scope="session")
def check_text(nlp, reference):
    """Check a transcript given as text; returns the episode."""
    def run(text: str, name: str = "test.txt"):
        return check_transcript(read_bytes(text.encode("utf-8"), name), nlp, reference)
    return run


@pytest.fixture(scope="session")
def chrome():
    """Headless Chromium, shared by the browser tests (each loads its own page). Needs Debian's chromium and
    chromium-driver; .ci/run installs them, and in CI (CI=true) their absence is a failure, not a skip."""
    binary, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver_path):
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs chromium and chromedriver (.ci/run installs them)", pytrace=False)
        pytest.skip("chromium or chromedriver is not installed")
    driver = chromium(binary, driver_path, 1200, 1600)
    yield driver
    driver.quit()


@pytest.fixture
def browser(chrome):
    """The shared browser, at a desktop size again whatever the test before it did."""
    chrome.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    chrome.set_window_size(1200, 1600)
    chrome.get("about:blank")
    return chrome
