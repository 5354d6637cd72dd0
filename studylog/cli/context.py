"""What every command shares: the database it works on and how it reports."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from studylog import paths
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
        if self._store is None:
            from studylog.core.backup.backup_file import BackupError
            from studylog.core.backup.safety_copies import copy_before_migrating, take_daily_copy
            from studylog.core.cards.deck_library import sync_bundled_decks

            def say(line: str) -> None:
                click.echo(line, err=True)

            self._store = Store(self.db_path, progress=say, before_migrating=copy_before_migrating)
            sync_bundled_decks(self._store, enabled=self.bundled_decks_on)
            try:
                take_daily_copy(self._store)
            except BackupError as exc:  # the command still runs; the next open tries again
                say(f"warning: {exc}")
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
