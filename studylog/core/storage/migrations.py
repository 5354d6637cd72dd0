"""The database schema as numbered migrations (sqlite-utils ``Migrations``).

Each migration runs once, in a transaction with the record of it; ``PRAGMA user_version``
mirrors the number of the newest one so other tools can read the schema version.
Append new migrations; never edit an applied one.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils loads only when a migration runs (see ``__getattr__``)
    from studylog.core.storage.sqlite_lib import Database, Migrations

MIGRATION_SET = "studylog"  # the set's name in sqlite-utils' _sqlite_migrations table
MIGRATIONS_TABLE = "_sqlite_migrations"
MigrationFn = Callable[["Database"], None]
_STEPS: list[tuple[str, MigrationFn]] = []  # (name, function), in order


def migration(name: str) -> Callable[[MigrationFn], MigrationFn]:
    """Register a numbered migration (run by sqlite-utils' ``Migrations``)."""
    def register(function: MigrationFn) -> MigrationFn:
        if any(step == name for step, _ in _STEPS):
            raise ValueError(f"migration {name!r} is registered twice")
        _STEPS.append((name, function))
        return function
    return register


def known_migrations() -> list[str]:
    """The names of this studylog's migrations, in order."""
    return [name for name, _ in _STEPS]


def migration_set() -> Migrations:
    """The sqlite-utils ``Migrations`` of the registered steps, built on first use (it
    imports sqlite-utils, ~40 ms): opening an up-to-date database needs only
    ``pending_migrations`` (plain sqlite3), so start-up never pays for it."""
    built = globals().get("migrations")
    if built is None:
        from studylog.core.storage.sqlite_lib import Migrations

        built = Migrations(MIGRATION_SET)
        for step, function in _STEPS:
            built(name=step)(function)
        globals()["migrations"] = built  # later reads find it without __getattr__
    return built


def __getattr__(name: str) -> Migrations:
    """``migrations`` (``from ...migrations import migrations``): ``migration_set()``."""
    if name != "migrations":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return migration_set()


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of this set's migrations applied to ``conn``'s database, in order
    (what sqlite-utils' ``Migrations.applied`` reads). Only reads."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                    [MIGRATIONS_TABLE]).fetchone() is None:
        return []
    # the rows themselves (applied_at is in no index), as sqlite-utils reads them: a
    # damaged table fails the open here, not a command later
    return [name for name, _ in conn.execute(
        f"SELECT name, applied_at FROM {MIGRATIONS_TABLE} WHERE migration_set = ? "
        "ORDER BY rowid", [MIGRATION_SET])]


def pending_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names of the migrations not applied yet, in order. Only reads."""
    applied = set(applied_migrations(conn))
    return [name for name in known_migrations() if name not in applied]

_FTS_TRIGGERS = """
CREATE TRIGGER {t}_fts_ai AFTER INSERT ON {t} BEGIN
  INSERT INTO {t}_fts(rowid, {cols}) VALUES (new.id, {new});
END;
CREATE TRIGGER {t}_fts_ad AFTER DELETE ON {t} BEGIN
  INSERT INTO {t}_fts({t}_fts, rowid, {cols}) VALUES ('delete', old.id, {old});
END;
CREATE TRIGGER {t}_fts_au AFTER UPDATE OF {cols} ON {t} BEGIN
  INSERT INTO {t}_fts({t}_fts, rowid, {cols}) VALUES ('delete', old.id, {old});
  INSERT INTO {t}_fts(rowid, {cols}) VALUES (new.id, {new});
END;
"""


def _fts(table: str, columns: list[str]) -> str:
    """An external-content FTS5 trigram index kept in step by triggers: rows are deleted
    by rowid, never by scanning an unindexed column."""
    cols = ", ".join(columns)
    return (
        f"CREATE VIRTUAL TABLE {table}_fts USING fts5({cols}, content='{table}', "
        f"content_rowid='id', tokenize='trigram');\n"
        + _FTS_TRIGGERS.format(t=table, cols=cols,
                               new=", ".join(f"new.{c}" for c in columns),
                               old=", ".join(f"old.{c}" for c in columns))
    )


@migration("0001_initial")
def m0001_initial(db: Database) -> None:
    run_script(db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sources (
          path TEXT PRIMARY KEY, content_hash TEXT NOT NULL, imported_at TEXT NOT NULL,
          days INTEGER NOT NULL
        );
        CREATE TABLE weeks (
          id INTEGER PRIMARY KEY, title TEXT NOT NULL, start_date TEXT, end_date TEXT,
          summary TEXT NOT NULL DEFAULT '', source_file TEXT,
          UNIQUE (title, start_date)
        );
        CREATE TABLE entries (
          id INTEGER PRIMARY KEY, date TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
          week TEXT, body TEXT NOT NULL, tags TEXT NOT NULL DEFAULT '[]',
          source_file TEXT, content_hash TEXT NOT NULL,
          created_at TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        CREATE INDEX entries_source ON entries (source_file);
        CREATE TABLE keywords (id INTEGER PRIMARY KEY, name TEXT NOT NULL, norm TEXT NOT NULL UNIQUE);
        CREATE TABLE entry_keywords (
          entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
          keyword_id INTEGER NOT NULL REFERENCES keywords (id),
          position INTEGER NOT NULL,
          PRIMARY KEY (entry_id, keyword_id)
        );
        CREATE INDEX entry_keywords_keyword ON entry_keywords (keyword_id);
        CREATE TABLE passages (
          id INTEGER PRIMARY KEY,
          entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
          keyword_id INTEGER NOT NULL REFERENCES keywords (id),
          position INTEGER NOT NULL, text TEXT NOT NULL
        );
        CREATE INDEX passages_keyword ON passages (keyword_id, entry_id);
        CREATE INDEX passages_entry ON passages (entry_id);
        CREATE TABLE decks (
          id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
          kind TEXT NOT NULL CHECK (kind IN ('journal', 'bundled', 'added')),
          description TEXT NOT NULL DEFAULT '', source_file TEXT, content_hash TEXT,
          trusted INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL
        );
        CREATE TABLE snippets (
          id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
          deck_id INTEGER NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
          code TEXT NOT NULL, timeout REAL, edited INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE cards (
          id INTEGER PRIMARY KEY,
          deck_id INTEGER NOT NULL REFERENCES decks (id),
          key TEXT NOT NULL,
          keyword_id INTEGER REFERENCES keywords (id),
          kind TEXT NOT NULL DEFAULT 'basic' CHECK (kind IN ('basic', 'predict')),
          front TEXT NOT NULL, back TEXT NOT NULL DEFAULT '',
          front_edited INTEGER NOT NULL DEFAULT 0, back_edited INTEGER NOT NULL DEFAULT 0,
          snippet_id INTEGER REFERENCES snippets (id) ON DELETE SET NULL,
          orphaned INTEGER NOT NULL DEFAULT 0,
          first_written TEXT, position INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
          -- scheduling, filled by the review core; 'new' until first graded
          state TEXT NOT NULL DEFAULT 'new'
            CHECK (state IN ('new', 'learning', 'review', 'relearning')),
          step INTEGER, stability REAL, difficulty REAL, due TEXT, last_review TEXT,
          reps INTEGER NOT NULL DEFAULT 0, lapses INTEGER NOT NULL DEFAULT 0,
          suspended INTEGER NOT NULL DEFAULT 0, buried_until TEXT,
          tags TEXT NOT NULL DEFAULT '',
          UNIQUE (deck_id, key)
        );
        CREATE INDEX cards_keyword ON cards (keyword_id);
        CREATE INDEX cards_queue ON cards (state, due);
        CREATE TABLE card_aliases (
          norm TEXT NOT NULL, card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
          PRIMARY KEY (norm, card_id)
        );
        CREATE TABLE card_sources (
          card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
          entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
          PRIMARY KEY (card_id, entry_id)
        );
        CREATE INDEX card_sources_entry ON card_sources (entry_id);
        -- keywords whose cards need their back and sources rebuilt; written in each
        -- file's transaction, cleared by the refresh, so a killed import is caught up
        CREATE TABLE dirty_keywords (
          deck_id INTEGER NOT NULL REFERENCES decks (id),
          keyword_id INTEGER NOT NULL REFERENCES keywords (id),
          PRIMARY KEY (deck_id, keyword_id)
        );
        CREATE TABLE review_log (
          id INTEGER PRIMARY KEY,
          card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
          rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
          reviewed_at TEXT NOT NULL, duration_ms INTEGER,
          state_before TEXT NOT NULL, stability_before REAL, difficulty_before REAL,
          due_before TEXT,
          state_after TEXT NOT NULL, stability_after REAL, difficulty_after REAL,
          due_after TEXT NOT NULL,
          card_before TEXT NOT NULL  -- the whole card row as JSON, for exact undo
        );
        CREATE INDEX review_log_card ON review_log (card_id, reviewed_at);
        CREATE INDEX review_log_time ON review_log (reviewed_at);
        """
        + _fts("entries", ["title", "body"])
        + _fts("cards", ["front", "back"])
    )


@migration("0002_review_settings")
def m0002_review_settings(db: Database) -> None:
    """Per-deck review settings (a deck without a row uses the defaults in
    ``studylog.core.review.settings``) and indexes for building the review queue."""
    run_script(db,
        """
        CREATE TABLE deck_settings (
          deck_id INTEGER PRIMARY KEY REFERENCES decks (id) ON DELETE CASCADE,
          desired_retention REAL NOT NULL
            CHECK (desired_retention > 0 AND desired_retention < 1),
          learning_steps TEXT NOT NULL,    -- JSON list of seconds
          relearning_steps TEXT NOT NULL,  -- JSON list of seconds
          maximum_interval INTEGER NOT NULL CHECK (maximum_interval >= 1),
          enable_fuzzing INTEGER NOT NULL,
          new_per_day INTEGER NOT NULL CHECK (new_per_day >= 0),
          reviews_per_day INTEGER NOT NULL CHECK (reviews_per_day >= 0),
          leech_threshold INTEGER NOT NULL CHECK (leech_threshold >= 1)
        );
        -- partial covering indexes: the queue reads them without touching card rows
        CREATE INDEX cards_review_due ON cards
          (deck_id, due, last_review, stability, buried_until)
          WHERE state = 'review' AND suspended = 0;
        CREATE INDEX cards_learning_due ON cards (deck_id, due, last_review, buried_until)
          WHERE state IN ('learning', 'relearning') AND suspended = 0;
        CREATE INDEX cards_new_order ON cards
          (deck_id, first_written IS NULL, first_written, position)
          WHERE state = 'new' AND suspended = 0;
        """)


@migration("0003_drafts")
def m0003_drafts(db: Database) -> None:
    """Unsaved edits of a day, written while you type in the app, so a crash or a
    killed terminal leaves a draft to recover. One draft per date; saving deletes it."""
    run_script(db,
        """
        CREATE TABLE drafts (
          date TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at TEXT NOT NULL
        );
        """)


def _tags_json(text: str | None) -> str:
    """Space-separated tags (the old card form) as a JSON list."""
    return json.dumps((text or "").split(), ensure_ascii=False)


@migration("0004_card_tags_json")
def m0004_card_tags_json(db: Database) -> None:
    """One stored form for tags: cards keep them as a JSON list, as entries do (they
    were space-separated text). The card rows saved in the review log for undo are
    converted too, so undoing an old grade restores tags in the new form."""
    db.conn.create_function("studylog_tags_json", 1, _tags_json, deterministic=True)
    db.execute("UPDATE cards SET tags = studylog_tags_json(tags)")
    db.execute("UPDATE review_log SET card_before = json_set(card_before, '$.tags', "
               "json(studylog_tags_json(json_extract(card_before, '$.tags')))) "
               "WHERE json_type(card_before, '$.tags') = 'text'")


@migration("0005_candidates")
def m0005_candidates(db: Database) -> None:
    """Card candidates: bold-term bullets proposed as cards until accepted or rejected
    (a rejection is remembered: the row stays), the bold labels of each day (to tell a
    section label repeated every day from a concept), and a per-deck switch."""
    run_script(db,
        """
        CREATE TABLE candidates (
          id INTEGER PRIMARY KEY,
          deck_id INTEGER NOT NULL REFERENCES decks (id) ON DELETE CASCADE,
          date TEXT NOT NULL,
          norm TEXT NOT NULL,
          front TEXT NOT NULL,
          back TEXT NOT NULL,
          source_file TEXT,
          status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'accepted', 'rejected')),
          card_id INTEGER REFERENCES cards (id) ON DELETE SET NULL,
          created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
          UNIQUE (deck_id, date, norm)
        );
        CREATE INDEX candidates_pending ON candidates (deck_id, status, date);
        CREATE TABLE entry_labels (
          entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
          norm TEXT NOT NULL,
          PRIMARY KEY (entry_id, norm)
        ) WITHOUT ROWID;
        CREATE INDEX entry_labels_norm ON entry_labels (norm);
        CREATE TABLE candidate_settings (
          deck_id INTEGER PRIMARY KEY REFERENCES decks (id) ON DELETE CASCADE,
          enabled INTEGER NOT NULL
        );
        """)


LEAN_LOG_MIGRATION = "0006_lean_review_log"
CRASH_ENV = "STUDYLOG_CRASH_AT"  # tests: SIGKILL the process at a named point


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _instant_us(text: str | None) -> int | None:
    from studylog.core.storage.review_log import instant_to_us

    return instant_to_us(text)


@migration(LEAN_LOG_MIGRATION)
def m0006_lean_review_log(db: Database) -> None:
    """The review log keeps the review and the card fields undoing a grade restores,
    not the whole card row as JSON (front and back made a row of a long card ~8 KB);
    its instants other than ``reviewed_at`` become epoch microseconds (see
    ``storage.review_log``). Every row is rewritten in this migration's transaction, so a
    killed migration leaves the old table; the space is reclaimed after it
    (``reclaim_space``). Also the undo journal: the study day's actions to undo."""
    db.conn.create_function("studylog_us", 1, _instant_us, deterministic=True)
    run_script(db,
        """
        CREATE TABLE review_log_lean (
          id INTEGER PRIMARY KEY,
          card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,
          rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
          reviewed_at TEXT NOT NULL, duration_ms INTEGER,
          state_before TEXT NOT NULL, stability_before REAL, difficulty_before REAL,
          due_before INTEGER,
          state_after TEXT NOT NULL, stability_after REAL, difficulty_after REAL,
          due_after INTEGER NOT NULL,
          -- the card fields a grade changes besides the above, for exact undo
          step_before INTEGER, last_review_before INTEGER,
          reps_before INTEGER NOT NULL, lapses_before INTEGER NOT NULL,
          suspended_before INTEGER NOT NULL, buried_until_before INTEGER,
          leech_before INTEGER NOT NULL
        );
        INSERT INTO review_log_lean
        SELECT id, card_id, rating, reviewed_at, duration_ms,
          state_before, stability_before, difficulty_before, studylog_us(due_before),
          state_after, stability_after, difficulty_after, studylog_us(due_after),
          json_extract(card_before, '$.step'),
          studylog_us(json_extract(card_before, '$.last_review')),
          coalesce(json_extract(card_before, '$.reps'), 0),
          coalesce(json_extract(card_before, '$.lapses'), 0),
          coalesce(json_extract(card_before, '$.suspended'), 0),
          studylog_us(json_extract(card_before, '$.buried_until')),
          EXISTS (SELECT 1 FROM json_each(card_before, '$.tags') WHERE value = 'leech')
        FROM review_log ORDER BY id;
        DROP TABLE review_log;
        ALTER TABLE review_log_lean RENAME TO review_log;
        -- newest grade of a card: card_id, then the rowid the index carries
        CREATE INDEX review_log_card ON review_log (card_id);
        CREATE INDEX review_log_time ON review_log (reviewed_at);
        CREATE TABLE undo_journal (
          id INTEGER PRIMARY KEY,
          action TEXT NOT NULL,
          card_id INTEGER,  -- no foreign key: a delete's entry outlives its card
          done_at TEXT NOT NULL,
          data TEXT NOT NULL DEFAULT '{}'  -- JSON: what reversing the action needs
        );
        CREATE INDEX undo_journal_done ON undo_journal (done_at);
        """)
    _crash_point("migrate-lean-log")


PROGRESS_FROM_BYTES = 50_000_000  # files this big report progress while upgrading
RECLAIM_MIN_FREE_PAGES = 64
Progress = Callable[[str], None]


def _file_bytes(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA page_count").fetchone()[0]
               * conn.execute("PRAGMA page_size").fetchone()[0])


@contextmanager
def _reporting(conn: sqlite3.Connection, say: Progress | None, doing: str,
               crash_at: str | None = None) -> Iterator[None]:
    """While the block runs, tell ``say`` about once a second that ``doing`` goes on
    (SQLite's progress handler: called between VM steps of a long statement)."""
    started = last = time.monotonic()

    def tick() -> int:
        nonlocal last
        if crash_at is not None:
            _crash_point(crash_at)
        now = time.monotonic()
        if say is not None and now - last >= 1:
            last = now
            say(f"{doing}: {now - started:.0f} s")
        return 0

    if say is not None or crash_at is not None:
        conn.set_progress_handler(tick, 10_000)
    try:
        yield
    finally:
        conn.set_progress_handler(None, 0)


def reclaim_space(conn: sqlite3.Connection, progress: Progress | None = None) -> int:
    """VACUUM the file (outside any transaction) when a quarter or more of its pages
    are free, as after the lean-log migration; returns the bytes reclaimed. Checked at
    every open, so a VACUUM that was killed, or could not get the lock, is redone the
    next time; a killed VACUUM leaves the database as it was (it commits at its end).
    ``progress`` hears about it for a big file."""
    pages, free = (conn.execute(f"PRAGMA {p}").fetchone()[0]
                   for p in ("page_count", "freelist_count"))
    if free < RECLAIM_MIN_FREE_PAGES or free * 4 < pages:
        return 0
    before = _file_bytes(conn)
    say = progress if before >= PROGRESS_FROM_BYTES else None
    started = time.monotonic()
    if say is not None:
        say(f"reclaiming {free / pages * before / 1e6:,.0f} MB of {before / 1e6:,.0f} MB "
            "(once, after the upgrade)...")
    try:
        with _reporting(conn, say, "reclaiming space", crash_at="vacuum"):
            conn.execute("VACUUM")
    except sqlite3.OperationalError as exc:  # busy: another process writes; next open
        if say is not None:
            say(f"space not reclaimed now ({exc}); the next start tries again")
        return 0
    after = _file_bytes(conn)
    if say is not None:
        say(f"reclaimed {(before - after) / 1e6:,.0f} MB in "
            f"{time.monotonic() - started:.0f} s")
    return before - after

@migration("0007_fsrs_parameters")
def m0007_fsrs_parameters(db: Database) -> None:
    """FSRS parameters fitted to a deck's own history (``studylog optimize``), as a JSON
    list; NULL means the fsrs package's defaults."""
    db.execute("ALTER TABLE deck_settings ADD COLUMN parameters TEXT")


@migration("0008_day_bases")
def m0008_day_bases(db: Database) -> None:
    """Per day, the text its file gave at the last import (the base of the three-way
    merge on re-import), and the file's version kept beside the app's text when both
    changed (a conflict). Days imported before this have their text as the base: the
    file wins for them on the next change, as it did before."""
    run_script(db,
        """
        CREATE TABLE day_bases (
          entry_id INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
          base TEXT,  -- NULL: no file version known (a day written in the app)
          theirs TEXT, theirs_title TEXT, theirs_source TEXT, conflict_at TEXT
        );
        CREATE INDEX day_bases_conflicts ON day_bases (entry_id) WHERE theirs IS NOT NULL;
        INSERT INTO day_bases (entry_id, base)
          SELECT id, body FROM entries WHERE source_file NOT LIKE 'studylog:%';
        """)


@migration("0009_review_log_time_covering")
def m0009_review_log_time_covering(db: Database) -> None:
    """The time index also carries what the statistics count (state before, rating,
    duration), so a year of reviews per study day is read from the index alone instead
    of one table-row lookup per review: ~12 more bytes a review, in place of a second
    index."""
    run_script(db,
        """
        DROP INDEX review_log_time;
        CREATE INDEX review_log_time ON review_log
          (reviewed_at, state_before, rating, duration_ms);
        """)


@migration("0010_card_code")
def m0010_card_code(db: Database) -> None:
    """A card's own snippet: code the learner wrote for it (any card, any deck), kept
    beside the card so imports, rebuilt backs and deck updates leave it; ``predict``
    makes the card ask what it prints before the answer."""
    run_script(db,
        """
        CREATE TABLE card_code (
          card_id INTEGER PRIMARY KEY REFERENCES cards (id) ON DELETE CASCADE,
          code TEXT NOT NULL,
          predict INTEGER NOT NULL DEFAULT 0,
          updated_at TEXT NOT NULL
        );
        """)


REVIEW_LOG_CARD_FK = "card_id INTEGER NOT NULL REFERENCES cards (id) ON DELETE CASCADE,"
DELETIONS_MIGRATION = "0011_deletions"


@migration(DELETIONS_MIGRATION)
def m0011_deletions(db: Database) -> None:
    """Deleting days and cards, renaming and merging keywords (issue 16).

    The review log outlives its card, as Anki keeps the review history of a deleted card:
    its foreign key on ``cards`` goes. Dropping a foreign key changes nothing on disk, so
    it is done the way SQLite documents for that (``writable_schema``, the schema cookie
    bumped): instant on a log of a million rows, where copying the table would take
    seconds and free half the file. Tombstones remember a deleted day (so re-importing
    its unchanged file does not bring it back) and a deleted card (its id is never given
    again, so its history never passes to a new card; and the days that listed its
    keyword do not make it again). ``keyword_aliases`` reads an old spelling (renamed,
    or the other card of a merge) as the keyword it became."""
    schema = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'review_log'").fetchone()[0]
    if REVIEW_LOG_CARD_FK not in schema:
        raise ValueError("review_log is not the table this migration expects")
    cookie = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' "
                   "AND name = 'review_log'",
                   [schema.replace(REVIEW_LOG_CARD_FK, "card_id INTEGER NOT NULL,")])
        db.execute(f"PRAGMA schema_version = {cookie + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")
    run_script(db,
        """
        CREATE TABLE deleted_days (
          date TEXT PRIMARY KEY,
          source_file TEXT,
          text_hash TEXT NOT NULL,  -- the day's text (body) when deleted
          deleted_at TEXT NOT NULL
        );
        CREATE TABLE deleted_cards (
          id INTEGER PRIMARY KEY,  -- the deleted card's id, never given again
          deck_id INTEGER NOT NULL,
          key TEXT NOT NULL,
          front TEXT NOT NULL,
          source_dates TEXT NOT NULL DEFAULT '[]',  -- JSON: its days when deleted
          deleted_at TEXT NOT NULL
        );
        CREATE INDEX deleted_cards_key ON deleted_cards (deck_id, key);
        CREATE TABLE keyword_aliases (
          norm TEXT PRIMARY KEY,
          keyword_id INTEGER NOT NULL REFERENCES keywords (id)
        );
        CREATE INDEX keyword_aliases_keyword ON keyword_aliases (keyword_id);
        """)
