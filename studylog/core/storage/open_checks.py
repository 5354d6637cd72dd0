"""What is checked before a database file is opened for writing: that it is a regular
file, and that no newer studylog wrote it.

A newer studylog's database was opened, migrated "back" (``PRAGMA user_version``
lowered) and written; now it is refused before anything is written, so not a byte of
it changes.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from studylog.core.storage.migrations import MIGRATION_SET, MIGRATIONS_TABLE, known_migrations


def not_a_file(path: Path) -> str | None:
    """Why ``path`` cannot be a database file (``/dev/null``, a folder), or None.
    SQLite would open ``/dev/null`` and create ``/dev/null-journal`` beside it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return None  # a new database
    except OSError as exc:
        return f"cannot open database {path}: {exc.strerror}"
    if stat.S_ISREG(mode):
        return None
    return f"cannot open database {path}: not a regular file; give --db a file path"


def newer_schema(conn: sqlite3.Connection, path: Path) -> str | None:
    """Why the database is from a newer studylog (a schema version or a migration this
    version does not know), or None. Only reads."""
    known = known_migrations()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    unknown: list[str] = []
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                             [MIGRATIONS_TABLE]).fetchone()
    if has_table:
        unknown = [name for (name,) in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ?", [MIGRATION_SET])
            if name not in known]
    if version <= len(known) and not unknown:
        return None
    what = f"migration {unknown[0]!r}" if unknown else f"schema version {version}"
    return (f"database {path} was written by a newer studylog ({what}; this one knows "
            f"schema version {len(known)}): nothing was changed; upgrade studylog to open it")
