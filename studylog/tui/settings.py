"""What the app is built from besides the store: the clock, the zone, the editor."""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path


def _system_now() -> datetime:
    return datetime.now(timezone.utc)


def editor_command() -> list[str]:
    """``$VISUAL``, then ``$EDITOR``, then ``vi`` (as git does)."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    return shlex.split(raw)


@dataclass
class AppSettings:
    """``clock`` and ``tz`` are injectable so tests and snapshots freeze time."""

    clock: Callable[[], datetime] = _system_now
    tz: tzinfo | None = None
    editor: list[str] = field(default_factory=editor_command)
    theme: str | None = None
    # Unexpected exceptions become a notification (with the traceback written to
    # ``error_log``) instead of ending the app. Tests turn it off so bugs fail loudly.
    catch_errors: bool = True
    error_log: Path | None = None
    draft_delay: float = 1.0  # seconds of quiet typing before a draft is written
    warm_runner: bool = True  # start the snippet runner's warm process at start-up

    def now(self) -> datetime:
        return self.clock()
