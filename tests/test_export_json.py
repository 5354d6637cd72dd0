"""``studylog export json`` and ``import-json``: the whole journal out and back, equal."""

from __future__ import annotations

import gc
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from studylog.cli import cli as studylog_cli
from studylog.core.backup.safety_copies import list_safety_copies
from studylog.core.cards.card_editing import edit_card, edit_snippet_code
from studylog.core.storage.database import Store
from studylog.core.storage.migrations import migrations
from studylog.core.storage.sqlite_lib import Database

# A learner's week in an English bullet style, with a runnable block under a keyword,
# bold-term candidates (one kept pending, one rejected) and a Korean day.
LOGS = {
    "2024-w10.md": """\
# Week 10

## 2024-03-04 Broadcasting
Broadcasting stretches size-1 dimensions without copying.

```python
import torch
a = torch.ones(3, 1)
b = torch.ones(1, 4)
print((a + b).shape)
```

- **Stride** : how far to jump in memory per index
  - a view shares storage
- **Einsum** - index notation for contractions

Keywords: Broadcasting, View

## 2024-03-05
`view()`는 contiguous 텐서에서만 된다. reshape는 필요하면 복사한다.

```python
x = torch.arange(6)
y = x.view(2, 3)
```

키워드: View, Reshape
""",
}

ADDED_DECK = """\
---
deck: Friend's tricks
description: Shared by a friend.
---

## Zero-copy transpose
aliases: Transpose

`t()` swaps strides.

```python snippet
import torch
x = torch.ones(2, 3)
assert x.t().stride() == (1, 3)
print("ok")
```
"""


def invoke(db: Path, *args: str):
    result = CliRunner().invoke(studylog_cli, ["--db", str(db), *args])
    return result


