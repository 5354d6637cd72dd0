"""Editing in ``$VISUAL``/``$EDITOR``: the app suspends, the editor gets the terminal,
the app resumes with what you saved."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from studylog.errors import StudylogError

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

from studylog.core.journal.drafts import day_text, save_draft
from studylog.core.journal.entries import entry_of

NO_EDITOR = ("no editor: $VISUAL and $EDITOR are not set and vi is not installed; "
             "set one, e.g. export EDITOR=nano")

class EditorError(StudylogError):
    """The editor could not be started, or it failed: nothing changed."""


def editor_status(command: list[str], headless: bool = False) -> int | str:
    """Run the editor; its exit status, or why it could not run. Never raises: an
    exception inside ``app.suspend()`` would leave the terminal suspended (Textual does
    not resume it), a frozen app that only Ctrl+C ends."""
    try:
        if headless:  # no terminal to hand over (tests): a non-interactive editor only
            return subprocess.run(command, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL).returncode
        return subprocess.run(command).returncode
    except OSError as error:
        return f"could not start the editor {command[0]}: {error.strerror or error}"
    except KeyboardInterrupt:
        return f"the editor {command[0]} was interrupted"


def run_editor(app: StudylogApp, text: str, name: str) -> str:
    """Open ``text`` in the user's editor; returns the text as the editor left it.
    ``EditorError`` when the editor cannot be started or fails."""
    editor = app.settings.editor
    if not editor:
        raise EditorError(NO_EDITOR)
    if shutil.which(editor[0]) is None:
        raise EditorError(f"editor not found: {editor[0]} (check $VISUAL and $EDITOR)")
    with tempfile.TemporaryDirectory(prefix="studylog-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        command = [*editor, str(path)]
        try:
            with app.suspend():
                status = editor_status(command)
        except SuspendNotSupported:
            status = editor_status(command, headless=True)
        if isinstance(status, str):
            raise EditorError(f"{status}: nothing changed")
        if status != 0:
            raise EditorError(f"the editor {command[0]} exited with status {status}: "
                              "nothing changed")
        return path.read_text(encoding="utf-8")


def edit_externally(app: StudylogApp, day: date) -> str | None:
    """Edit ``day`` in ``$EDITOR`` and save it on return; a text that cannot be saved
    is kept as a draft. Returns the message shown, or None when nothing changed."""
    from studylog.core.journal.day_editing import DayError, DaySeen, save_day_text

    before = day_text(app.store, day)
    opened = entry_of(app.store, day)
    after = run_editor(app, before, f"{day.isoformat()}.md")
    entry = entry_of(app.store, day)
    if after == before and (entry is None or entry.body == after):
        app.notify(f"{day.isoformat()}: no changes")
        return None
    try:  # changed meanwhile (an import in another shell): kept as a draft, not saved over
        result = save_day_text(app.store, day, after,
                               seen=DaySeen(opened.body if opened else None))
    except DayError as exc:
        save_draft(app.store, day, after)
        app.notify(f"{exc} — kept as a draft", title="Not saved", severity="error")
        return str(exc)
    app.notify(result.message(), title="Saved")
    return result.message()
