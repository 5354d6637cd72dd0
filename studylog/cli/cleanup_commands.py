"""Delete and rename: ``day delete``, ``card delete``, ``card merge``, ``orphans`` and
``keyword rename``. Each is one transaction that ``studylog undo`` reverses the same
study day; bad input is a one-line error with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

import click

from studylog.cli.card_commands import card_group
from studylog.cli.context import card_id, emit_json, fail, get_store
from studylog.core.cards.card_deletion import (
    delete_cards,
    delete_orphans,
    orphaned_cards,
    suspend_orphans,
)
from studylog.core.cards.card_merge import merge_cards
from studylog.core.cards.keyword_rename import rename_keyword
from studylog.core.journal.day_deletion import delete_day
from studylog.errors import StudylogError

_JSON = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


class _Done(Protocol):
    def to_json(self) -> dict[str, Any]: ...
    def message(self) -> str: ...


def _report(action: Callable[[], _Done], as_json: bool) -> None:
    """Run one change; print its report (or its one-line error, exit 1)."""
    try:
        done = action()
    except StudylogError as exc:
        fail(str(exc))
    if as_json:
        emit_json(done.to_json())
    else:
        click.echo(done.message())


def _day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        fail(f"DATE must be YYYY-MM-DD, got {text!r}")


@click.group("day")
def day_group() -> None:
    """Change a journal day as a whole (edit one in the app: studylog, then e)."""


@day_group.command("delete")
@click.argument("day")
@_JSON
def day_delete_command(day: str, as_json: bool) -> None:
    """Delete the day DATE (YYYY-MM-DD). Its cards lose it as a source; a card left with
    no source is orphaned (its review history kept). Re-importing its file does not
    bring it back while the day's text there is unchanged."""
    _report(lambda: delete_day(get_store(), _day(day)), as_json)


@card_group.command("delete")
@click.argument("ids", nargs=-1, required=True)
@_JSON
def card_delete_command(ids: tuple[str, ...], as_json: bool) -> None:
    """Delete the cards IDS. Their review history stays in the review log."""
    _report(lambda: delete_cards(get_store(), [card_id(i) for i in ids]), as_json)


@card_group.command("merge")
@click.argument("keep")
@click.argument("other")
@_JSON
def card_merge_command(keep: str, other: str, as_json: bool) -> None:
    """Merge the keyword card OTHER into KEEP: KEEP's front stays, both cards' days are
    its sources, and the card graded first gives the merged card its history."""
    _report(lambda: merge_cards(get_store(), card_id(keep), card_id(other)), as_json)


@click.command("orphans")
@click.option("--suspend", "suspend", is_flag=True, help="Suspend every orphaned card.")
@click.option("--delete", "delete", is_flag=True, help="Delete every orphaned card.")
@_JSON
def orphans_command(suspend: bool, delete: bool, as_json: bool) -> None:
    """List the orphaned cards (no journal day lists their keyword any more, or they
    left their deck), or suspend or delete them all at once."""
    if suspend and delete:
        fail("give --suspend or --delete, not both")
    store = get_store()
    if delete:
        deleted = delete_orphans(store)
        if as_json:
            emit_json(deleted.to_json())
        else:
            click.echo(deleted.message() if deleted.ids else "no orphaned cards")
        return
    if suspend:
        fronts = suspend_orphans(store)
        if as_json:
            emit_json({"suspended": fronts})
        else:
            click.echo(f"suspended {len(fronts)} orphaned card(s)" +
                       (f": {', '.join(fronts)}" if fronts else ""))
        return
    cards = orphaned_cards(store)
    if as_json:
        emit_json([{"id": c.id, "front": c.front, "deck_id": c.deck_id, "state": c.state,
                    "suspended": c.suspended} for c in cards])
        return
    if not cards:
        click.echo("no orphaned cards")
    for c in cards:
        click.echo(f"{c.id:>6}  {c.state:<10} {'suspended ' if c.suspended else ''}{c.front}")


@click.group("keyword")
def keyword_group() -> None:
    """Rename a keyword (its cards keep their history)."""


@keyword_group.command("rename")
@click.argument("old")
@click.argument("new")
@_JSON
def keyword_rename_command(old: str, new: str, as_json: bool) -> None:
    """Rename the keyword OLD to NEW: its cards and the keyword lines of its days change
    (in each day's own form); the old spelling then reads as NEW. With write-back on
    (studylog write-back on), the days' files change too (a file changed since its
    import is left alone); studylog undo puts them back."""
    _report(lambda: rename_keyword(get_store(), old, new), as_json)


COMMANDS = [day_group, card_group, orphans_command, keyword_group]

__all__ = ["COMMANDS"]
