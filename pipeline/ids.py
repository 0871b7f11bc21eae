"""Episode ids: the one name `check` and `batch` give a transcript's outputs (claims/ID.json,
reports/ID.html), from its path under the folder it was found in, so the same file keeps its id."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_ID = 80  # characters: outputs and their temporary files must stay within a file name's 255 bytes
RESERVED = {"index", "claims"}  # reports/index.html, claims/claims.csv


def episode_id(path: Path, root: Path | None = None, taken=frozenset()) -> str:
    """'season-1/ep-12.srt' under the catalogue -> 'season-1-ep-12'; never a reserved name, never one in `taken`."""
    path = Path(path)
    rel = path.relative_to(root) if root is not None and path.is_relative_to(root) and path != root else Path(path.name)
    base = re.sub(r"[^a-z0-9]+", "-", str(rel.with_suffix("")).lower()).strip("-") or "episode"
    if len(base) > MAX_ID:
        base = f"{base[:MAX_ID - 9].rstrip('-')}-{hashlib.sha1(base.encode()).hexdigest()[:8]}"
    if base in RESERVED:
        base += "-episode"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name