def rich_journal(tmp_path: Path) -> Path:
    """Days, cards with a hand-edited back and edited snippet code, a pending and a
    rejected candidate, an added (trusted) deck, settings and grades."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for name, text in LOGS.items():
        (logs / name).write_text(text, encoding="utf-8")
    db = tmp_path / "journal.sqlite3"
    assert invoke(db, "import", str(logs)).exit_code == 0
    (tmp_path / "friend.md").write_text(ADDED_DECK, encoding="utf-8")
    assert invoke(db, "deck", "add", str(tmp_path / "friend.md")).exit_code == 0
    assert invoke(db, "trust", "Friend's tricks").exit_code == 0
    candidates = json.loads(invoke(db, "candidates", "--json").output)
    assert {c["front"] for c in candidates} == {"Stride", "Einsum"}
    einsum = next(c["id"] for c in candidates if c["front"] == "Einsum")
    assert invoke(db, "reject", str(einsum)).exit_code == 0
    assert invoke(db, "review-settings", "--deck", "journal", "--retention", "0.85",
                  "--new-per-day", "7").exit_code == 0
    assert invoke(db, "review-settings", "--timezone", "Asia/Seoul").exit_code == 0
    cards = json.loads(invoke(db, "cards", "--json").output)
    view = next(c for c in cards if c["front"] == "View")
    with closing(Store(db)) as store:
        edit_card(store, view["id"], "View", "내가 고쳐 쓴 뒷면: view는 storage를 공유한다.")
        snippet_id = store.value("SELECT id FROM snippets WHERE name = 'hooks'")
        edit_snippet_code(store, snippet_id, "print('my edited hook demo')\n")
    for card in cards[:4]:
        for grade in ("again", "good", "easy"):
            assert invoke(db, "grade", str(card["id"]), grade).exit_code == 0
    gc.collect()  # close the connections the in-process commands left open
    return db


def _without_time(export: dict) -> dict:
    return {k: v for k, v in export.items() if k != "exported_at"}


def _seen(db: Path) -> dict:
    """What the commands show of a journal."""
    return {"entries": json.loads(invoke(db, "entries", "--json").output),
            "cards": json.loads(invoke(db, "cards", "--json").output),
            "candidates": json.loads(invoke(db, "candidates", "--json").output)}


def test_json_round_trip_into_an_empty_journal_is_equal(tmp_path):
    journal = rich_journal(tmp_path)
    out = tmp_path / "journal.json"
    result = invoke(journal, "export", "json", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"]["review_log"] == 12
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert exported["format"] == "studylog-json" and exported["version"] == 1
    tables = exported["tables"]
    assert "trusted" not in tables["decks"] and "trusted" not in out.read_text()
    assert sorted(tables["candidates"]["status"]) == ["pending", "rejected"]
    assert "내가 고쳐 쓴 뒷면: view는 storage를 공유한다." in tables["cards"]["back"]
    assert "print('my edited hook demo')\n" in tables["snippets"]["code"]

    fresh = tmp_path / "other-machine.sqlite3"
    result = invoke(fresh, "import-json", str(out), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["reviews"] == 12 and report["untrusted_decks"] == ["Friend's tricks"]
    again = tmp_path / "again.json"
    assert invoke(fresh, "export", "json", str(again)).exit_code == 0
    assert _without_time(json.loads(again.read_text(encoding="utf-8"))) == \
        _without_time(exported)

    mine, theirs = _seen(journal), _seen(fresh)
    assert theirs == mine
    view = next(c for c in theirs["cards"] if c["front"] == "View")
    assert view["back"].startswith("내가 고쳐 쓴 뒷면")
    broadcasting = next(c for c in theirs["cards"] if c["front"] == "Broadcasting")
    assert broadcasting["snippets"][0]["kind"] == "journal"  # the learner's own code
    assert "torch.ones(3, 1)" in broadcasting["back"]
    assert [c["front"] for c in theirs["candidates"]] == ["Stride"]  # Einsum stays rejected
    gc.collect()
    with closing(sqlite3.connect(journal)) as a, closing(sqlite3.connect(fresh)) as b:
        query = "SELECT * FROM review_log ORDER BY id"
        assert b.execute(query).fetchall() == a.execute(query).fetchall()  # floats exact
        query = "SELECT * FROM deck_settings ORDER BY deck_id"
        assert b.execute(query).fetchall() == a.execute(query).fetchall()
        assert b.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        trust = "SELECT name, trusted FROM decks ORDER BY name"
        assert dict(a.execute(trust).fetchall())["Friend's tricks"] == 1
        assert dict(b.execute(trust).fetchall()) == {
            "Friend's tricks": 0, "ML basics": 1, "PyTorch fundamentals": 1, "journal": 1}


def test_import_json_refuses_a_journal_that_holds_something(tmp_path):
    journal = rich_journal(tmp_path)
    out = tmp_path / "journal.json"
    assert invoke(journal, "export", "json", str(out)).exit_code == 0
    other = tmp_path / "other.sqlite3"
    (tmp_path / "day.md").write_text("## 2024-06-01\n하루\n\n키워드: 하나\n", encoding="utf-8")
    assert invoke(other, "import", str(tmp_path / "day.md")).exit_code == 0
    before = json.loads(invoke(other, "entries", "--json").output)
    result = invoke(other, "import-json", str(out))
    assert result.exit_code == 1
    assert "not empty (1 day, 1 card)" in result.output and "--replace" in result.output
    assert json.loads(invoke(other, "entries", "--json").output) == before

    result = invoke(other, "import-json", "--replace", str(out), "--json")
    assert result.exit_code == 0, result.output
    copy = json.loads(result.output)["safety_copy"]
    assert copy and "before-import-json" in copy
    assert [c.path for c in list_safety_copies(other)][0] == Path(copy)
    assert len(json.loads(invoke(other, "entries", "--json").output)) == 2


def _broken(export: dict, how: str) -> dict:
    tables = export["tables"]
    if how == "newer format":
        export["version"] = 2
    elif how == "newer schema":
        export["schema"].append("9999_from_the_future")
    elif how == "unknown column":
        tables["cards"]["colour"] = ["red"] * len(tables["cards"]["id"])
    elif how == "short column":
        tables["review_log"]["rating"].pop()
    elif how == "missing parent":
        # (not a review-log row: that may name a deleted card, whose history stays)
        tables["card_sources"]["card_id"][0] = 999_999
    elif how == "bad value":
        tables["review_log"]["rating"][0] = 9  # CHECK (rating BETWEEN 1 AND 4)
    elif how == "not an export":
        export = {"entries": []}
    return export


@pytest.mark.parametrize("how", ["newer format", "newer schema", "unknown column",
                                 "short column", "missing parent", "bad value",
                                 "not an export", "not JSON"])
def test_a_bad_export_is_refused_in_one_line_with_nothing_changed(tmp_path, how):
    journal = rich_journal(tmp_path)
    out = tmp_path / "journal.json"
    assert invoke(journal, "export", "json", str(out)).exit_code == 0
    if how == "not JSON":
        out.write_text(out.read_text(encoding="utf-8")[:5000], encoding="utf-8")
    else:
        broken = _broken(json.loads(out.read_text(encoding="utf-8")), how)
        out.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "target.sqlite3"
    (tmp_path / "mine.md").write_text("---\ndate: 2024-07-01\n---\nmine\n\nKeywords: Mine\n",
                                      encoding="utf-8")
    assert invoke(target, "import", str(tmp_path / "mine.md")).exit_code == 0
    before = _seen(target)
    result = invoke(target, "import-json", "--replace", str(out))
    assert result.exit_code == 1
    message = result.output.strip()
    assert message.startswith("error: ") and "\n" not in message and "not imported" in message
    assert _seen(target) == before
    # refused before the journal was copied aside (only the day's copy is there)
    assert [c.reason for c in list_safety_copies(target)] == [
        c.reason for c in list_safety_copies(target) if c.reason.startswith("daily-")]
    assert not [p for p in tmp_path.iterdir() if ".importing-" in p.name]


def _columns_at(tmp_path: Path, stop_before: str) -> dict[str, list[str]]:
    """Each table's columns in a database migrated up to ``stop_before``."""
    db = Database(str(tmp_path / "old-schema.sqlite3"))
    migrations.apply(db, stop_before=stop_before)
    return {table: db[table].columns_dict.keys() for table in db.table_names()}


