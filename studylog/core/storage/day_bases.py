"""Merge bases of days: the text a day's file gave at its last import, and the file's
newer version kept beside the app's text while the two conflict (``day_bases``)."""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.storage.repository import Repository, utc_now


@dataclass(slots=True)
class DayBaseRow:
    """What the merge knows about one day."""

    entry_id: int
    base: str | None  # the day's body as its file gave it last; None: not known
    theirs: str | None  # the file's version while it conflicts with the app's text
    theirs_title: str | None
    theirs_source: str | None
    conflict_at: str | None


@dataclass(slots=True)
class ConflictRow:
    """A day whose file and app text both changed since the base."""

    date: str
    title: str
    mine: str  # the app's text (the entry's body)
    theirs: str
    theirs_title: str
    source: str
    base: str | None
    conflict_at: str


_COLUMNS = "entry_id, base, theirs, theirs_title, theirs_source, conflict_at"


@dataclass(slots=True)
class DayState:
    """A stored day as the merge compares it."""

    entry_id: int
    body: str
    source_file: str | None
    has_base: bool
    base: str | None
    theirs: str | None


class DayBasesRepository(Repository):
    """The ``day_bases`` table."""

    def state_of(self, day: str) -> DayState | None:
        """The entry of ``day`` with its base, or None when there is no entry."""
        row = self._row(DayState, "SELECT e.id AS entry_id, e.body, e.source_file, "
                        "b.entry_id IS NOT NULL AS has_base, b.base, b.theirs FROM entries e "
                        "LEFT JOIN day_bases b ON b.entry_id = e.id WHERE e.date = ?", [day])
        if row is not None:
            row.has_base = bool(row.has_base)
        return row

    def get(self, entry_id: int) -> DayBaseRow | None:
        return self._row(DayBaseRow, f"SELECT {_COLUMNS} FROM day_bases WHERE entry_id = ?",
                         [entry_id])

    def set_base(self, entry_id: int, base: str | None) -> None:
        """The file's text is ``base`` now and nothing conflicts."""
        self._write(
            "INSERT INTO day_bases (entry_id, base) VALUES (?, ?) ON CONFLICT (entry_id) "
            "DO UPDATE SET base = excluded.base, theirs = NULL, theirs_title = NULL, "
            "theirs_source = NULL, conflict_at = NULL", [entry_id, base])

    def set_base_of_date(self, day: str, base: str) -> None:
        """``set_base`` for the entry of ``day`` (one statement: imports call it per day)."""
        self._write(
            "INSERT INTO day_bases (entry_id, base) SELECT id, ? FROM entries WHERE date = ? "
            "ON CONFLICT (entry_id) DO UPDATE SET base = excluded.base, theirs = NULL, "
            "theirs_title = NULL, theirs_source = NULL, conflict_at = NULL", [base, day])

    def set_conflict(self, entry_id: int, theirs: str, title: str, source: str) -> None:
        """Keep the file's ``theirs`` beside the app's text (the base stays; a day with
        no base row gets one with no base)."""
        self._write(
            "INSERT INTO day_bases (entry_id, base, theirs, theirs_title, theirs_source, "
            "conflict_at) VALUES (?, NULL, ?, ?, ?, ?) ON CONFLICT (entry_id) DO UPDATE "
            "SET theirs = excluded.theirs, theirs_title = excluded.theirs_title, "
            "theirs_source = excluded.theirs_source, conflict_at = excluded.conflict_at",
            [entry_id, theirs, title, source, utc_now()])

    def forget(self, entry_id: int) -> None:
        """The day has no file any more (it belongs to the app)."""
        self._write("DELETE FROM day_bases WHERE entry_id = ?", [entry_id])

    def conflicts(self, day: str | None = None) -> list[ConflictRow]:
        """Days in conflict, oldest first (only ``day`` when given)."""
        where = "AND e.date = ?" if day else ""
        return self._rows(
            ConflictRow,
            "SELECT e.date, e.title, e.body AS mine, b.theirs, b.theirs_title, "
            "b.theirs_source AS source, b.base, b.conflict_at FROM day_bases b "
            "JOIN entries e ON e.id = b.entry_id WHERE b.theirs IS NOT NULL "
            f"{where} ORDER BY e.date", [day] if day else [])

    def conflict_dates(self) -> list[str]:
        """The dates of the days in conflict, oldest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT e.date FROM day_bases b JOIN entries e ON e.id = b.entry_id "
            "WHERE b.theirs IS NOT NULL ORDER BY e.date")]
