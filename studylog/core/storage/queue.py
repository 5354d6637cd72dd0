"""The review queue's queries: which cards are due, and how many.

The picking queries and the counts share their conditions (``_LEARNING``, ``_REVIEW``,
``_NEW``), so the counts Today shows are the queue's by construction. Learning and review
cards are read from partial covering indexes alone (migration 0013: they carry what an
entry shows; the literal ``state``/``suspended`` terms let SQLite use them); new cards
are picked from theirs (0002), then the few picked rows are read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from studylog.core.storage.repository import Repository

_AVAILABLE = "c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= :now)"
# (re)learning cards due by :ahead, or by the end of the day when their step is a day+
_LEARNING = (f"c.state IN ('learning', 'relearning') AND {_AVAILABLE} AND (c.due <= :ahead "
             "OR (c.due < :day_end AND julianday(c.due) - julianday(c.last_review) >= 1))")
_REVIEW = f"c.state = 'review' AND c.due < :day_end AND {_AVAILABLE}"
_NEW = f"c.state = 'new' AND {_AVAILABLE}"
_NEW_ORDER = "c.first_written IS NULL, c.first_written, c.position, c.id"

# Learning and review cards: every column comes from the covering index (the learning
# one has no stability: only a review card's retrievability needs it). INDEXED BY: a
# small or un-analysed database would otherwise be read through ``cards_queue`` and the
# card rows.
_INDEXED_ROWS = ("SELECT c.id, c.deck_id, d.name AS deck, c.front, c.kind, c.state, c.due, "
                 "c.last_review, {stability} AS stability, NULL AS first_written, "
                 "NULL AS position{extra} FROM cards c INDEXED BY {index} "
                 "JOIN decks d ON d.id = c.deck_id")
# New cards: the few picked from their index, then their rows.
_PICKED_ROWS = ("SELECT c.id, c.deck_id, d.name AS deck, c.front, c.kind, c.state, c.due, "
                "c.last_review, c.stability, c.first_written, c.position FROM ({picked}) x "
                "JOIN cards c ON c.id = x.id JOIN decks d ON d.id = c.deck_id")


class QueueCard(NamedTuple):
    """One card waiting to be studied. Immutable like the queue; a named tuple because a
    queue makes a couple of thousand of them and a frozen dataclass costs five times as
    much to build. Learning cards are read straight into it."""

    id: int
    deck: str
    deck_id: int
    front: str
    kind: str
    state: str  # new | learning | relearning | review
    due: str | None  # UTC ISO instant; None for new cards
    retrievability: float | None = None  # review cards: FSRS's recall probability now


@dataclass(slots=True)
class QueueRow:
    """What the queue reads of one card."""

    id: int
    deck_id: int
    deck: str
    front: str
    kind: str
    state: str
    due: str | None
    last_review: str | None
    stability: float | None
    first_written: str | None  # new cards only (their order)
    position: int | None  # new cards only
    elapsed_ratio: float | None = None  # review cards: elapsed days / stability


@dataclass(slots=True)
class QueueCounts:
    """Cards by kind (``learning`` includes relearning)."""

    new: int = 0
    learning: int = 0
    review: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.review

    def to_json(self) -> dict[str, int]:
        return {"new": self.new, "learning": self.learning, "review": self.review}


class QueueRepository(Repository):
    """Reads over ``cards`` for building today's queue."""

    def due_learning(self, deck_ids: Sequence[int], now: str, ahead: str,
                     day_end: str) -> list[QueueCard]:
        """(Re)learning cards of the decks ``deck_ids`` due by ``ahead``, or by the end
        of the day when their step is a day or longer; earliest first."""
        # the deck_id term (decks that are on) lets SQLite pick from the partial covering
        # index (cards_learning_due), which holds every column read here
        sql = ("SELECT c.id, d.name AS deck, c.deck_id, c.front, c.kind, c.state, c.due, "
               "NULL AS retrievability FROM cards c INDEXED BY cards_learning_due "
               "JOIN decks d ON d.id = c.deck_id")
        return self._rows(QueueCard, sql + " WHERE c.deck_id IN (SELECT value FROM "
                          f"json_each(:decks)) AND {_LEARNING} ORDER BY c.due, c.id",
                          {"decks": json.dumps(list(deck_ids)), "now": now, "ahead": ahead,
                           "day_end": day_end})

    def due_reviews(self, deck_id: int, now: str, day_end: str, limit: int) -> list[QueueRow]:
        """Review cards due before ``day_end``, lowest retrievability first: highest
        elapsed days over stability, the only thing FSRS's forgetting curve depends on."""
        extra = ", (:jnow - julianday(c.last_review)) / c.stability AS elapsed_ratio"
        sql = _INDEXED_ROWS.format(stability="c.stability", extra=extra,
                                   index="cards_review_due")
        return self._rows(QueueRow, sql + f" WHERE c.deck_id = :deck AND {_REVIEW} "
                          "ORDER BY elapsed_ratio DESC, c.due, c.id LIMIT :limit",
                          {"deck": deck_id, "now": now, "day_end": day_end, "limit": limit,
                           "jnow": self._value("SELECT julianday(?)", [now])})

    def new_cards(self, deck_id: int, now: str, limit: int) -> list[QueueRow]:
        """Unseen cards in the order they were first written (undated last), then
        position, then id."""
        picked = (f"SELECT c.id FROM cards c WHERE c.deck_id = :deck AND {_NEW} "
                  f"ORDER BY {_NEW_ORDER} LIMIT :limit")
        return self._rows(QueueRow, _PICKED_ROWS.format(picked=picked)
                          + f" ORDER BY {_NEW_ORDER}",
                          {"deck": deck_id, "now": now, "limit": limit})

    def counts(self, deck_id: int, now: str, ahead: str, day_end: str, new_limit: int,
               review_limit: int) -> QueueCounts:
        """How many cards of one deck the queue would take: what ``due_learning``,
        ``due_reviews`` and ``new_cards`` pick, within the limits. Counted on the
        partial indexes, never reading card rows."""
        row = self.conn.execute(
            f"SELECT (SELECT count(*) FROM cards c WHERE c.deck_id = :deck AND {_LEARNING}), "
            f"(SELECT count(*) FROM (SELECT 1 FROM cards c WHERE c.deck_id = :deck "
            f" AND {_REVIEW} LIMIT :review_limit)), "
            f"(SELECT count(*) FROM (SELECT 1 FROM cards c WHERE c.deck_id = :deck "
            f" AND {_NEW} LIMIT :new_limit))",
            {"deck": deck_id, "now": now, "ahead": ahead, "day_end": day_end,
             "new_limit": new_limit, "review_limit": review_limit}).fetchone()
        learning, review, new = row
        return QueueCounts(new=new, learning=learning, review=review)

    def next_due_after(self, now: str, deck_ids: Sequence[int]) -> str | None:
        """The earliest due instant after ``now`` of a learning or review card of the
        decks ``deck_ids`` that is neither suspended nor buried past it; None when there
        is none."""
        value = self._value(
            "SELECT min(due) FROM cards WHERE state IN ('learning', 'relearning', 'review') "
            "AND due > :now AND suspended = 0 "
            "AND (buried_until IS NULL OR buried_until <= :now) "
            "AND deck_id IN (SELECT value FROM json_each(:decks))",
            {"now": now, "decks": json.dumps(list(deck_ids))})
        return None if value is None else str(value)

    def scheduled_due_before(self, before: str, deck_ids: Sequence[int]) -> int:
        """Learning and review cards (not suspended) of the decks ``deck_ids`` due before
        the instant ``before``."""
        return int(self._value(
            "SELECT count(*) FROM cards WHERE state != 'new' AND suspended = 0 "
            "AND due < :before AND deck_id IN (SELECT value FROM json_each(:decks))",
            {"before": before, "decks": json.dumps(list(deck_ids))}))
