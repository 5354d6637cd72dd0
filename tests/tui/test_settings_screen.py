"""The settings screen (issue 17, item 2), driven with real keys: `,` opens it; a field is
saved when you leave it, a bad value is one line in red with nothing written; a deck
turned off there leaves Today's list; the theme and editor apply at once."""

from __future__ import annotations

import pytest
from test_tui_cards import choose
from textual.widgets import Input, Select, Static, Switch
from tui_helpers import make, rendered, screen_text, settle, type_text

from studylog.tui.screens.settings_screen import SettingsScreen
from studylog.tui.screens.today_screen import TodayScreen

SIZE = (100, 32)


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("comma")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, SettingsScreen)
    return screen


async def retype(pilot, text: str) -> None:
    """Clear the focused field and type ``text``."""
    await pilot.press("home", "ctrl+k")
    await type_text(pilot, text)


def status(screen) -> str:
    return rendered(screen.query_one("#settings-status", Static))


async def test_new_per_day_is_saved_when_the_field_is_left(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#set-deck", Select).value == "journal"
        await pilot.press("tab", "tab")  # past the deck and its switch
        assert app.focused is screen.query_one("#set-new_per_day", Input)
        await retype(pilot, "7")
        assert db("SELECT new_per_day FROM deck_settings") == []  # not yet: still typing
        await pilot.press("tab")
        await settle(pilot)
        assert status(screen) == "Saved: new per day of journal = 7"
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
    deck = db("SELECT id FROM decks WHERE name = 'journal'")[0][0]
    assert db("SELECT new_per_day FROM deck_settings WHERE deck_id = ?", deck) == [(7,)]


async def test_a_bad_value_is_one_red_line_and_nothing_is_written(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("tab", "tab", "tab", "tab")
        field = screen.query_one("#set-desired_retention", Input)
        assert app.focused is field and field.value == "0.9"
        await retype(pilot, "1.5")
        await pilot.press("enter")
        await settle(pilot)
        assert status(screen) == "desired retention must be from 0.70 to 0.99, got 1.5"
        assert field.has_class("-invalid") and field.value == "1.5"  # kept to be fixed
        assert db("SELECT * FROM deck_settings") == []
        await retype(pilot, "0.85")
        await pilot.press("enter")
        await settle(pilot)
        assert status(screen) == "Saved: retention of journal = 0.85"
        assert not field.has_class("-invalid")
        await retype(pilot, "abc")
        await pilot.press("escape")  # not valid: the error shows, the field goes back
        assert isinstance(app.screen, SettingsScreen) and field.value == "0.85"
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
    assert db("SELECT desired_retention FROM deck_settings") == [(0.85,)]


async def test_a_value_saved_in_another_form_leaves_the_cursor_at_its_end(journal_store, db):
    """Found in tmux: 85% was saved and shown as 0.85 with the cursor still at column 3,
    inside the number. Now it is after it, as after typing."""
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        await pilot.press("tab", "tab", "tab", "tab")
        field = screen.query_one("#set-desired_retention", Input)
        assert app.focused is field
        await retype(pilot, "85%")
        assert field.cursor_position == 3
        await pilot.press("enter")
        await settle(pilot)
        assert status(screen) == "Saved: retention of journal = 0.85"
        assert field.value == "0.85" and field.cursor_position == 4
        await type_text(pilot, "x")  # typing goes on at the end
        assert field.value == "0.85x"
        # a value refused on escape is put back with the cursor after it too
        await pilot.press("escape")
        assert isinstance(app.screen, SettingsScreen)
        assert field.value == "0.85" and field.cursor_position == 4
    assert db("SELECT desired_retention FROM deck_settings") == [(0.85,)]


async def test_turning_a_deck_off_takes_it_off_today(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)  # Today's figures are read right after its first frame
        today = app.screen
        decks = today.query_one("#today-decks")
        assert "PyTorch fundamentals" in [decks.get_option_at_index(i).id
                                          for i in range(decks.option_count)]
        screen = await open_settings(pilot)
        await choose(pilot, screen.query_one("#set-deck", Select), "PyTorch fundamentals")
        assert screen.query_one("#set-enabled", Switch).value is True
        await pilot.press("tab", "space")
        await settle(pilot)
        assert status(screen) == ("Saved: PyTorch fundamentals is off "
                                  "(kept, not reviewed, not counted)")
        assert db("SELECT s.enabled FROM deck_settings s JOIN decks d ON d.id = s.deck_id "
                  "WHERE d.name = 'PyTorch fundamentals'") == [(0,)]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is today
        assert [decks.get_option_at_index(i).id for i in range(decks.option_count)] == \
            ["", "ML basics", "journal"]
        assert "Off: PyTorch fundamentals (" in rendered(today.query_one("#today-decks-note"))


async def test_global_settings_day_start_zone_editor_and_theme(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_settings(pilot)
        screen.query_one("#set-day_start", Input).focus()
        await retype(pilot, "27")
        await pilot.press("tab")
        await settle(pilot)
        assert status(screen) == "the hour the study day starts must be from 0 to 23, got 27"
        assert app.focused is screen.query_one("#set-timezone", Input)
        await retype(pilot, "Asia/Seoul")
        await pilot.press("tab")
        await settle(pilot)
        assert status(screen) == "Saved: time zone = Asia/Seoul"
        await retype(pilot, "nano -w")
        await pilot.press("tab")
        await settle(pilot)
        assert app.settings.editor == ["nano", "-w"]  # the next `x` edits in nano
        await choose(pilot, screen.query_one("#set-theme", Select), "textual-light")
        assert app.theme == "textual-light"
    meta = dict(db("SELECT key, value FROM meta WHERE key IN "
                   "('review.day_start_hour', 'review.timezone', 'editor', 'theme')"))
    assert meta == {"review.timezone": "Asia/Seoul", "editor": "nano -w",
                    "theme": "textual-light"}


async def test_a_deck_off_says_so_in_full_at_80_columns(journal_store, db):
    """Found in tmux: at 80x24 the switch's words were cut to 'off: kept, no'."""
    app = make(journal_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#set-deck", Select).value == "journal"
        assert "On" in screen_text(app) and " reviewed " in screen_text(app)
        await pilot.press("tab", "space")
        await settle(pilot)
        shown = rendered(screen.query_one("#set-enabled-text", Static)).strip()
        on_row = next(line for line in screen_text(app).splitlines() if "│ On " in line)
        assert shown in on_row, on_row
    assert db("SELECT s.enabled FROM deck_settings s JOIN decks d ON d.id = s.deck_id "
              "WHERE d.name = 'journal'") == [(0,)]


@pytest.mark.parametrize("keys", [["comma"], ["ctrl+p", *"settings", "enter"]])
async def test_settings_open_from_the_key_and_the_palette(journal_store, keys):
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await settle(pilot)
        assert isinstance(app.screen, SettingsScreen)
