"""sqlite-utils, imported without numpy and pandas.

sqlite-utils imports numpy and pandas when they are installed, only to map their scalar
types to column types. studylog never stores them, and importing numpy alone costs
~50 ms of every start of the CLI and the app (numpy is installed for the snippet runner).
Hide both while sqlite-utils loads, unless something imported them already.
"""

from __future__ import annotations

import sys
from typing import Any


def _load() -> tuple[Any, Any]:
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes the import fail
    try:
        import sqlite_utils
        from sqlite_utils.migrations import Migrations
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    return sqlite_utils.Database, Migrations


Database, Migrations = _load()

__all__ = ["Database", "Migrations"]
