"""What the CLI and the app say about a database failure met outside the store's guards
(a damaged page found by a read): one line with what to do, or None for a bug.

The UI and the CLI reach storage only through core services; this is that service for
SQLite's failures (core/storage/sqlite_failures.py holds the rules).
"""

from __future__ import annotations

from pathlib import Path

from studylog.core.storage.sqlite_failures import describe_failure


def explain_failure(error: BaseException, database: Path | str | None = None) -> str | None:
    """One line for a SQLite failure the user can act on (``database`` named in it),
    or None for anything else."""
    return describe_failure(error, database)
