"""Renaming a keyword with write-back on rewrites the keyword line in your files too
(issue 16, item 5 with item 2): only that line of each day changes, a file changed since
its import is left alone (the import then merges), and undo puts the file's bytes back."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from entry_text import body

from studylog.core.cards.keyword_rename import rename_keyword
from studylog.core.journal.day_editing import save_day_text
from studylog.core.journal.importer import import_logs
from studylog.core.journal.journal_settings import set_write_back
from studylog.core.undo.reversal import undo_newest

KEYWORDS6 = "+ ##### 키워드: Contiguous, Backward Method, Hook"


def test_rename_rewrites_only_the_keyword_in_the_file_and_undo_puts_the_bytes_back(
        store, week2):
    set_write_back(store, True)
    import_logs(store, [week2], year=2023)
    raw = week2.read_bytes()
    done = rename_keyword(store, "hook", "Forward Hook")
    assert "written back to week2.md" in done.message()
    expected = raw.replace(KEYWORDS6.encode(),
                           KEYWORDS6.replace("Hook", "Forward Hook").encode())
    assert expected != raw and week2.read_bytes() == expected
    assert "hook이라는 개념" in week2.read_text(encoding="utf-8")  # prose stays as written
    assert done.to_json()["files"] == [{"date": "2023-11-13", "path": str(week2.resolve()),
                                        "written": True, "reason": ""}]
    # the app and the file agree: importing the file again changes nothing
    again = import_logs(store, [week2], year=2023)
    assert again.conflicts == [] and again.kept_edits == []
    assert again.files[0].days_updated == 0
    undone = undo_newest(store)
    assert undone.action == "rename keyword"
    assert "written back to week2.md" in undone.message
    assert week2.read_bytes() == raw
    assert KEYWORDS6 in body(store, "2023-11-13")
    again = import_logs(store, [week2], year=2023)
    assert again.conflicts == [] and again.kept_edits == []
    assert again.files[0].days_updated == 0


def test_write_back_off_leaves_the_file_and_undo_too(store, week2):
    import_logs(store, [week2], year=2023)
    raw = week2.read_bytes()
    done = rename_keyword(store, "Hook", "Forward Hook")
    assert "written back" not in done.message() and done.to_json()["files"] == []
    assert week2.read_bytes() == raw
    set_write_back(store, True)  # turned on after the rename: the undo writes nothing
    undone = undo_newest(store)
    assert undone.files == () and week2.read_bytes() == raw


def test_a_file_changed_since_its_import_is_never_overwritten(store, week2):
    set_write_back(store, True)
    import_logs(store, [week2], year=2023)
    changed = week2.read_text(encoding="utf-8").replace(
        "첫 번째는 contiguous라는 개념이었다.", "첫 번째는 contiguous라는 개념이었다. (파일에서 고침)")
    week2.write_text(changed, encoding="utf-8")
    done = rename_keyword(store, "Hook", "Forward Hook")
    assert "not written back to week2.md: the file changed there since the last import" \
        in done.message()
    assert week2.read_text(encoding="utf-8") == changed
    assert "Backward Method, Forward Hook" in body(store, "2023-11-13")
    # the import merges: both changed, so the app's text stays and the file's waits
    assert import_logs(store, [week2], year=2023).conflicts == ["2023-11-13"]


def test_undo_leaves_a_file_changed_after_the_rename_and_says_so(store, week2):
    set_write_back(store, True)
    import_logs(store, [week2], year=2023)
    rename_keyword(store, "Hook", "Forward Hook")
    edited = week2.read_text(encoding="utf-8").replace("Forward Hook", "Forward Hook, Stride")
    week2.write_text(edited, encoding="utf-8")
    undone = undo_newest(store)
    assert any("not written back to week2.md: the file changed there" in f
               for f in undone.files)
    assert week2.read_text(encoding="utf-8") == edited
    assert KEYWORDS6 in body(store, "2023-11-13")  # the rows went back all the same


def test_every_day_of_each_file_in_its_own_form_and_line_endings(store, tmp_path):
    set_write_back(store, True)
    week = tmp_path / "2024-week10.md"
    week_text = ("# Week 10\r\n\r\n## 2024-03-04\r\nStride tells how far to step.\r\n\r\n"
                 "**Keywords:** Stride, View\r\n\r\n## 2024-03-05\r\n오늘은 stride를 다시 봤다.\r\n"
                 "\r\n> 키워드\r\n>> Stride\r\n>> 텐서\r\n\r\n## 2024-03-06\r\nNo keyword here.\r\n"
                 "\r\nKeywords: Broadcasting\r\n")
    week.write_bytes(week_text.encode("utf-8"))
    day = tmp_path / "2024-03-07.md"
    day_text = "---\ndate: 2024-03-07\n---\n보폭(stride)을 정리.\n\n키워드 : 역전파 / Stride\n"
    day.write_bytes(day_text.encode("cp949"))
    import_logs(store, [week, day])
    done = rename_keyword(store, "stride", "Strides")
    assert done.days == ["2024-03-04", "2024-03-05", "2024-03-07"]
    assert "written back to 2024-week10.md (2 days)" in done.message()
    assert "written back to 2024-03-07.md" in done.message()
    assert week.read_bytes() == week_text.replace("** Stride, View", "** Strides, View") \
        .replace(">> Stride\r\n", ">> Strides\r\n").encode("utf-8")
    assert day.read_bytes() == day_text.replace("/ Stride", "/ Strides").encode("cp949")
    undo_newest(store)
    assert week.read_bytes() == week_text.encode("utf-8")
    assert day.read_bytes() == day_text.encode("cp949")


def test_a_day_written_in_the_app_gets_no_new_file_from_a_rename(store, tmp_path):
    set_write_back(store, True)
    save_day_text(store, date(2024, 3, 4), "Read about attention.\n\nKeywords: Attention")
    done = rename_keyword(store, "Attention", "Self-Attention")
    assert done.files == [] and list(tmp_path.glob("**/*.md")) == []


def test_cli_rename_and_undo_json_name_the_files(cli, week2):
    assert cli("import", str(week2), "--year", "2023", "--write-back").exit_code == 0
    raw = week2.read_bytes()
    done = json.loads(cli("keyword", "rename", "Backward Method", "Backward",
                          "--json").output)
    assert [(f["date"], f["written"]) for f in done["files"]] == [("2023-11-13", True)]
    assert b"Contiguous, Backward, Hook" in week2.read_bytes()
    undone = json.loads(cli("undo", "--json").output)
    assert undone["files"] == ["written back to week2.md"]
    assert week2.read_bytes() == raw


def test_each_file_is_written_once_however_many_of_its_days_change(store, tmp_path,
                                                                    monkeypatch):
    from studylog.core.journal import write_back

    set_write_back(store, True)
    log = tmp_path / "journal.md"
    days = [f"## 2024-04-{n:02d}\n{n}일차: view와 reshape.\n\nKeywords: Reshape, Day {n}\n"
            for n in range(1, 11)]
    log.write_text("\n".join(days), encoding="utf-8")
    import_logs(store, [log])
    raw = log.read_bytes()
    writes: list[Path] = []
    real = write_back.atomic_write

    def spy(path: Path, data: bytes) -> None:  # the real write, counted
        writes.append(path)
        real(path, data)

    monkeypatch.setattr(write_back, "atomic_write", spy)
    done = rename_keyword(store, "reshape", "Reshaping")
    assert len(done.days) == 10 and writes == [log.resolve()]
    assert "written back to journal.md (10 days)" in done.message()
    assert log.read_bytes() == raw.replace(b"Keywords: Reshape,", b"Keywords: Reshaping,")
    undo_newest(store)
    assert writes == [log.resolve(), log.resolve()] and log.read_bytes() == raw


def test_days_dated_without_a_year_across_new_year_are_both_written(store, tmp_path):
    set_write_back(store, True)
    log = tmp_path / "겨울방학.md"
    text = ("## Day 1 (12/30)\n연말에 autograd를 복습했다.\n\n키워드: Autograd, Graph\n\n"
            "## Day 2 (01/02)\nNew year, same autograd.\n\nKeywords: Autograd\n")
    log.write_text(text, encoding="utf-8")
    import_logs(store, [log], year=2023)
    assert [e.date for e in store.entries.all()] == ["2023-12-30", "2024-01-02"]
    done = rename_keyword(store, "autograd", "Automatic Differentiation")
    assert [(day, r.written) for day, r in done.files] == [("2023-12-30", True),
                                                           ("2024-01-02", True)]
    assert log.read_text(encoding="utf-8") == text.replace(
        "키워드: Autograd", "키워드: Automatic Differentiation").replace(
        "Keywords: Autograd", "Keywords: Automatic Differentiation")
    undo_newest(store)
    assert log.read_text(encoding="utf-8") == text
