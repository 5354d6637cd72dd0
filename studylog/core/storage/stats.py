"""Reads behind the statistics: reviews per study day, cards due per study day, cards by
state, days written and keywords by date.

Study days are local and may last 23 or 25 hours, so the caller hands in each day's UTC
bounds and SQL counts rows inside them. Each bound is a range scan of an index
(``review_log_time``, ``cards_queue``), so a year of buckets reads only that year's rows
however long the history is. The review counts are read from ``review_log_time`` alone
(it carries the columns they need: a table-row lookup per review would cost a second
for a year of heavy reviewing), one correlated scan per day: a join grouped by day
would sort every review of the year first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from studylog.core.storage.repository import Repository


@dataclass(frozen=True, slots=True)
class DayBounds:
    """One study day: its local date (``YYYY-MM-DD``) and UTC bounds ``[start, end)``."""

    date: str
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class DayReviews:
    """What was reviewed on one study day."""

    date: str
    reviews: int
    again: int
    new: int  # first grades of new cards
    review_state: int  # grades of cards in the review state (true retention's base)
    review_passed: int  # of those, graded Hard, Good or Easy
    ms: int  # time spent, as recorded


@dataclass(frozen=True, slots=True)
class DayCount:
    date: str
    count: int


@dataclass(frozen=True, slots=True)
class CardStates:
    new: int
    learning: int
    review: int
    relearning: int
    suspended: int
    average_stability: float | None  # days, over review-state cards


@dataclass(frozen=True, slots=True)
class DatedKeyword:
    date: str
    name: str


@dataclass(frozen=True, slots=True)
class Grade:
    """One review-log grade, as the FSRS optimizer needs it."""

    card_id: int
    rating: int
    reviewed_at: str
    duration_ms: int | None


def _days_cte(days: Sequence[DayBounds]) -> tuple[str, list[str]]:
    marks = ", ".join("(?, ?, ?)" for _ in days)
    params = [value for day in days for value in (day.date, day.start, day.end)]
    return f"WITH days (date, s, e) AS (VALUES {marks})", params


class StatsRepository(Repository):
    """Read-only queries over ``review_log``, ``cards`` and ``entries``."""

    def reviews_per_day(self, days: Sequence[DayBounds]) -> list[DayReviews]:
        """Review counts for each study day in ``days`` (days without reviews left out)."""
        if not days:
            return []
        cte, params = _days_cte(days)
        rows = self.conn.execute(
            f"{cte} SELECT d.date, (SELECT json_array(count(*), sum(l.rating = 1), "
            "sum(l.state_before = 'new'), sum(l.state_before = 'review'), "
            "sum(l.state_before = 'review' AND l.rating > 1), "
            "coalesce(sum(l.duration_ms), 0)) "
            "FROM review_log l WHERE l.reviewed_at >= d.s AND l.reviewed_at < d.e) "
            "FROM days d ORDER BY d.date", params)
        out = []
        for day, figures in rows:
            counts = json.loads(figures)
            if counts[0]:
                out.append(DayReviews(day, *counts))
        return out

    def grades_per_day(self, days: Sequence[DayBounds]) -> list[DayCount]:
        """How many grades each study day in ``days`` has (days without left out)."""
        if not days:
            return []
        cte, params = _days_cte(days)
        rows = self.conn.execute(
            f"{cte} SELECT * FROM (SELECT d.date, (SELECT count(*) FROM review_log l "
            "WHERE l.reviewed_at >= d.s AND l.reviewed_at < d.e) AS n FROM days d) "
            "WHERE n > 0 ORDER BY date", params)
        return [DayCount(*row) for row in rows]

    def due_per_day(self, days: Sequence[DayBounds],
                    deck_ids: Sequence[int]) -> list[DayCount]:
        """Scheduled (learning, review, relearning), unsuspended cards of the decks
        ``deck_ids`` due in each day (days with none left out)."""
        if not days:
            return []
        cte, params = _days_cte(days)
        rows = self.conn.execute(
            f"{cte} SELECT d.date, count(*) FROM days d JOIN cards c "
            "ON c.due >= d.s AND c.due < d.e AND c.state IN ('learning', 'review', "
            "'relearning') WHERE c.suspended = 0 "
            "AND c.deck_id IN (SELECT value FROM json_each(?)) "
            "GROUP BY d.date ORDER BY d.date", [*params, json.dumps(list(deck_ids))])
        return [DayCount(*row) for row in rows]

    def card_states(self) -> CardStates:
        """How many cards are in each state (suspended cards counted apart)."""
        row = self.conn.execute(
            "SELECT sum(state = 'new' AND NOT suspended), "
            "sum(state = 'learning' AND NOT suspended), "
            "sum(state = 'review' AND NOT suspended), "
            "sum(state = 'relearning' AND NOT suspended), sum(suspended != 0), "
            "avg(CASE WHEN state = 'review' AND NOT suspended THEN stability END) "
            "FROM cards").fetchone()
        new, learning, review, relearning, suspended, stability = row
        return CardStates(new or 0, learning or 0, review or 0, relearning or 0,
                          suspended or 0, stability)

    def entry_dates(self) -> list[str]:
        """Every date with an entry, oldest first."""
        return [r[0] for r in self.conn.execute("SELECT date FROM entries ORDER BY date")]

    def entry_dates_since(self, first: str) -> list[str]:
        """Dates with an entry from ``first`` on, oldest first."""
        return [r[0] for r in self.conn.execute(
            "SELECT date FROM entries WHERE date >= ? ORDER BY date", [first])]

    def keywords_since(self, first: str) -> list[DatedKeyword]:
        """Keywords of the entries dated ``first`` or later, by date, in line order."""
        rows = self.conn.execute(
            "SELECT e.date, k.name FROM entries e JOIN entry_keywords ek "
            "ON ek.entry_id = e.id JOIN keywords k ON k.id = ek.keyword_id "
            "WHERE e.date >= ? ORDER BY e.date, ek.position", [first])
        return [DatedKeyword(*row) for row in rows]



    def review_cards_per_deck(self) -> dict[int, int]:
        """deck id -> its cards in the review state."""
        return dict(self.conn.execute(
            "SELECT deck_id, count(*) FROM cards WHERE state = 'review' GROUP BY deck_id"))

    def grades_for_fitting(self, deck_ids: Sequence[int]) -> list[Grade]:
        """Every grade of the cards of ``deck_ids`` whose logged history starts at their
        first grade (the optimizer replays a card from new), oldest first."""
        if not deck_ids:
            return []
        marks = ",".join("?" * len(deck_ids))
        return self._rows(
            Grade,
            "WITH starts AS (SELECT card_id, min(id) AS first FROM review_log "
            "GROUP BY card_id) "
            "SELECT l.card_id, l.rating, l.reviewed_at, l.duration_ms FROM review_log l "
            "JOIN starts s ON s.card_id = l.card_id "
            "JOIN review_log f ON f.id = s.first AND f.state_before = 'new' "
            f"JOIN cards c ON c.id = l.card_id WHERE c.deck_id IN ({marks}) "
            "ORDER BY l.reviewed_at, l.id", list(deck_ids))
