"""Pilot tests of the app: a temp database, a frozen clock, real key presses.

``async def`` tests run on a fresh event loop each (pytest-asyncio, ``asyncio_mode =
"auto"`` in pyproject.toml); pytest-timeout ends a frozen app's test.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from tui_helpers import make, new_store

from studylog.core.storage.database import Store


@pytest.fixture
def journal_store(tmp_path: Path):
    """The fixture week (2023-11-13, 2023-11-14) with its keyword cards."""
    store = new_store(tmp_path / "x.sqlite3")
    yield store
    store.close()


@pytest.fixture
def empty_store(tmp_path: Path):
    """Bundled decks only: no journal days yet."""
    store = new_store(tmp_path / "empty.sqlite3", journal=False)
    yield store
    store.close()


@pytest.fixture
def app(journal_store: Store) -> Callable:
    """``app(store=None, **settings)``: the real app on ``journal_store`` (or ``store``),
    time frozen at 2023-11-15 10:00 UTC; keyword arguments override ``AppSettings``."""
    def build(store: Store | None = None, **overrides):
        return make(store or journal_store, **overrides)

    return build


@pytest.fixture
def db(journal_store: Store):
    """``db(sql, *params)``: rows from a separate raw sqlite3 connection to the journal
    database, so assertions see what was committed, not the app's connection state."""
    def query(sql: str, *params, path: Path | None = None) -> list[tuple]:
        connection = sqlite3.connect(path or journal_store.path)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    return query
