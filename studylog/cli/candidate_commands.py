"""Card candidates: list them, accept them as cards, reject them for good."""

from __future__ import annotations

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.cards.card_candidates import (
    CandidateError,
    accept_candidates,
    pending_candidates,
    reject_candidates,
    set_candidates_enabled,
)


def _chosen(ids: tuple[int, ...], everything: bool, deck: str | None) -> list[int]:
    if everything == bool(ids):
        fail("give candidate ids or --all (not both)")
    if everything:
        return [row.id for row in pending_candidates(get_store(), deck)]
    return list(ids)


@click.command("candidates")
@click.option("--deck", help="Only this journal deck (also the deck --on/--off applies to).")
@click.option("--on/--off", "enabled", default=None,
              help="Turn candidates of the deck (default: journal) on or off.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def candidates_command(deck: str | None, enabled: bool | None, as_json: bool) -> None:
    """Card candidates from bold-term bullets, waiting to be accepted or rejected.

    They are not cards and never come up in review until you accept them.
    """
    store = get_store()
    if enabled is not None:
        set_candidates_enabled(store, deck or "journal", enabled)
        click.echo(f"candidates {'on' if enabled else 'off'} for deck {deck or 'journal'}")
        return
    rows = pending_candidates(store, deck)
    if as_json:
        emit_json([{"id": r.id, "front": r.front, "back": r.back, "date": r.date,
                    "source_file": r.source_file} for r in rows])
        return
    if not rows:
        click.echo("no candidates")
    for r in rows:
        first = r.back.splitlines()[0] if r.back else ""
        click.echo(f"{r.id:>5}  {r.date}  {r.front}  — {first[:60]}")


@click.command("accept")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Accept every pending candidate.")
@click.option("--deck", help="With --all: only this journal deck.")
@click.option("--json", "as_json", is_flag=True, help="Print the new cards' ids as JSON.")
def accept_command(ids: tuple[int, ...], everything: bool, deck: str | None,
                   as_json: bool) -> None:
    """Make cards of candidates (by id); prints the new cards' ids."""
    chosen = _chosen(ids, everything, deck)
    try:
        accepted = accept_candidates(get_store(), chosen)
    except CandidateError as exc:
        fail(str(exc))
    if as_json:
        emit_json([a.card_id for a in accepted])
        return
    for a in accepted:
        click.echo(f"{a.card_id}  {a.front}")


@click.command("reject")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True, help="Reject every pending candidate.")
@click.option("--deck", help="With --all: only this journal deck.")
def reject_command(ids: tuple[int, ...], everything: bool, deck: str | None) -> None:
    """Reject candidates (by id) for good: a re-import never proposes them again."""
    chosen = _chosen(ids, everything, deck)
    try:
        count = reject_candidates(get_store(), chosen)
    except CandidateError as exc:
        fail(str(exc))
    click.echo(f"rejected {count} candidate(s)")


COMMANDS = [candidates_command, accept_command, reject_command]
