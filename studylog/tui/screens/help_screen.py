"""``?``: the keys of every screen, the current one first."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.widgets import Static

from studylog.tui.commands import help_bindings, key_label, screen_title
from studylog.tui.hangul_keys import jamo_for
from studylog.tui.screen_base import StudylogDialog


def help_sections() -> list[tuple[str, type[DOMNode]]]:
    """(heading, class) of every screen with keys, and the snippet panel's."""
    from studylog.tui.screens.candidates_screen import CandidatesScreen
    from studylog.tui.screens.card_screen import CardScreen
    from studylog.tui.screens.cards_screen import CardsScreen
    from studylog.tui.screens.day_editor_screen import DayEditorScreen
    from studylog.tui.screens.journal_screen import JournalScreen
    from studylog.tui.screens.review_screen import ReviewScreen
    from studylog.tui.screens.search_screen import SearchScreen
    from studylog.tui.screens.settings_screen import SettingsScreen
    from studylog.tui.screens.stats_screen import StatsScreen
    from studylog.tui.screens.today_screen import TodayScreen
    from studylog.tui.widgets.snippet_panel import SnippetPanel

    screens: list[type[DOMNode]] = [TodayScreen, JournalScreen, SearchScreen, CardsScreen,
                                    ReviewScreen, CardScreen, StatsScreen, SettingsScreen]
    return [(screen_title(s), s) for s in screens] + [
        (SnippetPanel.SCREEN_NAME, SnippetPanel),
        (screen_title(DayEditorScreen), DayEditorScreen),
        (screen_title(CandidatesScreen), CandidatesScreen)]


def keys_table(title: str, bindings: list[Binding]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False,
                  box=None, padding=(0, 2, 0, 1))
    table.add_column("key", style="bold", min_width=8)
    table.add_column("does")
    for binding in bindings:
        table.add_row(key_label(binding), binding.description)
    return table


def korean_keys_note(bindings: list[Binding]) -> Text:
    """Which jamo stands for which key in Korean (2-set) input mode, for the letter
    keys of ``bindings``."""
    letters = sorted({key_label(b) for b in bindings if len(key_label(b)) == 1
                      and key_label(b).isalpha()}, key=lambda k: (k.lower(), k))
    pairs = [f"{jamo} {key}" for key in letters if (jamo := jamo_for(key))]
    without = [key for key in letters if not jamo_for(key)]
    text = Text("Korean input mode (두벌식): ", style="bold")
    text.append("the jamo on a key works as the key, outside text boxes: "
                + " · ".join(pairs))
    if without:
        text.append(f". {' and '.join(without)} have no jamo of their own (shift sends "
                    "the lower-case key's): use Latin input or ctrl+p")
    return text


class HelpScreen(StudylogDialog[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, current: type | None = None):
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        from studylog.tui.app import StudylogApp

        sections = help_sections()
        sections.sort(key=lambda section: section[1] is not self.current)  # current first
        with VerticalScroll(classes="dialog wide-dialog", id="help"):
            yield Static(Text("Keys  (↑/↓ scroll; escape closes; ctrl+p: every action by "
                              "name)", style="bold"))
            every: list[Binding] = help_bindings(StudylogApp)
            for title, cls in sections:
                yield Static(keys_table(title, help_bindings(cls)))
                every += help_bindings(cls)
            yield Static(keys_table("Everywhere", help_bindings(StudylogApp)))
            yield Static(korean_keys_note(every), id="help-korean")

    def on_mount(self) -> None:
        self.query_one("#help").focus()  # arrows and page keys scroll the list
