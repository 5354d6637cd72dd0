"""Ask for one line (a keyword's new name, the card to merge): dismisses the text typed,
or None on escape. An empty answer is refused in place."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from studylog.tui.errors import on
from studylog.tui.screen_base import StudylogDialog


class NameDialog(StudylogDialog[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, value: str = ""):
        super().__init__()
        self.question, self.value = question, value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="name-dialog"):
            yield Static(self.question, classes="dialog-text")
            yield Input(self.value, id="name-input")
            yield Static("enter: go on · escape: cancel", classes="dialog-text")

    @on(Input.Submitted, "#name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify("Type something first (escape cancels)", severity="warning")
            return
        self.dismiss(event.value.strip())
