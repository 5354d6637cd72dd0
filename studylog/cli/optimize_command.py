"""``studylog optimize``: fit FSRS parameters to your review log (in a separate process)
and save them when they predict your grades better."""

from __future__ import annotations

import sys

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.review.optimize import (
    PROGRESS_STEPS,
    FitProgress,
    OptimizeResult,
    optimize,
    progress_steps,
)
from studylog.core.review.settings import ReviewError


def render(result: OptimizeResult) -> str:
    """The human-readable report."""
    decks = ", ".join(result.decks)
    rows = [("default", result.default), ("current", result.current),
            ("fitted", result.fitted)]
    lines = [f"Optimized on {result.grades} grades of {decks} "
             f"({result.counted} on a later day than the card's previous grade)",
             f"  {'parameters':<12}{'log loss':>10}{'RMSE':>10}"]
    lines += [f"  {name:<12}{fit.log_loss:>10.4f}{fit.rmse:>10.4f}" for name, fit in rows]
    if result.saved:
        lines.append("Saved: the fitted parameters predict your grades better; the "
                     "scheduler uses them from now on.")
    else:
        lines.append("Not saved: the fitted parameters do not predict your grades better "
                     "than the current ones.")
    if result.optimal_retention is not None:
        lines.append(f"Suggested desired retention: {result.optimal_retention:.2f} (now "
                     f"{result.desired_retention:.2f}; not applied — change it with "
                     "review-settings --retention)")
    return "\n".join(lines)


@click.command("optimize")
@click.option("--deck", help="Only this deck's reviews (default: every deck).")
@click.option("--dry-run", is_flag=True, help="Report, but save nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def optimize_command(deck: str | None, dry_run: bool, as_json: bool) -> None:
    """Fit FSRS parameters to your review history (fsrs's optimizer, in its own process).

    Reports log loss and RMSE of the default, current and fitted parameters on the same
    reviews and saves the fitted ones only when they are better. Also suggests a desired
    retention (the optimizer's optimal retention) without applying it.
    """
    store = get_store()
    with click.progressbar(length=PROGRESS_STEPS, label="Optimizing", file=sys.stderr,
                           show_eta=False) as bar:
        def progress(p: FitProgress) -> None:
            if progress_steps(p) > bar.pos:
                bar.update(progress_steps(p) - bar.pos)

        try:
            result = optimize(store, deck, progress=progress, save=not dry_run)
        except ReviewError as exc:
            bar.render_finish()
            fail(str(exc))
        bar.update(PROGRESS_STEPS - bar.pos)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(render(result))


COMMANDS = [optimize_command]

__all__ = ["COMMANDS", "render"]
