"""Today, the Journal and the day editor, driven by real keys; every test checks both the
screen and the database."""

from __future__ import annotations

import sys

from textual.widgets import Markdown, Static, TextArea
from tui_helpers import notifications, options, rendered, screen_text, settle, type_text, wait_until

from studylog.core.journal.day_editing import NEW_DAY_TEMPLATE
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.screens.day_editor_screen import DayEditorScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.screens.today_screen import TodayScreen
from studylog.tui.widgets.day_list import DayList

SIZE = (100, 32)


def entry_body(db, day: str) -> str | None:
    rows = db("SELECT body FROM entries WHERE date = ?", day)
    return rows[0][0] if rows else None


def journal_fronts(db, path=None) -> list[str]:
    return [r[0] for r in db(
        "SELECT c.front FROM cards c JOIN decks d ON d.id = c.deck_id "
        "WHERE d.name = 'journal' ORDER BY c.id", path=path)]


async def open_journal_day(pilot, day: str) -> JournalScreen:
    """j, then down until ``day`` is the highlighted day."""
    await pilot.press("j")
    await settle(pilot)  # the days are read in a worker
    journal = pilot.app.screen
    assert isinstance(journal, JournalScreen)
    for _ in range(10):
        if journal.current_day == day:
            break
        await pilot.press("down")
    assert journal.current_day == day
    return journal


# -- Today ------------------------------------------------------------------------------

async def test_today_shows_the_frozen_day_the_week_and_the_streak(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, TodayScreen)
        title = rendered(screen.query_one("#today-title", Static))
        assert title == "Wednesday 2023-11-15  ·  study week 46  ·  Week 2 (11/13 ~ 11/17)"
        # nothing written on 2023-11-15 yet; the 13th and 14th make a streak of two
        assert db("SELECT date FROM entries ORDER BY date") == [("2023-11-13",),
                                                                 ("2023-11-14",)]
        assert "Nothing written today yet" in screen.query_one("#today-markdown",
                                                               Markdown).source
        assert rendered(screen.query_one("#today-streak", Static)) == "2 days in a row"
        keywords = rendered(screen.query_one("#today-keywords", Static))
        assert keywords.startswith("Dataset · DataLoader · Document · Source Code · "
                                   "Contiguous")
        # every card is new, so the due panel lists the journal deck's new cards
        assert "journal" in screen_text(pilot.app)
        assert "r reviews it" in rendered(screen.query_one("#today-decks-note", Static))


async def test_enter_on_an_unwritten_today_opens_the_last_day_written(app):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        markdown = pilot.app.screen.query_one("#today-markdown", Markdown).source
        assert "Last written: **2023-11-14** · Day 7 (11/14)" in markdown
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, JournalScreen)
        assert pilot.app.screen.current_day == "2023-11-14"


# -- writing a day ----------------------------------------------------------------------

async def test_writing_today_in_the_editor_creates_the_entry_and_its_cards(app, empty_store,
                                                                           db):
    async with app(empty_store).run_test(size=SIZE) as pilot:
        await pilot.press("w")
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        assert editor.day.isoformat() == "2023-11-15"
        area = editor.query_one(TextArea)
        assert area.text == NEW_DAY_TEMPLATE  # cursor above the keyword line
        assert rendered(editor.query_one("#editor-status", Static)) == "saved"

        await type_text(pilot, "오늘은 hook과 leaf variable을 복습했다.")
        await pilot.press("down", "down", "end")
        await type_text(pilot, "Hook, Leaf Variable")
        assert area.text.endswith("+ ##### 키워드: Hook, Leaf Variable")
        assert rendered(editor.query_one("#editor-status", Static)).startswith(
            "unsaved changes")

        await pilot.press("ctrl+s")
        await pilot.pause()
        message = "2023-11-15 written · 2 new cards: Hook, Leaf Variable"
        assert message in notifications(pilot.app)
        assert rendered(editor.query_one("#editor-status", Static)) == f"saved  ·  {message}"

        path = empty_store.path
        body = entry_body(lambda *a: db(*a, path=path), "2023-11-15")
        assert body.startswith("오늘은 hook과 leaf variable을 복습했다.")
        assert body.rstrip().endswith("키워드: Hook, Leaf Variable")
        assert journal_fronts(db, path) == ["Hook", "Leaf Variable"]
        sources = db("SELECT c.front, e.date FROM card_sources s JOIN cards c ON c.id = "
                     "s.card_id JOIN entries e ON e.id = s.entry_id ORDER BY c.id", path=path)
        assert sources == [("Hook", "2023-11-15"), ("Leaf Variable", "2023-11-15")]
        assert db("SELECT count(*) FROM drafts", path=path) == [(0,)]

        await pilot.press("escape")  # saved: leaves without asking
        await settle(pilot)
        today = pilot.app.screen
        assert isinstance(today, TodayScreen)
        assert "복습했다" in today.query_one("#today-markdown", Markdown).source
        assert rendered(today.query_one("#today-streak", Static)) == "1 day in a row"