def test_an_export_from_an_older_schema_is_migrated(tmp_path):
    journal = rich_journal(tmp_path)
    out = tmp_path / "journal.json"
    assert invoke(journal, "export", "json", str(out)).exit_code == 0
    export = json.loads(out.read_text(encoding="utf-8"))
    # as an export made before fitted FSRS parameters existed (0007) and after
    first_later = "0007_fsrs_parameters"
    later = export["schema"][export["schema"].index(first_later):]
    export["schema"] = export["schema"][:export["schema"].index(first_later)]
    old_columns = _columns_at(tmp_path, first_later)
    export["tables"] = {table: {c: values for c, values in columns.items()
                                if c in old_columns[table]}
                        for table, columns in export["tables"].items() if table in old_columns}
    assert "parameters" not in export["tables"]["deck_settings"]
    out.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    fresh = tmp_path / "fresh.sqlite3"
    result = invoke(fresh, "import-json", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["migrated"] == later
    gc.collect()
    with closing(sqlite3.connect(fresh)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations._migrations)
        # the journal's own setting (the bundled decks have rows too: off in a journal)
        assert conn.execute("SELECT s.desired_retention FROM deck_settings s JOIN decks d "
                            "ON d.id = s.deck_id WHERE d.name = 'journal'").fetchall() \
            == [(0.85,)]
        assert conn.execute("SELECT count(*) FROM review_log").fetchone()[0] == 12


def test_export_refuses_the_journal_itself_and_a_missing_folder(tmp_path):
    journal = rich_journal(tmp_path)
    result = invoke(journal, "export", "json", str(journal))
    assert result.exit_code == 1 and "the journal itself" in result.output
    result = invoke(journal, "export", "json", str(tmp_path / "no" / "x.json"))
    assert result.exit_code == 1 and "existing folder" in result.output
    with closing(sqlite3.connect(journal)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_every_table_of_the_schema_is_exported_or_left_out_on_purpose(tmp_path):
    """A migration that adds a table must add it to the export (or say why not)."""
    from studylog.core.storage.table_dump import TABLES

    left_out = {"undo_journal", "_sqlite_migrations", "sqlite_stat1", "sqlite_sequence"}
    with closing(Store(tmp_path / "schema.sqlite3")) as store:
        tables = {row["name"] for row in store.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL TABLE%' AND name NOT LIKE '%_fts_%'")}
    assert tables - left_out == set(TABLES)
