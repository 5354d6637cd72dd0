"""The app as a whole: help (?), the command palette (ctrl+p), errors in handlers, and a
UI process that never imports torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Static, TextArea
from tui_helpers import (
    notifications,
    rendered,
    screen_text,
    settle,
    table_rows,
    type_text,
    wait_until,
)

import studylog.tui.screens.cards_screen as cards_screen
from studylog.core.cards.card_list import CardTexts
from studylog.core.storage.database import StoreError
from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.day_editor_screen import DayEditorScreen
from studylog.tui.screens.help_screen import HelpScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.screens.today_screen import TodayScreen
from studylog.tui.widgets.lazy_table import LazyTable

SIZE = (100, 32)
REPO = Path(__file__).resolve().parents[2]


# -- help -------------------------------------------------------------------------------

async def test_question_mark_shows_the_keys_of_the_current_screen_first(app, db):
    async with app().run_test(size=(100, 40)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        assert help_screen.current is CardsScreen
        text = screen_text(pilot.app)
        assert "Keys  (↑/↓ scroll; escape closes; ctrl+p: every action by name)" in text
        # the current screen's keys first, then the other screens'
        cards = text.index("█  Cards ")
        assert cards < text.index("s          Suspend/unsuspend") < text.index("█  Today ")
        assert cards < text.index("█  Journal ") < text.index("x          Edit in $EDITOR")

        await pilot.press("escape")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CardsScreen)
        # the keys work again: s on the first card
        await pilot.press("s")
        await settle(pilot)
        first = table_rows(screen.query_one(LazyTable))[0]
        assert first[2] == "new·suspended" and first[3] == "—"  # state and flags, no due
    assert db("SELECT front FROM cards WHERE suspended = 1") == [(first[0],)]


async def test_question_mark_on_today_lists_the_deck_lists_arrows_as_the_docs_do(app):
    """Found in tmux: docs/app.md lists Today's ↑↓ (pick a deck) but ? did not: the
    arrows are the deck list's, no binding of the screen. Help lists them now, and
    ctrl+q (quit from a text box) under Everywhere."""
    async with app().run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        text = screen_text(pilot.app)
        today = text.index("█  Today ")
        assert today < text.index("↑↓         Pick a deck") < text.index("█  Journal ")
        await pilot.press("end")  # Everywhere is the last section
        await settle(pilot)
        assert "ctrl+q     Quit, also from a text box" in screen_text(pilot.app)


# -- the command palette ----------------------------------------------------------------

async def run_command(pilot, words: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_text(pilot, words)
    await settle(pilot)
    await pilot.press("down", "enter")  # the best match
    await settle(pilot)


async def test_the_palette_goes_to_a_screen_and_writes_today(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await run_command(pilot, "go to journal")
        assert isinstance(pilot.app.screen, JournalScreen)
        assert pilot.app.current_mode == "journal"

        await run_command(pilot, "write today's entry")
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen) and editor.day.isoformat() == "2023-11-15"
        assert pilot.app.focused is editor.query_one(TextArea)
        await type_text(pilot, "palette로 쓴 날.")
        await pilot.press("down", "down", "end")
        await type_text(pilot, "Command Palette")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "2023-11-15 written · 1 new card: Command Palette" in notifications(pilot.app)
        assert rendered(editor.query_one("#editor-status", Static)).startswith("saved")

    # titled by its first line, not by its date a second time (issue 17)
    assert db("SELECT title FROM entries WHERE date = '2023-11-15'") == [("palette로 쓴 날.",)]
    assert db("SELECT count(*) FROM cards WHERE front = 'Command Palette'") == [(1,)]


async def test_the_palette_lists_the_current_screens_keys(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await run_command(pilot, "cards: suspend")
        screen = pilot.app.screen
        assert isinstance(screen, CardsScreen)
        first = table_rows(screen.query_one(LazyTable))[0]
        assert first[2] == "new·suspended" and first[3] == "—"  # state and flags, no due
    assert db("SELECT front FROM cards WHERE suspended = 1") == [(first[0],)]


# -- errors -----------------------------------------------------------------------------

def boom(*args, **kwargs):
    raise RuntimeError("boom")


async def test_an_error_in_a_key_action_becomes_a_notification(app, db, tmp_path,
                                                                monkeypatch):
    error_log = tmp_path / "errors.log"
    monkeypatch.setattr(cards_screen, "suspend", boom)
    async with app(catch_errors=True, error_log=error_log).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert notifications(pilot.app) == [
            f"RuntimeError: boom (details in {error_log})"]
        assert pilot.app.is_running and pilot.app.return_code is None
        assert isinstance(pilot.app.screen, CardsScreen)
        # the app still answers keys
        await pilot.press("j")
        assert isinstance(pilot.app.screen, JournalScreen)
        await pilot.press("t")
        assert isinstance(pilot.app.screen, TodayScreen)
    assert "RuntimeError: boom" in error_log.read_text(encoding="utf-8")
    assert "Traceback" in error_log.read_text(encoding="utf-8")
    assert db("SELECT count(*) FROM cards WHERE suspended = 1") == [(0,)]


async def test_an_error_in_a_message_handler_leaves_the_screen_working(app, monkeypatch):
    matching = CardTexts.matching
    async with app(catch_errors=True).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one(LazyTable)
        await pilot.press("f")
        monkeypatch.setattr(CardTexts, "matching", boom)
        await type_text(pilot, "h")  # the text filter (a worker the first time) raises
        await settle(pilot)
        assert notifications(pilot.app) == ["RuntimeError: boom"]
        monkeypatch.setattr(CardTexts, "matching", matching)
        await type_text(pilot, "ook")  # the screen still handles its messages
        assert screen.query_one("#cards-text", Input).value == "hook"
        assert "Hook" in [row[0] for row in table_rows(table)]
        assert rendered(screen.query_one("#cards-title", Static)).startswith("Cards · ")
        assert pilot.app.return_code is None


async def test_without_catch_errors_the_error_ends_the_test(app, monkeypatch):
    monkeypatch.setattr(cards_screen, "suspend", boom)
    with pytest.raises(RuntimeError, match="boom"):
        async with app(catch_errors=False).run_test(size=SIZE) as pilot:
            await pilot.press("c")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)


async def test_a_studylog_error_is_one_line_even_when_bugs_end_the_app(app, db,
                                                                        monkeypatch):
    def locked(*args, **kwargs):
        raise StoreError("the database is locked by another studylog\nsecond line")

    monkeypatch.setattr(cards_screen, "suspend", locked)
    async with app(catch_errors=False).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert notifications(pilot.app) == ["the database is locked by another studylog"]
        await pilot.press("j")  # not a bug: the app goes on
        assert isinstance(pilot.app.screen, JournalScreen)
    assert db("SELECT count(*) FROM cards WHERE suspended = 1") == [(0,)]


async def test_a_bug_in_a_dialogs_callback_is_logged_and_the_app_goes_on(app, db, tmp_path,
                                                                         monkeypatch):
    import studylog.tui.screens.card_screen as card_screen

    error_log = tmp_path / "errors.log"
    monkeypatch.setattr(card_screen, "edit_card", boom)
    async with app(catch_errors=True, error_log=error_log).run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("enter", "e")  # the card, its edit dialog
        await settle(pilot)
        await pilot.press("ctrl+s")  # the dialog's result callback raises
        await settle(pilot)
        assert notifications(pilot.app) == [f"RuntimeError: boom (details in {error_log})"]
        await pilot.press("escape", "j")
        assert isinstance(pilot.app.screen, JournalScreen)
    assert "in _edited" in error_log.read_text(encoding="utf-8")  # where it happened
    assert db("SELECT count(*) FROM cards WHERE front_edited = 1") == [(0,)]


async def test_a_bug_in_a_timer_leaves_the_editor_working(app, monkeypatch):
    import studylog.tui.screens.day_editor_screen as day_editor_screen

    monkeypatch.setattr(day_editor_screen, "keep_draft", boom)
    async with app(catch_errors=True).run_test(size=SIZE) as pilot:
        await pilot.press("w")
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        await type_text(pilot, "타이머")  # the draft timer fires and fails
        await wait_until(pilot, lambda: notifications(pilot.app))
        assert set(notifications(pilot.app)) == {"RuntimeError: boom"}
        await type_text(pilot, " goes on")  # the editor still takes keys
        assert editor.query_one(TextArea).text.startswith("타이머 goes on")


async def test_a_failed_search_says_why_and_the_app_goes_on(app, monkeypatch):
    import studylog.tui.screens.search_screen as search_screen

    def too_long(*args, **kwargs):
        raise StoreError("search: at most 64 terms")

    monkeypatch.setattr(search_screen, "search", too_long)
    async with app(catch_errors=False).run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "hook")
        await settle(pilot)
        assert set(notifications(pilot.app)) == {"search: at most 64 terms"}
        await pilot.press("escape", "t")
        assert isinstance(pilot.app.screen, TodayScreen)


def test_the_app_uses_no_private_textual_hooks():
    """Errors and screen refreshes go through public Textual API only (issue 10, item 4):
    no overrides of Textual's private methods, no reads of its private state, and every
    ``@on`` handler is the guarded one from ``studylog.tui.errors``."""
    private = ("_dispatch_action", "_dispatch_message", "_handle_exception",
               "_screen_stacks", "_on_message", "_fatal_error")
    for path in (REPO / "studylog" / "tui").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not [name for name in private if name in source], path
        assert "from textual import on" not in source.replace("on, ", ""), path
        assert "getattr(" not in source and "hasattr(" not in source, path



def test_no_class_of_the_app_redefines_a_private_textual_method():
    """A method of ours whose name a Textual base also defines with a leading underscore
    replaces Textual's own (issue 10, item 4): ``SnippetPanel._detach`` once did, so a
    removed panel kept its parent. Read from the classes, not from a list of names."""
    import importlib
    import inspect
    import pkgutil

    import studylog.tui

    clashes = []
    for found in pkgutil.walk_packages(studylog.tui.__path__, "studylog.tui."):
        module = importlib.import_module(found.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for name, value in vars(cls).items():
                if not name.startswith("_") or name.startswith("__") or \
                        not inspect.isfunction(value):
                    continue
                clashes += [f"{cls.__qualname__}.{name} hides {base.__qualname__}.{name}"
                            for base in cls.__mro__[1:]
                            if base.__module__.split(".")[0] in ("textual", "rich")
                            and name in vars(base)]
    assert clashes == []


# -- no torch in the UI process -----------------------------------------------------------

UI_SCRIPT = textwrap.dedent("""
    import asyncio, json, sys, tempfile
    from pathlib import Path

    sys.path.insert(0, sys.argv[1])
    from tui_helpers import frozen_settings, new_store
    from studylog.tui.app import make_app

    async def main():
        folder = Path(tempfile.mkdtemp())
        store = new_store(folder / "ui.sqlite3")
        app = make_app(store, frozen_settings())
        screens = []
        async with app.run_test(size=(100, 32)) as pilot:
            for keys in (["j"], ["c"], ["enter"], ["escape"], ["slash"], list("hook")):
                await pilot.press(*keys)
                await app.workers.wait_for_complete()
                await pilot.pause()
                screens.append(type(app.screen).__name__)
            await pilot.press("escape", "q")
            await pilot.pause()
        store.close()
        return screens, app.return_code

    screens, code = asyncio.run(main())
    print(json.dumps({"screens": screens, "code": code,
                      "torch": sorted(m for m in sys.modules if m.split(".")[0] == "torch"),
                      "loaded": [m for m in ("textual", "studylog.tui.screens.card_screen",
                                             "studylog.tui.screens.search_screen")
                                 if m in sys.modules]}))
