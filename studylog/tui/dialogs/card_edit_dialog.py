"""Edit a card's front and back; dismisses ``(front, back)`` or None."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, TextArea

from studylog.tui.code_theme import follow_app_theme
from studylog.tui.errors import on
from studylog.tui.screen_base import StudylogDialog


class CardEditDialog(StudylogDialog[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"),
                Binding("ctrl+s", "save", "Save")]

    def __init__(self, front: str, back: str):
        super().__init__()
        self.front, self.back = front, back

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="card-edit"):
            yield Label("Front")
            yield Input(self.front, id="edit-front")
            yield Label("Back (Markdown)")
            yield TextArea(self.back, id="edit-back", language="markdown", soft_wrap=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="edit-save", variant="primary")
                yield Button("Cancel", id="edit-cancel")

    def on_mount(self) -> None:
        follow_app_theme(self.query_one("#edit-back", TextArea))

    @on(Button.Pressed, "#edit-save")
    def action_save(self) -> None:
        self.dismiss((self.query_one("#edit-front", Input).value,
                      self.query_one("#edit-back", TextArea).text))

    @on(Button.Pressed, "#edit-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
