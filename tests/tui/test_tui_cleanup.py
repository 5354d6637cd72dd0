"""Delete, rename and merge in the app (issue 16, deliverable 5): real key presses, a
confirmation first, then the database checked; ``u`` puts every row back."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from textual.widgets import Input, Static
from tui_helpers import (
    FIXTURE_LOG,
    notifications,
    rendered,
    screen_text,
    settle,
    table_rows,
    type_text,
    wait_until,
)

from studylog.core.cards.card_editing import edit_card
from studylog.core.journal.day_deletion import delete_day
from studylog.core.journal.day_editing import save_day_text
from studylog.core.journal.importer import import_logs
from studylog.core.journal.journal_settings import set_write_back
from studylog.core.review.scheduling import record_review
from studylog.core.storage.database import Store
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.dialogs.name_dialog import NameDialog
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.widgets.lazy_table import LazyTable

SIZE = (110, 36)


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the user's data, read by a separate connection."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
            "AND name NOT IN ('undo_journal', '_sqlite_migrations', 'sqlite_sequence')")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                for t in tables}
    finally:
        conn.close()


def card_id(db, front: str) -> int:
    [(found,)] = db("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                    "WHERE d.name = 'journal' AND c.front = ?", front)
    return int(found)


async def confirm(pilot, expect: str) -> None:
    """A question is shown that says ``expect``; answer with its first button."""
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, ConfirmDialog)
    assert expect in dialog.question
    await pilot.press("enter")
    await settle(pilot)


async def open_card(pilot, front: str) -> CardScreen:
    """c, filter by ``front``, enter on the one row."""
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CardsScreen)
    cards = pilot.app.screen
    await pilot.press("f")
    await type_text(pilot, front + "\n")
    await settle(pilot)
    table = cards.query_one(LazyTable)
    # the filter matches backs too: go down to the row of that front
    while table_rows(table)[table.cursor_row][0] != front:
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CardScreen)
    assert rendered(screen.query_one("#card-title", Static)) == front
    return screen


async def test_d_on_a_journal_day_asks_then_deletes_and_u_restores(app, db, journal_store):
    before = snapshot(journal_store.path)
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("j")
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        while journal.current_day != "2023-11-13":
            await pilot.press("down")
        # escape answers no: nothing changes
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert snapshot(journal_store.path) == before
        await pilot.press("d")
        await confirm(pilot, "Delete 2023-11-13 · Day 6 (11/13)?")
        assert db("SELECT date FROM entries") == [("2023-11-14",)]
        assert db("SELECT front FROM cards WHERE orphaned = 1 ORDER BY id") == [
            ("Contiguous",), ("Backward Method",), ("Hook",)]
        assert rendered(journal.query_one("#journal-title", Static)) == "Journal · 1 day(s)"
        assert any("Deleted 2023-11-13" in n and "orphaned (no source left)" in n
                   for n in notifications(pilot.app))
        await pilot.press("u")
        await settle(pilot)
        assert snapshot(journal_store.path) == before
        assert rendered(journal.query_one("#journal-title", Static)) == "Journal · 2 day(s)"


async def test_d_on_a_card_deletes_it_keeping_its_reviews_and_u_brings_it_back(
        app, db, journal_store):
    hook = card_id(db, "Hook")
    record_review(journal_store, hook, "good", 1500, datetime(2023, 11, 15, 9, tzinfo=UTC))
    before = snapshot(journal_store.path)
    async with app().run_test(size=SIZE) as pilot:
        await open_card(pilot, "Hook")
        await pilot.press("d")
        await confirm(pilot, "Delete the card “Hook”?")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CardsScreen))
        assert db("SELECT id FROM cards WHERE id = ?", hook) == []
        assert db("SELECT count(*) FROM review_log WHERE card_id = ?", hook) == [(1,)]
        assert db("SELECT id FROM deleted_cards") == [(hook,)]
        await pilot.press("u")
        await settle(pilot)
        assert snapshot(journal_store.path) == before
        assert any("Undid delete card of “Hook”" in n for n in notifications(pilot.app))


async def test_k_renames_the_keyword_in_the_card_and_the_days_and_u_undoes(
        app, db, journal_store):
    hook = card_id(db, "Hook")
    before = snapshot(journal_store.path)
    async with app().run_test(size=SIZE) as pilot:
        screen = await open_card(pilot, "Hook")
        await pilot.press("k")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NameDialog)
        assert dialog.query_one(Input).value == "Hook"
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "Forward Hook\n")
        await confirm(pilot, "Rename the keyword “Hook” to “Forward Hook”?")
        assert db("SELECT front, key FROM cards WHERE id = ?", hook) == [
            ("Forward Hook", "forwardhook")]
        [(body,)] = db("SELECT body FROM entries WHERE date = '2023-11-13'")
        assert "+ ##### 키워드: Contiguous, Backward Method, Forward Hook" in body
        assert "hook이라는 개념" in body  # the prose stays as written
        assert rendered(screen.query_one("#card-title", Static)) == "Forward Hook"
        await pilot.press("u")
        await settle(pilot)
        assert snapshot(journal_store.path) == before
        assert rendered(screen.query_one("#card-title", Static)) == "Hook"


async def test_plus_merges_a_card_named_by_its_keyword_both_sources_kept(
        app, db, journal_store):
    save_day_text(journal_store, date(2023, 11, 15),
                  "데이터로더로 배치를 만들었다.\n\n키워드: 데이터로더\n")
    loader, korean = card_id(db, "DataLoader"), card_id(db, "데이터로더")
    record_review(journal_store, korean, "good", 900, datetime(2023, 11, 15, 9, tzinfo=UTC))
    before = snapshot(journal_store.path)
    async with app().run_test(size=SIZE) as pilot:
        screen = await open_card(pilot, "DataLoader")
        await pilot.press("plus")
        await settle(pilot)
        assert isinstance(pilot.app.screen, NameDialog)
        await type_text(pilot, "데이터로더\n")
        await confirm(pilot, "Merge “데이터로더” into “DataLoader”?")
        assert db("SELECT id FROM cards WHERE id = ?", korean) == []
        assert db("SELECT e.date FROM card_sources cs JOIN entries e ON e.id = cs.entry_id "
                  "WHERE cs.card_id = ? ORDER BY e.date", loader) == [
            ("2023-11-14",), ("2023-11-15",)]
        # the Korean card was graded first: its history is the merged card's
        assert db("SELECT state, reps FROM cards WHERE id = ?", loader) == [("learning", 1)]
        assert db("SELECT count(*) FROM review_log WHERE card_id = ?", loader) == [(1,)]
        sources = screen.query_one("#card-sources")
        assert sources.option_count == 2
        await pilot.press("u")
        await settle(pilot)
        assert snapshot(journal_store.path) == before


async def test_o_suspends_then_deletes_every_orphan(app, db, journal_store):
    delete_day(journal_store, "2023-11-14")
    orphans = [("Dataset",), ("DataLoader",), ("Document",), ("Source Code",)]
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("o")
        await confirm(pilot, "4 orphaned card(s)")  # the first answer: suspend all
        assert db("SELECT front FROM cards WHERE orphaned = 1 AND suspended = 1 "
                  "ORDER BY id") == orphans
        suspended = snapshot(journal_store.path)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")  # the second answer: delete all
        await settle(pilot)
        assert db("SELECT front FROM cards WHERE orphaned = 1") == []
        assert sorted(db("SELECT front FROM deleted_cards")) == sorted(orphans)
        [(left,)] = db("SELECT count(*) FROM cards")
        await wait_until(pilot, lambda: rendered(pilot.app.screen.query_one(
            "#cards-title", Static)) == f"Cards · {left} of {left} shown")
        await pilot.press("u")
        await settle(pilot)
        assert snapshot(journal_store.path) == suspended


async def test_reimport_in_the_app_leaves_the_deleted_day_out_and_says_so(
        app, empty_store, db, tmp_path):
    from studylog.tui.dialogs.import_dialog import ImportDialog

    log = tmp_path / "2023-week46.md"
    log.write_text("## 2023-11-13\nhook을 배웠다.\n\n키워드: Hook\n", encoding="utf-8")
    path = empty_store.path
    async with app(empty_store).run_test(size=SIZE) as pilot:
        for text in (None, "\n## 2023-11-14\nI practised hooks again.\n\nKeywords: Hook\n"):
            if text is not None:  # the day is deleted in the app, the next appended
                await pilot.press("j", "d")
                await confirm(pilot, "Delete 2023-11-13 · hook을 배웠다.?")
                log.write_text(log.read_text(encoding="utf-8") + text, encoding="utf-8")
            await pilot.press("i")
            dialog = pilot.app.screen
            assert isinstance(dialog, ImportDialog)
            await type_text(pilot, str(log) + "\n")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
        assert any(line.startswith("    left out, you deleted them: 2023-11-13")
                   for line in dialog.log_lines)
        assert db("SELECT date FROM entries", path=path) == [("2023-11-14",)]


async def test_k_with_an_empty_or_unusable_name_says_why_in_the_dialog(
        app, db, journal_store):
    """Found in tmux: enter on an empty name kept the dialog open with nothing drawn (its
    notification went under the dialog). Now the reason is a line inside it."""
    before = snapshot(journal_store.path)
    async with app().run_test(size=SIZE) as pilot:
        await open_card(pilot, "Hook")
        await pilot.press("k")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NameDialog)
        error = dialog.query_one("#name-error", Static)
        assert "The new name is empty" not in screen_text(pilot.app)
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "The new name is empty: type one (escape cancels)" in screen_text(pilot.app)
        assert error.display
        # typing hides the reason; spaces only are still empty
        await type_text(pilot, "   ")
        assert not error.display
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "The new name is empty" in screen_text(pilot.app)
        # a list is not one keyword: the core's one line, in the dialog
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "Hook, 훅\n")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "is not one keyword" in screen_text(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CardScreen)
    assert snapshot(journal_store.path) == before


async def test_k_to_another_keywords_name_is_refused_in_the_name_box(
        app, db, journal_store):
    """Found in tmux: renaming to a name another keyword has asked "Rename …?" first and
    only after Rename said it was a keyword already. Now the name box refuses it and
    names the app's merge key; the question never comes."""
    before = snapshot(journal_store.path)
    async with app().run_test(size=SIZE) as pilot:
        await open_card(pilot, "Hook")
        await pilot.press("k")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, NameDialog)
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "contiguous\n")  # another spelling of the Contiguous card
        await settle(pilot)
        assert pilot.app.screen is dialog
        error = rendered(dialog.query_one("#name-error", Static))
        assert "“contiguous” is a keyword already" in error
        assert "+ here" in error
        # an unchanged name closes the box, asking nothing
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "Hook\n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CardScreen)
    assert snapshot(journal_store.path) == before


