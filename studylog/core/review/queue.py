"""Today's review queue: what to study now, in order, within the daily limits.

Order, as in Anki:
1. learning and relearning cards that are due (and cards on a learning step of a day or
   more that fall due today), earliest first;
2. review cards due today, lowest retrievability first;
3. new cards, in the order they were first written in the journal (``first_written``,
   then ``position``, then ``id``; cards without a date, e.g. bundled decks, after dated
   ones);
4. learning cards due within the next 20 minutes ("learn ahead"), so a session does not
   stall on a 10-minute step when nothing else is left.

Limits are per deck: new cards introduced today (first grades of 'new' cards) and reviews
of review-state cards done today, both counted from ``review_log`` over the study day,
so undoing a grade gives the slot back. Learning cards have no limit. The queue over all
decks is the union of each deck's allowance.

Suspended cards, buried cards (``buried_until`` later than now) and the cards of decks
turned off (``DeckSettings.enabled``) are left out.
Orphaned cards (their keyword or deck entry is gone) stay in the queue: they keep their
history and can be suspended by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from studylog.core.review.settings import (
    DeckSettings,
    current_study_day,
    resolve_deck,
    settings_by_deck_id,
)
from studylog.core.review.study_day import StudyDay, from_iso, to_iso, utc
from studylog.core.storage.database import Store
from studylog.core.storage.queue import QueueCard, QueueCounts, QueueRow

if TYPE_CHECKING:
    import fsrs

__all__ = ["LEARN_AHEAD", "Allowance", "Queue", "QueueCard", "QueueCounts", "build_queue",
           "queue_counts", "remaining_limits"]

LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class Queue:
    """The queue at one instant: the cards in study order and their counts by kind
    (``learning`` includes relearning)."""

    cards: list[QueueCard]
    counts: QueueCounts
    day: StudyDay
    now: datetime

    def __len__(self) -> int:
        return len(self.cards)

    def first(self) -> QueueCard | None:
        """The card to study next, or None when done for now."""
        return self.cards[0] if self.cards else None


@dataclass(frozen=True)
class Allowance:
    """What one deck may still show today."""

    new: int
    reviews: int


def remaining_limits(store: Store, day: StudyDay,
                     settings: dict[int, DeckSettings]) -> dict[int, Allowance]:
    """Per deck id: new cards and reviews still allowed on ``day``."""
    done = store.review_log.done_by_deck(day.start_iso, day.end_iso)
    out = {}
    for deck_id, s in settings.items():
        new_done, reviews_done = done.get(deck_id, (0, 0))
        out[deck_id] = Allowance(max(0, s.new_per_day - new_done),
                                 max(0, s.reviews_per_day - reviews_done))
    return out


def _card(row: QueueRow, retrievability: float | None = None) -> QueueCard:
    return QueueCard(row.id, row.deck, row.deck_id, row.front, row.kind, row.state, row.due,
                     retrievability)


class _Forgetting:
    """FSRS's forgetting curve for one deck's parameters: the very arithmetic of
    ``fsrs.Scheduler.get_card_retrievability`` (whole days elapsed since the last review),
    without building an ``fsrs.Card`` for each of the hundreds of review cards a queue
    scores."""

    def __init__(self, scheduler: fsrs.Scheduler) -> None:
        self.decay = -scheduler.parameters[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def retrievability(self, row: QueueRow, now: datetime) -> float:
        last_review = from_iso(row.last_review)
        assert last_review is not None and row.stability is not None  # a reviewed card
        elapsed_days = max(0, (now - last_review).days)
        return float((1 + self.factor * elapsed_days / row.stability) ** self.decay)


def _study_day_limits(store: Store, now: datetime, tz: tzinfo | None,
                      deck_id: int | None = None
                      ) -> tuple[StudyDay, dict[int, DeckSettings], dict[int, Allowance]]:
    """The study day holding ``now``, and the settings and remaining allowance of one
    deck or of every deck."""
    day = current_study_day(store, now, tz)
    settings = settings_by_deck_id(store)
    if deck_id is not None:
        settings = {deck_id: settings[deck_id]}
    # a deck turned off is kept but neither reviewed nor counted
    settings = {did: s for did, s in settings.items() if s.enabled}
    return day, settings, remaining_limits(store, day, settings)


def build_queue(store: Store, deck: str | None = None, now: datetime | None = None,
                tz: tzinfo | None = None) -> Queue:
    """Today's queue at ``now`` (default: the current time) over all decks or one deck
    (ReviewError for an unknown deck; a deck turned off has an empty queue). ``tz``
    overrides the configured zone."""
    now = utc(now)
    deck_id = resolve_deck(store, deck) if deck is not None else None
    day, settings, allowance = _study_day_limits(store, now, tz, deck_id)
    now_iso = to_iso(now)

    ahead_iso = to_iso(now + LEARN_AHEAD)
    learning_now: list[QueueCard] = []
    learning_ahead: list[QueueCard] = []
    # read earliest first (due, id): both lists keep that order
    for card in store.queue.due_learning(list(settings), now_iso, ahead_iso, day.end_iso):
        due = card.due or ""
        (learning_now if due <= now_iso or due > ahead_iso else learning_ahead).append(card)

    reviews: list[tuple[float, QueueCard]] = []
    new: list[tuple[tuple[bool, str, int | None, int], QueueCard]] = []
    for did, left in allowance.items():
        if left.reviews:
            curve = _Forgetting(settings[did].scheduler())
            reviews += [(row.elapsed_ratio or 0.0, _card(row, curve.retrievability(row, now)))
                        for row in store.queue.due_reviews(did, now_iso, day.end_iso,
                                                           left.reviews)]
        if left.new:
            new += [((row.first_written is None, row.first_written or "", row.position,
                      row.id), _card(row))
                    for row in store.queue.new_cards(did, now_iso, left.new)]
    reviews.sort(key=lambda item: (-item[0], item[1].due or "", item[1].id))
    new.sort(key=lambda item: item[0])

    cards = learning_now + [c for _, c in reviews] + [c for _, c in new] + learning_ahead
    counts = QueueCounts(new=len(new), learning=len(learning_now) + len(learning_ahead),
                         review=len(reviews))
    return Queue(cards, counts, day, now)


def queue_counts(store: Store, now: datetime | None = None,
                 tz: tzinfo | None = None) -> dict[str, QueueCounts]:
    """Per deck name: how many new, learning and review cards ``build_queue`` over all
    decks would hold at ``now`` — the same rules and limits, counted in SQL without
    loading or scoring the cards (Today shows these on every start)."""
    now = utc(now)
    day, _, allowance = _study_day_limits(store, now, tz)
    out = {}
    for deck_id, name in store.decks.names_by_id().items():
        left = allowance.get(deck_id)
        if left is None:  # turned off
            continue
        found = store.queue.counts(deck_id, to_iso(now), to_iso(now + LEARN_AHEAD),
                                   day.end_iso, left.new, left.reviews)
        if found.total:
            out[name] = found
    return out
