"""Whole-database copies through SQLite's online backup API.

Copying out reads the live database in one step, so the copy is one consistent snapshot
(WAL: writers in other processes go on meanwhile; their later commits are simply not in
it). Copying in overwrites a database in one write transaction of its own: a restore
that dies half-way leaves the old database as it was. Every copy is written beside its
target under a temporary name and renamed into place, so a half-written file never
carries the target's name.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from studylog.core.storage.database import Store
from studylog.core.storage.migrations import CRASH_ENV, MIGRATION_SET, MIGRATIONS_TABLE
from studylog.core.storage.sqlite_failures import CORRUPT, NOTADB, describe_failure

RESTORE_STEP_PAGES = 256  # pages per backup step when copying into a live database


class CopyError(Exception):
    """A copy could not be read or written; the message is one line (the services turn
    it into their own StudylogError)."""


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a database file holds, read before trusting it."""

    integrity: str  # "ok" or SQLite's first complaint
    is_studylog: bool  # it has studylog's migration record and tables
    applied: tuple[str, ...]  # studylog migrations applied, in order
    user_version: int


def _partial(dest: Path) -> Path:
    return dest.with_name(f".{dest.name}.{os.getpid()}.partial")


def remove_database_file(path: Path) -> None:
    """Delete a database file and the journal files SQLite may have left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def as_copy_errors(what: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        plain = code in (CORRUPT, NOTADB)  # said by the caller: "not a readable backup"
        raise CopyError((None if plain else describe_failure(exc, what))
                        or f"{what}: {exc}") from exc
    except OSError as exc:
        raise CopyError(f"{what}: {exc.strerror or exc}") from exc


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _finish_copy(conn: sqlite3.Connection) -> None:
    # a copy is a plain file: rollback journal, not WAL, so it opens anywhere (read-only
    # media, another machine) without -wal and -shm files beside it
    conn.execute("PRAGMA journal_mode=DELETE")


def copy_out(store: Store, dest: Path) -> int:
    """Write a consistent copy of the open ``store`` to ``dest`` (replaced whole, or not
    at all); returns its size in bytes."""
    partial = _partial(dest)
    remove_database_file(partial)
    try:
        with as_copy_errors(store.path), closing(sqlite3.connect(partial)) as target:
            # no syncs while the copy is written (it has no name yet): one fsync below
            target.execute("PRAGMA synchronous=OFF")
            # pages=-1: one step, one read transaction, so one snapshot of the source
            store.conn.backup(target, pages=-1)
            _finish_copy(target)
        with as_copy_errors(dest):
            _fsync(partial)  # on disk before it takes the name: never a torn backup
            os.replace(partial, dest)
            return dest.stat().st_size
    finally:
        remove_database_file(partial)


def copy_file(source: Path, dest: Path) -> None:
    """Copy the database file ``source`` (opened read-only: never changed) to ``dest``."""
    remove_database_file(dest)
    uri = f"file:{quote(str(source.resolve()))}?mode=ro"
    with as_copy_errors(source), closing(sqlite3.connect(uri, uri=True)) as origin, \
            closing(sqlite3.connect(dest)) as target:
        target.execute("PRAGMA synchronous=OFF")  # a scratch copy: a crash just loses it
        origin.backup(target, pages=-1)
        _finish_copy(target)


def read_facts(path: Path) -> FileFacts:
    """Integrity and schema of a database file that no one else has open (a staged
    copy). CopyError when SQLite cannot read it at all (not a database)."""
    with as_copy_errors(path), closing(sqlite3.connect(path)) as conn:
        # one row may hold several lines (a damaged page's complaints)
        problems = [line for row in conn.execute("PRAGMA integrity_check(5)")
                    for line in str(row[0]).splitlines()]
        integrity = "ok" if problems == ["ok"] else "; ".join(problems)
        tables = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied: tuple[str, ...] = ()
        if MIGRATIONS_TABLE in tables:
            applied = tuple(name for (name,) in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? "
                "ORDER BY rowid", [MIGRATION_SET]))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    return FileFacts(integrity, bool(applied) and {"entries", "cards"} <= tables,
                     applied, int(version))


def match_page_size(path: Path, page_size: int) -> None:
    """Rewrite the file ``path`` with ``page_size``-byte pages: a database in WAL mode
    only takes a backup of its own page size."""
    with as_copy_errors(path), closing(sqlite3.connect(path)) as conn:
        if conn.execute("PRAGMA page_size").fetchone()[0] != page_size:
            conn.execute("PRAGMA journal_mode=DELETE")  # WAL fixes the page size
            conn.execute(f"PRAGMA page_size = {int(page_size)}")
            conn.execute("VACUUM")


def page_size(store: Store) -> int:
    return int(store.value("PRAGMA page_size"))


def copy_in(store: Store, source: Path) -> None:
    """Overwrite the open ``store`` with the database file ``source``, in one write
    transaction of ``store``'s file: other processes wait on the lock, then see the new
    database whole; a copy that dies half-way leaves the old one."""
    def step(_status: int, remaining: int, total: int) -> None:
        if os.environ.get(CRASH_ENV) == "restore-step" and remaining < total:
            os.kill(os.getpid(), 9)  # tests: die with the copy half-written

    with as_copy_errors(source), closing(sqlite3.connect(source)) as origin:
        # steps of pages, not one: the lock on ``store`` is held from the first to the
        # last step, and a kill between them must roll back (tested)
        origin.backup(store.conn, pages=RESTORE_STEP_PAGES, progress=step)
    with as_copy_errors(store.path):
        store.conn.execute("PRAGMA journal_mode=WAL")


@dataclass(frozen=True, slots=True)
class Contents:
    """What a journal holds that is the user's own (bundled decks do not count)."""

    entries: int
    cards: int  # cards of journal and added decks
    reviews: int
    candidates: int
    drafts: int

    @property
    def empty(self) -> bool:
        return not (self.entries or self.cards or self.reviews or self.candidates
                    or self.drafts)


