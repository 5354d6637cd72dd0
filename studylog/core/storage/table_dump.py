"""Every table of the user's journal as columns and rows, and back: what the JSON export
writes and ``import-json`` reads.

Read inside one read transaction, so the dump is one snapshot; written into a staging
database file that no one else has open (the import service then copies it over the
journal in one transaction, as a restore does).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from studylog.core.storage.database import Store
from studylog.core.storage.database_copies import CopyError, as_copy_errors
from studylog.core.storage.migrations import migrations
from studylog.core.storage.sqlite_lib import Database

# In the order rows can be inserted (a row's parents first). Not dumped: the search
# indexes (rebuilt by triggers as rows go in), the record of applied migrations (the
# export names them) and the undo journal (today's actions, meaningless elsewhere).
TABLES = ("meta", "decks", "deck_settings", "candidate_settings", "snippets", "weeks",
          "sources", "keywords", "keyword_aliases", "entries", "day_bases", "entry_keywords",
          "passages", "entry_labels", "cards", "card_code", "card_aliases", "card_sources",
          "candidates", "dirty_keywords", "review_log", "drafts", "deleted_days",
          "deleted_cards")
NEVER_DUMPED = {("decks", "trusted")}  # trust stays on the machine that gave it

Rows = list[Sequence[Any]]


def applied_migrations(store: Store) -> list[str]:
    """The names of the migrations applied to ``store``, in order."""
    return [m.name for m in migrations.applied(store.db)]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")
            if (table, row[1]) not in NEVER_DUMPED]


@contextmanager
def read_snapshot(store: Store) -> Iterator[None]:
    """One read transaction: every read inside sees the same committed state."""
    with as_copy_errors(store.path):
        store.conn.execute("BEGIN")
        try:
            yield
        finally:
            store.conn.execute("COMMIT")


def count_rows(store: Store, table: str) -> int:
    """How many rows ``table`` holds (0 for a table an older schema lacks)."""
    present = store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                 "AND name = ?", [table]).fetchone()
    return int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) \
        if present else 0


def _order(conn: sqlite3.Connection, table: str) -> str:
    """The primary key's columns (rowid for a table without one): a stable row order."""
    keys = sorted((row[5], row[1]) for row in conn.execute(f"PRAGMA table_info({table})")
                  if row[5])
    return ", ".join(name for _, name in keys) or "rowid"


def dump_table(store: Store, table: str) -> list[tuple[str, str]]:
    """``table`` as (column, JSON array of its values in primary-key order) pairs, trust
    left out; [] for a table an older schema lacks. Integer and text columns are
    encoded by SQLite in one scan (a million review-log rows in about a second); REAL
    columns by Python, whose float text reads back exactly (SQLite's keeps 15 digits)."""
    conn = store.conn
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [table]).fetchone():
        return []
    declared = {row[1]: row[2].upper() for row in conn.execute(f"PRAGMA table_info({table})")}
    columns = _columns(conn, table)
    by_sqlite = [c for c in columns if "INT" in declared[c] or "TEXT" in declared[c]]
    by_python = [c for c in columns if c not in by_sqlite]
    order = _order(conn, table)
    encoded: dict[str, str] = {}
    with as_copy_errors(store.path):
        if by_sqlite:
            arrays = conn.execute(
                f"SELECT {', '.join(f'json_group_array({c})' for c in by_sqlite)} "
                f"FROM (SELECT {', '.join(by_sqlite)} FROM {table} ORDER BY {order})"
            ).fetchone()
            encoded.update(zip(by_sqlite, arrays))
        if by_python:
            key = by_sqlite[0]  # the arrays above must be in this query's row order
            rows = conn.execute(f"SELECT {key}, {', '.join(by_python)} FROM {table} "
                                f"ORDER BY {order}").fetchall()
            values = list(zip(*rows)) or [() for _ in range(len(by_python) + 1)]
            # the same keys in the same order, compared as text (cheaper than parsing)
            if json.dumps(list(values[0]), separators=(",", ":"), ensure_ascii=False) \
                    != encoded[key]:
                raise CopyError(f"{table}: rows read in two orders")  # never seen; a guard
            for column, column_values in zip(by_python, values[1:]):
                encoded[column] = json.dumps(list(column_values), check_circular=False)
    return [(column, encoded[column]) for column in columns]


def create_staging(path: Path, applied: Sequence[str]) -> None:
    """A new database file at ``path`` with exactly the migrations ``applied`` (a prefix
    of this studylog's), so rows dumped from that schema fit it."""
    known = [m.name for m in migrations._migrations]
    later = known[len(applied):]
    with as_copy_errors(path), closing(sqlite3.connect(path)) as conn:
        db = Database(conn, execute_plugins=False)
        migrations.apply(db, stop_before=later or None)
        conn.commit()


def staging_columns(path: Path) -> dict[str, list[str]]:
    """Each table of the staging file and its columns."""
    with as_copy_errors(path), closing(sqlite3.connect(path)) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
                for table in tables}


def load_tables(path: Path, tables: Sequence[tuple[str, list[str], Rows]]) -> list[str]:
    """Insert the rows into the staging file ``path`` in one transaction, then give
    every deck its trust anew (journal and bundled decks trusted, added decks not).
    Returns the foreign-key problems found (empty: consistent); CopyError for rows
    that break the schema's rules."""
    with as_copy_errors(path), closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")  # checked whole, below
        try:
            with conn:
                for table, columns, rows in tables:
                    marks = ", ".join("?" * len(columns))
                    conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                                     f"VALUES ({marks})", rows)
                conn.execute("UPDATE decks SET trusted = (kind != 'added')")
        except sqlite3.IntegrityError as exc:
            raise CopyError(f"a row breaks the journal's rules ({exc})") from exc
        except sqlite3.InterfaceError as exc:  # a value SQLite cannot store (a list)
            raise CopyError(f"a value of the wrong type ({exc})") from exc
        return [f"{table} row {rowid} points to a missing {parent} row"
                for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
