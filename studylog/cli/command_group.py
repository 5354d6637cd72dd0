"""The ``studylog`` command group: click commands over ``studylog.core``.

Each listing command takes ``--json`` for scripts. Errors are one line on stderr and a
non-zero exit, never a traceback. ``studylog.cli.main`` opens the app without loading
this module when the arguments ask for nothing else (see ``app_launch``).
"""

from __future__ import annotations

import importlib
import sys

import click

from studylog.cli.context import CliContext, fail
from studylog.core.database_failures import explain_failure
from studylog.core.storage.database import StoreError

# Each command's module loads when the command runs (click's lazy-group pattern): opening
# the app must not pay for importing the parser, the review CLI and the deck loader.
LAZY_COMMANDS = {
    "import": "journal_commands", "entries": "journal_commands",
    "cards": "journal_commands", "search": "journal_commands",
    "open": "open_command", "demo": "open_command",
    "due": "review_commands", "grade": "review_commands", "undo": "review_commands",
    "bury": "review_commands", "suspend": "review_commands", "unsuspend": "review_commands",
    "review-settings": "review_commands",
    "snippets": "snippet_commands", "run": "snippet_commands", "deck": "snippet_commands",
    "trust": "snippet_commands",
    "candidates": "candidate_commands", "accept": "candidate_commands",
    "reject": "candidate_commands",
    "stats": "stats_commands", "optimize": "optimize_command",
    "backup": "backup_commands", "restore": "backup_commands", "doctor": "backup_commands",
    "safety-copies": "backup_commands",
    "conflicts": "conflict_commands", "resolve": "conflict_commands",
    "export": "export_commands", "import-json": "export_commands",
    "import-anki": "anki_commands",
    "write-back": "write_back_commands", "journal-folder": "write_back_commands",
    # card: the group of card_commands (snippet, predict, revert) with delete and merge added
    "day": "cleanup_commands", "card": "cleanup_commands", "orphans": "cleanup_commands",
    "keyword": "cleanup_commands",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in LAZY_COMMANDS:
            module = importlib.import_module(f"studylog.cli.{LAZY_COMMANDS[name]}")
            for command in module.COMMANDS:
                self.add_command(command)
        return self.commands.get(name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except Exception as exc:
            # A SQLite failure met outside a write (a damaged page found by a read) is
            # one line with what to do, naming the database; anything else is a bug.
            context = ctx.find_object(CliContext)
            problem = explain_failure(exc, context.db_path if context else None)
            if problem is None:
                raise
            fail(problem)


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
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


def run_click() -> None:
    """Run the group on ``sys.argv`` (what ``studylog.cli.main`` does but for the app's
    fast path)."""
    try:
        cli(standalone_mode=True)
    except StoreError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)
