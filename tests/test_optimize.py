"""Fitting FSRS parameters to the review log: elapsed time handed to the optimizer in
study days, the too-little-history message, and a real fit (fsrs's optimizer in its own
process) on a simulated learner's 3,000 grades."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
from optimizer_history import simulate

from studylog.core.review.fit_history import (
    MINIMUM_REVIEWS,
    FitReview,
    counted_reviews,
    optimizer_instant,
)
from studylog.core.review.settings import DayConfig, deck_settings
from studylog.core.review.study_day import study_date

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")


def test_the_optimizer_sees_study_days_not_24_hour_periods():
    day = DayConfig(4, SEOUL)

    def gap(a: datetime, b: datetime) -> int:
        return (optimizer_instant(b, day) - optimizer_instant(a, day)).days

    evening = datetime(2023, 11, 13, 22, 11, tzinfo=SEOUL)
    # learnt at 22:11, reviewed at 09:00: 10 h 49 m, yet one study day
    assert gap(evening, datetime(2023, 11, 14, 9, 0, tzinfo=SEOUL)) == 1
    # 03:00 the next night is still the same study day
    assert gap(evening, datetime(2023, 11, 14, 3, 0, tzinfo=SEOUL)) == 0
    # 05:00 to 04:30 the next day: 23.5 hours, one study day
    assert gap(datetime(2023, 11, 13, 5, tzinfo=SEOUL),
               datetime(2023, 11, 14, 4, 30, tzinfo=SEOUL)) == 1
    # the order within a study day is kept
    assert optimizer_instant(evening, day) < optimizer_instant(
        evening + timedelta(minutes=1), day)


def test_study_day_gaps_hold_for_any_pair_of_instants_across_dst():
    rng = random.Random(3)
    day = DayConfig(4, NEW_YORK)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    for _ in range(3000):
        a = start + timedelta(seconds=rng.uniform(0, 3 * 365 * 86400))
        b = a + timedelta(seconds=rng.choice([rng.uniform(0, 3 * 86400),
                                              rng.uniform(0, 2000 * 86400)]))
        expected = (study_date(b, NEW_YORK, 4) - study_date(a, NEW_YORK, 4)).days
        assert (optimizer_instant(b, day) - optimizer_instant(a, day)).days == expected


def test_counted_reviews_follow_the_optimizer_rule():
    base = datetime(2024, 1, 1, tzinfo=UTC)

    def at(days: float) -> datetime:
        return base + timedelta(days=days)

    # the optimizer counts whole 24-hour periods since the card's previous grade, which is
    # why its input instants are made up in study days: 0.001 -> 1 is 0.999 days, not one
    reviews = [FitReview(1, 3, at(0), None), FitReview(1, 3, at(0.001), None),
               FitReview(1, 3, at(1), None), FitReview(1, 1, at(5), None),
               FitReview(2, 3, at(0), None), FitReview(2, 3, at(3), None)]
    assert counted_reviews(reviews) == 2
    # only a card's first 64 grades count
    many = [FitReview(9, 3, at(d), None) for d in range(100)]
    assert counted_reviews(many) == 63


def test_too_little_history_says_how_many_more(store, cli):
    simulate(store, 300)
    result = cli("optimize")
    assert result.exit_code == 1
    counted = int(result.output.split("not enough history to optimize: ")[1].split()[0])
    assert 0 < counted < MINIMUM_REVIEWS
    assert f"review {MINIMUM_REVIEWS - counted} more" in result.output
    assert deck_settings(store, "journal").parameters is None


def test_fitting_3000_simulated_grades_beats_the_defaults_and_is_saved(store, cli):
    simulate(store, 3000)
    result = cli("optimize", "--deck", "journal", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output[result.output.index("{"):])
    assert out["grades"] == 3000 and out["reviews_counted"] >= MINIMUM_REVIEWS
    defaults = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    assert len(out["parameters"]) == len(defaults)
    assert max(abs(a - b) for a, b in zip(out["parameters"], defaults)) > 0.01
    assert out["fitted"]["log_loss"] < out["default"]["log_loss"]
    assert out["current"] == out["default"]  # never fitted before: the defaults
    assert out["saved"] is True
    assert out["optimal_retention"] in (0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
    saved = deck_settings(store, "journal")
    assert saved.parameters is not None
    assert [round(p, 4) for p in saved.parameters] == out["parameters"]
    assert list(saved.scheduler().parameters) == list(saved.parameters)
    assert saved.desired_retention == 0.9  # the suggestion is never applied
    # the same history again: the fit is no better than the saved one, nothing changes
    again = cli("optimize", "--deck", "journal")
    assert again.exit_code == 0, again.output
    assert "Not saved" in again.output
    assert deck_settings(store, "journal").parameters == saved.parameters


def test_progress_never_goes_back_over_the_workers_stages():
    """The worker's messages in the order it sends them (fit_worker.main): the bar must
    not fall back to 0 while the fitted parameters are scored after the epochs."""
    from studylog.core.review.optimize import PROGRESS_STEPS, FitProgress, progress_steps

    stages = [FitProgress("evaluating", 0, 1),
              *(FitProgress("fitting", done, 5) for done in range(6)),
              FitProgress("evaluating", 1, 1), FitProgress("optimal retention", 0, 1)]
    steps = [progress_steps(p) for p in stages]
    assert steps == sorted(steps) and steps[0] == 0 and steps[-1] < PROGRESS_STEPS
