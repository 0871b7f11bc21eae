"""Score claimcheck on the labelled set: the share of claims found, and precision and recall of mismatch flags.

The transcripts beside this file were written for the tests, in five formats; labels.csv gives, for
each claim, the kind and the verdict a careful reviewer would give. Run: python tests/labelled/score.py
"""
from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).parent


def labels() -> dict[str, list[dict]]:
    by_file = defaultdict(list)
    with open(HERE / "labels.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_file[row["file"]].append(row)
    return by_file


def _said(c) -> tuple[str, str]:
    """The claim's quote, with and without its hedge ("about 360 kilowatts" is labelled "360 kilowatts")."""
    q, h = c.quote, c.quantity.hedge or ""
    return q, q[len(h):].strip() if h and q.lower().startswith(h.lower()) else q


def score(nlp, reference) -> dict:
    from pipeline.run import check_file

    found = right_kind = right_verdict = flagged = true_flags = wrong_labelled = extra = 0
    total = 0
    misses: list[str] = []
    for name, rows in labels().items():
        ep = check_file(HERE / name, nlp, reference)
        claims = list(zip(ep.claims, ep.checks))
        used = set()
        for row in rows:
            total += 1
            wrong_labelled += row["verdict"] == "mismatch"
            hit = next((i for i, (c, _) in enumerate(claims) if i not in used and row["quote"] in _said(c)), None)
            if hit is None:
                misses.append(f"{name}: not found: {row['quote']!r}")
                continue
            used.add(hit)
            c, k = claims[hit]
            found += 1
            right_kind += c.kind == row["kind"]
            right_verdict += k.verdict == row["verdict"]
            if c.kind != row["kind"] or k.verdict != row["verdict"]:
                misses.append(f"{name}: {row['quote']!r}: {c.kind}/{k.verdict}, labelled {row['kind']}/{row['verdict']}")
            if k.verdict == "mismatch":
                true_flags += row["verdict"] == "mismatch"
        for i, (c, k) in enumerate(claims):
            flagged += k.verdict == "mismatch"
            if i not in used:
                extra += 1
                misses.append(f"{name}: found but not labelled: {c.quote!r} ({c.kind}/{k.verdict})")
    return {
        "labelled claims": total, "labelled mismatches": wrong_labelled,
        "found": found / total, "kind right": right_kind / total, "verdict right": right_verdict / total,
        "flag precision": true_flags / flagged if flagged else 1.0,
        "flag recall": true_flags / wrong_labelled if wrong_labelled else 1.0,
        "claims found but not labelled": extra, "differences": misses,
    }


def main() -> None:
    sys.path.insert(0, str(HERE.parents[1]))
    from pipeline import nlp, reference

    result = score(nlp.build(), reference.load())
    for key, value in result.items():
        if key != "differences":
            print(f"{key:32} {value:.3f}" if isinstance(value, float) else f"{key:32} {value}")
    for line in result["differences"]:
        print("  " + line)


if __name__ == "__main__":
    main()
