"""Deleting, renaming, merging and undoing from the app's screens: each asks first (a
``ConfirmDialog``), then calls the core, tells what it did and lets every screen
refresh. ``u`` undoes the newest action of the study day, whichever screen or process
did it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from studylog.core.undo.reversal import Undone, undo_newest
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.messages import DataChanged

if TYPE_CHECKING:
    from studylog.tui.screen_base import StudylogScreen


def ask(screen: StudylogScreen[None], question: str, yes: str, then: Callable[[], None],
        ) -> None:
    """Ask ``question``; run ``then`` when the answer is ``yes`` (the first button)."""
    def answered(choice: str | None) -> None:
        if choice == "yes":
            then()

    screen.app.push_screen(ConfirmDialog(question, [("yes", yes), ("cancel", "Cancel")]),
                           answered)


def changed(screen: StudylogScreen[None], message: str) -> None:
    """Say what changed and let every screen (this one included) refresh."""
    screen.notify(message, timeout=4)
    screen.app.post_message(DataChanged())


def undo(screen: StudylogScreen[None]) -> Undone:
    """Undo the newest action of the study day (UndoError, one line, when none)."""
    undone = undo_newest(screen.app.store)
    changed(screen, undone.message)
    return undone
