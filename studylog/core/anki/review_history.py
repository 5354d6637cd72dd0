"""Anki's schedule and revlog in studylog's terms: the card columns an imported card
starts with and the review-log rows of its history.

Anki counts review due dates in days from the collection's day 0 (``col.crt``, the
start of a study day) and learning ones in epoch seconds; both become UTC instants.
The memory state (stability, difficulty) is Anki's own when its FSRS was on (the card's
``data`` holds ``s``/``d``: the same model studylog uses); otherwise the card's reviews
are replayed through the ``fsrs`` package, so the schedule goes on from the same
history. Manual rows (a reschedule, "set due date": no grade) are not reviews and are
left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import fsrs

from studylog.core.review.study_day import to_iso
from studylog.core.storage.anki_collection import ForeignCard, ForeignReview

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STATES = {1: "learning", 2: "review", 3: "relearning"}
_KIND_BEFORE = {1: "review", 2: "relearning", 3: "review"}  # revlog type -> state
MANUAL_KINDS = (4, 5)


@dataclass(slots=True)
class History:
    """A card's schedule (card columns, empty for a new card) and its review-log rows
    (in the form ``ReviewLogRepository.insert_stored`` writes)."""

    schedule: dict[str, Any]
    rows: list[tuple[Any, ...]]  # stored form, ``IMPORT_COLUMNS`` order
    last_review: str | None


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def graded(reviews: list[ForeignReview]) -> list[ForeignReview]:
    """The reviews that are grades (ease 1-4, not a manual reschedule)."""
    return [r for r in reviews if 1 <= r.ease <= 4 and r.kind not in MANUAL_KINDS]


def _replay(reviews: list[ForeignReview]) -> list[tuple[float, float]]:
    """(stability, difficulty) after each review, by the fsrs package's model."""
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card()
    out = []
    for review in reviews:
        card, _ = scheduler.review_card(card, fsrs.Rating(review.ease),
                                        _instant(review.id / 1000))
        assert card.stability is not None and card.difficulty is not None
        out.append((card.stability, card.difficulty))
    return out


def _memory(card: ForeignCard) -> tuple[float, float] | None:
    try:
        data = json.loads(card.data) if card.data else {}
        return float(data["s"]), float(data["d"])
    except (ValueError, KeyError, TypeError):
        return None


def _due(card: ForeignCard, day_zero: int) -> datetime:
    if card.type in (1, 3) and card.queue != 3 and card.due > 1_000_000_000:
        return _instant(card.due)  # learning: epoch seconds
    return _instant(day_zero + card.due * 86400)  # review, day-learning: a day number


_DAY_US = 86_400_000_000


def _log_rows(card_id: int, reviews: list[ForeignReview],
              memory: list[tuple[float, float]] | None) -> list[tuple[Any, ...]]:
    """The review-log rows, stored form, in ``IMPORT_COLUMNS`` order. Integer
    microseconds throughout (a million rows: datetime arithmetic would cost seconds)."""
    rows: list[tuple[Any, ...]] = []
    due_before = last = None
    lapses = 0
    state = "new"
    none = (None, None)
    for index, review in enumerate(reviews):
        at = review.id * 1000
        if index:
            state = _KIND_BEFORE.get(review.kind, "learning")
        interval = review.interval
        after = at + (interval * _DAY_US if interval > 0 else -interval * 1_000_000)
        lapsed = state == "review" and review.ease == 1
        state_after = ("review" if interval > 0 else
                       "relearning" if lapsed or state in ("review", "relearning")
                       else "learning")
        before = memory[index - 1] if memory and index else none
        now = memory[index] if memory else none
        rows.append((card_id, review.ease,
                     (_EPOCH + timedelta(microseconds=at)).isoformat(timespec="microseconds"),
                     max(0, review.duration_ms), state, before[0], before[1], due_before,
                     state_after, now[0], now[1], after, None, last, index, lapses, 0, None,
                     0))
        lapses += lapsed
        due_before, last = after, at
    return rows


def card_history(card_id: int, card: ForeignCard | None, reviews: list[ForeignReview],
                 day_zero: int) -> History:
    """The schedule and review log an imported card starts with."""
    reviews = graded(reviews)
    stored = _memory(card) if card is not None else None
    replayed = _replay(reviews) if reviews and stored is None else None
    rows = _log_rows(card_id, reviews, replayed)
    last = rows[-1][2] if rows else None
    schedule: dict[str, Any] = {}
    if card is not None and card.queue == -1:
        schedule["suspended"] = 1
    if card is None or card.type not in _STATES:
        return History(schedule, rows, last)
    memory = stored or (replayed[-1] if replayed else None)
    due = _due(card, day_zero)
    if memory is None:  # no FSRS state and no history: the interval is the stability
        memory = (float(max(card.interval, 1)), 5.0)
    if last is None:
        last = to_iso(due - timedelta(days=max(card.interval, 0)))
    schedule.update(state=_STATES[card.type], step=None if card.type == 2 else 0,
                    stability=memory[0], difficulty=memory[1], due=to_iso(due),
                    last_review=last, reps=card.reps, lapses=card.lapses)
    return History(schedule, rows, last)
