import pytest

from pipeline import nlp as nlp_mod
from pipeline import reference as ref_mod
from pipeline.read import read_bytes
from pipeline.run import check_transcript


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
