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
from functools import partial
from typing import TYPE_CHECKING

from studylog.core.review.settings import (
    DeckSettings,
    current_study_day,
    resolve_deck,
    settings_by_deck_id,
)
from studylog.core.review.study_day import StudyDay, to_iso, utc
from studylog.core.storage.database import Store
from studylog.core.storage.queue import QueueCard, QueueCounts

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


class _Forgetting:
    """FSRS's forgetting curve for one deck's parameters: the very arithmetic of
    ``fsrs.Scheduler.get_card_retrievability`` (whole days elapsed since the last review),
    without building an ``fsrs.Card`` for each of the hundreds of review cards a queue
    scores. SQLite scores them with ``factor`` and ``decay``; this scores the rare card it
    leaves (one reviewed a whole number of days ago to the millisecond)."""

    def __init__(self, scheduler: fsrs.Scheduler) -> None:
        self.decay = -scheduler.parameters[20]
        self.factor = 0.9 ** (1 / self.decay) - 1

    def retrievability(self, last_review: str, stability: float, now: datetime) -> float:
        # an aware datetime subtracts right whatever its offset: no need for from_iso
        elapsed_days = max(0, (now - datetime.fromisoformat(last_review)).days)
        return float((1 + self.factor * elapsed_days / stability) ** self.decay)


def _due_reviews(store: Store, settings: dict[int, DeckSettings],
                 allowance: dict[int, Allowance], now: datetime, day: StudyDay
                 ) -> list[QueueCard]:
    """Each deck's allowance of due reviews, lowest retrievability first (highest elapsed
    days over stability, then due, then id) across decks too."""
    now_iso = to_iso(now)
    names = store.decks.names_by_id()
    ranked: list[tuple[float, str, int, QueueCard]] = []
    curves = {}
    entry = partial(tuple.__new__, QueueCard)  # without its __new__: a Python call a card
    for did, left in allowance.items():
        if not left.reviews:
            continue
        curve = curves[did] = _Forgetting(settings[did].scheduler())
        deck = names[did]
        # each deck's come in study order: only merging them is left
        ranked += [(-ratio, due, cid, entry((cid, deck, did, front, kind, "review", due, r)))
                   for cid, front, kind, due, r, ratio in store.queue.due_reviews(
                       did, now_iso, day.end_iso, left.reviews, (curve.factor, curve.decay))]
    ranked.sort()  # ids are unique: the cards themselves are never compared
    cards = [card for *_, card in ranked]
    for n in [n for n, card in enumerate(cards) if card.retrievability is None]:
        card = cards[n]  # reviewed whole days ago to the millisecond: SQLite left it
        last_review, stability = store.queue.last_review(card.id)
        cards[n] = card._replace(
            retrievability=curves[card.deck_id].retrievability(last_review, stability, now))
    return cards


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

    learning_now, learning_ahead = store.queue.due_learning(
        list(settings), now_iso, to_iso(now + LEARN_AHEAD), day.end_iso)
    reviews = _due_reviews(store, settings, allowance, now, day)
    new = store.queue.new_cards({did: left.new for did, left in allowance.items() if left.new},
                                now_iso)

    cards = learning_now + reviews + new + learning_ahead
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
