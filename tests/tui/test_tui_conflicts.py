"""Conflicts in the app (issue 16, item 1): a day changed in its file and in the app is
shown as a diff in the Journal (``m``) and resolved with real keys; saving a day that an
import changed since the editor opened it asks. Screen and database are both checked."""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea
from tui_helpers import FIXTURE_LOG, make, new_store, notifications, screen_text, settle, type_text

from studylog.core.journal.day_editing import save_day_text
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.dialogs.day_diff_dialog import DayDiffDialog
from studylog.tui.screens.day_editor_screen import DayEditorScreen
from studylog.tui.screens.journal_screen import JournalScreen

SIZE = (110, 36)
DAY6 = "2023-11-13"
MINE = "contiguous라는 개념이었다. (앱에서 보탬)"


@pytest.fixture
def week2(tmp_path: Path) -> Path:
    path = tmp_path / "logs" / "week2.md"
    path.parent.mkdir()
    shutil.copy(FIXTURE_LOG, path)
    return path


@pytest.fixture
def store(tmp_path: Path, week2: Path):
    store = new_store(tmp_path / "c.sqlite3", journal=False)
    import_logs(store, [week2], year=2023)
    yield store
    store.close()


def stored(store: Store, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(store.path)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def body(store: Store) -> str:
    return stored(store, "SELECT body FROM entries WHERE date = ?", DAY6)[0][0]


def file_adds_stride(week2: Path) -> None:
    text = week2.read_text(encoding="utf-8")
    week2.write_text(text.replace("Backward Method, Hook", "Backward Method, Hook, Stride", 1),
                     encoding="utf-8")


def make_conflict(store: Store, week2: Path) -> str:
    mine = body(store).replace("contiguous라는 개념이었다.", MINE)
    save_day_text(store, date(2023, 11, 13), mine)
    file_adds_stride(week2)
    assert import_logs(store, [week2], year=2023).conflicts == [DAY6]
    return mine


async def open_day6(pilot) -> JournalScreen:
    await pilot.press("j")
    journal = pilot.app.screen
    assert isinstance(journal, JournalScreen)
    for _ in range(6):
        if journal.current_day == DAY6:
            break
        await pilot.press("down")
    assert journal.current_day == DAY6
    return journal


async def test_m_shows_the_diff_and_f_takes_the_files_version(store, week2):
    make_conflict(store, week2)
    async with make(store).run_test(size=SIZE) as pilot:
        await open_day6(pilot)
        assert "(conflict)" in screen_text(pilot.app)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DayDiffDialog)
        shown = screen_text(pilot.app)
        assert "- 첫 번째는 contiguous라는 개념이었다. (앱에서 보탬)" in shown
        assert re.search(r"\+ 첫 번째는 contiguous라는 개념이었다\.\s+█", shown)
        assert "+ + ##### 키워드: Contiguous, Backward Method, Hook, Stride" in shown
        assert "f take week2.md's version" in shown
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(pilot.app.screen, JournalScreen)
        assert "(conflict)" not in screen_text(pilot.app)
        assert any("kept the text of week2.md" in n for n in notifications(pilot.app))
    assert body(store).endswith("Hook, Stride") and MINE not in body(store)
    assert stored(store, "SELECT count(*) FROM day_bases WHERE theirs IS NOT NULL") == [(0,)]
    assert stored(store, "SELECT count(*) FROM cards WHERE front = 'Stride'") == [(1,)]


