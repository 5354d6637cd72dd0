"""The review log: one row per grade — the review, and the few card fields that undoing
the grade restores. Never the card's text: a row is ~150 bytes however long the back.

The log's instants other than ``reviewed_at`` (the due dates, the card's last review
and burial before the grade) are stored as integer microseconds since the epoch, UTC:
8 bytes instead of 32, exactly convertible to and from the one stored form of an
instant (``to_iso``). ``reviewed_at`` stays in that ISO form: it is indexed and compared
with study-day bounds by other queries. Rows hand out ISO strings throughout.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from studylog.core.review.study_day import from_iso, to_iso
from studylog.core.storage.repository import Repository

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# columns stored as epoch microseconds
MICROSECOND_COLUMNS = ("due_before", "due_after", "last_review_before",
                       "buried_until_before")


def instant_to_us(text: str | None) -> int | None:
    """A stored ISO instant as integer microseconds since the epoch (exact)."""
    moment = from_iso(text)
    return None if moment is None else (moment - _EPOCH) // timedelta(microseconds=1)


def us_to_instant(value: int | None) -> str | None:
    """The ISO form of an instant stored as epoch microseconds."""
    return None if value is None else to_iso(_EPOCH + timedelta(microseconds=value))


@dataclass(slots=True)
class ReviewLogRow:
    """One grade: the card's schedule before and after it."""

    id: int
    card_id: int
    rating: int  # 1-4
    reviewed_at: str
    duration_ms: int | None
    state_before: str
    stability_before: float | None
    difficulty_before: float | None
    due_before: str | None
    state_after: str
    stability_after: float | None
    difficulty_after: float | None
    due_after: str
    # the card fields a grade changes beyond state/stability/difficulty/due: undo
    # writes them back, so the card row is exactly what it was
    step_before: int | None
    last_review_before: str | None
    reps_before: int
    lapses_before: int
    suspended_before: int
    buried_until_before: str | None
    leech_before: int  # 1 if the card had the leech tag (a grade may add it)


@dataclass(slots=True)
class SessionReview:
    """What a session summary reads of one grade."""

    card_id: int
    rating: int
    duration_ms: int | None


def _decode(row: ReviewLogRow) -> None:
    """Stored microseconds back to ISO instants."""
    row.due_before = us_to_instant(row.due_before)  # type: ignore[arg-type]
    row.due_after = us_to_instant(row.due_after)  # type: ignore[arg-type,assignment]
    row.last_review_before = us_to_instant(row.last_review_before)  # type: ignore[arg-type]
    row.buried_until_before = us_to_instant(row.buried_until_before)  # type: ignore[arg-type]


class ReviewLogRepository(Repository):
    """The ``review_log`` table."""


    def insert(self, row: Mapping[str, Any]) -> int:
        """Insert a log row (every column but ``id``; instants in ISO form); returns
        its id."""
        stored = dict(row)
        for name in MICROSECOND_COLUMNS:
            stored[name] = instant_to_us(stored.get(name))
        return self._insert("review_log", stored)

    def get(self, log_id: int) -> ReviewLogRow | None:
        return self._row(ReviewLogRow, "SELECT * FROM review_log WHERE id = ?", [log_id],
                         _decode)

    def latest(self, card_id: int | None = None) -> ReviewLogRow | None:
        """The newest row (of one card, or of all)."""
        where, params = ("WHERE card_id = ?", [card_id]) if card_id is not None else ("", [])
        return self._row(ReviewLogRow,
                         f"SELECT * FROM review_log {where} ORDER BY id DESC LIMIT 1", params,
                         _decode)

    def delete(self, log_id: int) -> None:
        self._write("DELETE FROM review_log WHERE id = ?", [log_id])

    def count_of_card(self, card_id: int) -> int:
        return int(self._value("SELECT count(*) FROM review_log WHERE card_id = ?",
                               [card_id]))

    def first_of_card(self, card_id: int) -> str | None:
        """When the card was first graded (the start of its history), or None."""
        value: str | None = self._value(
            "SELECT min(reviewed_at) FROM review_log WHERE card_id = ?", [card_id])
        return value

    def move_history(self, from_card: int, to_card: int) -> None:
        """Give every review-log row of ``from_card`` to ``to_card``."""
        self._write("UPDATE review_log SET card_id = ? WHERE card_id = ?", [to_card, from_card])

    def of_ids(self, log_ids: list[int]) -> list[SessionReview]:
        """The grades ``log_ids`` (those still in the log)."""
        if not log_ids:
            return []
        marks = ",".join("?" * len(log_ids))
        return self._rows(SessionReview, f"SELECT card_id, rating, duration_ms FROM review_log "
                                         f"WHERE id IN ({marks})", log_ids)

    def count_between(self, start: str, end: str) -> int:
        """Grades given in ``[start, end)`` (instants in the stored ISO form)."""
        return int(self._value("SELECT count(*) FROM review_log WHERE reviewed_at >= ? "
                               "AND reviewed_at < ?", [start, end]))

    def done_by_deck(self, start: str, end: str) -> dict[int, tuple[int, int]]:
        """deck id -> (new cards introduced, review-state cards reviewed) in [start, end)."""
        rows = self.conn.execute(
            "SELECT c.deck_id, SUM(l.state_before = 'new'), SUM(l.state_before = 'review') "
            "FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE l.reviewed_at >= ? AND l.reviewed_at < ? GROUP BY c.deck_id", [start, end])
        return {deck_id: (new or 0, review or 0) for deck_id, new, review in rows}
