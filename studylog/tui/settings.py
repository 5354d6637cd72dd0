"""What the app is built from besides the store: the clock, the zone, the editor."""

from __future__ import annotations

import os
import shlex
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path


def _system_now() -> datetime:
    return datetime.now(UTC)


def editor_command() -> list[str]:
    """``$VISUAL``, then ``$EDITOR``, then ``vi`` (as git does); empty when none is set
    and vi is not installed."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if raw:
        return shlex.split(raw)
    return ["vi"] if shutil.which("vi") else []


@dataclass
class AppSettings:
    """``clock`` and ``tz`` are injectable so tests and snapshots freeze time."""

    clock: Callable[[], datetime] = _system_now
    # elapsed times on screen (a snippet's running time); snapshots freeze it
    monotonic: Callable[[], float] = time.monotonic
    tz: tzinfo | None = None
    editor: list[str] = field(default_factory=editor_command)
    theme: str | None = None
    # Unexpected exceptions become a notification (with the traceback written to
    # ``error_log``) instead of ending the app. Tests turn it off so bugs fail loudly.
    catch_errors: bool = True
    error_log: Path | None = None
    draft_delay: float = 1.0  # seconds of quiet typing before a draft is written
    warm_runner: bool = True  # start the snippet runner's warm process at start-up
    runner_preload: tuple[str, ...] = ("torch",)  # what the warm process imports once
    # ... and once idle: the first torch.optim optimizer of each run imports it (1-3 s)
    runner_preload_when_idle: tuple[str, ...] = ("torch._dynamo",)
    live_lines_per_s: float = 2000.0  # a flood of output beyond this is summarised live
    # take the study day's safety copy once the first screen is up (the CLI opens the
    # app so; a copy of a big journal takes a second that start-up need not wait for)
    daily_copy: bool = False
    # read what Stats, the Journal and Cards show first in a thread once Today is filled
    # in, so that S, j and c show it at once (read_ahead.py); tests turn it off
    read_ahead: bool = True

    def now(self) -> datetime:
        return self.clock()
