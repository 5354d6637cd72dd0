"""Editing in ``$VISUAL``/``$EDITOR``: the app suspends, the editor gets the terminal,
the app resumes with what you saved."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

from textual.app import App, SuspendNotSupported

from studylog.core.journal.drafts import day_text, save_draft
from studylog.core.journal.entries import entry_of


def run_editor(app: App, text: str, name: str) -> str:
    """Open ``text`` in the user's editor; returns the text as the editor left it.
    OSError when the editor cannot be started or fails."""
    with tempfile.TemporaryDirectory(prefix="studylog-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        command = [*app.settings.editor, str(path)]
        try:
            with app.suspend():
                status = subprocess.run(command).returncode
        except SuspendNotSupported:  # headless (tests): a non-interactive editor only
            status = subprocess.run(command, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL).returncode
        except FileNotFoundError:
            raise OSError(f"editor not found: {command[0]} (set $EDITOR)") from None
        if status != 0:
            raise OSError(f"the editor {command[0]} exited with status {status}: "
                          "nothing changed")
        return path.read_text(encoding="utf-8")


def edit_externally(app: App, day: date) -> str | None:
    """Edit ``day`` in ``$EDITOR`` and save it on return; a text that cannot be saved
    is kept as a draft. Returns the message shown, or None when nothing changed."""
    from studylog.core.journal.day_editing import DayError, save_day_text

    before = day_text(app.store, day)
    after = run_editor(app, before, f"{day.isoformat()}.md")
    entry = entry_of(app.store, day)
    if after == before and (entry is None or entry.body == after):
        app.notify(f"{day.isoformat()}: no changes")
        return None
    try:
        result = save_day_text(app.store, day, after)
    except DayError as exc:
        save_draft(app.store, day, after)
        app.notify(f"{exc} — kept as a draft", title="Not saved", severity="error")
        return str(exc)
    app.notify(result.message(), title="Saved")
    return result.message()
