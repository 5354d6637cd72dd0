"""Interval fuzz, drawn the way Anki draws it.

Anki spreads review intervals over a small range so cards added together do not stay
due together. The rules here follow Anki's ``rslib/src/scheduler/states/fuzz.rs``
(``fuzz_delta``, ``fuzz_bounds``, ``constrained_fuzz_bounds``, ``with_review_fuzz``,
``minimum_review_fuzz_interval``); they are restated, not copied:

- intervals under 2.5 days are not fuzzed; longer ones get 1 day plus 15% of the part
  between 2.5 and 7 days, 10% of the part between 7 and 20 and 5% of the part above 20,
  in both directions, computed from the *unrounded* interval;
- the bounds are rounded, kept inside [minimum, maximum], and widened to two days when
  they collapse to one (unless that hits the maximum or the interval is 1-2 days);
- the interval is ``floor(lower + factor * (upper - lower + 1))`` for a fuzz factor in
  [0, 1), so every day of the range is equally likely and ``upper + 1`` never happens.

The fuzz factor is seeded by the card and its number of reviews (Anki: card id + reps,
``answering/mod.rs`` ``get_fuzz_seed``), so the interval a grade button shows is the one
the grade stores, and undoing and regrading draws the same interval again.
"""

from __future__ import annotations

import math
import random

# (start, end, factor): Anki's FUZZ_RANGES.
FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.10), (20.0, math.inf, 0.05))


def round_half_up(value: float) -> int:
    """Round as Rust's ``f32::round`` does for the positive values used here (2.5 -> 3);
    Python's ``round`` would give 2."""
    return math.floor(value + 0.5)


def fuzz_delta(interval: float) -> float:
    """How many days the interval may move either way (0 under 2.5 days)."""
    if interval < 2.5:
        return 0.0
    return 1.0 + sum(factor * max(min(interval, end) - start, 0.0)
                     for start, end, factor in FUZZ_RANGES)


def fuzz_bounds(interval: float, minimum: int, maximum: int) -> tuple[int, int]:
    """The days an unrounded ``interval`` may be fuzzed to, inside [minimum, maximum]."""
    minimum = min(minimum, maximum)
    interval = min(max(interval, minimum), maximum)
    delta = fuzz_delta(interval)
    lower = min(max(round_half_up(interval - delta), minimum), maximum)
    upper = min(max(round_half_up(interval + delta), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def with_review_fuzz(factor: float | None, interval: float, minimum: int,
                     maximum: int) -> int:
    """The interval in days: drawn from the fuzz range by ``factor`` (0 <= factor < 1),
    or, with fuzz off (``None``), rounded and kept inside [minimum, maximum]."""
    if factor is None:
        return min(max(round_half_up(interval), minimum), maximum)
    lower, upper = fuzz_bounds(interval, minimum, maximum)
    return math.floor(lower + factor * (upper - lower + 1))


def minimum_review_fuzz_interval(interval: float, previous: int, maximum: int) -> int:
    """The least a review interval may be after fuzz, given the card's previous interval:
    past it when the interval grew, not below it when it stayed within fuzz range, and
    no limit when it shrank (say the desired retention went up)."""
    if round_half_up(interval) > previous:
        return previous + 1
    if previous <= fuzz_bounds(interval, 1, maximum)[1]:
        return previous
    return 0


def fuzz_factor(card_id: int, reps: int) -> float:
    """The fuzz factor in [0, 1) for the grade after ``reps`` reviews of ``card_id``:
    the same every time it is asked for, so previews and grades agree."""
    return random.Random(f"studylog-fuzz:{card_id}:{reps}").random()