@migration("0012_deck_enabled")
def m0012_deck_enabled(db: Database) -> None:
    """A deck can be turned off: kept, but not reviewed and not counted. Decks that
    exist now stay on; bundled decks that a personal journal gains later start off."""
    db.execute("ALTER TABLE deck_settings ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1")


@migration("0013_queue_covering")
def m0013_queue_covering(db: Database) -> None:
    """The learning and review queue indexes also carry what a queue entry shows (state,
    kind, front) and the ``suspended`` term, so building the queue reads no card row:
    at 100,000 cards, ~1,000 learning and ~750 review cards were each a table lookup
    (issue 11: queue <= 5 ms). ~40 bytes more per scheduled card."""
    run_script(db,
        """
        DROP INDEX cards_review_due;
        CREATE INDEX cards_review_due ON cards
          (deck_id, due, last_review, stability, buried_until, state, suspended, kind, front)
          WHERE state = 'review' AND suspended = 0;
        DROP INDEX cards_learning_due;
        CREATE INDEX cards_learning_due ON cards
          (deck_id, due, last_review, buried_until, state, suspended, kind, front)
          WHERE state IN ('learning', 'relearning') AND suspended = 0;
        """)

@migration("0014_entries_fts_pausable")
def m0014_entries_fts_pausable(db: Database) -> None:
    """The entries index triggers stand still while ``meta`` holds the key
    ``entries_fts_stale``: a bulk import sets it, writes its days, then rebuilds the index
    once and clears it (issue 11: ten years of days paid ~2.5 s for per-file index
    merges, a rebuild takes ~0.4 s). Search reads the base table while it is set."""
    stale = "WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'entries_fts_stale')"
    run_script(db,
        f"""
        DROP TRIGGER entries_fts_ai;
        DROP TRIGGER entries_fts_ad;
        DROP TRIGGER entries_fts_au;
        CREATE TRIGGER entries_fts_ai AFTER INSERT ON entries {stale} BEGIN
          INSERT INTO entries_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        CREATE TRIGGER entries_fts_ad AFTER DELETE ON entries {stale} BEGIN
          INSERT INTO entries_fts(entries_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
        END;
        CREATE TRIGGER entries_fts_au AFTER UPDATE OF title, body ON entries {stale} BEGIN
          INSERT INTO entries_fts(entries_fts, rowid, title, body)
            VALUES ('delete', old.id, old.title, old.body);
          INSERT INTO entries_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
        END;
        """)