""")


def test_the_ui_process_never_imports_torch():
    result = subprocess.run([sys.executable, "-c", UI_SCRIPT, str(Path(__file__).parent)],
                            cwd=REPO, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["screens"] == ["JournalScreen", "CardsScreen", "CardScreen",
                                 "CardsScreen", "SearchScreen", "SearchScreen"]
    assert report["code"] == 0  # quit with q, not an error
    assert len(report["loaded"]) == 3  # the test went through the screens
    assert report["torch"] == []


async def test_a_theme_chosen_in_the_app_is_kept_for_next_time(app, journal_store):
    async with app().run_test(size=(100, 30)) as pilot:
        pilot.app.theme = "textual-light"
        await pilot.pause()
    assert journal_store.settings.get_meta("theme") == "textual-light"
    async with app().run_test(size=(100, 30)) as pilot:
        assert pilot.app.theme == "textual-light"


async def test_quitting_under_a_worker_thread_query_lets_it_finish(app, journal_store):
    """Seen in a full run: the app closed its reader connection on quit while Today's
    loader thread was still reading from it (the process died). A query running on the
    reader when the app ends now finishes; nothing is closed under it."""
    import threading
    import time

    started, done = threading.Event(), threading.Event()
    result: dict[str, object] = {}

    def read_slowly() -> None:
        rows = pilot.app.reader().conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
            "WHERE i < 2000000) SELECT i FROM n")
        started.set()
        try:
            count = 0
            for _ in rows:  # slowly, as a loader on a big journal does: ~1 s
                count += 1
                if count % 10_000 == 0:
                    time.sleep(0.005)
            result["rows"] = count
        except Exception as exc:  # what the closed connection raised
            result["error"] = repr(exc)
        done.set()

    async with app().run_test(size=(100, 30)) as pilot:
        pilot.app.run_worker(read_slowly, thread=True)
        await wait_until(pilot, started.is_set)  # the query is running: quit now
    assert done.wait(60)
    assert result == {"rows": 2000000}


def test_every_key_of_the_app_is_in_the_keys_table_of_docs_app_md():
    """One table in docs/app.md holds every key (issue 13, item 14): each binding the app,
    its screens, the snippet panel and the dialogs declare, and each key ``?`` lists,
    has its row."""
    from studylog.tui.app import StudylogApp
    from studylog.tui.commands import help_bindings, key_label
    from studylog.tui.dialogs.card_edit_dialog import CardEditDialog
    from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
    from studylog.tui.dialogs.import_dialog import ImportDialog
    from studylog.tui.dialogs.name_dialog import NameDialog
    from studylog.tui.screens.help_screen import help_sections

    text = (REPO / "docs" / "app.md").read_text(encoding="utf-8")
    table = text[text.index("## Keys"):].split("\n## ")[0]
    rows = {tuple(cell.strip() for cell in line.strip("|").split("|")[:2])
            for line in table.splitlines() if line.startswith("| ")}
    where = [("Everywhere", StudylogApp), *help_sections(), ("Import dialog", ImportDialog),
             ("Card edit dialog", CardEditDialog), ("Name dialog", NameDialog),
             ("Questions", ConfirmDialog),
             ("Help", HelpScreen)]
    missing = [(title, key_label(binding)) for title, cls in where
               for binding in help_bindings(cls)
               if (title, f"`{key_label(binding)}`") not in rows]
    assert missing == []


async def test_todays_heatmap_and_the_runner_wait_for_the_first_frame(app, monkeypatch):
    # Start-up shows Today first: the heatmap's counting and the snippet runner's start
    # (importing the runner, spawning its process) begin once that frame is displayed,
    # not while it is built.
    from studylog.tui.app import StudylogApp

    order: list[str] = []
    on_ready, load_activity = StudylogApp.on_ready, TodayScreen.load_activity

    def ready(self) -> None:
        order.append("ready")
        on_ready(self)

    def load(self) -> None:
        order.append("heatmap")
        load_activity(self)

    monkeypatch.setattr(StudylogApp, "on_ready", ready)
    monkeypatch.setattr(TodayScreen, "load_activity", load)
    monkeypatch.setattr(StudylogApp, "warm_runner", lambda self: order.append("runner"))
    async with app(warm_runner=True).run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert order[0] == "ready" and sorted(order[1:]) == ["heatmap", "runner"], order
        heatmap = pilot.app.screen.query_one("#today-heatmap", Static)
        assert rendered(heatmap).strip()  # filled in by the worker, after the frame
        await pilot.press("f5")  # a refresh (not start-up) counts again at once
        await pilot.app.workers.wait_for_complete()
        assert order.count("heatmap") == 2
