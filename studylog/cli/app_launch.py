"""Opening the journal and the app: the one path ``studylog``, ``studylog open`` and every
command share, and the fast path to the app that skips click.

Plain ``studylog`` (or ``studylog --db PATH``, or ``--db=PATH``) in a terminal can mean
nothing but "open the app", so ``main`` goes straight here without importing click
(~10 ms of every start). Anything else -- a command, ``--help``, ``--version``, output to
a pipe, or a ``--db`` click would refuse (a folder, an unreadable file) -- goes through
click, so its behaviour and messages stay click's. No click import in this module.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from studylog import paths

if TYPE_CHECKING:
    from studylog.core.storage.database import Store

DB_OPTION = "--db"


def fast_open_path(argv: Sequence[str], environ: Mapping[str, str], *,
                   terminal: bool) -> Path | None:
    """The database to open the app on when ``argv`` (without the program name) only
    opens the app; None when click must read it."""
    if not terminal:
        return None  # a pipe gets the text overview: click's ``open``
    if not argv:
        value = environ.get(paths.DB_ENV) or None  # as click reads its envvar
    elif len(argv) == 2 and argv[0] == DB_OPTION:
        value = argv[1]
    elif len(argv) == 1 and argv[0].startswith(DB_OPTION + "="):
        value = argv[0][len(DB_OPTION) + 1:]
    else:
        return None
    if value is None:
        return paths.default_db_path()
    if not value or value.startswith("-") or not _click_takes(value):
        return None
    return Path(value).expanduser()


def _click_takes(value: str) -> bool:
    """Whether click's ``Path(dir_okay=False)`` surely accepts ``value`` unchanged: a
    path that is not there yet, or a regular file it can read. Anything else is click's
    to judge (and word)."""
    try:
        mode = os.stat(value).st_mode
    except OSError:
        return True  # a new database (or one Store explains)
    return stat.S_ISREG(mode) and os.access(value, os.R_OK)


def open_journal(db_path: Path, *, bundled_decks_on: bool, say: Callable[[str], None],
                 daily_copy: bool = True) -> Store:
    """Open (create, migrate) the journal as every command does: a safety copy before
    an upgrade, the bundled decks synced, and the study day's safety copy unless
    ``daily_copy`` is False (the app takes it after its first frame)."""
    from studylog.core.backup.safety_copies import copy_before_migrating
    from studylog.core.cards.deck_library import sync_bundled_decks
    from studylog.core.storage.database import Store

    store = Store(db_path, progress=say, before_migrating=copy_before_migrating)
    sync_bundled_decks(store, enabled=bundled_decks_on)
    if daily_copy:
        from studylog.core.backup.backup_file import BackupError
        from studylog.core.backup.safety_copies import take_daily_copy

        try:
            take_daily_copy(store)
        except BackupError as exc:  # the command still runs; the next open tries again
            say(f"warning: {exc}")
    return store


def launch_app(store: Store) -> None:
    """Run the app on ``store`` until it quits."""
    from studylog.tui.app import make_app
    from studylog.tui.settings import AppSettings

    # unexpected errors are logged beside the database (the data dir by default); the
    # day's safety copy is taken once the first screen is up
    make_app(store, AppSettings(error_log=store.path.parent / "errors.log",
                                daily_copy=True)).run()


def say_on_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def fail(message: str, code: int = 1) -> NoReturn:
    say_on_stderr(f"error: {message}")
    sys.exit(code)


def open_app_directly(db_path: Path) -> None:
    """``studylog [--db PATH]`` without click, failing as the click path fails: a store
    error or a SQLite failure in one line, an interrupt as click's ``Aborted!``."""
    from studylog.core.database_failures import explain_failure
    from studylog.core.storage.database import StoreError

    try:
        launch_app(open_journal(db_path, bundled_decks_on=False, say=say_on_stderr,
                                daily_copy=False))
    except StoreError as exc:
        fail(str(exc))
    except (KeyboardInterrupt, EOFError):
        say_on_stderr("\nAborted!")
        sys.exit(1)
    except Exception as exc:
        problem = explain_failure(exc, db_path)
        if problem is None:
            raise
        fail(problem)