def contents(store: Store) -> Contents:
    """Counts of what ``store`` holds of the user's own (an older schema may lack some
    tables: they count as empty)."""
    queries = {"entries": "SELECT count(*) FROM entries",
               "cards": "SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id "
                        "WHERE d.kind != 'bundled'",
               "review_log": "SELECT count(*) FROM review_log",
               "candidates": "SELECT count(*) FROM candidates",
               "drafts": "SELECT count(*) FROM drafts"}
    with as_copy_errors(store.path):
        tables = {name for (name,) in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = [int(store.conn.execute(sql).fetchone()[0]) if table in tables else 0
                  for table, sql in queries.items()]
    return Contents(*counts)


def integrity_problems(store: Store, limit: int = 20) -> list[str]:
    """SQLite's integrity check and foreign-key check of the open database: empty when
    both pass, else what they found (at most ``limit`` lines)."""
    with as_copy_errors(store.path):
        found = [line for row in store.conn.execute(f"PRAGMA integrity_check({limit})")
                 for line in str(row[0]).splitlines()]
        problems = [] if found == ["ok"] else found[:limit]
        for table, rowid, parent, _ in store.conn.execute("PRAGMA foreign_key_check"):
            if len(problems) >= limit:
                break
            problems.append(f"{table} row {rowid} points to a missing {parent} row")
    return problems


def set_aside(path: Path, suffix: str) -> Path:
    """Rename the database file ``path`` (and its WAL companions) to ``path + suffix``."""
    aside = Path(f"{path}{suffix}")
    for companion in ("-wal", "-shm", "-journal", ""):
        if Path(f"{path}{companion}").exists():
            os.replace(f"{path}{companion}", f"{aside}{companion}")
    return aside


def damage_of(path: Path, *, thorough: bool = False) -> str | None:
    """Why the database file ``path`` is damaged (not a database, or a failed quick
    check; ``thorough``: a failed integrity check, which also compares each index with
    its table), read without writing; None when it reads fine (or cannot be read for
    another reason: busy, permissions)."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    check = "integrity_check" if thorough else "quick_check"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            found = [line for row in conn.execute(f"PRAGMA {check}(5)")
                     for line in str(row[0]).splitlines()]
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        return str(exc) if code in (CORRUPT, NOTADB) or "malformed" in str(exc) else None
    return None if found == ["ok"] else "; ".join(found)
