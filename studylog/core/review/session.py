"""A study session: the queue, grading and undo (of any action, through the undo
journal), for one deck or all.

The TUI drives one of these; every call takes an optional ``now`` so tests and
simulations control the clock. The queue is rebuilt on every ``queue`` call, so a card
graded Again comes back when its learning step is due, and limits follow the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

import fsrs

from studylog.core.review.queue import Queue, build_queue
from studylog.core.review.scheduling import (
    IntervalPreview,
    ReviewResult,
    bury,
    preview_intervals,
    record_review,
)
from studylog.core.review.settings import current_study_day, enabled_deck_ids, resolve_deck
from studylog.core.review.study_day import to_iso
from studylog.core.storage.database import Store
from studylog.core.undo.reversal import Undone, undo_newest


@dataclass(frozen=True)
class SessionSummary:
    """What a session did: cards graded, time spent, the share graded Again, and how many
    scheduled cards fall due by the end of the next study day."""

    reviews: int
    cards: int
    seconds: float
    again_rate: float
    due_tomorrow: int


class ReviewSession:
    """Study ``deck`` (None: every deck) in ``store``; ``tz`` overrides the configured
    time zone."""

    def __init__(self, store: Store, deck: str | None = None, *, tz: tzinfo | None = None):
        if deck is not None:
            resolve_deck(store, deck)  # an unknown deck fails now, not on first use
        self.store, self.deck, self.tz = store, deck, tz
        self._graded: list[int] = []  # review-log ids of this session, oldest first

    def queue(self, now: datetime | None = None) -> Queue:
        """Today's queue at ``now``."""
        return build_queue(self.store, self.deck, now, self.tz)

    def preview(self, card_id: int, now: datetime | None = None) -> dict[str, IntervalPreview]:
        """The four answer buttons' intervals for ``card_id``."""
        return preview_intervals(self.store, card_id, now, self.tz)

    def grade(self, card_id: int, rating: str | int | fsrs.Rating,
              duration_ms: int | None = None, now: datetime | None = None) -> ReviewResult:
        """Grade a card (journaled, so ``undo`` can reverse it); the summary counts it."""
        result = record_review(self.store, card_id, rating, duration_ms, now, self.tz)
        self._graded.append(result.log_id)
        return result

    def undo(self) -> Undone:
        """Undo the study day's newest action, whoever did it (a grade here, a bury, a
        `studylog suspend` in another terminal...); repeat to go further back.
        UndoError (a ReviewError) when there is nothing left to undo today."""
        return undo_newest(self.store)

    def summary(self, now: datetime | None = None) -> SessionSummary:
        """What this session did, and what falls due by the end of the next study day."""
        rows = self.store.review_log.of_ids(self._graded)
        again = sum(r.rating == 1 for r in rows)
        day = current_study_day(self.store, now, self.tz)
        tomorrow_end = to_iso(day.end + timedelta(days=1))
        # a deck turned off is not counted (studied alone it is empty, as its queue)
        on = enabled_deck_ids(self.store)
        decks = on if self.deck is None else \
            [d for d in on if d == resolve_deck(self.store, self.deck)]
        return SessionSummary(len(rows), len({r.card_id for r in rows}),
                              sum(r.duration_ms or 0 for r in rows) / 1000,
                              again / len(rows) if rows else 0.0,
                              self.store.queue.scheduled_due_before(tomorrow_end, decks))

    def bury(self, card_id: int, now: datetime | None = None) -> str:
        """Hide a card until the next study day."""
        return bury(self.store, card_id, now, self.tz)
