"""Real processes seen through /proc, for the runner's tests: whether one is alive, and
waiting for a condition on them (they start and end on their own schedule)."""

from __future__ import annotations

import time
from collections.abc import Callable


def process_alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (a zombie is dead, only not reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_until(predicate: Callable[[], object], timeout: float) -> bool:
    """Poll ``predicate`` every 20 ms for up to ``timeout`` s; its last answer decides."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return bool(predicate())
