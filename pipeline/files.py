"""Reading a file someone named: what is not a regular file (a folder, /dev/zero, a pipe that blocks
until written) and what is over a limit are refused before a byte is read."""
from __future__ import annotations

import stat
from pathlib import Path

from pipeline.transcript import InputError


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of `path`, at most `limit` of them; InputError for anything else (OSError as it comes)."""
    st = path.stat()
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"a folder, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"not a regular file (a device, a pipe or a socket): nothing to read as a {what}")
    if st.st_size > limit:
        raise InputError(f"the file is {st.st_size / 1e6:.0f} MB, over the {limit / 1e6:.0f} MB limit for a {what}")
    with path.open("rb") as f:
        data = f.read(limit + 1)  # a file that grew since stat() is still bounded
    if len(data) > limit:
        raise InputError(f"the file is over the {limit / 1e6:.0f} MB limit for a {what}")
    return data
