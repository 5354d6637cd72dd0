"""``?``: the keys of every screen, the current one first."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from studylog.tui.commands import key_label, screen_bindings, screen_title
from studylog.tui.errors import CatchErrors


def help_screens() -> list[type]:
    from studylog.tui.screens.candidates_screen import CandidatesScreen
    from studylog.tui.screens.card_screen import CardScreen
    from studylog.tui.screens.cards_screen import CardsScreen
    from studylog.tui.screens.day_editor_screen import DayEditorScreen
    from studylog.tui.screens.journal_screen import JournalScreen
    from studylog.tui.screens.review_screen import ReviewScreen
    from studylog.tui.screens.search_screen import SearchScreen
    from studylog.tui.screens.today_screen import TodayScreen
    from studylog.tui.widgets.snippet_panel import SnippetPanel

    return [TodayScreen, JournalScreen, SearchScreen, CardsScreen, ReviewScreen, CardScreen,
            SnippetPanel, DayEditorScreen, CandidatesScreen]


def keys_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                  box=None, padding=(0, 2, 0, 1))
    table.add_column("key", style="bold", min_width=8)
    table.add_column("does")
    for binding in bindings:
        table.add_row(key_label(binding), binding.description)
    return table


class HelpScreen(CatchErrors, ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, current: type | None = None):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        from studylog.tui.app import StudylogApp

        screens = help_screens()
        if self.current in screens:
            screens.remove(self.current)
            screens.insert(0, self.current)
        with VerticalScroll(classes="dialog wide-dialog", id="help"):
            yield Static(Text("Keys  (↑/↓ scroll; escape closes; ctrl+p: every action by "
                              "name)", style="bold"))
            for screen in screens:
                yield Static(keys_table(screen_title(screen), screen_bindings(screen)))
            yield Static(keys_table("Everywhere", screen_bindings(StudylogApp)))

    def on_mount(self) -> None:
        self.query_one("#help").focus()  # arrows and page keys scroll the list
