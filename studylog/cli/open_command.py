"""Opening studylog: on your database, or (``demo``) on the bundled sample content."""

from __future__ import annotations

import sys
import unicodedata

import click
from click.core import ParameterSource

from studylog import paths
from studylog.cli.app_launch import launch_app
from studylog.cli.context import cli_context, fail, get_store


def pad(text: str, width: int) -> str:
    """Pad to a terminal width: Korean (wide) characters take two columns."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - cells)


def show_overview() -> None:
    """The text overview shown until the app opens in its own screen."""
    # here, not at the top: opening the app never needs the card listing's modules
    from studylog.core.cards.card_editing import list_cards
    from studylog.core.journal.entries import list_entries

    store = get_store()
    entries = list_entries(store)
    cards = list_cards(store)
    click.echo(f"studylog — {store.path}")
    click.echo(f"{len(entries)} day(s), {len(cards)} card(s)\n")
    for e in entries[-14:]:
        click.echo(f"  {e.date}  {pad(e.title, 24)} {', '.join(e.keywords)}")
    click.echo("\nTry: studylog cards | studylog search contiguous | studylog --help")


@click.command("open")
@click.option("--text", "as_text", is_flag=True,
              help="Print a text overview instead of opening the app.")
def open_app(as_text: bool = False) -> None:
    """Open the studylog app on your database (the default when no command is given)."""
    if as_text or not sys.stdout.isatty():
        show_overview()  # scripts and pipes get text, not a full-screen app
        return
    # the day's safety copy is the app's to take, after its first frame
    launch_app(cli_context().open_store(daily_copy=False))


@click.command("demo")
@click.option("--text", "as_text", is_flag=True,
              help="Print a text overview instead of opening the app.")
@click.pass_context
def demo_command(ctx: click.Context, as_text: bool) -> None:
    """Open studylog on the bundled sample logs and decks (a separate demo database)."""
    context = cli_context()
    # The demo never writes your journal: STUDYLOG_DB (your journal, for every other
    # command) is ignored; only a --db typed for this very command moves the demo.
    given = ctx.parent is not None and \
        ctx.parent.get_parameter_source("db_path") == ParameterSource.COMMANDLINE
    if not given:
        context.db_path = paths.demo_db_path()
    context.bundled_decks_on = True  # the quick start shows PyTorch cards to review
    if context.db_path.resolve() == paths.default_db_path().resolve():
        fail(f"the demo does not write your journal ({context.db_path}): "
             "give --db a separate file, or leave it out")
    from studylog.core.journal.importer import import_logs  # not needed to open your own journal

    import_logs(get_store(), [paths.bundled_entries_dir()])
    ctx.invoke(open_app, as_text=as_text)


COMMANDS = [open_app, demo_command]
