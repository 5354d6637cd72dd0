"""Journal rows: entries (one per date), the weeks and source files they came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, cast

from studylog.core.storage.repository import Repository, utc_now

SaveStatus = Literal["new", "updated", "same"]


@dataclass(slots=True)
class EntryRow:
    """One day of the journal, with its keyword names in keyword-line order."""

    id: int
    date: str  # YYYY-MM-DD
    title: str
    week: str | None
    body: str
    tags: list[str]
    source_file: str | None
    keywords: list[str]


@dataclass(slots=True)
class DayRef:
    """A day named by its date and title (a card's source day, the last entry...)."""

    date: str
    title: str


@dataclass(slots=True)
class WeekRow:
    """A journal week: its heading, date range and summary."""

    title: str
    start_date: str | None
    end_date: str | None
    summary: str


@dataclass(slots=True)
class DaySummary:
    """A day as the Journal's list shows it: no text."""

    date: str
    title: str
    week: str | None
    keywords: list[str]


def _decode_summary(row: DaySummary) -> None:
    row.keywords = json.loads(cast(str, row.keywords))


@dataclass(slots=True)
class EntryFields:
    """What an import or an edit writes for one day."""

    date: str
    title: str
    week: str | None
    body: str
    tags: list[str]
    source_file: str
    content_hash: str


def _decode(row: EntryRow) -> None:
    """Keywords and tags from their JSON text."""
    row.keywords = json.loads(cast(str, row.keywords))
    row.tags = json.loads(cast(str, row.tags))


_ENTRIES = (
    "SELECT e.id, e.date, e.title, e.week, e.body, e.tags, e.source_file, "
    "(SELECT json_group_array(name) FROM (SELECT k.name FROM entry_keywords ek "
    " JOIN keywords k ON k.id = ek.keyword_id WHERE ek.entry_id = e.id "
    " ORDER BY ek.position)) AS keywords FROM entries e {where} ORDER BY e.date")


class EntriesRepository(Repository):
    """``entries``, ``weeks`` and ``sources``."""

    # -- sources and weeks --
    def source_hash(self, path: str) -> str | None:
        """The content hash recorded when ``path`` was last imported."""
        value: str | None = self._value("SELECT content_hash FROM sources WHERE path = ?",
                                        [path])
        return value

    def record_source(self, path: str, content_hash: str, days: int) -> None:
        self._write("INSERT OR REPLACE INTO sources (path, content_hash, imported_at, days) "
                    "VALUES (?, ?, ?, ?)", [path, content_hash, utc_now(), days])

    def save_week(self, title: str, start: str | None, end: str | None, summary: str,
                  source: str) -> None:
        self._write(
            "INSERT INTO weeks (title, start_date, end_date, summary, source_file) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (title, start_date) DO UPDATE SET "
            "end_date = excluded.end_date, summary = excluded.summary, "
            "source_file = excluded.source_file", [title, start, end, summary, source])

    def weeks(self) -> list[WeekRow]:
        """Every journal week, oldest first."""
        return self._rows(WeekRow, "SELECT title, start_date, end_date, summary FROM weeks "
                                   "ORDER BY start_date, title")

    def week_title_of(self, day: str) -> str | None:
        """The title of the journal week whose range holds ``day``."""
        value: str | None = self._value(
            "SELECT title FROM weeks WHERE start_date <= ? AND end_date >= ? "
            "ORDER BY start_date DESC LIMIT 1", [day, day])
        return value

    # -- entries --
    def each_of_source(self, path: str) -> Iterator[tuple[str, int]]:
        """(date, entry id) of each day a source file gave, read as they are taken (a
        file of 100,000 days is not held as a dict)."""
        yield from self.conn.execute("SELECT date, id FROM entries WHERE source_file = ?",
                                     [path])

    def save(self, fields: EntryFields) -> tuple[int, SaveStatus]:
        """Insert or update the entry of ``fields.date``; returns its id and whether it
        is new, updated or the same as stored."""
        old = self.conn.execute("SELECT id, content_hash, source_file FROM entries "
                                "WHERE date = ?", [fields.date]).fetchone()
        if old is not None and (old[1], old[2]) == (fields.content_hash, fields.source_file):
            return int(old[0]), "same"
        now = utc_now()
        values = {"date": fields.date, "title": fields.title, "week": fields.week,
                  "body": fields.body, "tags": json.dumps(fields.tags, ensure_ascii=False),
                  "source_file": fields.source_file, "content_hash": fields.content_hash,
                  "updated_at": now}
        if old is None:
            return self._insert("entries", {**values, "created_at": now}), "new"
        self._update("entries", old[0], values)
        return int(old[0]), "updated"

    def set_source(self, entry_id: int, source: str) -> None:
        """The day belongs to ``source`` now (its text unchanged)."""
        self._write("UPDATE entries SET source_file = ? WHERE id = ?", [source, entry_id])

    def delete(self, entry_id: int) -> None:
        self._write("DELETE FROM entries WHERE id = ?", [entry_id])

    def all(self) -> list[EntryRow]:
        """Every entry, oldest first."""
        return self._rows(EntryRow, _ENTRIES.format(where=""), (), _decode)

    def summaries(self) -> list[DaySummary]:
        """Every day's date, title, week and keywords, newest first (no bodies: ten
        years of text would be read for a list that shows a screenful)."""
        return self._rows(
            DaySummary,
            "SELECT e.date, e.title, e.week, (SELECT json_group_array(name) FROM "
            "(SELECT k.name FROM entry_keywords ek JOIN keywords k ON k.id = ek.keyword_id "
            " WHERE ek.entry_id = e.id ORDER BY ek.position)) AS keywords "
            "FROM entries e ORDER BY e.date DESC", (), _decode_summary)

    def date_of(self, entry_id: int) -> str:
        """The date of the entry ``entry_id`` (which must exist)."""
        return str(self._value("SELECT date FROM entries WHERE id = ?", [entry_id]))

    def get(self, day: str) -> EntryRow | None:
        """The entry of a date (``YYYY-MM-DD``), or None."""
        return self._row(EntryRow, _ENTRIES.format(where="WHERE e.date = ?"), [day], _decode)

    def last_before(self, day: str) -> DayRef | None:
        """The newest entry before ``day``."""
        return self._row(DayRef, "SELECT date, title FROM entries WHERE date < ? "
                                 "ORDER BY date DESC LIMIT 1", [day])

    def days_in_a_row(self, last: str) -> int:
        """How many consecutive days up to ``last`` have an entry: going back from
        ``last``, the n-th entry (from 0) is n days back while the run lasts."""
        return int(self._value(
            "SELECT count(*) FROM (SELECT julianday(:last) - julianday(date) AS back, "
            "row_number() OVER (ORDER BY date DESC) - 1 AS n FROM entries "
            "WHERE date <= :last) WHERE back = n", {"last": last}))
