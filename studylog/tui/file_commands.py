"""Your Markdown files, from the command palette: write-back on or off, and the journal
folder where days written in the app get a file. The same preference the command line
sets (``studylog write-back``, ``studylog journal-folder``), kept in the database, so the
app and every shell agree.

Palette commands rather than a screen of their own: the app's settings live on one
Settings screen, and these are two switches you set once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from studylog.core.journal.journal_settings import (
    folder_path,
    journal_settings,
    set_journal_folder,
    set_write_back,
)
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.dialogs.name_dialog import NameDialog

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

WRITE_BACK = "Write back to my files"
FOLDER = "Journal folder"


def file_commands(app: StudylogApp) -> Iterable[SystemCommand]:
    """The palette's commands for your files, each saying what is set now."""
    now = journal_settings(app.store)
    state = "on" if now.write_back else "off"
    where = f"{now.folder}, one file per {now.per}" if now.folder else "not set"
    yield SystemCommand(f"{WRITE_BACK}: on",
                        f"Saving a day rewrites it in the file it came from (now {state})",
                        lambda: app.call_later(turn_write_back, app, True))
    yield SystemCommand(f"{WRITE_BACK}: off",
                        f"Saving a day leaves your files as they are (now {state})",
                        lambda: app.call_later(turn_write_back, app, False))
    yield SystemCommand(f"{FOLDER}…", f"Where days written in the app get a file (now: "
                        f"{where})", lambda: app.call_later(ask_journal_folder, app))
    yield SystemCommand(f"{FOLDER}: none", "Days written in the app get no file "
                        f"(now: {where})", lambda: app.call_later(clear_journal_folder, app))


def turn_write_back(app: StudylogApp, on: bool) -> None:
    set_write_back(app.store, on)
    folder = journal_settings(app.store).folder
    if not on:
        app.notify("Write-back off: saving a day leaves your files as they are")
    elif folder:
        app.notify(f"Write-back on: saving a day rewrites it in its file; days written "
                   f"here go to {folder}")
    else:
        app.notify("Write-back on: saving a day rewrites it in its file (no journal folder "
                   "for days written here: palette, “Journal folder…”)")


def ask_journal_folder(app: StudylogApp) -> None:
    """Ask for the folder, then one file per week or per day, then save both."""
    now = journal_settings(app.store)

    def chosen(text: str | None) -> None:
        if text is None:
            return
        folder = folder_path(text)

        def per(answer: str | None) -> None:
            if answer not in ("week", "day"):
                return
            set_journal_folder(app.store, folder, "day" if answer == "day" else "week")
            note = "" if journal_settings(app.store).write_back else \
                " (write-back is off: palette, “Write back to my files: on”)"
            app.notify(f"Journal folder: {folder}, one file per {answer}{note}")

        app.push_screen(ConfirmDialog(
            f"Days written in the app go to {folder}:\n\none file per ISO week "
            "(2024-W10.md, a “Day N (MM/DD)” section per day) or one file per day "
            "(2024-03-04.md, front matter date)?",
            [("week", "One file per week"), ("day", "One file per day"),
             ("cancel", "Cancel")]), per)

    app.push_screen(NameDialog(
        "Folder where days written in the app get a file (~ is your home):",
        now.folder or "", check=lambda text: str(folder_path(text)),
        empty="No folder given: type its path (escape cancels)"), chosen)


def clear_journal_folder(app: StudylogApp) -> None:
    set_journal_folder(app.store, None, journal_settings(app.store).per)
    app.notify("Journal folder: none (days written in the app get no file)")