async def test_a_card_without_a_snippet_shows_its_own_keys_in_an_80_column_footer(
        app, db, journal_store):
    """Found in tmux: at 80 and 120 columns d, k, + and u (and an edited back's v) were
    cut off the footer while r, ^g and m, keys of a snippet the card has not, took the
    room. Now a card without a snippet hides those, and its own keys fit."""
    save_day_text(journal_store, date(2023, 11, 15),
                  "Walked through the hooks again, no code today.\n\n키워드: Walkword\n")
    walkword = card_id(db, "Walkword")
    edit_card(journal_store, walkword, "Walkword", "My own back")
    async with app().run_test(size=(80, 24)) as pilot:
        screen = await open_card(pilot, "Walkword")
        assert not screen.snippets

        def footer() -> str:
            return screen_text(pilot.app).splitlines()[-1]

        for shown in ("e Edit", "s Suspend", "v Revert", "u Undo", "d Delete", "k Rename",
                      "+ Merge"):
            assert f" {shown} " in footer(), footer()
        for hidden in ("r Run", "^g Stop", "m Maximise", "a Predict"):
            assert hidden not in footer()
        # s suspends, and the footer then offers the other way (the longest footer)
        await pilot.press("s")
        await settle(pilot)
        assert db("SELECT suspended FROM cards WHERE id = ?", walkword) == [(1,)]
        await wait_until(pilot, lambda: " s Unsuspend " in footer())
        assert " + Merge " in footer(), footer()
        await pilot.press("s")
        await settle(pilot)
        assert db("SELECT suspended FROM cards WHERE id = ?", walkword) == [(0,)]
        # writing a snippet (the cursor in its code) brings the run and stop keys back
        await pilot.press("w")
        await settle(pilot)
        await wait_until(pilot, lambda: " ^r Run snippet " in footer()
                         and " ^g Stop " in footer())