async def test_m_then_m_keeps_mine(store, week2):
    mine = make_conflict(store, week2)
    async with make(store).run_test(size=SIZE) as pilot:
        await open_day6(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert "(conflict)" not in screen_text(pilot.app)
    assert body(store) == mine
    assert stored(store, "SELECT count(*) FROM day_bases WHERE theirs IS NOT NULL") == [(0,)]
    assert stored(store, "SELECT count(*) FROM cards WHERE front = 'Stride'") == [(0,)]


async def test_e_edits_both_into_one_and_markers_left_are_refused(store, week2):
    mine = make_conflict(store, week2)
    async with make(store).run_test(size=SIZE) as pilot:
        await open_day6(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        area = editor.query_one(TextArea)
        assert "<<<<<<< studylog" in area.text and ">>>>>>> week2.md" in area.text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("conflict markers" in n for n in notifications(pilot.app))
        assert body(store) == mine  # nothing saved
        # keep the keyword line of the file and the sentence of the app: delete the
        # marker lines and the app's old keyword line with real keys
        lines = area.text.split("\n")
        for index in reversed(range(len(lines))):
            line = lines[index]
            if line.startswith(("<<<<<<<", "=======", ">>>>>>>")) or \
                    line == "+ ##### 키워드: Contiguous, Backward Method, Hook":
                area.move_cursor((index, 0))
                await pilot.press("shift+down", "backspace")  # select the line, delete it
        assert "<<<<<<<" not in area.text, area.text
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert rendered_status(editor).startswith("saved")
    merged = body(store)
    assert MINE in merged and merged.endswith("Hook, Stride")
    assert stored(store, "SELECT count(*) FROM day_bases WHERE theirs IS NOT NULL") == [(0,)]


def rendered_status(editor: DayEditorScreen) -> str:
    return str(editor.query_one("#editor-status", Static).render())


async def test_saving_a_day_an_import_changed_meanwhile_asks(store, week2):
    """Day 6 open in the editor; another connection imports a changed week2.md; ctrl+s
    asks instead of overwriting; f takes the stored text, m overwrites knowingly."""
    async with make(store).run_test(size=SIZE) as pilot:
        await open_day6(pilot)
        await pilot.press("e")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        await type_text(pilot, "\n앱에서 쓴 문장.")
        file_adds_stride(week2)
        with Store(store.path) as other:  # "another shell"
            assert import_logs(other, [week2], year=2023).new_cards == ["Stride"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DayDiffDialog)
        assert "changed by something else" in screen_text(pilot.app)
        assert "f take the stored version" in screen_text(pilot.app)  # not "stored's"
        assert body(store).endswith("Hook, Stride")  # the import stands
        assert stored(store, "SELECT orphaned FROM cards WHERE front = 'Stride'") == [(0,)]
        await pilot.press("f")
        await settle(pilot)
        assert pilot.app.screen is editor
        assert editor.query_one(TextArea).text == body(store)
        assert not editor.is_dirty
        # now the editor knows the stored version: an edit saves without asking
        editor.query_one(TextArea).move_cursor(editor.query_one(TextArea).document.end)
        await type_text(pilot, ", Memory Layout")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is editor
    assert body(store).endswith("Hook, Stride, Memory Layout")


async def test_keep_mine_after_a_concurrent_import_saves_over_it_knowingly(store, week2):
    async with make(store).run_test(size=SIZE) as pilot:
        await open_day6(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, "\n앱에서 쓴 문장.")
        file_adds_stride(week2)
        with Store(store.path) as other:
            import_logs(other, [week2], year=2023)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DayDiffDialog)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DayEditorScreen)
    assert body(store).endswith("앱에서 쓴 문장.") and "Stride" not in body(store)


async def test_with_write_back_on_a_save_in_the_app_rewrites_the_days_file(store, week2):
    from studylog.core.journal.journal_settings import set_write_back

    set_write_back(store, True)
    raw = week2.read_bytes()
    async with make(store).run_test(size=SIZE) as pilot:
        await open_day6(pilot)
        await pilot.press("e")
        await settle(pilot)
        await type_text(pilot, ", Memory Layout")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("written back to week2.md" in n for n in notifications(pilot.app))
    keywords = b"Contiguous, Backward Method, Hook"
    assert week2.read_bytes() == raw.replace(keywords, keywords + b", Memory Layout", 1)
    assert body(store).endswith("Hook, Memory Layout")


async def test_the_import_dialog_names_kept_edits_and_conflicts(store, week2):
    """Re-importing from the app: the log says which app edit was kept and which day
    conflicts, the summary says both, and the Journal marks the conflict."""
    from tui_helpers import rendered

    save_day_text(store, date(2023, 11, 14), body_of(store, "2023-11-14") + "\n\n앱에서 보탬.")
    make_conflict(store, week2)  # Day 6: both changed, imported once already
    with week2.open("a", encoding="utf-8") as f:  # Day 7 unchanged in the file, Day 8 new
        f.write("\nDay 8 (11/15)\n---\nnn.Module 복습.\n\n+ ##### 키워드: Module\n")
    async with make(store).run_test(size=SIZE) as pilot:
        await pilot.press("i")
        dialog = pilot.app.screen
        await type_text(pilot, str(week2))
        await pilot.press("enter")
        await settle(pilot)
        lines = list(dialog.log_lines)
        assert "    kept your app edit of 2023-11-14" in lines
        assert any(line.startswith("    CONFLICT 2023-11-13") for line in lines)
        summary = rendered(dialog.query_one("#import-summary", Static))
        assert "your app edits of 1 day(s) kept" in summary
        assert "1 day(s) changed in the file and in the app" in summary
        await pilot.press("escape")
        await open_day6(pilot)
        assert "(conflict)" in screen_text(pilot.app)
    assert body_of(store, "2023-11-14").endswith("앱에서 보탬.")
    assert stored(store, "SELECT count(*) FROM entries WHERE date = '2023-11-15'") == [(1,)]


def body_of(store: Store, day: str) -> str:
    return stored(store, "SELECT body FROM entries WHERE date = ?", day)[0][0]
