"""The store: migrations, pragmas, transactions."""

from __future__ import annotations

import sqlite3

import pytest

from studylog.core.storage.database import Store, StoreError
from studylog.core.storage.migrations import migrations


def test_migrations_from_an_empty_file(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    store = Store(path)
    assert store.schema_version == len(migrations._migrations) >= 1
    assert store.value("PRAGMA user_version") == store.schema_version
    tables = set(store.db.table_names())
    assert {"entries", "keywords", "cards", "review_log", "decks", "entries_fts",
            "cards_fts"} <= tables
    assert store.value("PRAGMA journal_mode") == "wal"
    assert store.value("PRAGMA foreign_keys") == 1
    store.close()
    again = Store(path)  # re-opening applies nothing twice
    assert again.schema_version == store.schema_version
    assert again.value("SELECT count(*) FROM _sqlite_migrations") == store.schema_version


def test_not_a_database_is_a_one_line_error(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        Store(path)


def test_write_rolls_back_everything_on_error(store):
    with pytest.raises(RuntimeError):
        with store.write():
            store.keywords.ensure("Hook", "hook")
            raise RuntimeError("boom")
    assert store.value("SELECT count(*) FROM keywords") == 0


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.write():
            store.db.execute("INSERT INTO card_sources (card_id, entry_id) VALUES (99, 99)")


def test_default_path_honours_env(monkeypatch, tmp_path):
    from studylog import paths

    monkeypatch.setenv("STUDYLOG_DB", str(tmp_path / "env.sqlite3"))
    assert paths.default_db_path() == tmp_path / "env.sqlite3"
    monkeypatch.delenv("STUDYLOG_DB")
    assert paths.default_db_path().name == "studylog.sqlite3"
    assert "studylog" in str(paths.default_db_path().parent)
