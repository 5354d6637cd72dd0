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
    version = store.value("PRAGMA user_version")
    assert version == len(migrations._migrations) >= 1
    tables = set(store.db.table_names())
    assert {"entries", "keywords", "cards", "review_log", "decks", "entries_fts",
            "cards_fts"} <= tables
    assert store.value("PRAGMA journal_mode") == "wal"
    assert store.value("PRAGMA foreign_keys") == 1
    store.close()
    again = Store(path)  # re-opening applies nothing twice
    assert again.value("PRAGMA user_version") == version
    assert again.value("SELECT count(*) FROM _sqlite_migrations") == version


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


def test_a_repository_write_outside_a_transaction_fails_loudly(store):
    from studylog.core.storage.repository import TransactionError

    with pytest.raises(TransactionError, match="outside store.write"):
        store.keywords.ensure("Hook", "hook")
    assert not store.conn.in_transaction  # nothing was left half-open
    with store.write():
        store.keywords.ensure("Hook", "hook")
    assert store.value("SELECT count(*) FROM keywords") == 1


def test_a_failed_commit_rolls_back_and_leaves_no_transaction_open(store):
    # a deferred foreign key is only checked at COMMIT, which then fails
    with pytest.raises(sqlite3.IntegrityError):
        with store.write():
            store.keywords.ensure("Hook", "hook")
            store.conn.execute("PRAGMA defer_foreign_keys = ON")
            store.conn.execute("INSERT INTO card_sources (card_id, entry_id) VALUES (9, 9)")
    assert not store.conn.in_transaction
    assert store.value("SELECT count(*) FROM keywords") == 0
    # the next write is a real transaction of its own, not a savepoint of a dead one
    with store.write():
        store.keywords.ensure("Tensor", "tensor")
    other = Store(store.path)
    try:
        assert other.value("SELECT name FROM keywords") == "Tensor"
    finally:
        other.close()


def test_card_tags_become_json_lists_by_migration(tmp_path):
    """Databases from before migration 0004 kept card tags as space-separated text,
    in the cards and in the review log's card snapshots (which the lean-log migration
    then reads the leech tag from)."""
    import json

    from studylog.core.storage.migrations import migrations
    from studylog.core.storage.sqlite_lib import Database

    path = tmp_path / "old.sqlite3"
    db = Database(str(path))
    migrations.apply(db, stop_before="0004_card_tags_json")
    with db.conn:
        db.execute("INSERT INTO decks (name, kind, created_at) VALUES ('journal', 'journal', 'x')")
        db.execute("INSERT INTO cards (deck_id, key, front, created_at, updated_at, tags) "
                   "VALUES (1, 'hook', 'Hook', 'x', 'x', 'leech 어려움')")
        db.execute("INSERT INTO review_log (card_id, rating, reviewed_at, state_before, "
                   "state_after, due_after, card_before) VALUES "
                   "(1, 1, '2024-03-10T01:00:00.000000+00:00', 'new', 'learning', "
                   "'2024-03-10T01:01:00.000000+00:00', ?)",
                   [json.dumps({"tags": "leech 어려움", "state": "new", "reps": 0})])
    db.conn.close()
    with Store(path) as store:
        assert store.cards.get(1).tags == ["leech", "어려움"]
        assert store.review_log.latest().leech_before == 1


def test_repositories_return_typed_rows_never_bare_dicts(store):
    """Every public repository method names its return type, and no part of it is
    ``Any`` (a dict row would be ``dict[str, Any]``)."""
    import inspect
    import typing

    from studylog.core.storage.database import _Repository

    names = [n for n, v in vars(Store).items() if isinstance(v, _Repository)]
    repositories = {type(getattr(store, name)) for name in names}
    assert len(repositories) == 19  # candidates, stats, undo journal, day bases, anki notes,
    # card code, deletions, row images (for undoing deletes and renames) and anki history
    # (the import's revlog copy) joined the ten

    def mentions_any(hint: object) -> bool:
        return hint is typing.Any or any(mentions_any(a) for a in typing.get_args(hint))

    loose = []
    for repository in repositories:
        for name, method in inspect.getmembers(repository, inspect.isfunction):
            if name.startswith("_"):
                continue
            hints = typing.get_type_hints(method)
            if "return" not in hints or mentions_any(hints["return"]):
                loose.append(f"{repository.__name__}.{name}")
    assert loose == []


def test_rows_are_built_only_from_columns_in_field_order(store):
    """Rows are built by position, so a query whose columns are not the row class's
    fields in order (a reordered SELECT, a column added to ``SELECT *``) fails loudly
    instead of filling the wrong fields."""
    from studylog.core.storage.drafts import DraftRow

    with pytest.raises(TypeError, match="must be its fields, in order"):
        store.drafts._rows(DraftRow, "SELECT body, date, updated_at FROM drafts")
    assert store.drafts._rows(DraftRow, "SELECT date, body FROM drafts") == []


def test_the_readme_names_every_repository_and_core_folder():
    """The README's Development section describes the layout as it is (issue 10, item
    8): every repository the Store holds and every folder of studylog/core."""
    from pathlib import Path

    from studylog.core.storage.database import _Repository

    root = Path(__file__).resolve().parent.parent
    readme = root.joinpath("README.md").read_text(encoding="utf-8")
    development = readme[readme.index("## Development"):]
    names = [n for n, v in vars(Store).items() if isinstance(v, _Repository)]
    folders = [p.name for p in sorted((root / "studylog" / "core").iterdir())
               if p.is_dir() and (p / "__init__.py").exists()]
    assert len(names) > 10 and "storage" in folders
    assert [n for n in names if f"`store.{n}`" not in development] == []
    assert [f for f in folders if f"`{f}/`" not in development] == []


def test_looking_a_deck_or_keyword_up_never_inserts_it(store):
    """The old ``deck_id``/``keyword_id`` getters inserted what they did not find (issue
    10): lookups now only read, outside a transaction too, and ``ensure`` is the one that
    inserts (inside ``store.write()``)."""
    changes = store.conn.total_changes
    assert store.decks.get("처음 보는 덱") is None
    assert store.keywords.id_of("never-seen") is None
    assert store.conn.total_changes == changes and not store.conn.in_transaction
    with store.write():
        deck_id = store.decks.ensure("처음 보는 덱", "added", trusted=False)
        keyword_id = store.keywords.ensure("Never Seen", "never-seen")
        assert store.decks.ensure("처음 보는 덱", "added", trusted=False) == deck_id
    deck = store.decks.get("처음 보는 덱")
    assert deck is not None and deck.id == deck_id and not deck.trusted
    assert store.keywords.id_of("never-seen") == keyword_id
