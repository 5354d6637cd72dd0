"""Fit FSRS parameters to the learner's own review log (Anki's "Optimize").

The fitting is ``fsrs``'s optimizer, which needs torch: it runs in a separate process
(``fit_worker``), never the app's or the CLI's. This module gathers the grades (with
elapsed time in study days, ``fit_history``), refuses too little history with how much
more is needed, reports log loss and RMSE of the default, current and fitted parameters
on the same grades, saves the fitted parameters to the deck settings only when they
predict better than the current ones, and gives the optimizer's optimal retention as a
suggestion (never applied).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studylog.core.review.fit_history import MINIMUM_REVIEWS, counted_reviews, fit_reviews
from studylog.core.review.settings import (
    ReviewError,
    day_config,
    resolve_deck,
    set_deck_settings,
    settings_by_deck_id,
)
from studylog.core.storage.database import Store

WORKER = "studylog.core.review.fit_worker"


class NotEnoughHistory(ReviewError):
    """Too few grades for the optimizer to fit; the message says how many more."""


@dataclass(frozen=True)
class FitProgress:
    stage: str  # "evaluating", "fitting" (epochs), "optimal retention"
    done: int
    total: int


# evaluating the defaults, five epochs, the optimal-retention simulation
PROGRESS_STEPS = 7


def progress_steps(p: FitProgress) -> int:
    """How many of ``PROGRESS_STEPS`` are done at ``p``."""
    if p.stage == "fitting":
        return 1 + p.done * 5 // max(p.total, 1)
    if p.stage == "optimal retention":
        return 6
    # "evaluating" comes twice: the defaults before the epochs (0 of 1) and the fitted
    # parameters after them (1 of 1), when the bar must not fall back to the start
    return 6 if p.done >= p.total else 0


@dataclass(frozen=True)
class Fit:
    """How well a parameter set predicts the grades: mean log loss and RMSE of the
    predicted recall against what happened (Again = forgotten)."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class WorkerResult:
    """What ``fit_worker`` answers."""

    parameters: tuple[float, ...]
    default: Fit
    current: list[Fit]  # one per parameter set sent as "current"
    fitted: Fit
    optimal_retention: float | None

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> WorkerResult:
        optimal = value["optimal_retention"]
        return cls(tuple(float(p) for p in value["parameters"]), Fit(*value["default"]),
                   [Fit(*f) for f in value["current"]], Fit(*value["fitted"]),
                   None if optimal is None else float(optimal))


@dataclass(frozen=True)
class OptimizeResult:
    decks: list[str]
    grades: int  # grades sent to the optimizer
    counted: int  # of those, the ones it learns from (later day than the card's last)
    parameters: tuple[float, ...]
    default: Fit
    current: Fit  # the decks' parameters before (the defaults when never fitted)
    fitted: Fit
    saved: bool
    desired_retention: float
    optimal_retention: float | None  # a suggestion, never applied

    def to_json(self) -> dict[str, object]:
        def fit(f: Fit) -> dict[str, float]:
            return {"log_loss": round(f.log_loss, 5), "rmse": round(f.rmse, 5)}
        return {"decks": self.decks, "grades": self.grades, "reviews_counted": self.counted,
                "parameters": [round(p, 4) for p in self.parameters],
                "default": fit(self.default), "current": fit(self.current),
                "fitted": fit(self.fitted), "saved": self.saved,
                "desired_retention": self.desired_retention,
                "optimal_retention": self.optimal_retention}


def optimize(store: Store, deck: str | None = None, *,
             progress: Callable[[FitProgress], None] | None = None,
             save: bool = True) -> OptimizeResult:
    """Fit parameters to the grades of ``deck`` (every deck when None) and save them to
    those decks when their log loss is lower than the current parameters'. Raises
    NotEnoughHistory below the optimizer's minimum, ReviewError when the fit fails."""
    names = store.decks.names_by_id()
    deck_ids = [resolve_deck(store, deck)] if deck is not None else list(names)
    settings = settings_by_deck_id(store)
    reviews = fit_reviews([(g.card_id, g.rating, g.reviewed_at, g.duration_ms)
                           for g in store.stats.grades_for_fitting(deck_ids)],
                          day_config(store))
    counted = counted_reviews(reviews)
    if counted < MINIMUM_REVIEWS:
        raise NotEnoughHistory(
            f"not enough history to optimize: {counted} review(s) on a later day than the "
            f"card's previous one, the optimizer needs {MINIMUM_REVIEWS}; "
            f"review {MINIMUM_REVIEWS - counted} more")
    # each distinct parameter set the decks use now, scored on the same grades
    sets = list(dict.fromkeys(settings[d].parameters for d in deck_ids
                              if settings[d].parameters))
    request = {"reviews": [[r.card_id, r.rating, r.at.isoformat(), r.duration_ms]
                           for r in reviews],
               "current": [list(p) for p in sets if p is not None]}
    result = _run_worker(request, progress)
    default, fitted, parameters = result.default, result.fitted, result.parameters
    scored = dict(zip(sets, result.current))
    before = {d: scored.get(settings[d].parameters, default) if settings[d].parameters
              else default for d in deck_ids}
    better = [d for d in deck_ids if fitted.log_loss < before[d].log_loss]
    if save and better:
        with store.write():
            for deck_id in better:
                set_deck_settings(store, names[deck_id], parameters=parameters)
    first = deck_ids[0]
    return OptimizeResult([names[d] for d in deck_ids], len(reviews), counted, parameters,
                          default, before[first], fitted, save and bool(better),
                          settings[first].desired_retention, result.optimal_retention)


def _run_worker(request: dict[str, Any],
                progress: Callable[[FitProgress], None] | None) -> WorkerResult:
    process = subprocess.Popen([sys.executable, "-m", WORKER], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write(json.dumps(request))
        process.stdin.close()
        for line in process.stdout:
            message = json.loads(line)
            if "result" in message:
                process.wait()
                return WorkerResult.from_json(message["result"])
            if "error" in message:
                raise ReviewError(f"the optimizer failed: {message['error']}")
            if progress is not None:
                progress(FitProgress(message["stage"], message["done"], message["total"]))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stderr = process.stderr.read().strip().splitlines() if process.stderr else []
    raise ReviewError("the optimizer stopped without a result"
                      + (f": {stderr[-1]}" if stderr else ""))
