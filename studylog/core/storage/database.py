"""The open database: one connection, the repositories over it, and transactions.

One ``Store`` per process (and per thread that writes): WAL so readers never block the
writer, foreign keys on, a busy timeout so a second process (the TUI open while the CLI
imports) waits instead of failing, and ``write()`` transactions that take the write lock
up front. The SQL lives in the repositories (``store.entries``, ``store.cards``...);
the rules, and the transactions, in the core services that call them.
"""

from __future__ import annotations

import importlib
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from studylog.core.storage.migrations import known_migrations, pending_migrations, settle_schema
from studylog.core.storage.open_checks import newer_schema, not_a_file
from studylog.core.storage.sqlite_failures import (
    StoreError,
    describe_failure,
    failures_as_store_errors,
)

if TYPE_CHECKING:
    from studylog.core.storage.anki_history import AnkiHistoryRepository
    from studylog.core.storage.anki_notes import AnkiNotesRepository
    from studylog.core.storage.candidates import CandidatesRepository
    from studylog.core.storage.card_code import CardCodeRepository
    from studylog.core.storage.cards import CardsRepository
    from studylog.core.storage.day_bases import DayBasesRepository
    from studylog.core.storage.decks import DecksRepository
    from studylog.core.storage.deletions import DeletionsRepository
    from studylog.core.storage.drafts import DraftsRepository
    from studylog.core.storage.entries import EntriesRepository
    from studylog.core.storage.keywords import KeywordsRepository
    from studylog.core.storage.queue import QueueRepository
    from studylog.core.storage.repository import Repository
    from studylog.core.storage.review_log import ReviewLogRepository
    from studylog.core.storage.row_images import RowImagesRepository
    from studylog.core.storage.search import SearchRepository
    from studylog.core.storage.settings import SettingsRepository
    from studylog.core.storage.snippets import SnippetsRepository
    from studylog.core.storage.sqlite_lib import Database
    from studylog.core.storage.stats import StatsRepository
    from studylog.core.storage.undo_journal import UndoJournalRepository

BUSY_TIMEOUT_S = 30.0


__all__ = ["BUSY_TIMEOUT_S", "Store", "StoreError"]


R = TypeVar("R", bound="Repository")


class _Repository(Generic[R]):
    """A store's repository, made on first use: its module and row types load only when
    something needs them (the app's start-up needs few of them)."""

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = f"studylog.core.storage.{module}", name

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    @overload
    def __get__(self, store: None, owner: type) -> _Repository[R]: ...
    @overload
    def __get__(self, store: Store, owner: type) -> R: ...
    def __get__(self, store: Store | None, owner: type) -> R | _Repository[R]:
        if store is None:
            return self
        made: R = getattr(importlib.import_module(self.module), self.name)(store.conn)
        store.__dict__[self.attr] = made  # later reads find it without this descriptor
        return made


