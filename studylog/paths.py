"""The one place that knows where studylog keeps things.

The data directory comes from platformdirs; ``--db`` and ``STUDYLOG_DB``
override the database path. Tests patch only this module.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "studylog"
DB_ENV = "STUDYLOG_DB"
DB_FILENAME = "studylog.sqlite3"
DEMO_DB_FILENAME = "demo.sqlite3"


def data_dir() -> Path:
    """The user data directory (created on demand)."""
    from platformdirs import user_data_path  # imported only when a path is needed

    return user_data_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """``STUDYLOG_DB`` if set, else ``<user data dir>/studylog.sqlite3``."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    return data_dir() / DB_FILENAME


def demo_db_path() -> Path:
    """The database the quick start opens: bundled sample content, kept apart from yours."""
    return data_dir() / DEMO_DB_FILENAME


def _bundled_dir(package: str, checkout_name: str) -> Path:
    # Installed wheel: package data under studylog/entries, studylog/decks.
    # Editable install or plain checkout: the top-level folders next to the package.
    try:
        path = Path(str(resources.files(package)))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / checkout_name


def bundled_entries_dir() -> Path:
    """Sample daily logs shipped with studylog."""
    return _bundled_dir("studylog.entries", "entries")


def bundled_decks_dir() -> Path:
    """Decks shipped with studylog (trusted: their snippets run without asking)."""
    return _bundled_dir("studylog.decks", "decks")
