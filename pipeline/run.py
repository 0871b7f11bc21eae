"""One episode through every stage: read, annotate, claims, check; and, for check and batch alike,
one file end to end with its outputs written. I/O stays at the edges."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from pipeline import ids
from pipeline.check import Check, check_all
from pipeline.nlp import annotate
from pipeline.claims import Claim, find_claims
from pipeline.read import read
from pipeline.reference import Reference
from pipeline.transcript import InputError, Transcript


@dataclass
class Episode:
    id: str
    transcript: Transcript
    claims: list[Claim]
    checks: list[Check]

    def count(self, verdict: str) -> int:
        return sum(1 for c in self.checks if c.verdict == verdict)


def check_transcript(transcript: Transcript, nlp: Language, reference: Reference, episode_id: str | None = None) -> Episode:
    annotations = annotate([s.text for s in transcript.segments], nlp)
    claims = find_claims(transcript, annotations, reference)
    checks = check_all(claims, reference)
    kept = [(c, k) for c, k in zip(claims, checks) if not c.input_only]  # a batch size is an input only
    claims, checks = [c for c, _ in kept], [k for _, k in kept]
    for n, c in enumerate(claims, 1):
        c.id = f"c{n}"
    return Episode(episode_id or ids.episode_id(Path(transcript.source)), transcript, claims, checks)


def check_file(path: str | Path, nlp: Language, reference: Reference, episode_id: str | None = None) -> Episode:
    return check_transcript(read(path), nlp, reference, episode_id)


def check_and_write(path: str | Path, nlp: Language, reference: Reference, episode: str, out: Path,
                    reviews: list) -> tuple[dict | None, str | None, bool]:
    """(the episode's JSON, None, False) once its outputs are written; else (None, why, whether it is a
    bug of ours), and the file leaves no outputs, neither partial ones nor those of an earlier run."""
    from pipeline import render
    from pipeline.crash import crash_log

    try:
        doc = render.with_decisions(render.episode_json(check_file(path, nlp, reference, episode)), reviews)
        render.write_episode(out, doc, reference.version, reviews)
        return doc, None, False
    except InputError as e:
        why, bug = str(e), False
    except OSError as e:
        why, bug = f"cannot write {e.filename or 'an output'}: {e.strerror or e}", False
    except Exception:  # a bug of ours: this file fails, the others are still checked
        why, bug = f"could not be checked: an internal error (the traceback is in {crash_log()})", True
    render.remove_episode(out, episode)
    return None, why, bug
