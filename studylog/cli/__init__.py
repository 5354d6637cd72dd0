"""The ``studylog`` command: click commands over ``studylog.core`` (``command_group``).

Each listing command takes ``--json`` for scripts. Errors are one line on stderr and a
non-zero exit, never a traceback. Plain ``studylog`` (or ``studylog --db PATH``) in a
terminal opens the app without importing click (``app_launch``).
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main() -> None:
    """The ``studylog`` entry point."""
    from studylog.cli.app_launch import fast_open_path, open_app_directly

    try:
        db_path = fast_open_path(sys.argv[1:], os.environ, terminal=sys.stdout.isatty())
    except KeyboardInterrupt:
        sys.exit(130)
    if db_path is not None:
        open_app_directly(db_path)
        return
    from studylog.cli.command_group import run_click

    run_click()


def __getattr__(name: str) -> Any:
    """``cli`` and the rest of the click group, from ``command_group`` on first use."""
    if name in ("cli", "LazyGroup", "LAZY_COMMANDS", "run_click"):
        from studylog.cli import command_group

        return getattr(command_group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