@migration("0015_review_due_julianday")
def m0015_review_due_julianday(db: Database) -> None:
    """The review queue index also holds ``julianday(last_review)``: the queue orders a
    deck's due reviews by days elapsed over stability, and SQLite reads that expression
    from the index instead of parsing each card's date (issue 11: queue <= 5 ms; at
    100,000 cards ~7,000 due reviews were parsed on every build). 8 bytes more per review
    card."""
    run_script(db,
        """
        DROP INDEX cards_review_due;
        CREATE INDEX cards_review_due ON cards
          (deck_id, due, last_review, julianday(last_review), stability, buried_until, state,
           suspended, kind, front)
          WHERE state = 'review' AND suspended = 0;
        """)


@migration("0016_learning_study_order")
def m0016_learning_study_order(db: Database) -> None:
    """(Re)learning cards are also indexed in the queue's order for them, due then id,
    across decks, carrying what an entry shows: the queue reads its due learning cards in
    that order instead of sorting them, every column with them, on every build (issue
    11: queue <= 5 ms; ~800 cards at 100,000). ``cards_learning_due`` (by deck first)
    stays for the per-deck counts. ~1% of cards are learning: a small index."""
    run_script(db,
        """
        CREATE INDEX cards_learning_order ON cards
          (due, id, deck_id, last_review, buried_until, state, suspended, kind, front)
          WHERE state IN ('learning', 'relearning') AND suspended = 0;
        """)


