"""Days whose file and app text both changed: ``conflicts`` lists them, ``resolve``
keeps one side."""

from __future__ import annotations

from datetime import datetime

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.journal.conflicts import ConflictError, list_conflicts, resolve_conflict
from studylog.core.journal.day_diff import diff_lines

_SIGN = {"same": " ", "mine": "-", "theirs": "+", "hunk": ""}


@click.command("conflicts")
@click.option("--diff", "show_diff", is_flag=True, help="Show each day's diff (- mine, + file).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON (both texts).")
def conflicts_command(show_diff: bool, as_json: bool) -> None:
    """List days whose file changed while you had edited them in the app.

    The app's text stays the day's text; the file's version waits beside it until you
    resolve: studylog resolve DATE --mine (keep yours) or --theirs (take the file's),
    or in the app (Journal, m).
    """
    rows = list_conflicts(get_store())
    if as_json:
        emit_json([{"date": r.date, "title": r.title, "file": r.source, "mine": r.mine,
                    "theirs": r.theirs, "since": r.conflict_at} for r in rows])
        return
    if not rows:
        click.echo("no conflicts")
        return
    for r in rows:
        click.echo(f"{r.date}  {r.title}  (file: {r.source})")
        if show_diff:
            for line in diff_lines(r.mine, r.theirs):
                click.echo(f"    {_SIGN[line.kind]}{line.text}")
    click.echo(f"{len(rows)} conflict(s): studylog resolve DATE --mine | --theirs")


@click.command("resolve")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]), metavar="DATE")
@click.option("--mine", "choice", flag_value="mine", help="Keep the app's text.")
@click.option("--theirs", "choice", flag_value="theirs", help="Take the file's text.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def resolve_command(day: datetime, choice: str | None, as_json: bool) -> None:
    """Resolve the conflict of DATE (YYYY-MM-DD): --mine or --theirs."""
    if choice not in ("mine", "theirs"):
        fail("say which text stays: --mine (the app's) or --theirs (the file's)")
    try:
        saved = resolve_conflict(get_store(), day.date(), "mine" if choice == "mine"
                                 else "theirs")
    except ConflictError as exc:
        fail(str(exc))
    kept = "the app's text" if choice == "mine" else "the file's text"
    if as_json:
        emit_json({"date": saved.date, "kept": choice, "keywords": saved.keywords,
                   "new_cards": saved.new_cards})
        return
    click.echo(f"{saved.date}: resolved, kept {kept}"
               + (f" · {len(saved.new_cards)} new card(s): {', '.join(saved.new_cards)}"
                  if saved.new_cards else ""))


COMMANDS = [conflicts_command, resolve_command]