async def test_editing_a_journal_day_adds_a_keyword_card(app, db):
    async with app().run_test(size=SIZE) as pilot:
        journal = await open_journal_day(pilot, "2023-11-14")
        await pilot.press("e")
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen) and editor.day.isoformat() == "2023-11-14"
        # an existing day opens with the cursor at its end, after the keyword line
        assert editor.query_one(TextArea).text.rstrip().endswith("Source Code")
        await type_text(pilot, ", Autograd")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2023-11-14 saved · 1 new card: Autograd" in notifications(pilot.app)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is journal
        assert journal.current_day == "2023-11-14"
        assert "Source Code, Autograd" in journal.query_one("#day-markdown", Markdown).source

    assert entry_body(db, "2023-11-14").rstrip().endswith(
        "키워드: Dataset, DataLoader, Document, Source Code, Autograd")
    assert "Autograd" in journal_fronts(db)
    keywords = db("SELECT k.name FROM entry_keywords ek JOIN keywords k ON k.id = "
                  "ek.keyword_id JOIN entries e ON e.id = ek.entry_id WHERE e.date = "
                  "'2023-11-14' ORDER BY ek.position")
    assert [k for (k,) in keywords][-1] == "Autograd"


async def test_writing_from_the_journal_with_w_opens_today(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("j", "w")
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen) and editor.day.isoformat() == "2023-11-15"
        await type_text(pilot, "Backward 정리.")
        await pilot.press("down", "down", "end")
        await type_text(pilot, "Backward Method, Gradient Tape")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Backward Method already has a card (2023-11-13): only one card is new, and
        # the old one gains the new day's passage
        assert ("2023-11-15 written · 1 new card: Gradient Tape · 1 card(s) updated"
                in notifications(pilot.app))
        await pilot.press("escape")
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        assert rendered(journal.query_one("#journal-title", Static)) == "Journal · 3 day(s)"

    backward = db("SELECT e.date FROM card_sources s JOIN cards c ON c.id = s.card_id "
                  "JOIN entries e ON e.id = s.entry_id WHERE c.front = 'Backward Method' "
                  "ORDER BY e.date")
    assert backward == [("2023-11-13",), ("2023-11-15",)]
    assert journal_fronts(db).count("Gradient Tape") == 1


# -- drafts -----------------------------------------------------------------------------