def run_script(db: Database, script: str) -> None:
    """Execute statements one by one: ``executescript`` would COMMIT the migration's
    transaction first."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement[:60]!r}")


def apply_migrations(db: Database, progress: Callable[[str], None] | None = None) -> int:
    """Bring ``db`` to the newest schema, then reclaim the space a migration freed (the
    lean-log one frees most of an old file; ``progress`` hears about it). Returns the
    schema version."""
    migrations = migration_set()
    pending = migrations.pending(db)
    size = _file_bytes(db.conn)
    say = progress if pending and size >= PROGRESS_FROM_BYTES else None
    if say is not None:
        say(f"upgrading the database ({size / 1e6:,.0f} MB, {len(pending)} step(s))...")
    with _reporting(db.conn, say, "upgrading the database"):
        migrations.apply(db)
    return settle_schema(db.conn, progress)


def settle_schema(conn: sqlite3.Connection, progress: Callable[[str], None] | None = None
                  ) -> int:
    """What every open does after the migrations (none pending, or all applied): reclaim
    the space they freed (a VACUUM killed last time is redone) and keep ``PRAGMA
    user_version`` equal to the number applied. Plain sqlite3: no sqlite-utils needed.
    Returns the schema version."""
    reclaim_space(conn, progress)
    version = len(applied_migrations(conn))
    if conn.execute("PRAGMA user_version").fetchone()[0] != version:
        conn.execute(f"PRAGMA user_version = {version}")
    return version
