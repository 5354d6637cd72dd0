"""What every command shares: the database it works on and how it reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from studylog import paths
from studylog.cli.app_launch import open_journal
from studylog.core.storage.database import Store, StoreError

SQLITE_MAX_INT = 2**63 - 1  # the largest integer SQLite stores


def card_id(text: str) -> int:
    """A card id as typed: a number SQLite can hold, or a one-line error."""
    try:
        value = int(text)
    except ValueError:
        fail(f"card id must be a number, got {text!r}")
    if not 1 <= value <= SQLITE_MAX_INT:
        fail(f"no card {text}: card ids are whole numbers from 1 to {SQLITE_MAX_INT}")
    return value


class CliContext:
    def __init__(self, db_path: str | None):
        self.db_path = Path(db_path).expanduser() if db_path else paths.default_db_path()
        self._store: Store | None = None
        # the demo has the bundled decks on; a personal journal gets them off
        self.bundled_decks_on = False

    @property
    def store(self) -> Store:
        return self.open_store()

    def open_store(self, *, daily_copy: bool = True) -> Store:
        """The journal, opened on first use as every command opens it (see
        ``open_journal``); ``daily_copy=False`` leaves the day's safety copy to the app."""
        if self._store is None:
            def say(line: str) -> None:
                click.echo(line, err=True)

            self._store = open_journal(self.db_path, bundled_decks_on=self.bundled_decks_on,
                                       say=say, daily_copy=daily_copy)
        return self._store


def cli_context() -> CliContext:
    """The ``CliContext`` the ``studylog`` group made for this invocation."""
    context = click.get_current_context().find_object(CliContext)
    if context is None:  # a command invoked on its own, outside the studylog group
        raise click.UsageError("run this command as part of studylog")
    return context


def get_store() -> Store:
    return cli_context().store


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


__all__ = ["CliContext", "get_store", "emit_json", "fail", "StoreError", "card_id",
           "SQLITE_MAX_INT"]