async def test_leaving_unsaved_edits_asks_and_keep_as_draft_keeps_a_draft(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await type_text(pilot, "반쯤 쓴 생각")
        await pilot.press("escape")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "2023-11-15 has unsaved changes." in screen_text(pilot.app)
        assert [label for _, label in dialog.answers] == ["Save", "Keep as draft",
                                                          "Discard", "Cancel"]
        await pilot.press("tab", "enter")  # Save is focused; tab moves to Keep as draft
        await settle(pilot)
        today = pilot.app.screen
        assert isinstance(today, TodayScreen)
        assert "An unsaved draft of today is waiting" in today.query_one(
            "#today-markdown", Markdown).source

    drafts = db("SELECT date, body FROM drafts")
    assert len(drafts) == 1 and drafts[0][0] == "2023-11-15"
    assert drafts[0][1].startswith("반쯤 쓴 생각")
    assert entry_body(db, "2023-11-15") is None


async def test_cancel_stays_and_discard_drops_the_typed_draft(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await type_text(pilot, "temporary")
        # a moment (draft_delay) after the last key, the text is in the database
        await wait_until(pilot, lambda: db("SELECT date FROM drafts") == [("2023-11-15",)])
        assert db("SELECT body FROM drafts")[0][0].startswith("temporary")
        editor = pilot.app.screen
        assert "draft kept" in rendered(editor.query_one("#editor-status", Static))

        await pilot.press("escape", "tab", "tab", "tab", "enter")  # Cancel
        assert pilot.app.screen is editor
        assert editor.query_one(TextArea).text.startswith("temporary")

        await pilot.press("escape", "tab", "tab", "enter")  # Discard
        await settle(pilot)
        assert isinstance(pilot.app.screen, TodayScreen)

    assert db("SELECT count(*) FROM drafts") == [(0,)]
    assert entry_body(db, "2023-11-15") is None


async def test_a_draft_left_by_a_crash_is_loaded_when_the_day_is_edited(app, journal_store,
                                                                        db):
    body = journal_store.entries.get("2023-11-13").body
    crashed = body.replace("+ ##### 키워드:", "충돌 전에 쓴 문장.\n\n+ ##### 키워드:")
    with journal_store.write():  # as a killed terminal leaves it
        journal_store.drafts.save("2023-11-13", crashed)

    async with app().run_test(size=SIZE) as pilot:
        journal = await open_journal_day(pilot, "2023-11-13")
        listed = [o for o in options(journal.query_one(DayList)) if "11-13" in o]
        assert listed and "(draft)" in listed[0]
        await pilot.press("e")
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        assert editor.query_one(TextArea).text == crashed
        assert any(m.startswith("Recovered the unsaved draft of 2023-11-13")
                   for m in notifications(pilot.app))
        assert rendered(editor.query_one("#editor-status", Static)).startswith(
            "unsaved changes")

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2023-11-13 saved" in notifications(pilot.app)

    assert "충돌 전에 쓴 문장." in entry_body(db, "2023-11-13")
    assert db("SELECT count(*) FROM drafts") == [(0,)]


# -- $EDITOR ----------------------------------------------------------------------------

def rewriting_editor(old: str, new: str) -> list[str]:
    """A non-interactive "editor": replaces ``old`` by ``new`` in the file it is given."""
    code = ("import pathlib, sys; p = pathlib.Path(sys.argv[1]); "
            "t = p.read_text(encoding='utf-8'); "
            f"p.write_text(t.replace({old!r}, {new!r}), encoding='utf-8')")
    return [sys.executable, "-c", code]


async def test_x_edits_the_day_in_editor_and_saves_it(app, db):
    editor = rewriting_editor("Backward Method, Hook", "Backward Method, Hook, Stride")
    async with app(editor=editor).run_test(size=SIZE) as pilot:
        journal = await open_journal_day(pilot, "2023-11-13")
        await pilot.press("x")
        await settle(pilot)
        assert "2023-11-13 saved · 1 new card: Stride" in notifications(pilot.app)
        assert pilot.app.screen is journal
        assert "Hook, Stride" in journal.query_one("#day-markdown", Markdown).source

    assert entry_body(db, "2023-11-13").rstrip().endswith(
        "키워드: Contiguous, Backward Method, Hook, Stride")
    assert "Stride" in journal_fronts(db)


async def test_a_failing_editor_changes_nothing_and_says_so(app, db):
    before = db("SELECT body, content_hash FROM entries ORDER BY date")
    async with app().run_test(size=SIZE) as pilot:  # NO_EDITOR exits with status 7
        await open_journal_day(pilot, "2023-11-13")
        await pilot.press("x")
        await settle(pilot)
        assert any("exited with status 7: nothing changed" in m
                   for m in notifications(pilot.app))
        assert isinstance(pilot.app.screen, JournalScreen)
    assert db("SELECT body, content_hash FROM entries ORDER BY date") == before


async def test_an_editor_that_does_not_exist_is_one_line_and_the_app_goes_on(app, db,
                                                                              tmp_path):
    before = db("SELECT body, content_hash FROM entries ORDER BY date")
    missing = str(tmp_path / "no-such-editor")
    async with app(editor=[missing, "--wait"]).run_test(size=SIZE) as pilot:
        await open_journal_day(pilot, "2023-11-13")
        await pilot.press("x")
        await settle(pilot)
        assert notifications(pilot.app) == [
            f"editor not found: {missing} (check $VISUAL and $EDITOR)"]
        await pilot.press("w")  # still answering keys: the day editor opens
        assert isinstance(pilot.app.screen, DayEditorScreen)
        await pilot.press("ctrl+o")  # ...and says the same there
        await settle(pilot)
        assert len(notifications(pilot.app)) == 2
    assert db("SELECT body, content_hash FROM entries ORDER BY date") == before


async def test_no_editor_at_all_says_what_to_set(app, monkeypatch, tmp_path):
    from studylog.tui.settings import editor_command

    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no vi on it
    assert editor_command() == []
    async with app(editor=editor_command()).run_test(size=SIZE) as pilot:
        await open_journal_day(pilot, "2023-11-14")
        await pilot.press("x")
        await settle(pilot)
        assert notifications(pilot.app) == [
            "no editor: $VISUAL and $EDITOR are not set and vi is not installed; set one, "
            "e.g. export EDITOR=nano"]
        assert isinstance(pilot.app.screen, JournalScreen)


async def test_ctrl_o_in_the_day_editor_loads_the_editors_text(app, empty_store, db):
    editor = rewriting_editor("키워드: ", "키워드: Tensor View")
    async with app(empty_store, editor=editor).run_test(size=SIZE) as pilot:
        await pilot.press("w")
        day_editor = pilot.app.screen
        await type_text(pilot, "view와 reshape의 차이.")
        await pilot.press("ctrl+o")
        await pilot.pause()
        text = day_editor.query_one(TextArea).text
        assert text.startswith("view와 reshape의 차이.")
        assert text.rstrip().endswith("키워드: Tensor View")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "2023-11-15 written · 1 new card: Tensor View" in notifications(pilot.app)
    assert journal_fronts(db, empty_store.path) == ["Tensor View"]


# -- the Journal ------------------------------------------------------------------------

async def test_journal_lists_days_by_week_and_shows_the_source_file_name(app, db,
                                                                         tmp_path):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await settle(pilot)
        journal = pilot.app.screen
        listed = options(journal.query_one(DayList))
        assert listed[:2] == ["2023", "Week 2 (11/13 ~ 11/17)"]  # the year, then weeks
        assert listed[2].startswith("11-14  Day 7 (11/14)")
        assert "\n       Dataset, DataLoader, " in listed[2]  # cut to the list's width
        assert listed[3].startswith("11-13  Day 6 (11/13)")
        assert journal.current_day == "2023-11-14"
        view = journal.query_one("#day-view")
        assert view.border_title == "2023-11-14 · Day 7 (11/14)"
        assert view.border_subtitle == "week2-pytorch.md"
        await pilot.press("down")
        assert journal.current_day == "2023-11-13"
        source = journal.query_one("#day-markdown", Markdown).source
        assert source == db("SELECT body FROM entries WHERE date = '2023-11-13'")[0][0]
        text = screen_text(pilot.app)
        assert "contiguous라는 개념이었다" in text
        assert str(tmp_path) not in text
    stored = db("SELECT source_file FROM entries WHERE date = '2023-11-13'")[0][0]
    assert stored.endswith("week2-pytorch.md") and "/" in stored  # the full path is kept


async def test_quitting_with_unsaved_edits_asks_and_keeps_them_as_a_draft(app, db):
    # a long draft_delay: no draft was written by the timer when ctrl+q comes
    async with app(draft_delay=30).run_test(size=SIZE) as pilot:
        await pilot.press("w")
        await type_text(pilot, "끝내기 전에")
        assert db("SELECT count(*) FROM drafts") == [(0,)]
        await pilot.press("ctrl+q")
        dialog = pilot.app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Unsaved edits of 2023-11-15" in screen_text(pilot.app)
        await pilot.press("enter")  # Quit, keep draft
        await pilot.pause()
        assert pilot.app.return_code == 0
    drafts = db("SELECT date, body FROM drafts")
    assert [d for d, _ in drafts] == ["2023-11-15"]
    assert drafts[0][1].startswith("끝내기 전에")
