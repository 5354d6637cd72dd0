"""Two versions of a day, as a diff, and what to keep: ``m`` keep mine, ``f`` take the
file's (or the other version), ``e`` edit the two into one; escape decides nothing.

Shown for a conflict left by a re-import, and when saving a day that another process
changed since the editor opened it. Dismisses ``"mine"``, ``"theirs"``, ``"edit"`` or
None."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from studylog.core.journal.day_diff import diff_lines
from studylog.tui.screen_base import StudylogDialog
from studylog.tui.widgets.key_footer import KeyFooter

_STYLE = {"same": "", "mine": "red", "theirs": "green", "hunk": "bold cyan"}
_SIGN = {"same": "  ", "mine": "- ", "theirs": "+ ", "hunk": ""}


def diff_text(mine: str, theirs: str) -> Text:
    """The diff of the two texts, mine red (``-``), theirs green (``+``)."""
    text = Text()
    for line in diff_lines(mine, theirs):
        text.append(f"{_SIGN[line.kind]}{line.text}\n", style=_STYLE[line.kind])
    return text


class DayDiffDialog(StudylogDialog[str | None]):
    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine"),
        Binding("f", "choose('theirs')", "Take the other"),
        Binding("e", "choose('edit')", "Edit both into one"),
        Binding("escape", "choose('')", "Decide later"),
    ]

    def __init__(self, question: str, mine: str, theirs: str, theirs_name: str = "file"):
        super().__init__()
        self.question = question
        self.mine, self.theirs, self.theirs_name = mine, theirs, theirs_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="day-diff-dialog"):
            yield Static(self.question, classes="dialog-text")
            yield Static(Text.assemble(("- mine (studylog)", "red"), "   ",
                                       (f"+ {self.theirs_name}", "green")))
            with VerticalScroll(id="day-diff-scroll"):
                yield Static(diff_text(self.mine, self.theirs), id="day-diff")
            yield Static(f"m keep mine · f take {self._their_version()} · e edit both into "
                         "one · escape decide later", classes="dialog-text")
        yield KeyFooter()

    def _their_version(self) -> str:
        # a file's name takes the possessive ("week2.md's version"); the editor's other
        # side is no one's: "the stored version", not "stored's version"
        if self.theirs_name == "stored":
            return "the stored version"
        return f"{self.theirs_name}'s version"

    def on_mount(self) -> None:
        self.query_one("#day-diff-scroll").focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
