"""Write-back (issue 16, item 2): saving a day rewrites its section of its file and no
other byte; days written in the app get a file in the journal folder, in your style."""

from __future__ import annotations

import json
from datetime import date

from entry_text import body

from studylog.core.journal.conflicts import resolve_conflict
from studylog.core.journal.day_editing import save_day_text
from studylog.core.journal.importer import import_logs
from studylog.core.journal.journal_settings import set_journal_folder, set_write_back
from studylog.core.storage.database import Store

DAY6 = date(2023, 11, 13)
KEYWORDS6 = "+ ##### 키워드: Contiguous, Backward Method, Hook"


def test_only_the_edited_section_of_the_fixture_changes(store, week2):
    set_write_back(store, True)
    import_logs(store, [week2], year=2023)
    raw = week2.read_bytes()
    start = raw.index("이번주는 PyTorch".encode())
    end = raw.index(KEYWORDS6.encode()) + len(KEYWORDS6.encode())
    new_body = body(store, "2023-11-13").replace(
        "첫 번째는 contiguous라는 개념이었다.", "첫 번째는 contiguous라는 개념이었다. (stride로 확인)") \
        .replace("Backward Method, Hook", "Backward Method, Hook, Stride")
    saved = save_day_text(store, DAY6, new_body)
    assert "written back to week2.md" in saved.message()
    assert week2.read_bytes() == raw[:start] + new_body.encode() + raw[end:]
    # importing the rewritten file changes nothing: the app and the file agree
    report = import_logs(store, [week2], year=2023)
    assert report.conflicts == [] and report.kept_edits == []
    assert report.files[0].days_updated == 0 and body(store, "2023-11-13") == new_body


def test_crlf_and_cp949_files_keep_their_bytes_outside_the_day(store, tmp_path):
    set_write_back(store, True)
    log = tmp_path / "notes.md"
    text = ("# 3월 노트\r\n\r\n## 2024-03-04\r\n어텐션을 읽었다.\r\n\r\n키워드: Attention\r\n\r\n"
            "## 2024-03-05\r\n레이어 정규화.\r\n\r\n키워드: Layer Norm\r\n")
    raw = text.encode("cp949")
    log.write_bytes(raw)
    import_logs(store, [log])
    save_day_text(store, date(2024, 3, 4), "어텐션을 다시 읽었다.\n\n키워드: Attention, Softmax")
    expected = text.replace("어텐션을 읽었다.\r\n\r\n키워드: Attention\r\n",
                            "어텐션을 다시 읽었다.\r\n\r\n키워드: Attention, Softmax\r\n")
    assert log.read_bytes() == expected.encode("cp949")


def test_a_file_changed_since_the_import_is_left_alone(store, week2):
    set_write_back(store, True)
    import_logs(store, [week2], year=2023)
    changed = week2.read_text(encoding="utf-8").replace(KEYWORDS6, KEYWORDS6 + ", Stride")
    week2.write_text(changed, encoding="utf-8")
    saved = save_day_text(store, DAY6, body(store, "2023-11-13") + "\n\n앱에서 보탬.")
    assert "not written back to week2.md: the file changed there" in saved.message()
    assert week2.read_text(encoding="utf-8") == changed
    assert body(store, "2023-11-13").endswith("앱에서 보탬.")  # the save itself stands


def test_write_back_off_never_touches_the_file(store, week2):
    import_logs(store, [week2], year=2023)
    raw = week2.read_bytes()
    saved = save_day_text(store, DAY6, body(store, "2023-11-13") + "\n\n앱에서 보탬.")
    assert "written back" not in saved.message()
    assert week2.read_bytes() == raw


def test_resolving_a_conflict_with_mine_writes_mine_to_the_file(store, week2):
    import_logs(store, [week2], year=2023)
    mine = body(store, "2023-11-13").replace("이번주는", "월요일: 이번주는")
    save_day_text(store, DAY6, mine)
    week2.write_text(week2.read_text(encoding="utf-8").replace(KEYWORDS6, KEYWORDS6 + ", Stride"),
                     encoding="utf-8")
    assert import_logs(store, [week2], year=2023).conflicts == ["2023-11-13"]
    set_write_back(store, True)
    resolve_conflict(store, DAY6, "mine")
    text = week2.read_text(encoding="utf-8")
    assert "월요일: 이번주는" in text and "Hook, Stride" not in text
    assert import_logs(store, [week2], year=2023).conflicts == []


def test_a_day_written_in_the_app_gets_a_week_file_in_the_journal_folder(store, tmp_path):
    folder = tmp_path / "journal"
    set_write_back(store, True)
    set_journal_folder(store, folder, "week")
    save_day_text(store, date(2024, 3, 4), "Read about attention.\n\nKeywords: Attention")
    path = folder / "2024-W10.md"
    first = path.read_bytes()
    assert "## Day 1 (03/04)\n\nRead about attention." in first.decode()
    save_day_text(store, date(2024, 3, 5), "레이어 정규화를 정리했다.\n\n키워드: Layer Norm")
    second = path.read_bytes()
    assert second.startswith(first) and "## Day 2 (03/05)" in second.decode()
    # editing a day of that file now rewrites its section
    save_day_text(store, date(2024, 3, 4), "Read about attention twice.\n\nKeywords: Attention")
    assert b"attention twice" in path.read_bytes() and b"Day 2 (03/05)" in path.read_bytes()
    # the days are stored as an import of that file stores them: importing it changes nothing
    again = import_logs(store, [folder])
    assert again.files[0].days_new == again.files[0].days_updated == 0
    assert store.entries.get("2024-03-05").title == "Day 2 (03/05)"  # type: ignore[union-attr]
    with Store(tmp_path / "fresh.sqlite3") as fresh:
        import_logs(fresh, [folder])
        assert [(e.date, e.body) for e in fresh.entries.all()] == [
            (e.date, e.body) for e in store.entries.all()]


def test_a_day_written_in_the_app_gets_a_day_file_with_front_matter(store, tmp_path):
    folder = tmp_path / "daily"
    set_write_back(store, True)
    set_journal_folder(store, folder, "day")
    saved = save_day_text(store, date(2024, 3, 4), "오늘은 einsum.\n\n키워드: Einsum")
    assert "written back to 2024-03-04.md" in saved.message()
    assert (folder / "2024-03-04.md").read_text(encoding="utf-8") == \
        '---\ndate: "2024-03-04"\n---\n\n오늘은 einsum.\n\n키워드: Einsum\n'


def test_cli_settings_and_import_write_back(cli, store, week2, tmp_path):
    done = cli("write-back", "--json")
    assert json.loads(done.output)["write_back"] is False
    done = cli("import", str(week2), "--year", "2023", "--write-back")
    assert done.exit_code == 0 and "write-back is on" in done.output
    assert json.loads(cli("write-back", "--json").output)["write_back"] is True
    folder = tmp_path / "j"
    done = cli("journal-folder", str(folder), "--per", "day")
    assert done.exit_code == 0
    status = json.loads(cli("write-back", "--json").output)
    assert status["folder"] == str(folder.resolve()) and status["per"] == "day"
    assert cli("write-back", "off").exit_code == 0
    assert json.loads(cli("write-back", "--json").output)["write_back"] is False
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    bad = cli("journal-folder", str(tmp_path / "afile"))
    assert bad.exit_code == 1 and "is a file" in bad.output
