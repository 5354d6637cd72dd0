"""The review log: one row per grade, with the card row before it for exact undo."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from studylog.core.storage.repository import Repository


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
    card_before: str  # the whole card row as JSON


@dataclass(slots=True)
class SessionReview:
    """What a session summary reads of one grade."""

    card_id: int
    rating: int
    duration_ms: int | None


class ReviewLogRepository(Repository):
    """The ``review_log`` table."""

    def insert(self, row: Mapping[str, Any]) -> int:
        """Insert a log row (every column but ``id``); returns its id."""
        return self._insert("review_log", row)

    def get(self, log_id: int) -> ReviewLogRow | None:
        return self._row(ReviewLogRow, "SELECT * FROM review_log WHERE id = ?", [log_id])

    def latest(self, card_id: int | None = None) -> ReviewLogRow | None:
        """The newest row (of one card, or of all)."""
        where, params = ("WHERE card_id = ?", [card_id]) if card_id is not None else ("", [])
        return self._row(ReviewLogRow,
                         f"SELECT * FROM review_log {where} ORDER BY id DESC LIMIT 1", params)

    def delete(self, log_id: int) -> None:
        self._write("DELETE FROM review_log WHERE id = ?", [log_id])

    def of_ids(self, log_ids: list[int]) -> list[SessionReview]:
        """The grades ``log_ids`` (those still in the log)."""
        if not log_ids:
            return []
        marks = ",".join("?" * len(log_ids))
        return self._rows(SessionReview, f"SELECT card_id, rating, duration_ms FROM review_log "
                                         f"WHERE id IN ({marks})", log_ids)

    def done_by_deck(self, start: str, end: str) -> dict[int, tuple[int, int]]:
        """deck id -> (new cards introduced, review-state cards reviewed) in [start, end)."""
        rows = self.conn.execute(
            "SELECT c.deck_id, SUM(l.state_before = 'new'), SUM(l.state_before = 'review') "
            "FROM review_log l JOIN cards c ON c.id = l.card_id "
            "WHERE l.reviewed_at >= ? AND l.reviewed_at < ? GROUP BY c.deck_id", [start, end])
        return {deck_id: (new or 0, review or 0) for deck_id, new, review in rows}
