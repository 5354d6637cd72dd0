"""The import dialog (i): a path typed in, the import in a worker, refused files listed
with their reason, the days in the database."""

from __future__ import annotations

import shutil
import threading

from textual.widgets import Input, ProgressBar, Static
from tui_helpers import FIXTURE_LOG, rendered, settle, type_text, wait_until

from studylog.tui.dialogs import import_dialog
from studylog.tui.dialogs.import_dialog import ImportDialog
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.screens.today_screen import TodayScreen

SIZE = (110, 36)


def logs_folder(tmp_path):
    folder = tmp_path / "logs"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(FIXTURE_LOG, folder / "week2-pytorch.md")
    # a binary file with a log's name: refused, the rest still imported
    (folder / "nested" / "garbage.md").write_bytes(bytes(range(256)) * 8)
    return folder


async def test_import_a_folder_lists_the_refused_file_and_stores_the_days(app, empty_store,
                                                                          db, tmp_path):
    folder = logs_folder(tmp_path)
    path = empty_store.path
    assert db("SELECT count(*) FROM entries", path=path) == [(0,)]
    async with app(empty_store).run_test(size=SIZE) as pilot:
        await pilot.press("i")
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportDialog)
        assert pilot.app.focused is dialog.query_one("#import-path", Input)
        await type_text(pilot, str(folder))
        await pilot.press("enter")
        await settle(pilot)

        lines = list(dialog.log_lines)
        assert "imported week2-pytorch.md: 2 new, 0 updated day(s)" in lines
        refused = [line for line in lines if line.startswith("REFUSED garbage.md: ")]
        assert len(refused) == 1
        reason = refused[0].removeprefix("REFUSED garbage.md: ")
        assert "binary" in reason.lower()
        summary = rendered(dialog.query_one("#import-summary", Static))
        assert summary == ("done: 1 imported, 1 refused · 7 new card(s)  (escape closes)")
        bar = dialog.query_one("#import-progress", ProgressBar)
        assert bar.total == 2 and bar.progress == 2

        await pilot.press("escape")
        await settle(pilot)
        today = pilot.app.screen
        assert isinstance(today, TodayScreen)  # refreshed: the week is there now
        assert rendered(today.query_one("#today-streak", Static)) == "2 days in a row"
        await pilot.press("j")
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        assert journal.current_day == "2023-11-14"

    # the app's frozen clock (2023-11-15) dates "11/13" in 2023
    assert db("SELECT date, title FROM entries ORDER BY date", path=path) == [
        ("2023-11-13", "Day 6 (11/13)"), ("2023-11-14", "Day 7 (11/14)")]
    fronts = db("SELECT c.front FROM cards c JOIN decks d ON d.id = c.deck_id "
                "WHERE d.name = 'journal' ORDER BY c.id", path=path)
    assert [f for (f,) in fronts] == ["Contiguous", "Backward Method", "Hook", "Dataset",
                                      "DataLoader", "Document", "Source Code"]
    sources = db("SELECT path FROM sources", path=path)
    assert [p.rsplit("/", 1)[-1] for (p,) in sources] == ["week2-pytorch.md"]


async def test_importing_the_same_file_again_changes_nothing_and_says_so(app, empty_store,
                                                                       db, tmp_path):
    log = logs_folder(tmp_path) / "week2-pytorch.md"
    path = empty_store.path
    async with app(empty_store).run_test(size=SIZE) as pilot:
        await pilot.press("i")
        dialog = pilot.app.screen
        await type_text(pilot, str(log))
        await pilot.press("enter")
        await settle(pilot)
        lines = list(dialog.log_lines)
        assert lines[0] == "imported week2-pytorch.md: 2 new, 0 updated day(s)"
        assert "assumed year 2023" in lines[1]  # from the app's clock
        before = db("SELECT id, date, body, content_hash FROM entries ORDER BY date",
                    path=path)
        assert [row[1] for row in before] == ["2023-11-13", "2023-11-14"]

        assert pilot.app.focused is dialog.query_one("#import-path", Input)
        await pilot.press("enter")  # the same file again
        await settle(pilot)
        assert list(dialog.log_lines) == [
            "unchanged week2-pytorch.md: unchanged since the last import"]
        assert rendered(dialog.query_one("#import-summary", Static)) == \
            "done: 1 unchanged  (escape closes)"
    assert db("SELECT id, date, body, content_hash FROM entries ORDER BY date",
              path=path) == before
    assert db("SELECT count(*) FROM sources", path=path) == [(1,)]


