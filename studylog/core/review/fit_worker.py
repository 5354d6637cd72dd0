"""The FSRS optimizer's process: ``python -m studylog.core.review.fit_worker``.

It imports torch (``fsrs[optimizer]``), so it never runs in the app's or the CLI's
process: ``optimize.fit_parameters`` starts it and reads its lines. Input on stdin, one
JSON object: ``{"reviews": [[card_id, rating, instant, duration_ms], ...], "current":
[[parameters], ...]}`` (instants already in study days: ``fit_history``). Output on
stdout, one JSON object a line: ``{"stage", "done", "total"}`` while it works, then
``{"result": {...}}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")


def emit(value: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(value) + "\n")
    sys.stdout.flush()


def evaluate(histories: dict[int, list[tuple[datetime, int]]],
             parameters: Sequence[float]) -> tuple[float, float]:
    """(log loss, RMSE) of ``parameters``' predicted recall against the grades (Again =
    forgotten), over the grades the optimizer learns from: a card's first 64, on a later
    day than its previous grade."""
    import fsrs

    scheduler = fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)
    loss = squares = 0.0
    n = 0
    for history in histories.values():
        card = None
        for at, rating in history[:64]:
            if card is None:
                card = fsrs.Card(card_id=0, due=at)
            elif card.last_review is not None and (at - card.last_review).days > 0:
                p = min(max(scheduler.get_card_retrievability(card, at), 1e-6), 1 - 1e-6)
                recalled = rating != 1
                loss -= math.log(p if recalled else 1 - p)
                squares += (p - recalled) ** 2
                n += 1
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), at)
    if not n:
        return math.nan, math.nan
    return loss / n, math.sqrt(squares / n)


def epochs(total: int) -> Any:
    """Stands in for the optimizer's tqdm: a progress line per epoch."""
    def progress(iterable: Iterable[T], *args: Any, **kwargs: Any) -> Iterator[T]:
        for done, item in enumerate(iterable):
            emit({"stage": "fitting", "done": done, "total": total})
            yield item
        emit({"stage": "fitting", "done": total, "total": total})
    return progress


def main() -> int:
    import fsrs
    import fsrs.optimizer as fsrs_optimizer

    request = json.load(sys.stdin)
    logs = []
    histories: dict[int, list[tuple[datetime, int]]] = {}
    known = [r[3] for r in request["reviews"] if r[3] is not None]
    # the optimal-retention simulation needs every grade's duration: fill gaps with
    # the typical one
    typical = int(statistics.median(known)) if known else 10_000
    for card_id, rating, instant, duration_ms in request["reviews"]:
        at = datetime.fromisoformat(instant)
        logs.append(fsrs.ReviewLog(card_id, fsrs.Rating(rating), at,
                                   duration_ms if duration_ms is not None else typical))
        histories.setdefault(card_id, []).append((at, rating))
    for history in histories.values():
        history.sort(key=lambda item: item[0])
    emit({"stage": "evaluating", "done": 0, "total": 1})
    default = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    default_loss, default_rmse = evaluate(histories, default)
    current = [evaluate(histories, p) for p in request.get("current", [])]
    optimizer = fsrs.Optimizer(logs)
    # the optimizer reports epochs through tqdm; our progress goes to stdout as JSON
    fsrs_optimizer.tqdm = epochs(fsrs_optimizer.num_epochs)  # type: ignore[attr-defined]
    fitted = optimizer.compute_optimal_parameters(verbose=True)
    emit({"stage": "evaluating", "done": 1, "total": 1})
    fitted_loss, fitted_rmse = evaluate(histories, fitted)
    emit({"stage": "optimal retention", "done": 0, "total": 1})
    try:
        optimal = float(optimizer.compute_optimal_retention(fitted))  # type: ignore[arg-type]
    except ValueError:
        optimal = None
    emit({"result": {"parameters": fitted, "default": [default_loss, default_rmse],
                     "fitted": [fitted_loss, fitted_rmse],
                     "current": [list(c) for c in current],
                     "optimal_retention": optimal}})
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as exc:  # reported to the parent as one line
        emit({"error": f"{type(exc).__name__}: {exc}"})
        sys.exit(1)
