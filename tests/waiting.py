"""Waiting on a render running in another process (shared by the render and scheduling tests)."""

import time
from pathlib import Path


def kernel_started(reports: Path) -> bool:
    """A kernel has written to its log under .tmp/: the render is well under way."""
    return any(p.stat().st_size for p in reports.rglob(".tmp/**/kernel*.log"))


def wait_for(predicate, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
