"""The review log as the FSRS optimizer reads it, with elapsed time in study days.

The optimizer (``fsrs.Optimizer``) replays each card's grades and counts elapsed time as
py-fsrs does, ``(review - last_review).days``: whole 24-hour periods. Our scheduler counts
*study days* (``anki_rules`` rule 1: learn at 22:11, review at 09:00 the next morning =
one day), so the parameters must be fitted on study days too. We therefore hand the
optimizer made-up instants, not the real ones:

    instant = EPOCH + n * (1 day + 1 s) + (how far into study day n the grade was) * 1 s

where ``n`` counts study days (day start and zone of the review settings). Two grades on
study days ``n1 < n2`` are then ``(n2 - n1)`` days and between ``n2 - n1 - 1`` and
``n2 - n1 + 1`` seconds apart, so ``.days`` is exactly ``n2 - n1`` (for gaps under 236
years); grades of one study day are under a second apart, in their real order, so
``.days`` is 0. The extra second per day keeps a later grade earlier in its day from
rounding the gap down.

This module imports no torch: the CLI and the app use it to gather the history and to
count whether there is enough of it; ``fit_worker`` (a separate process) fits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from studylog.core.review.settings import DayConfig
from studylog.core.review.study_day import from_iso, study_date, study_day_of

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1, seconds=1)
MINIMUM_REVIEWS = 512  # fsrs.optimizer: mini_batch_size; fewer and it returns the defaults
MAX_SEQ_LEN = 64  # fsrs.optimizer: only the first 64 grades of each card are used


@dataclass(frozen=True, slots=True)
class FitReview:
    """One grade as the optimizer gets it: ``at`` is the made-up instant above."""

    card_id: int
    rating: int
    at: datetime
    duration_ms: int | None


def optimizer_instant(moment: datetime, day: DayConfig) -> datetime:
    """The made-up instant of a grade at ``moment`` (see the module docstring)."""
    local_date: date = study_date(moment, day.tz, day.start_hour)
    bounds = study_day_of(local_date, day.tz, day.start_hour)
    into_day = (moment - bounds.start) / (bounds.end - bounds.start)  # 0 <= x < 1
    n = (local_date - EPOCH.date()).days
    return EPOCH + n * DAY + timedelta(seconds=min(max(into_day, 0.0), 0.999999))


def fit_reviews(rows: list[tuple[int, int, str, int | None]], day: DayConfig
                ) -> list[FitReview]:
    """``(card_id, rating, reviewed_at, duration_ms)`` rows, oldest first, as optimizer
    input. Only cards whose history starts at their first grade count (the optimizer
    replays every card from new)."""
    out = []
    for card_id, rating, reviewed_at, duration_ms in rows:
        moment = from_iso(reviewed_at)
        assert moment is not None
        out.append(FitReview(card_id, rating, optimizer_instant(moment, day), duration_ms))
    return out


def counted_reviews(reviews: list[FitReview]) -> int:
    """How many grades the optimizer learns from, by its own rule: among each card's first
    64 grades, those on a later (study) day than the card's previous grade. Below
    ``MINIMUM_REVIEWS`` it does not fit at all."""
    by_card: dict[int, list[datetime]] = {}
    for review in reviews:
        by_card.setdefault(review.card_id, []).append(review.at)
    count = 0
    for times in by_card.values():
        times = sorted(times)[:MAX_SEQ_LEN]
        count += sum((b - a).days > 0 for a, b in zip(times, times[1:]))
    return count