async def test_k_with_write_back_on_rewrites_the_file_and_u_puts_it_back(app, tmp_path):
    """Rename in the app with write-back on: the keyword line of the day's file changes
    (nothing else of it), and u puts the file's bytes back."""
    log = tmp_path / "notes" / "week2.md"
    log.parent.mkdir()
    shutil.copy(FIXTURE_LOG, log)
    raw = log.read_bytes()
    store = Store(tmp_path / "wb.sqlite3")
    try:
        import_logs(store, [log], year=2023)
        set_write_back(store, True)
        async with app(store).run_test(size=SIZE) as pilot:
            await open_card(pilot, "Hook")
            await pilot.press("k", "ctrl+a", "ctrl+k")
            await type_text(pilot, "Forward Hook\n")
            await confirm(pilot, "Write-back is on: the keyword lines in the files")
            await wait_until(pilot, lambda: any(
                "written back to week2.md" in n for n in notifications(pilot.app)))
            assert log.read_bytes() == raw.replace(
                "키워드: Contiguous, Backward Method, Hook".encode(),
                "키워드: Contiguous, Backward Method, Forward Hook".encode())
            await pilot.press("u")
            await settle(pilot)
            assert any("Undid rename keyword" in n and "written back to week2.md" in n
                       for n in notifications(pilot.app))
            assert log.read_bytes() == raw
    finally:
        store.close()
