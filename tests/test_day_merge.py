"""Re-importing days edited in the app: the three-way merge per day (issue 16, item 1).

Each test imports a real file into a real SQLite file, edits in the app's way
(``save_day_text``), changes the file, and imports again."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from entry_text import body

from studylog.core.journal.conflicts import ConflictError, list_conflicts, resolve_conflict
from studylog.core.journal.day_diff import diff_lines, has_markers, with_markers
from studylog.core.journal.day_editing import DayChanged, DaySeen, save_day_text
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store

DAY6 = date(2023, 11, 13)
DAY8 = """
Day 8 (11/15)
---
오늘은 nn.Module을 상속해서 모델을 만들었다.

+ ##### 키워드: Module
"""
ENGLISH = """# March, week 10

## 2024-03-04
Read about attention. Attention weighs every token against every other.

Keywords: Attention, Softmax

## 2024-03-05
Wrote a tiny transformer block; layer norm before attention trains more stably.

Keywords: Layer Norm
"""


def fronts(store: Store) -> set[str]:
    return {r["front"] for r in store.query(
        "SELECT c.front FROM cards c JOIN decks d ON d.id = c.deck_id "
        "WHERE d.name = 'journal' AND c.orphaned = 0")}


def edit(store: Store, day: date, old: str, new: str) -> str:
    text = body(store, day.isoformat()).replace(old, new)
    assert new in text
    save_day_text(store, day, text)
    return text


def test_an_app_edit_survives_appending_a_day_to_its_file(store, week2):
    import_logs(store, [week2], year=2023)
    mine = edit(store, DAY6, "이번주는 PyTorch", "월요일: 이번주는 PyTorch")
    with week2.open("a", encoding="utf-8") as f:
        f.write(DAY8)
    report = import_logs(store, [week2], year=2023)
    assert body(store, "2023-11-13") == mine
    assert report.kept_edits == ["2023-11-13"]
    assert report.files[0].days_new == 1 and report.files[0].days_updated == 0
    assert "Module" in fronts(store)
    assert report.conflicts == [] and list_conflicts(store) == []


def test_a_file_change_to_a_day_not_edited_in_the_app_is_taken(store, week2):
    import_logs(store, [week2], year=2023)
    text = week2.read_text(encoding="utf-8")
    week2.write_text(text.replace("Hook\n", "Hook, Leaf Variable\n", 1), encoding="utf-8")
    report = import_logs(store, [week2], year=2023)
    assert report.files[0].days_updated == 1 and report.kept_edits == []
    assert body(store, "2023-11-13").endswith("Hook, Leaf Variable")
    # once taken, the file's text is the base: editing it in the app is then kept
    mine = edit(store, DAY6, "Leaf Variable", "Leaf Variable, Autograd")
    week2.write_text(week2.read_text(encoding="utf-8") + DAY8, encoding="utf-8")
    import_logs(store, [week2], year=2023)
    assert body(store, "2023-11-13") == mine


def both_changed(store: Store, week2: Path) -> tuple[str, str]:
    """Day 6 edited in the app and, differently, in the file; re-imported."""
    import_logs(store, [week2], year=2023)
    mine = edit(store, DAY6, "contiguous라는 개념이었다.", "contiguous라는 개념이었다. (앱에서 보탬)")
    text = week2.read_text(encoding="utf-8")
    week2.write_text(text.replace("Backward Method, Hook", "Backward Method, Hook, Stride", 1),
                     encoding="utf-8")
    return mine, text


def test_both_changed_keeps_mine_and_the_file_beside_it(store, week2):
    mine, _ = both_changed(store, week2)
    report = import_logs(store, [week2], year=2023)
    assert report.conflicts == ["2023-11-13"]
    assert body(store, "2023-11-13") == mine
    assert "Stride" not in fronts(store)
    [conflict] = list_conflicts(store)
    assert conflict.date == "2023-11-13" and conflict.mine == mine
    assert conflict.theirs.endswith("Backward Method, Hook, Stride")
    assert conflict.source == str(week2.resolve())
    kinds = {line.kind for line in diff_lines(conflict.mine, conflict.theirs)}
    assert {"mine", "theirs", "hunk"} <= kinds


def test_resolve_mine_keeps_the_edit_and_the_next_import_leaves_it(store, week2):
    mine, _ = both_changed(store, week2)
    import_logs(store, [week2], year=2023)
    resolve_conflict(store, DAY6, "mine")
    assert list_conflicts(store) == [] and body(store, "2023-11-13") == mine
    week2.write_text(week2.read_text(encoding="utf-8") + DAY8, encoding="utf-8")
    report = import_logs(store, [week2], year=2023)
    assert report.conflicts == [] and body(store, "2023-11-13") == mine


def test_resolve_theirs_takes_the_file_and_its_keyword_card(store, week2):
    both_changed(store, week2)
    import_logs(store, [week2], year=2023)
    saved = resolve_conflict(store, DAY6, "theirs")
    assert saved.new_cards == ["Stride"]
    assert body(store, "2023-11-13").endswith("Backward Method, Hook, Stride")
    assert "(앱에서 보탬)" not in body(store, "2023-11-13")
    assert list_conflicts(store) == []
    with pytest.raises(ConflictError, match="no conflict"):
        resolve_conflict(store, DAY6, "theirs")


def test_resolve_by_editing_refuses_markers_then_saves_the_merged_text(store, week2):
    mine, _ = both_changed(store, week2)
    import_logs(store, [week2], year=2023)
    [conflict] = list_conflicts(store)
    marked = with_markers(conflict.mine, conflict.theirs)
    assert has_markers(marked)
    with pytest.raises(ConflictError, match="conflict markers"):
        resolve_conflict(store, DAY6, "edit", marked)
    assert list_conflicts(store) != [] and body(store, "2023-11-13") == mine
    merged = mine.replace("Backward Method, Hook", "Backward Method, Hook, Stride")
    resolve_conflict(store, DAY6, "edit", merged)
    assert body(store, "2023-11-13") == merged and "Stride" in fronts(store)
    assert list_conflicts(store) == []


def test_a_day_deleted_from_the_file_but_edited_in_the_app_is_kept(store, tmp_path):
    log = tmp_path / "march.md"
    log.write_text(ENGLISH, encoding="utf-8")
    import_logs(store, [log])
    mine = edit(store, date(2024, 3, 5), "trains more stably.", "trains more stably (checked).")
    log.write_text(ENGLISH.split("## 2024-03-05")[0], encoding="utf-8")
    report = import_logs(store, [log])
    assert report.kept_edits == ["2024-03-05"] and report.files[0].days_removed == 0
    assert body(store, "2024-03-05") == mine
    assert "Layer Norm" in fronts(store)


def test_a_day_written_in_the_app_then_given_by_a_file_conflicts(store, tmp_path):
    mine = "Wrote it in the app first.\n\nKeywords: Attention"
    save_day_text(store, date(2024, 3, 4), mine)
    log = tmp_path / "march.md"
    log.write_text(ENGLISH, encoding="utf-8")
    report = import_logs(store, [log])
    assert report.conflicts == ["2024-03-04"] and body(store, "2024-03-04") == mine
    assert body(store, "2024-03-05").startswith("Wrote a tiny transformer")
    resolve_conflict(store, date(2024, 3, 4), "theirs")
    assert body(store, "2024-03-04").startswith("Read about attention")


def test_saving_a_day_that_an_import_changed_meanwhile_asks(store, db_path, week2):
    """The editor opened Day 6; another shell imported a changed file; saving refuses and
    the imported text, its keyword and that keyword's card stay."""
    import_logs(store, [week2], year=2023)
    seen = DaySeen(body(store, "2023-11-13"))
    text = week2.read_text(encoding="utf-8")
    week2.write_text(text.replace("Backward Method, Hook", "Backward Method, Hook, Stride", 1),
                     encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "studylog", "--db", str(db_path), "import",
                           str(week2), "--year", "2023", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new_cards"] == ["Stride"]
    with pytest.raises(DayChanged, match="changed by something else") as raised:
        save_day_text(store, DAY6, seen.body + "\n\n앱에서 쓴 문장", seen=seen)
    assert raised.value.theirs is not None and raised.value.theirs.endswith("Hook, Stride")
    assert body(store, "2023-11-13").endswith("Hook, Stride")
    assert "Stride" in fronts(store)


def test_cli_import_conflicts_and_resolve(cli, store, week2):
    mine, _ = both_changed(store, week2)
    done = cli("import", str(week2), "--year", "2023")
    assert done.exit_code == 0
    assert "1 conflict(s): 2023-11-13" in done.output
    assert "Your app text stays" in done.output
    listed = cli("conflicts", "--diff")
    assert "2023-11-13" in listed.output and "+" in listed.output and "Stride" in listed.output
    as_json = json.loads(cli("conflicts", "--json").output)
    assert as_json[0]["date"] == "2023-11-13" and as_json[0]["mine"] == mine
    assert cli("resolve", "2023-11-13").exit_code == 1
    done = cli("resolve", "2023-11-13", "--mine")
    assert done.exit_code == 0 and "kept the app's text" in done.output
    assert cli("conflicts").output.strip() == "no conflicts"
    again = cli("resolve", "2023-11-13", "--theirs")
    assert again.exit_code == 1


def test_cli_import_says_which_app_edits_it_kept(cli, store, week2):
    import_logs(store, [week2], year=2023)
    edit(store, DAY6, "이번주는 PyTorch", "월요일: 이번주는 PyTorch")
    week2.write_text(week2.read_text(encoding="utf-8") + DAY8, encoding="utf-8")
    done = cli("import", str(week2), "--year", "2023", "--json")
    report = json.loads(done.output)
    assert report["kept_edits"] == ["2023-11-13"] and report["conflicts"] == []


def test_days_imported_before_the_merge_existed_get_their_text_as_base(tmp_path, week2):
    """Migration 0008: a day from a file gets its text as the base (the file's next
    change is taken, as before); a day written in the app gets none (a file giving the
    same date later conflicts instead of overwriting it)."""
    from studylog.core.storage.migrations import migrations
    from studylog.core.storage.sqlite_lib import Database

    path = tmp_path / "old.sqlite3"
    db = Database(str(path))
    migrations.apply(db, stop_before="0008_day_bases")
    with db.conn:
        for day, source in (("2023-11-13", str(week2.resolve())), ("2023-11-20", "studylog:app")):
            db.execute("INSERT INTO entries (date, title, body, source_file, content_hash, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, 'x', 'x', 'x')",
                       [day, day, f"old text of {day}", source])
    db.conn.close()
    with Store(path) as store:
        rows = store.query("SELECT e.date, b.base FROM day_bases b JOIN entries e "
                           "ON e.id = b.entry_id")
        assert rows == [{"date": "2023-11-13", "base": "old text of 2023-11-13"}]
        report = import_logs(store, [week2], year=2023)
        assert report.conflicts == [] and report.kept_edits == []
        assert body(store, "2023-11-13").startswith("이번주는 PyTorch")
