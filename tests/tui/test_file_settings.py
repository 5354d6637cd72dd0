"""Write-back and the journal folder set in the app (issue 16, item 2): palette commands
that read and write the preference `studylog write-back` shows, with real key presses;
then a day written in the app lands in that folder."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from textual.command import CommandPalette
from textual.widgets import Static, TextArea
from tui_helpers import notifications, screen_text, settle, type_text, wait_until

from studylog.cli import cli as studylog_cli
from studylog.core.journal.journal_settings import journal_settings
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.dialogs.name_dialog import NameDialog
from studylog.tui.screens.day_editor_screen import DayEditorScreen

SIZE = (110, 36)


def cli_status(db_path: Path) -> dict:
    """What `studylog write-back --json` says about the same database."""
    result = CliRunner().invoke(studylog_cli, ["--db", str(db_path), "write-back", "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


async def palette(pilot, words: str) -> None:
    """ctrl+p, type ``words``, enter on the best match."""
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await type_text(pilot, words)
    await settle(pilot)
    await pilot.press("down", "enter")
    await settle(pilot)


async def test_write_back_on_and_off_from_the_palette_is_the_clis_setting(
        app, journal_store):
    assert cli_status(journal_store.path)["write_back"] is False
    async with app().run_test(size=SIZE) as pilot:
        await palette(pilot, "write back to my files: on")
        await wait_until(pilot, lambda: any(n.startswith("Write-back on")
                                            for n in notifications(pilot.app)))
        assert cli_status(journal_store.path)["write_back"] is True
        await palette(pilot, "write back to my files: off")
        await wait_until(pilot, lambda: any(n.startswith("Write-back off")
                                            for n in notifications(pilot.app)))
        assert cli_status(journal_store.path)["write_back"] is False


async def test_journal_folder_from_the_palette_then_a_new_day_gets_its_file(
        app, journal_store, tmp_path):
    folder = tmp_path / "일지 notes"
    (tmp_path / "a-file.md").write_text("x", encoding="utf-8")
    async with app().run_test(size=SIZE) as pilot:
        await palette(pilot, "write back to my files: on")
        await palette(pilot, "journal folder…")
        dialog = pilot.app.screen
        assert isinstance(dialog, NameDialog)
        # empty, then a file: refused inside the dialog, which stays open
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.screen is dialog
        assert "No folder given" in screen_text(pilot.app)
        await type_text(pilot, f"{tmp_path / 'a-file.md'}\n")
        await settle(pilot)
        assert pilot.app.screen is dialog
        error = dialog.query_one("#name-error", Static)
        assert error.display and str(error.render()) == (
            f"{tmp_path / 'a-file.md'} is a file: the journal folder must be a folder")
        assert "is a file: the journal folder" in " ".join(screen_text(pilot.app).split())
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, f"{folder}\n")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("tab", "enter")  # the second answer: one file per day
        await wait_until(pilot, lambda: any(n.startswith("Journal folder:")
                                            for n in notifications(pilot.app)))
        status = cli_status(journal_store.path)
        assert (status["folder"], status["per"]) == (str(folder.resolve()), "day")

        # a day written in the app now gets a day file there
        await pilot.press("w")
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        assert pilot.app.focused is editor.query_one(TextArea)
        await type_text(pilot, "Wrote this in the app.")
        await pilot.press("down", "down", "end")
        await type_text(pilot, "Palette")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_until(pilot, lambda: "written back to 2023-11-15.md" in str(
            editor.query_one("#editor-status", Static).render()) or any(
            "written back to 2023-11-15.md" in n for n in notifications(pilot.app)))
    text = (folder / "2023-11-15.md").read_text(encoding="utf-8")
    assert text.startswith('---\ndate: "2023-11-15"\n---\n') and "Wrote this in the app." in text

    # the folder can be taken away again
    async with app().run_test(size=SIZE) as pilot:
        await palette(pilot, "journal folder: none")
        await wait_until(pilot, lambda: any("Journal folder: none" in n
                                            for n in notifications(pilot.app)))
    assert journal_settings(journal_store).folder is None


async def test_the_settings_screen_sets_write_back_and_the_journal_folder(
        app, journal_store, tmp_path):
    """`,` Settings, Everywhere: the same three settings, saved as you leave each."""
    from test_tui_cards import choose
    from textual.widgets import Input, Select, Switch

    from studylog.tui.screens.settings_screen import SettingsScreen

    folder = tmp_path / "journal files"
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    async with app().run_test(size=(120, 40)) as pilot:
        await pilot.press("comma")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, SettingsScreen)
        status = screen.query_one("#settings-status", Static)
        switch = screen.query_one("#set-write_back", Switch)
        while pilot.app.focused is not switch:  # past the deck's and the other fields
            await pilot.press("tab")
        assert not switch.value
        await pilot.press("enter")
        await settle(pilot)
        assert str(status.render()) == "Saved: write-back on"
        assert cli_status(journal_store.path)["write_back"] is True
        await pilot.press("tab")
        field = screen.query_one("#set-journal_folder", Input)
        assert pilot.app.focused is field and field.value == ""
        await type_text(pilot, f"{tmp_path / 'plain.txt'}\n")
        await settle(pilot)
        assert str(status.render()) == \
            f"{tmp_path / 'plain.txt'} is a file: the journal folder must be a folder"
        assert cli_status(journal_store.path)["folder"] is None  # nothing written
        await pilot.press("home", "ctrl+k")
        await type_text(pilot, f"{folder}\n")
        await settle(pilot)
        assert str(status.render()) == f"Saved: journal folder = {folder.resolve()}"
        await pilot.press("tab")
        await choose(pilot, screen.query_one("#set-journal_per", Select), "day")
        assert str(status.render()) == "Saved: one file per day in the journal folder"
        await pilot.press("escape")
    status_now = cli_status(journal_store.path)
    assert (status_now["write_back"], status_now["folder"], status_now["per"]) == (
        True, str(folder.resolve()), "day")
