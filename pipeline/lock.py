"""One run at a time per output folder: an exclusive lock on claims/.lock (fcntl, released by the OS
when the process ends, however it ends), so two runs never interleave their writes."""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path


class Busy(Exception):
    """Another run holds the output folder."""


@contextmanager
def output_lock(out: Path, wait: float | None = None, on_wait=None):
    """Hold the lock of `out` for the block. wait: seconds to wait for it (None: as long as it takes; 0: not at all)."""
    path = out / "claims" / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                if deadline is not None and time.monotonic() >= deadline:
                    raise Busy(f"{out} is in use by another claimcheck run ({holder})") from None
                if on_wait and not told:
                    on_wait(f"waiting for the claimcheck run that is using {out} ({holder})")
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        _remove_leftovers(out)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_leftovers(out: Path) -> None:
    """The half-written files (".claimcheck-NAME.xxxx.tmp", render.atomic_open) of a run that was killed:
    only the holder of the lock can be sure no other run is writing them. Nobody else's hidden files."""
    for folder in (out / "claims", out / "reports"):
        for tmp in folder.glob(".claimcheck-*.tmp") if folder.is_dir() else ():
            tmp.unlink(missing_ok=True)
