"""Ask for one line (a keyword's new name, the card to merge, a folder): dismisses the
text typed, or None on escape.

A refused answer (empty, or one ``check`` rejects) keeps the dialog open with the reason
on a line of its own inside it, next to what was typed: a toast passes, and the box
would seem to ignore enter."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from studylog.errors import StudylogError
from studylog.tui.errors import on
from studylog.tui.screen_base import StudylogDialog

EMPTY = "Type something first (escape cancels)"


class NameDialog(StudylogDialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, value: str = "", *,
                 check: Callable[[str], str] | None = None, empty: str = EMPTY):
        """``check`` turns the typed text into the answer, or raises a StudylogError
        whose one line is shown; ``empty`` is the line shown for an empty answer."""
        super().__init__()
        self.question, self.value = question, value
        self.check, self.empty = check, empty

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="name-dialog"):
            yield Static(self.question, classes="dialog-text")
            yield Input(self.value, id="name-input")
            yield Static("", id="name-error", classes="dialog-error")
            yield Static("enter: go on · escape: cancel", classes="dialog-text")

    def refuse(self, reason: str) -> None:
        """Show why the answer cannot be taken; the dialog stays open."""
        error = self.query_one("#name-error", Static)
        error.update(reason)
        error.display = True

    @on(Input.Changed, "#name-input")
    def _typed(self) -> None:
        self.query_one("#name-error", Static).display = False

    @on(Input.Submitted, "#name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.refuse(self.empty)
            return
        if self.check is not None:
            try:
                text = self.check(event.value)
            except StudylogError as exc:
                self.refuse(str(exc).strip().splitlines()[0])
                return
        self.dismiss(text)
