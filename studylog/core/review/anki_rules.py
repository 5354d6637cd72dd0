"""What each answer button does to a card, by Anki's rules around the ``fsrs`` model.

The ``fsrs`` package computes the memory model (stability, difficulty, retrievability)
and the (re)learning steps. Where its time handling and interval rules differ from Anki's
(rslib ``scheduler/answering/mod.rs``, ``scheduler/states/{review,learning,
relearning}.rs``), this module wraps it:

1. **Elapsed time in study days.** py-fsrs counts ``(review_time - last_review).days``,
   whole 24-hour periods; Anki hands fsrs-rs the number of day rollovers since the last
   review (``days_elapsed`` in ``card_state_updater``), which is what FSRS's default
   parameters were fitted on. Learn at 22:11 and review at 09:00 the next morning: one
   study day, zero 24-hour periods. We count study days (day start and zone from the
   review settings) and give py-fsrs a ``last_review`` exactly that many days back, so its
   memory update and retrievability see Anki's number. Same study day: 0 (short-term).
2. **Review intervals** are the unrounded FSRS intervals, fuzzed as in ``fuzz.py``, with
   Anki's ordering for review cards (``passing_fsrs_review_intervals``): Hard at least
   1 day, Good at least Hard + 1, Easy at least Good + 1, and none of them fuzzed below
   the previous interval when it grew (``minimum_review_fuzz_interval``).
3. **Graduating** from (re)learning (``learning.rs``/``relearning.rs``): the interval is
   rounded, then fuzzed; Easy is at least one day past Good's fuzzed interval.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import fsrs

from studylog.core.review.fuzz import (
    minimum_review_fuzz_interval,
    round_half_up,
    with_review_fuzz,
)
from studylog.core.review.settings import DayConfig, DeckSettings
from studylog.core.review.study_day import add_local_days, study_date

Rating = fsrs.Rating


@dataclass(frozen=True)
class Outcome:
    """One answer's result: the card after it and, when it goes to review, the interval
    in days (None for a (re)learning step)."""

    card: fsrs.Card
    days: int | None


def elapsed_study_days(last_review: datetime, now: datetime, day: DayConfig) -> int:
    """Study days from the last review's study day to the one holding ``now`` (0 on the
    same study day). Anki computes this as whole days from the last review to the next
    day rollover; outside the hour around a daylight-saving change the two agree, and
    there this keeps 'same study day means 0'."""
    then = study_date(last_review, day.tz, day.start_hour)
    return max(0, (study_date(now, day.tz, day.start_hour) - then).days)


def scheduled_days(card: fsrs.Card, day: DayConfig) -> int:
    """A review card's current interval in study days (Anki's ``ivl``): from its last
    review's study day to its due day."""
    if card.last_review is None:
        return 0
    return elapsed_study_days(card.last_review, card.due, day)


def fsrs_interval(scheduler: fsrs.Scheduler, stability: float) -> float:
    """The unrounded interval (days) at which recall falls to the desired retention
    (fsrs-rs ``next_interval``; py-fsrs rounds it before we could fuzz it)."""
    factor: float = scheduler._FACTOR
    decay: float = scheduler._DECAY
    return float((stability / factor) * (scheduler.desired_retention ** (1 / decay) - 1))


def _model(settings: DeckSettings) -> fsrs.Scheduler:
    # Fuzz is drawn here, Anki's way; py-fsrs's own draw (``round(lo + u*(hi-lo+1))``,
    # bounds from the rounded interval) can land one day past Anki's range.
    return replace(settings, enable_fuzzing=False).scheduler()


def _review_days(card: fsrs.Card, intervals: dict[Rating, float], maximum: int,
                 factor: float | None, day: DayConfig) -> dict[Rating, int]:
    """Hard/Good/Easy for a review card (states/review.rs)."""
    previous = scheduled_days(card, day)
    out: dict[Rating, int] = {}
    floor = 0
    for rating in (Rating.Hard, Rating.Good, Rating.Easy):
        interval = intervals[rating]
        least = max(minimum_review_fuzz_interval(interval, previous, maximum), floor, 1)
        out[rating] = with_review_fuzz(factor, interval, min(least, maximum), maximum)
        floor = out[rating] + 1
    # Again without relearning steps: rounded, not fuzzed (fuzz comes when the card
    # leaves relearning, says review.rs).
    out[Rating.Again] = min(max(round_half_up(intervals[Rating.Again]), 1), maximum)
    return out


def _graduating_days(intervals: dict[Rating, float], maximum: int,
                     factor: float | None) -> dict[Rating, int]:
    """Intervals when a (re)learning card graduates (states/learning.rs, relearning.rs)."""
    out = {rating: with_review_fuzz(factor, max(round_half_up(intervals[rating]), 1), 1,
                                    maximum)
           for rating in (Rating.Again, Rating.Hard, Rating.Good)}
    good = with_review_fuzz(factor, intervals[Rating.Good], 1, maximum)
    out[Rating.Easy] = with_review_fuzz(factor, max(round_half_up(intervals[Rating.Easy]), 1),
                                        min(good + 1, maximum), maximum)
    return out


def next_states(settings: DeckSettings, card: fsrs.Card, now: datetime, day: DayConfig,
                factor: float | None) -> dict[Rating, Outcome]:
    """For each rating: the card after answering it at ``now`` (UTC). ``factor`` is the
    fuzz factor (``fuzz.fuzz_factor``), or None for no fuzz."""
    model = _model(settings)
    shifted = copy(card)
    if card.last_review is not None:
        # Rule 1: py-fsrs reads (now - last_review).days; make that the study days.
        elapsed = elapsed_study_days(card.last_review, now, day)
        shifted.last_review = now - timedelta(days=elapsed)
    after = {rating: model.review_card(shifted, rating, now)[0] for rating in Rating}
    # every answered card has a stability (the model sets it on the first grade)
    intervals = {rating: fsrs_interval(model, c.stability or 0.0)
                 for rating, c in after.items()}
    maximum = max(settings.maximum_interval, 1)
    if card.state == fsrs.State.Review:
        days = _review_days(card, intervals, maximum, factor, day)
    else:
        days = _graduating_days(intervals, maximum, factor)
    out = {}
    for rating, result in after.items():
        if result.state != fsrs.State.Review:
            out[rating] = Outcome(result, None)
            continue
        result.due = add_local_days(now, days[rating], day.tz)
        out[rating] = Outcome(result, days[rating])
    return out

