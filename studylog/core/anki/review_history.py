"""Anki's schedule in studylog's terms: the card columns an imported card starts with.
(Its review log is copied by ``storage.anki_history``, in SQL.)

Anki counts review due dates in days from the collection's day 0 (``col.crt``, the
start of a study day) and learning ones in epoch seconds; both become UTC instants.
The memory state (stability, difficulty) is Anki's own when its FSRS was on (the card's
``data`` holds ``s``/``d``: the same model studylog uses); otherwise the card's graded
reviews are replayed through the ``fsrs`` package, so the schedule goes on from the
same history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import fsrs

from studylog.core.review.study_day import to_iso
from studylog.core.storage.anki_collection import ForeignCard, ForeignReview

_STATES = {1: "learning", 2: "review", 3: "relearning"}

Memory = tuple[float, float]  # stability, difficulty


def _instant(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def stored_memory(card: ForeignCard) -> Memory | None:
    """Anki's FSRS memory state of the card, if its FSRS was on."""
    try:
        data = json.loads(card.data) if card.data else {}
        return float(data["s"]), float(data["d"])
    except (ValueError, KeyError, TypeError):
        return None


def replayed_memory(reviews: Iterable[ForeignReview]) -> Memory | None:
    """The memory state after the graded ``reviews``, by the fsrs package's model."""
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card()
    for review in reviews:
        card, _ = scheduler.review_card(card, fsrs.Rating(review.ease),
                                        _instant(review.id / 1000))
    if card.stability is None or card.difficulty is None:
        return None
    return card.stability, card.difficulty


def _due(card: ForeignCard, day_zero: int) -> datetime:
    if card.type in (1, 3) and card.queue != 3 and card.due > 1_000_000_000:
        return _instant(card.due)  # learning: epoch seconds
    return _instant(day_zero + card.due * 86400)  # review, day-learning: a day number


def card_schedule(card: ForeignCard, last_review_ms: int | None, memory: Memory | None,
                  day_zero: int) -> dict[str, Any]:
    """The card columns of an imported card: empty for a new one (suspension aside).
    ``memory`` is Anki's or the replayed state; without either (no FSRS state and no
    graded history) the interval stands in for the stability."""
    schedule: dict[str, Any] = {"suspended": 1} if card.queue == -1 else {}
    if card.type not in _STATES:
        return schedule
    due = _due(card, day_zero)
    if memory is None:
        memory = (float(max(card.interval, 1)), 5.0)
    last = (_instant(last_review_ms / 1000) if last_review_ms is not None
            else due - timedelta(days=max(card.interval, 0)))
    schedule.update(state=_STATES[card.type], step=None if card.type == 2 else 0,
                    stability=memory[0], difficulty=memory[1], due=to_iso(due),
                    last_review=to_iso(last), reps=card.reps, lapses=card.lapses)
    return schedule
