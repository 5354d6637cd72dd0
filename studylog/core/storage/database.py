"""The only module that talks to SQLite (through sqlite-utils).

One ``Store`` per process: WAL so readers never block the writer, foreign keys on, a
busy timeout so a second process (the TUI open while the CLI imports) waits instead of
failing, and ``write()`` transactions that take the write lock up front.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from studylog.core.review.study_day import to_iso, utc
from studylog.core.storage.migrations import apply_migrations
from studylog.core.storage.sqlite_lib import Database
from studylog.errors import StudylogError

BUSY_TIMEOUT_S = 30.0


class StoreError(StudylogError, RuntimeError):
    """The database cannot be opened or used; the message is one line."""


def utc_now() -> str:
    """Now, in the one stored form of an instant (see study_day.to_iso)."""
    return to_iso(utc())


class Store:
    """A studylog database file (created and migrated on open)."""

    def __init__(self, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT_S):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=busy_timeout,
                                   check_same_thread=False)
            self.db = Database(conn, execute_plugins=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            self.schema_version = apply_migrations(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc}") from exc
        except OSError as exc:
            raise StoreError(f"cannot open database {self.path}: {exc.strerror}") from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[Store]:
        """A write transaction. ``BEGIN IMMEDIATE`` takes the lock first, so a concurrent
        writer waits on the busy timeout instead of failing halfway; nested calls are
        savepoints."""
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def query(self, sql: str, params: Iterable[Any] | dict = ()) -> list[dict]:
        return list(self.db.query(sql, params))

    def value(self, sql: str, params: Iterable[Any] | dict = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return row[0] if row else None

    def integrity_check(self) -> str:
        return self.value("PRAGMA integrity_check")

    # -- meta ------------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        value = self.value("SELECT value FROM meta WHERE key = ?", [key])
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    # -- sources and entries ---------------------------------------------------
    def source_hash(self, path: str) -> str | None:
        return self.value("SELECT content_hash FROM sources WHERE path = ?", [path])

    def record_source(self, path: str, content_hash: str, days: int) -> None:
        self.db["sources"].upsert(
            {"path": path, "content_hash": content_hash, "imported_at": utc_now(),
             "days": days}, pk="path")

    def save_week(self, title: str, start: str | None, end: str | None, summary: str,
                  source: str) -> None:
        self.db.execute(
            "INSERT INTO weeks (title, start_date, end_date, summary, source_file) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (title, start_date) DO UPDATE SET "
            "end_date = excluded.end_date, summary = excluded.summary, "
            "source_file = excluded.source_file", [title, start, end, summary, source])

    def entries_of_source(self, path: str) -> dict[str, int]:
        """date -> entry id for the days a source file gave."""
        return {r["date"]: r["id"] for r in
                self.query("SELECT id, date FROM entries WHERE source_file = ?", [path])}

    def save_entry(self, fields: dict) -> tuple[int, str]:
        """Insert or update the entry of ``fields['date']``; returns
        (id, 'new'|'updated'|'same')."""
        old = self.db.execute("SELECT id, content_hash, source_file FROM entries WHERE date = ?",
                              [fields["date"]]).fetchone()
        now = utc_now()
        if old is not None and (old[1], old[2]) == (fields["content_hash"],
                                                    fields["source_file"]):
            return old[0], "same"
        columns = list(fields)
        if old is None:
            cols = ", ".join([*columns, "created_at", "updated_at"])
            marks = ", ".join("?" * (len(columns) + 2))
            cursor = self.db.execute(f"INSERT INTO entries ({cols}) VALUES ({marks})",
                                     [*fields.values(), now, now])
            return cursor.lastrowid, "new"
        sets = ", ".join(f"{c} = ?" for c in [*columns, "updated_at"])
        self.db.execute(f"UPDATE entries SET {sets} WHERE id = ?", [*fields.values(), now, old[0]])
        return old[0], "updated"

    def delete_entry(self, entry_id: int) -> None:
        self.db.execute("DELETE FROM entries WHERE id = ?", [entry_id])

    def keyword_ids_of_entry(self, entry_id: int) -> list[int]:
        return [r["keyword_id"] for r in self.query(
            "SELECT keyword_id FROM entry_keywords WHERE entry_id = ? ORDER BY position",
            [entry_id])]

    def keyword_id(self, name: str, norm: str) -> int:
        existing = self.value("SELECT id FROM keywords WHERE norm = ?", [norm])
        if existing is not None:
            return existing
        return self.db["keywords"].insert({"name": name, "norm": norm}).last_pk

    def set_entry_keywords(self, entry_id: int, keyword_ids: list[int],
                           passages: dict[int, list[str]]) -> None:
        conn = self.db.conn
        conn.execute("DELETE FROM entry_keywords WHERE entry_id = ?", [entry_id])
        conn.execute("DELETE FROM passages WHERE entry_id = ?", [entry_id])
        conn.executemany("INSERT INTO entry_keywords (entry_id, keyword_id, position) "
                         "VALUES (?, ?, ?)",
                         [(entry_id, k, i) for i, k in enumerate(keyword_ids)])
        conn.executemany("INSERT INTO passages (entry_id, keyword_id, position, text) "
                         "VALUES (?, ?, ?, ?)",
                         [(entry_id, k, i, text) for k, texts in passages.items()
                          for i, text in enumerate(texts)])

    def mark_keywords_dirty(self, deck_id: int, keyword_ids: set[int]) -> None:
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO dirty_keywords (deck_id, keyword_id) VALUES (?, ?)",
            [(deck_id, k) for k in keyword_ids])

    def dirty_keywords(self) -> dict[int, set[int]]:
        """deck id -> keyword ids whose cards wait for a refresh."""
        found: dict[int, set[int]] = {}
        for deck_id, keyword_id in self.db.execute(
                "SELECT deck_id, keyword_id FROM dirty_keywords"):
            found.setdefault(deck_id, set()).add(keyword_id)
        return found

    def clear_dirty_keywords(self, deck_id: int) -> None:
        self.db.execute("DELETE FROM dirty_keywords WHERE deck_id = ?", [deck_id])

    def _entries(self, where: str = "", params: Iterable[Any] = ()) -> list[dict]:
        """Entries with their keyword names in keyword-line order, by date."""
        rows = self.query(
            "SELECT e.id, e.date, e.title, e.week, e.body, e.tags, e.source_file, "
            "(SELECT json_group_array(name) FROM (SELECT k.name FROM entry_keywords ek "
            " JOIN keywords k ON k.id = ek.keyword_id WHERE ek.entry_id = e.id "
            f" ORDER BY ek.position)) AS keywords FROM entries e {where} ORDER BY e.date",
            params)
        for row in rows:
            row["keywords"] = json.loads(row["keywords"])
            row["tags"] = json.loads(row["tags"])
        return rows

    def list_entries(self) -> list[dict]:
        return self._entries()

    def last_entry_before(self, day: str) -> dict | None:
        """{date, title} of the newest entry before ``day``."""
        rows = self.query("SELECT date, title FROM entries WHERE date < ? "
                          "ORDER BY date DESC LIMIT 1", [day])
        return rows[0] if rows else None

    def days_in_a_row(self, last: str) -> int:
        """How many consecutive days up to ``last`` have an entry: going back from
        ``last``, the n-th entry (from 0) is n days back while the run lasts."""
        return self.value(
            "SELECT count(*) FROM (SELECT julianday(:last) - julianday(date) AS back, "
            "row_number() OVER (ORDER BY date DESC) - 1 AS n FROM entries "
            "WHERE date <= :last) WHERE back = n", {"last": last})

    def keywords_up_to(self, day: str, limit: int) -> list[str]:
        """Keyword names of the entries up to ``day``, newest day first, in keyword-line
        order (a name repeats for each day that lists it)."""
        return [r["name"] for r in self.query(
            "SELECT k.name FROM entries e JOIN entry_keywords ek ON ek.entry_id = e.id "
            "JOIN keywords k ON k.id = ek.keyword_id WHERE e.date <= ? "
            "ORDER BY e.date DESC, ek.position LIMIT ?", [day, limit])]

    def week_title_of(self, day: str) -> str | None:
        """The title of the journal week whose range holds ``day``."""
        return self.value("SELECT title FROM weeks WHERE start_date <= ? AND end_date >= ? "
                          "ORDER BY start_date DESC LIMIT 1", [day, day])

    def entry(self, day: str) -> dict | None:
        """The entry of a date (``YYYY-MM-DD``) with its keyword names, or None."""
        rows = self._entries("WHERE e.date = ?", [day])
        return rows[0] if rows else None

    # -- drafts: unsaved edits written while typing ----------------------------------
    def save_draft(self, day: str, body: str) -> None:
        with self.write():
            self.db.execute("INSERT INTO drafts (date, body, updated_at) VALUES (?, ?, ?) "
                            "ON CONFLICT (date) DO UPDATE SET body = excluded.body, "
                            "updated_at = excluded.updated_at", [day, body, utc_now()])

    def draft(self, day: str) -> dict | None:
        rows = self.query("SELECT date, body, updated_at FROM drafts WHERE date = ?", [day])
        return rows[0] if rows else None

    def delete_draft(self, day: str) -> None:
        with self.write():
            self.db.execute("DELETE FROM drafts WHERE date = ?", [day])

    def draft_dates(self) -> list[str]:
        return [r["date"] for r in self.query("SELECT date FROM drafts ORDER BY date")]

    def list_weeks(self) -> list[dict]:
        return self.query("SELECT title, start_date, end_date, summary, source_file "
                          "FROM weeks ORDER BY start_date")

    # -- keyword cards -----------------------------------------------------------
    def keyword_days(self, keyword_id: int) -> list[dict]:
        """Entries whose keyword line lists the keyword, newest first."""
        return self.query(
            "SELECT e.id, e.date, e.title FROM entry_keywords ek JOIN entries e "
            "ON e.id = ek.entry_id WHERE ek.keyword_id = ? ORDER BY e.date DESC", [keyword_id])

    def recent_passages(self, keyword_id: int, entry_ids: list[int]) -> list[dict]:
        marks = ",".join("?" * len(entry_ids))
        return self.query(
            f"SELECT p.entry_id, p.text FROM passages p WHERE p.keyword_id = ? "
            f"AND p.entry_id IN ({marks}) ORDER BY p.entry_id, p.position",
            [keyword_id, *entry_ids])

    def keyword(self, keyword_id: int) -> dict:
        return self.query("SELECT * FROM keywords WHERE id = ?", [keyword_id])[0]

    def deck_id(self, name: str, kind: str, **fields: Any) -> int:
        existing = self.value("SELECT id FROM decks WHERE name = ?", [name])
        if existing is not None:
            return existing
        row = {"name": name, "kind": kind, "created_at": utc_now(), **fields}
        return self.db["decks"].insert(row).last_pk

    def card_by_key(self, deck_id: int, key: str) -> dict | None:
        rows = self.query("SELECT * FROM cards WHERE deck_id = ? AND key = ?", [deck_id, key])
        return rows[0] if rows else None

    def card(self, card_id: int) -> dict | None:
        rows = self.query("SELECT * FROM cards WHERE id = ?", [card_id])
        return rows[0] if rows else None

    def insert_card(self, fields: dict) -> int:
        now = utc_now()
        return self.db["cards"].insert({**fields, "created_at": now, "updated_at": now}).last_pk

    def update_card(self, card_id: int, fields: dict) -> None:
        sets = ", ".join(f"{c} = ?" for c in [*fields, "updated_at"])
        self.db.execute(f"UPDATE cards SET {sets} WHERE id = ?",
                        [*fields.values(), utc_now(), card_id])

    def set_card_sources(self, card_id: int, entry_ids: list[int]) -> None:
        current = {r[0] for r in self.db.execute(
            "SELECT entry_id FROM card_sources WHERE card_id = ?", [card_id])}
        wanted = set(entry_ids)
        conn = self.db.conn
        conn.executemany("DELETE FROM card_sources WHERE card_id = ? AND entry_id = ?",
                         [(card_id, e) for e in current - wanted])
        conn.executemany("INSERT INTO card_sources (card_id, entry_id) VALUES (?, ?)",
                         [(card_id, e) for e in wanted - current])

    def snippet_for_alias(self, norm: str) -> int | None:
        """The snippet of a deck card that lists ``norm`` among its aliases."""
        return self.value(
            "SELECT c.snippet_id FROM card_aliases a JOIN cards c ON c.id = a.card_id "
            "WHERE a.norm = ? AND c.snippet_id IS NOT NULL ORDER BY c.id LIMIT 1", [norm])

    def list_cards(self, deck: str | None = None) -> list[dict]:
        where, params = ("WHERE d.name = ?", [deck]) if deck else ("", [])
        rows = self.query(
            "SELECT c.id, c.front, c.back, d.name AS deck, c.kind, c.state, c.due, "
            "c.stability, c.difficulty, c.lapses, c.reps, c.suspended, c.orphaned, "
            "c.back_edited, c.tags, s.name AS snippet, "
            "(SELECT json_group_array(date) FROM (SELECT e.date FROM card_sources cs "
            " JOIN entries e ON e.id = cs.entry_id WHERE cs.card_id = c.id "
            " ORDER BY e.date DESC)) AS source_dates "
            f"FROM cards c JOIN decks d ON d.id = c.deck_id "
            f"LEFT JOIN snippets s ON s.id = c.snippet_id {where} "
            "ORDER BY d.kind != 'journal', d.name, c.first_written, c.position, c.id", params)
        for row in rows:
            row["source_dates"] = json.loads(row["source_dates"])
        return rows

    def card_sources(self, card_id: int) -> list[dict]:
        """The days a card was written from, newest first."""
        return self.query("SELECT e.date, e.title FROM card_sources cs JOIN entries e "
                          "ON e.id = cs.entry_id WHERE cs.card_id = ? ORDER BY e.date DESC",
                          [card_id])

    def deck_of_card(self, card_id: int) -> dict | None:
        rows = self.query("SELECT d.* FROM decks d JOIN cards c ON c.deck_id = d.id "
                          "WHERE c.id = ?", [card_id])
        return rows[0] if rows else None

    def update_snippet_code(self, snippet_id: int, code: str) -> None:
        with self.write():
            self.db["snippets"].update(snippet_id, {"code": code, "edited": 1})

    # -- decks and snippets ----------------------------------------------------------
    def deck_row(self, name: str) -> dict | None:
        rows = self.query("SELECT * FROM decks WHERE name = ?", [name])
        return rows[0] if rows else None

    def deck_hash_of_source(self, source_file: str) -> str | None:
        return self.value("SELECT content_hash FROM decks WHERE source_file = ?", [source_file])

    def save_deck_row(self, name: str, *, kind: str, description: str, source_file: str,
                      content_hash: str, trusted: bool) -> int:
        row = {"kind": kind, "description": description, "source_file": source_file,
               "content_hash": content_hash, "trusted": int(trusted)}
        existing = self.deck_row(name)
        if existing is None:
            return self.db["decks"].insert({"name": name, "created_at": utc_now(), **row}).last_pk
        self.db["decks"].update(existing["id"], row)
        return existing["id"]

    def set_deck_trusted(self, deck_id: int, trusted: bool) -> None:
        self.db["decks"].update(deck_id, {"trusted": int(trusted)})

    def snippet_owner(self, name: str) -> str | None:
        return self.value("SELECT d.name FROM snippets s JOIN decks d ON d.id = s.deck_id "
                          "WHERE s.name = ?", [name])

    def save_snippet(self, name: str, deck_id: int, code: str, timeout: float | None) -> int:
        existing = self.query("SELECT id, deck_id, edited FROM snippets WHERE name = ?", [name])
        if existing:
            if existing[0]["deck_id"] != deck_id:
                raise ValueError(f"snippet name '{name}' is already used by deck "
                                 f"'{self.snippet_owner(name)}'")
            # code you edited in the app is kept, as a hand-edited back is
            fields = {"timeout": timeout} if existing[0]["edited"] else \
                {"code": code, "timeout": timeout}
            self.db["snippets"].update(existing[0]["id"], fields)
            return existing[0]["id"]
        return self.db["snippets"].insert({"name": name, "deck_id": deck_id, "code": code,
                                           "timeout": timeout}).last_pk

    def save_deck_card(self, deck_id: int, key: str, fields: dict, aliases: set[str]) -> str:
        """Insert or update a deck card by key; returns 'new', 'updated' or 'same'.
        Scheduling columns are never touched, and a hand-edited back is kept."""
        card = self.card_by_key(deck_id, key)
        if card is None:
            card_id, status = self.insert_card({"deck_id": deck_id, "key": key, **fields}), "new"
        else:
            card_id = card["id"]
            if card["back_edited"]:
                fields = {k: v for k, v in fields.items() if k != "back"}
            if card["front_edited"]:
                fields = {k: v for k, v in fields.items() if k != "front"}
            if "leech" in card["tags"].split() and "leech" not in fields.get("tags", "").split():
                fields["tags"] = " ".join([*fields.get("tags", "").split(), "leech"])
            changed = {k: v for k, v in fields.items() if card[k] != v}
            status = "updated" if changed else "same"
            if changed:
                self.update_card(card_id, changed)
        self.db.execute("DELETE FROM card_aliases WHERE card_id = ?", [card_id])
        self.db["card_aliases"].insert_all({"norm": n, "card_id": card_id} for n in aliases)
        return status

    def orphan_deck_cards(self, deck_id: int, keep_keys: list[str]) -> int:
        marks = ",".join("?" * len(keep_keys))
        cursor = self.db.execute(
            f"UPDATE cards SET orphaned = 1, updated_at = ? WHERE deck_id = ? AND orphaned = 0 "
            f"AND key NOT IN ({marks})", [utc_now(), deck_id, *keep_keys])
        return cursor.rowcount

    def link_keyword_snippets(self) -> None:
        """Journal keyword cards without a snippet get the snippet of a deck card that
        lists their keyword among its aliases."""
        self.db.execute(
            "UPDATE cards SET snippet_id = (SELECT c2.snippet_id FROM card_aliases a "
            " JOIN cards c2 ON c2.id = a.card_id WHERE a.norm = cards.key "
            " AND c2.snippet_id IS NOT NULL ORDER BY c2.id LIMIT 1) "
            "WHERE snippet_id IS NULL AND keyword_id IS NOT NULL")

    def list_snippets(self) -> list[dict]:
        return self.query(
            "SELECT s.id, s.name, s.code, s.timeout, d.name AS deck, d.trusted, d.kind, "
            "(SELECT c.id FROM cards c WHERE c.snippet_id = s.id ORDER BY c.keyword_id IS "
            " NOT NULL, c.id LIMIT 1) AS card_id, "
            "(SELECT c.front FROM cards c WHERE c.snippet_id = s.id ORDER BY c.keyword_id IS "
            " NOT NULL, c.id LIMIT 1) AS card "
            "FROM snippets s JOIN decks d ON d.id = s.deck_id ORDER BY d.name, s.id")

    def snippet(self, name: str | None = None, card_id: int | None = None) -> dict | None:
        """A snippet by name, or the snippet of a card; with its deck's trust."""
        where, param = ("s.name = ?", name) if name is not None else \
            ("s.id = (SELECT snippet_id FROM cards WHERE id = ?)", card_id)
        rows = self.query(
            "SELECT s.id, s.name, s.code, s.timeout, d.name AS deck, d.trusted, d.kind "
            f"FROM snippets s JOIN decks d ON d.id = s.deck_id WHERE {where}", [param])
        return rows[0] if rows else None

    # -- search --------------------------------------------------------------------
    def search_fts(self, table: str, match: str, limit: int) -> list[dict]:
        order = "e.date DESC" if table == "entries" else "e.id"
        return self.query(
            f"SELECT e.* FROM {table}_fts f JOIN {table} e ON e.id = f.rowid "
            f"WHERE {table}_fts MATCH ? ORDER BY {order} LIMIT ?", [match, limit])

    def search_like(self, table: str, columns: tuple[str, ...], terms: list[str],
                    limit: int) -> list[dict]:
        # Trigram FTS cannot match under three characters: scan the base table instead.
        clauses, params = [], []
        for term in terms:
            escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("(" + " OR ".join(f"{c} LIKE ? ESCAPE '\\'" for c in columns) + ")")
            params.extend([f"%{escaped}%"] * len(columns))
        order = "date DESC" if table == "entries" else "id"
        return self.query(f"SELECT * FROM {table} WHERE {' AND '.join(clauses)} "
                          f"ORDER BY {order} LIMIT ?", [*params, limit])

    # -- review (scheduling, queue, log) --
    # Queue queries pick ids from the partial covering indexes of migration 0002, then
    # read the few columns a queue entry shows.
    _QUEUE_ROWS = ("SELECT c.id, c.deck_id, d.name AS deck, c.front, c.kind, c.state, "
                   "c.step, c.due, c.last_review, c.stability, c.difficulty, "
                   "c.first_written, c.position{extra} FROM ({picked}) x "
                   "JOIN cards c ON c.id = x.id JOIN decks d ON d.id = c.deck_id")
    _AVAILABLE = "c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= :now)"

    def review_decks(self) -> dict[int, str]:
        """deck id -> name, journal decks first."""
        return dict(self.db.execute(
            "SELECT id, name FROM decks ORDER BY kind != 'journal', name").fetchall())

    def deck_settings_row(self, deck_id: int) -> dict | None:
        rows = self.query("SELECT * FROM deck_settings WHERE deck_id = ?", [deck_id])
        return rows[0] if rows else None

    def all_deck_settings_rows(self) -> list[dict]:
        return self.query("SELECT * FROM deck_settings")

    def save_deck_settings(self, deck_id: int, row: dict) -> None:
        self.db["deck_settings"].upsert({**row, "deck_id": deck_id}, pk="deck_id")

    def reviews_by_deck(self, start: str, end: str) -> dict[int, tuple[int, int]]:
        """deck id -> (new cards introduced, review-state cards reviewed) in [start, end)."""
        rows = self.db.execute(
            "SELECT c.deck_id, SUM(l.state_before = 'new'), SUM(l.state_before = 'review') "
            "FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE l.reviewed_at >= ? AND l.reviewed_at < ? GROUP BY c.deck_id", [start, end])
        return {deck_id: (new, review) for deck_id, new, review in rows}

    def due_learning_cards(self, deck_id: int | None, now: str, ahead: str,
                           day_end: str) -> list[dict]:
        """(Re)learning cards due by ``ahead``, or by the end of the day when their step
        is a day or longer; earliest first."""
        deck = "AND c.deck_id = :deck" if deck_id is not None else ""
        picked = (f"SELECT c.id FROM cards c WHERE c.state IN ('learning', 'relearning') "
                  f"{deck} AND {self._AVAILABLE} AND (c.due <= :ahead OR (c.due < :day_end "
                  "AND julianday(c.due) - julianday(c.last_review) >= 1))")
        return self.query(self._QUEUE_ROWS.format(extra="", picked=picked)
                          + " ORDER BY c.due, c.id",
                          {"deck": deck_id, "now": now, "ahead": ahead, "day_end": day_end})

    def due_review_cards(self, deck_id: int, now: str, day_end: str, limit: int) -> list[dict]:
        """Review cards due before ``day_end``, lowest retrievability first: highest
        elapsed days over stability, the only thing FSRS's forgetting curve depends on."""
        picked = ("SELECT c.id, (:jnow - julianday(c.last_review)) / c.stability AS ratio "
                  "FROM cards c WHERE c.deck_id = :deck AND c.state = 'review' "
                  f"AND c.due < :day_end AND {self._AVAILABLE} "
                  "ORDER BY ratio DESC, c.due, c.id LIMIT :limit")
        return self.query(self._QUEUE_ROWS.format(extra=", x.ratio AS elapsed_ratio",
                                                  picked=picked)
                          + " ORDER BY x.ratio DESC, c.due, c.id",
                          {"deck": deck_id, "now": now, "day_end": day_end, "limit": limit,
                           "jnow": self.value("SELECT julianday(?)", [now])})

    def queue_counts(self, deck_id: int, now: str, ahead: str, day_end: str,
                     new_limit: int, review_limit: int) -> dict[str, int]:
        """How many cards of one deck the queue would take: (re)learning cards as
        ``due_learning_cards`` picks them, and reviews due today and new cards up to the
        deck's limits. Counted on the queue's partial indexes, never reading card rows."""
        params = {"deck": deck_id, "now": now, "ahead": ahead, "day_end": day_end,
                  "new_limit": new_limit, "review_limit": review_limit}
        return dict(zip(("learning", "review", "new"), self.db.execute(
            "SELECT "
            "(SELECT count(*) FROM cards c WHERE c.deck_id = :deck AND c.state IN "
            " ('learning', 'relearning') AND c.suspended = 0 AND (c.buried_until IS NULL "
            " OR c.buried_until <= :now) AND (c.due <= :ahead OR (c.due < :day_end AND "
            " julianday(c.due) - julianday(c.last_review) >= 1))), "
            "(SELECT count(*) FROM (SELECT 1 FROM cards c WHERE c.deck_id = :deck AND "
            " c.state = 'review' AND c.suspended = 0 AND c.due < :day_end AND "
            " (c.buried_until IS NULL OR c.buried_until <= :now) LIMIT :review_limit)), "
            "(SELECT count(*) FROM (SELECT 1 FROM cards c WHERE c.deck_id = :deck AND "
            " c.state = 'new' AND c.suspended = 0 AND (c.buried_until IS NULL OR "
            " c.buried_until <= :now) LIMIT :new_limit))", params).fetchone()))

    def new_cards(self, deck_id: int, now: str, limit: int) -> list[dict]:
        """Unseen cards in the order they were first written (undated last), then
        position, then id."""
        order = "c.first_written IS NULL, c.first_written, c.position, c.id"
        picked = ("SELECT c.id FROM cards c WHERE c.deck_id = :deck AND c.state = 'new' "
                  f"AND {self._AVAILABLE} ORDER BY {order} LIMIT :limit")
        return self.query(self._QUEUE_ROWS.format(extra="", picked=picked)
                          + f" ORDER BY {order}",
                          {"deck": deck_id, "now": now, "limit": limit})

    def set_card_schedule(self, card_id: int, fields: dict) -> None:
        """Write scheduling columns only (``updated_at`` is for content edits)."""
        names = list(fields)
        self.db.execute(f"UPDATE cards SET {', '.join(f'{n} = ?' for n in names)} "
                        "WHERE id = ?", [*(fields[n] for n in names), card_id])

    def insert_review_log(self, row: dict) -> int:
        names = list(row)
        cursor = self.db.execute(
            f"INSERT INTO review_log ({', '.join(names)}) "
            f"VALUES ({', '.join('?' * len(names))})", [row[n] for n in names])
        return cursor.lastrowid

    def latest_review_log(self, card_id: int | None = None) -> dict | None:
        """The newest review-log row (of one card, or of all)."""
        where, params = ("WHERE card_id = ?", [card_id]) if card_id is not None else ("", [])
        rows = self.query(f"SELECT * FROM review_log {where} ORDER BY id DESC LIMIT 1", params)
        return rows[0] if rows else None

    def review_log_row(self, log_id: int) -> dict | None:
        rows = self.query("SELECT * FROM review_log WHERE id = ?", [log_id])
        return rows[0] if rows else None

    def delete_review_log(self, log_id: int) -> None:
        self.db.execute("DELETE FROM review_log WHERE id = ?", [log_id])

    def session_reviews(self, log_ids: list[int]) -> list[dict]:
        if not log_ids:
            return []
        marks = ",".join("?" * len(log_ids))
        return self.query(f"SELECT card_id, rating, duration_ms FROM review_log "
                          f"WHERE id IN ({marks})", log_ids)

    def count_scheduled_due(self, before: str, deck_id: int | None = None) -> int:
        """Learning and review cards (not suspended) due before the instant ``before``."""
        where, params = ("AND deck_id = ?", [deck_id]) if deck_id is not None else ("", [])
        return self.value(f"SELECT count(*) FROM cards WHERE state != 'new' AND suspended = 0 "
                          f"AND due < ? {where}", [before, *params])
