"""The ``studylog`` command: click commands over ``studylog.core``.

Each listing command takes ``--json`` for scripts. Errors are one line on stderr and a
non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import click

from studylog.cli.context import CliContext, fail
from studylog.core.store import StoreError


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", type=click.Path(dir_okay=False), envvar="STUDYLOG_DB",
              help="Database file (default: the user data dir; env STUDYLOG_DB).")
@click.version_option(package_name="studylog")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None) -> None:
    """studylog: a terminal study journal with flashcards.

    Import your daily Markdown learning logs, turn their keyword lines into flashcards,
    search everything, review with FSRS and run the PyTorch snippets of a card.
    Run without a command to open the app.
    """
    ctx.obj = CliContext(db_path)
    if ctx.invoked_subcommand is None:
        from studylog.cli.open_command import open_app

        ctx.invoke(open_app)


def _register() -> None:
    from studylog.cli import journal_commands, open_command

    for module in (journal_commands, open_command):
        for command in module.COMMANDS:
            cli.add_command(command)
    for optional in ("review_commands", "snippet_commands"):
        try:
            module = __import__(f"studylog.cli.{optional}", fromlist=["COMMANDS"])
        except ModuleNotFoundError as exc:
            if exc.name != f"studylog.cli.{optional}":
                raise
            continue
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    try:
        cli(standalone_mode=True)
    except StoreError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)
