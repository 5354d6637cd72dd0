"""The open database: one connection, the repositories over it, and transactions.

One ``Store`` per process (and per thread that writes): WAL so readers never block the
writer, foreign keys on, a busy timeout so a second process (the TUI open while the CLI
imports) waits instead of failing, and ``write()`` transactions that take the write lock
up front. The SQL lives in the repositories (``store.entries``, ``store.cards``...);
the rules, and the transactions, in the core services that call them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from studylog.core.storage.candidates import CandidatesRepository
from studylog.core.storage.cards import CardsRepository
from studylog.core.storage.decks import DecksRepository
from studylog.core.storage.drafts import DraftsRepository
from studylog.core.storage.entries import EntriesRepository
from studylog.core.storage.keywords import KeywordsRepository
from studylog.core.storage.migrations import apply_migrations
from studylog.core.storage.queue import QueueRepository
from studylog.core.storage.review_log import ReviewLogRepository
from studylog.core.storage.search import SearchRepository
from studylog.core.storage.settings import SettingsRepository
from studylog.core.storage.snippets import SnippetsRepository
from studylog.core.storage.sqlite_lib import Database
from studylog.core.storage.stats import StatsRepository
from studylog.errors import StudylogError

BUSY_TIMEOUT_S = 30.0


class StoreError(StudylogError, RuntimeError):
    """The database cannot be opened or used; the message is one line."""


class Store:
    """A studylog database file (created and migrated on open) and its repositories."""

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_S):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=busy_timeout,
                                        check_same_thread=False)
            self.db = Database(self.conn, execute_plugins=False)
            for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL",
                           f"busy_timeout={int(busy_timeout * 1000)}"):
                self.conn.execute(f"PRAGMA {pragma}")
            apply_migrations(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc.strerror}") from exc
        self.entries = EntriesRepository(self.conn)
        self.keywords = KeywordsRepository(self.conn)
        self.drafts = DraftsRepository(self.conn)
        self.cards = CardsRepository(self.conn)
        self.decks = DecksRepository(self.conn)
        self.snippets = SnippetsRepository(self.conn)
        self.review_log = ReviewLogRepository(self.conn)
        self.queue = QueueRepository(self.conn)
        self.search = SearchRepository(self.conn)
        self.settings = SettingsRepository(self.conn)
        self.candidates = CandidatesRepository(self.conn)
        self.stats = StatsRepository(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A write transaction, the only place repositories may write. ``BEGIN
        IMMEDIATE`` takes the lock first, so a concurrent writer waits on the busy
        timeout instead of failing halfway; nested calls are savepoints. A COMMIT that
        fails (a deferred constraint, a full disk) rolls back, as sqlite-utils'
        ``atomic()`` does, so the connection never stays inside a dead transaction."""
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # -- raw reads, for tests, benchmarks and checks (the app goes through services) --
    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
              ) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def value(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def integrity_check(self) -> str:
        """SQLite's own check of the file: ``ok``, or what is damaged."""
        return str(self.value("PRAGMA integrity_check"))
