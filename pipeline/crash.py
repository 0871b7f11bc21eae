"""Bugs of ours: the user gets one line and exit code 5, the traceback goes to a log file for the report."""
from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path

from pipeline import __version__

INTERNAL_ERROR = 5  # not a finding (1), a usage error (2) or unreadable input (3)


def crash_log() -> Path:
    """The traceback being handled, written to a new log file; its path."""
    fd, path = tempfile.mkstemp(prefix="claimcheck-crash-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"claimcheck {__version__}: {' '.join(sys.argv)}\n\n{traceback.format_exc()}")
    return Path(path)
