"""The review queue's queries: which cards are due, and how many.

The picking queries and the counts share their conditions (``_LEARNING``, which the
queue reads as ``_LEARNING_NOW`` and ``_LEARNING_AHEAD``, ``_REVIEW``, ``_NEW``), so the
counts Today shows are the queue's. Learning and review cards are read from partial
covering indexes alone (migration 0013: they carry what an entry shows; the literal
``state``/``suspended`` terms let SQLite use them; 0015: the review index holds the
julian day of the last review the order needs); new cards are picked from theirs (0002),
then the few picked rows are read. Each deck's daily limit is a LIMIT; a deck's due
reviews below the previous pick's last are left out before the sort (its floor, kept in
memory per store: ``QueueRepository.due_reviews``).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from studylog.core.storage.repository import Repository

_AVAILABLE = "c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= :now)"
_LEARNING_CARD = f"c.state IN ('learning', 'relearning') AND {_AVAILABLE}"
_DAY_STEP = "julianday(c.due) - julianday(c.last_review) >= 1"  # a learning step of a day+
# (re)learning cards due by :ahead, or by the end of the day when their step is a day+;
# the queue reads them in its two places: due now (or a day+ step due today), and due
# within the learn-ahead window that closes the queue
_LEARNING = f"{_LEARNING_CARD} AND (c.due <= :ahead OR (c.due < :day_end AND {_DAY_STEP}))"
_LEARNING_NOW = (f"{_LEARNING_CARD} AND (c.due <= :now "
                 f"OR (c.due > :ahead AND c.due < :day_end AND {_DAY_STEP}))")
_LEARNING_AHEAD = f"{_LEARNING_CARD} AND c.due > :now AND c.due <= :ahead"
_REVIEW = f"c.state = 'review' AND c.due < :day_end AND {_AVAILABLE}"
_NEW = f"c.state = 'new' AND {_AVAILABLE}"
_NEW_ORDER = "c.first_written IS NULL, c.first_written, c.position, c.id"

# (Re)learning cards of the decks that are on, read in study order from the partial
# covering index that holds them by due then id (cards_learning_order, 0016): no sort.
# CROSS JOIN keeps the cards the outer loop, so the index order is the result's.
_LEARNING_ROWS = ("SELECT c.id, d.name AS deck, c.deck_id, c.front, c.kind, c.state, c.due, "
                  "NULL AS retrievability "
                  "FROM cards c INDEXED BY cards_learning_order "
                  "CROSS JOIN decks d ON d.id = c.deck_id "
                  "WHERE c.deck_id IN (SELECT value FROM json_each(:decks)) AND {due} "
                  "ORDER BY c.due, c.id")
# Whole days elapsed since the last review as Python's ``timedelta.days`` counts them
# (floored; none before it), and FSRS's forgetting curve ``(1 + factor * days /
# stability) ** decay`` in the same float operations, in the same order, with the same C
# ``pow``. SQLite's julian days hold milliseconds: within 2e-8 days (1.7 ms; their rounding
# and float error with room to spare) of a whole day the days are left to Python (NULL);
# elsewhere truncating them equals flooring them.
_RETRIEVABILITY = ("CASE WHEN abs(elapsed - round(elapsed)) >= 2e-8 THEN "
                   "pow(1 + :factor * max(0, CAST(elapsed AS INTEGER)) / stability, :decay) END")
# A due review's place in the study order: days elapsed since its last review over its
# stability, highest first.
_RATIO = "(:jnow - julianday(c.last_review)) / c.stability"
# One deck's due reviews, the ``limit`` lowest in retrievability: highest elapsed days over
# stability (the only thing FSRS's forgetting curve depends on), then due, then id. Every
# column comes from the covering index, julianday(last_review) too (0015); INDEXED BY: a
# small or un-analysed database would otherwise be read through ``cards_queue`` and the
# card rows. The deck, and so the state, are the caller's: fewer columns to convert.
# ``{above}`` is empty, or the floor condition (see ``QueueRepository.due_reviews``): put
# first, it spares the ~95% of rows it leaves out the other tests.
_REVIEW_PICK = (f"SELECT id, front, kind, due, {_RETRIEVABILITY} AS retrievability, "
                "elapsed_ratio FROM (SELECT c.id, c.front, c.kind, c.due, c.stability, "
                ":jnow - julianday(c.last_review) AS elapsed, "
                f"{_RATIO} AS elapsed_ratio "
                "FROM cards c INDEXED BY cards_review_due WHERE c.deck_id = :deck{above} "
                f"AND {_REVIEW} ORDER BY elapsed_ratio DESC, c.due, c.id LIMIT :limit)")
_REVIEW_ROWS = _REVIEW_PICK.format(above="")
_REVIEW_ROWS_ABOVE_FLOOR = _REVIEW_PICK.format(above=f" AND {_RATIO} >= :floor")
# One deck's first new cards by their index (0002); the picks of all decks are read in
# one statement.
_NEW_PICK = ("SELECT * FROM (SELECT c.id FROM cards c WHERE c.deck_id = :deck{n} AND "
             + _NEW + f" ORDER BY {_NEW_ORDER} LIMIT :limit{{n}})")


def _review_slack(limit: int) -> int:
    """Rows a deck's review pick reads past its ``limit``, so that the floor they set
    (see ``QueueRepository.due_reviews``) outlasts cards leaving the due set: a grade
    lowers the limit by one as it takes its card out, but a bury, a suspension or an
    edit does not, and each uses up one of these rows; once they are gone the pick runs
    once more without the floor (~1 ms at 6,000 due reviews). Each costs ~1 µs on every
    build: an eighth of the limit, at least 16 (25 at the default 200)."""
    return max(16, limit // 8)


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


class DueReview(NamedTuple):
    """A due review card of a known deck: what its queue entry shows, and its place
    among other decks' reviews."""

    id: int
    front: str
    kind: str
    due: str
    retrievability: float | None  # None: reviewed whole days ago to the millisecond
    elapsed_ratio: float  # days since the last review over stability (the study order)


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

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        try:  # pow() is one of SQLite's math functions, there when compiled with them
            conn.execute("SELECT pow(2, 1)")
        except sqlite3.OperationalError:  # C's pow all the same, called through Python
            conn.create_function("pow", 2, math.pow, deterministic=True)
        # Per deck id: the study-order ratio of the last review row its previous pick read
        # (see ``due_reviews``); none until a deck's due reviews outnumber what it reads.
        self.review_floors: dict[int, float] = {}

    def due_learning(self, deck_ids: Sequence[int], now: str, ahead: str, day_end: str
                     ) -> tuple[list[QueueCard], list[QueueCard]]:
        """(Re)learning cards of the decks ``deck_ids``, each list earliest first: those
        due by ``now`` or, when their step is a day or longer, by the end of the day;
        then those due within the learn-ahead window, by ``ahead``."""
        params = {"decks": json.dumps(list(deck_ids)), "now": now, "ahead": ahead,
                  "day_end": day_end}
        return (self._rows(QueueCard, _LEARNING_ROWS.format(due=_LEARNING_NOW), params),
                self._rows(QueueCard, _LEARNING_ROWS.format(due=_LEARNING_AHEAD), params))

    def due_reviews(self, deck_id: int, now: str, day_end: str, limit: int,
                    curve: tuple[float, float]) -> list[DueReview]:
        """Review cards of one deck due before ``day_end``, the ``limit`` lowest in
        retrievability first: highest elapsed days over stability, the only thing FSRS's
        forgetting curve depends on; then due, then id. Each is scored with the deck's
        curve ``(factor, decay)``, except a card reviewed a whole number of days before
        ``now`` to the millisecond (None: the caller counts its days, see
        ``last_review``)."""
        factor, decay = curve
        wanted = limit + _review_slack(limit)
        params = {"deck": deck_id, "limit": wanted, "now": now, "day_end": day_end,
                  "jnow": self._value("SELECT julianday(?)", [now]), "factor": factor,
                  "decay": decay}
        # A big deck has thousands of due reviews and the pick keeps a couple of hundred:
        # sorting them all was most of its time. The previous pick's last ratio is a
        # floor: the cards below it are left out before the sort. Exact whatever the
        # floor: every card left out ranks after every card kept (a lower ratio; ties on
        # the floor are kept), so when at least ``limit`` are kept, the first ``limit``
        # are the unfiltered pick's. Otherwise the pick runs again without it (a floor
        # set at a later ``now``, or cards gone since). Ratios only grow as ``now``
        # moves on, so a floor keeps filtering until cards leave the due set.
        floor = self.review_floors.get(deck_id)
        if floor is not None:
            rows = self._rows(DueReview, _REVIEW_ROWS_ABOVE_FLOOR, {**params, "floor": floor})
            if len(rows) >= limit:
                if len(rows) == wanted:  # a higher floor, if ``now`` moved on
                    self._set_floor(deck_id, rows[-1].elapsed_ratio)
                return rows[:limit]  # fewer than ``wanted``: the old floor still serves
        rows = self._rows(DueReview, _REVIEW_ROWS, params)
        if len(rows) == wanted:
            self._set_floor(deck_id, rows[-1].elapsed_ratio)
        else:  # the whole due set is read: a floor would only add a statement
            self.review_floors.pop(deck_id, None)
        return rows[:limit]

    def _set_floor(self, deck_id: int, ratio: float | None) -> None:
        # None: no stability to divide by (such cards sort last); no floor then
        if ratio is None:
            self.review_floors.pop(deck_id, None)
        else:
            self.review_floors[deck_id] = ratio

    def last_review(self, card_id: int) -> tuple[str, float]:
        """A review card's last review (UTC ISO instant) and stability."""
        last_review, stability = self.conn.execute(
            "SELECT last_review, stability FROM cards WHERE id = ?", [card_id]).fetchone()
        return last_review, stability

    def new_cards(self, limits: Mapping[int, int], now: str) -> list[QueueCard]:
        """Unseen cards: of each deck in ``limits`` (deck id -> how many at most) the
        first in the order they were first written (undated last), then position, then
        id; all in that order."""
        if not limits:
            return []
        params: dict[str, object] = {"now": now}
        picks = []
        for n, (deck_id, limit) in enumerate(limits.items()):
            picks.append(_NEW_PICK.format(n=n))
            params[f"deck{n}"], params[f"limit{n}"] = deck_id, limit
        return self._rows(QueueCard, "SELECT c.id, d.name AS deck, c.deck_id, c.front, "
                          "c.kind, c.state, c.due, NULL AS retrievability "
                          f"FROM ({' UNION ALL '.join(picks)}) x JOIN cards c ON c.id = x.id "
                          f"JOIN decks d ON d.id = c.deck_id ORDER BY {_NEW_ORDER}", params)

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