async def test_a_missing_path_is_reported_in_the_dialog(app, db, tmp_path):
    missing = tmp_path / "nowhere"
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("i")
        dialog = pilot.app.screen
        await type_text(pilot, str(missing))
        await pilot.press("enter")
        await settle(pilot)
        assert rendered(dialog.query_one("#import-summary", Static)) == \
            f"no such file or folder: {missing}"
        assert not dialog.log_lines
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TodayScreen)
    assert db("SELECT count(*) FROM sources") == [(1,)]


async def test_enter_on_an_empty_path_imports_nothing(app, empty_store, db, tmp_path,
                                                     monkeypatch):
    """Issue 13, item 11: the placeholder (the current folder) was used as the path, so
    Enter on an empty dialog imported the folder the app started in, recursively."""
    started_in = tmp_path / "home"
    started_in.mkdir()
    (started_in / "diary.md").write_text("## 2024-05-02\n오늘의 일기.\n\n키워드: Secret\n",
                                         encoding="utf-8")
    monkeypatch.chdir(started_in)
    async with app(empty_store).run_test(size=SIZE) as pilot:
        await pilot.press("i")
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert rendered(dialog.query_one("#import-summary", Static)) == \
            "type the path of a file or a folder to import"
        assert not dialog.running and dialog.log_lines == []
        assert str(started_in) not in dialog.query_one("#import-path", Input).placeholder
    assert db("SELECT count(*) FROM entries", path=empty_store.path) == [(0,)]


async def test_escape_while_importing_stops_after_the_file_then_says_so_and_closes(
        app, empty_store, db, tmp_path, monkeypatch):
    """Found walking the app in tmux: Escape during an import showed "cancelling after
    this file…" for good, and every Escape after it only cancelled again, so the dialog
    could not be closed (Textual reports a cancelled worker at once, and nothing when its
    thread ends)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    for month in range(1, 6):
        (folder / f"2023-{month:02d}.md").write_text(
            f"## 2023-{month:02d}-01\n오늘은 tensor 정리 {month}.\n\n+ 키워드: Tensor\n",
            encoding="utf-8")
    first_reported, escaped = threading.Event(), threading.Event()
    real_import = import_dialog.import_logs

    def import_logs(store, paths, *, progress, **options):
        def held(result):  # the first file is reported, then the import waits for Escape
            progress(result)
            if not first_reported.is_set():
                first_reported.set()
                escaped.wait(10)
        return real_import(store, paths, progress=held, **options)

    monkeypatch.setattr(import_dialog, "import_logs", import_logs)
    async with app(empty_store).run_test(size=SIZE) as pilot:
        await pilot.press("i")
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportDialog)
        await type_text(pilot, str(folder))
        await pilot.press("enter")
        await wait_until(pilot, first_reported.is_set)
        await pilot.press("escape")
        summary = dialog.query_one("#import-summary", Static)
        assert rendered(summary) == "cancelling after this file…"
        escaped.set()
        await wait_until(pilot, lambda: not dialog.running)
        assert rendered(summary) == \
            "done: cancelled: the files done so far are imported  (escape closes)"
        assert dialog.log_lines[0] == "imported 2023-01.md: 1 new, 0 updated day(s)"
        listed = [line for line in dialog.log_lines if line.startswith("imported ")]
        progress_bar = dialog.query_one("#import-progress", ProgressBar)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TodayScreen)
    # each file in whole or not at all (those written with the first are committed with
    # it, in its group), and the first one in
    dates = [d for (d,) in db("SELECT date FROM entries ORDER BY date", path=empty_store.path)]
    files = db("SELECT path FROM sources", path=empty_store.path)
    assert dates[0] == "2023-01-01" and len(dates) == len(files)
    # Found walking the fix in tmux: the list and the bar stopped at the first file
    # reported after Escape, though the files committed with it were in. Every file
    # imported is listed and counted.
    assert len(listed) == len(files) == progress_bar.progress