class Store:
    """A studylog database file (created and migrated on open) and its repositories."""

    entries: _Repository[EntriesRepository] = _Repository("entries", "EntriesRepository")
    keywords: _Repository[KeywordsRepository] = _Repository("keywords", "KeywordsRepository")
    drafts: _Repository[DraftsRepository] = _Repository("drafts", "DraftsRepository")
    day_bases: _Repository[DayBasesRepository] = _Repository("day_bases",
                                                             "DayBasesRepository")
    cards: _Repository[CardsRepository] = _Repository("cards", "CardsRepository")
    card_code: _Repository[CardCodeRepository] = _Repository("card_code", "CardCodeRepository")
    decks: _Repository[DecksRepository] = _Repository("decks", "DecksRepository")
    snippets: _Repository[SnippetsRepository] = _Repository("snippets", "SnippetsRepository")
    review_log: _Repository[ReviewLogRepository] = _Repository("review_log",
                                                               "ReviewLogRepository")
    queue: _Repository[QueueRepository] = _Repository("queue", "QueueRepository")
    search: _Repository[SearchRepository] = _Repository("search", "SearchRepository")
    settings: _Repository[SettingsRepository] = _Repository("settings", "SettingsRepository")
    candidates: _Repository[CandidatesRepository] = _Repository("candidates",
                                                                "CandidatesRepository")
    stats: _Repository[StatsRepository] = _Repository("stats", "StatsRepository")
    anki_notes: _Repository[AnkiNotesRepository] = _Repository("anki_notes",
                                                               "AnkiNotesRepository")
    anki_history: _Repository[AnkiHistoryRepository] = _Repository("anki_history",
                                                                   "AnkiHistoryRepository")
    undo_journal: _Repository[UndoJournalRepository] = _Repository("undo_journal",
                                                                   "UndoJournalRepository")
    deletions: _Repository[DeletionsRepository] = _Repository("deletions",
                                                               "DeletionsRepository")
    row_images: _Repository[RowImagesRepository] = _Repository("row_images",
                                                               "RowImagesRepository")

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_S,
                 progress: Callable[[str], None] | None = None,
                 before_migrating: Callable[[Store, list[str]], None] | None = None):
        """Open (create, migrate) ``path``; ``progress`` hears about slow upgrades;
        ``before_migrating`` is called with the names of the pending migrations before
        they change an existing database (the safety copy), not for a new file."""
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._commits = 0  # write() transactions committed through this connection
        if (problem := not_a_file(self.path)) is not None:
            raise StoreError(problem)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=busy_timeout,
                                        check_same_thread=False)
            self._db: Database | None = None  # sqlite-utils' wrapper, made on first use
            # before anything writes (even the journal mode): a newer studylog's file
            # is refused unchanged
            if (problem := newer_schema(self.conn, self.path)) is not None:
                self.conn.close()
                raise StoreError(problem)
            # recursive_triggers as sqlite-utils' Database sets it (it was made here
            # before): REPLACE fires delete triggers, triggers fire triggers
            for pragma in ("recursive_triggers=ON", "journal_mode=WAL", "foreign_keys=ON",
                           "synchronous=NORMAL", f"busy_timeout={int(busy_timeout * 1000)}"):
                self.conn.execute(f"PRAGMA {pragma}")
            # plain sqlite3 when the schema is current (every open but an upgrade):
            # sqlite-utils loads only to apply migrations
            pending = pending_migrations(self.conn)
            if pending and before_migrating is not None and \
                    len(pending) < len(known_migrations()):
                try:
                    before_migrating(self, pending)
                except BaseException:  # no copy, no migration: the file stays as it was
                    self.conn.close()
                    raise
            if pending:
                from studylog.core.storage.migrations import apply_migrations

                apply_migrations(self.db, progress)
            else:
                settle_schema(self.conn, progress)
        except sqlite3.DatabaseError as exc:
            raise StoreError(describe_failure(exc, self.path, busy_timeout)
                             or f"cannot open database {self.path}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc.strerror}") from exc

    @property
    def db(self) -> Database:
        """sqlite-utils' ``Database`` over this connection, made on first use (importing
        sqlite-utils costs ~40 ms that opening the app does without)."""
        if self._db is None:
            from studylog.core.storage.sqlite_lib import Database

            # recursive_triggers=False: the store set it already
            self._db = Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._db

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
        ``atomic()`` does, so the connection never stays inside a dead transaction. A
        lock held past the busy timeout, a read-only file, a full disk or a damaged page
        is a one-line StoreError, after the rollback."""
        conn = self.conn
        with failures_as_store_errors(self.path, self.busy_timeout):
            if conn.in_transaction:
                with self.db.atomic():
                    yield self
                return
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
                conn.execute("COMMIT")
                self._commits += 1
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def data_version(self) -> tuple[int, int]:
        """A value that moves whenever anything commits to the file: this connection's
        ``write()`` transactions (counted) or any other connection, in this process or
        another (SQLite's ``data_version``). Screens compare it to skip reloading."""
        return int(self.value("PRAGMA data_version")), self._commits

    # -- raw reads, for tests, benchmarks and checks (the app goes through services) --
    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()
              ) -> list[dict[str, Any]]:
        with failures_as_store_errors(self.path, self.busy_timeout):
            return list(self.db.query(sql, params))

    def value(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        with failures_as_store_errors(self.path, self.busy_timeout):
            row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def integrity_check(self) -> str:
        """SQLite's own check of the file: ``ok``, or what is damaged."""
        return str(self.value("PRAGMA integrity_check"))
