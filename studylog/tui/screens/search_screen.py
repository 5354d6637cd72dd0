"""Search as you type over days and cards (the core's FTS, in a worker thread);
Enter opens the day or the card."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from studylog.core.search import Hit, SearchError, query_terms, search
from studylog.tui.errors import on
from studylog.tui.screen_base import StudylogScreen
from studylog.tui.widgets.key_footer import KeyFooter


def hit_prompt(hit: Hit, width: int = 76) -> Text:
    """Two lines: what was found, and its excerpt with the matches highlighted, each cut
    to ``width`` terminal columns (Korean characters take two)."""
    label = "day " if hit.kind == "entry" else "card"
    line = Text.assemble((f"{label} ", "dim"), (str(hit.ref) + "  " if hit.kind == "entry"
                                                else "", "bold"), (hit.title, "bold"))
    line.truncate(width, overflow="ellipsis")
    text, highlights = hit.excerpt, hit.highlights
    if highlights:
        # Korean takes two columns a character: when the first match would end past
        # the edge, start the line a third of the width before it
        first, end = highlights[0]
        cut = first
        while cut > 0 and cell_len(text[cut - 1:first]) <= width // 3:
            cut -= 1
        if cell_len(text[:end]) > width - 4 and cut > 0:
            text = "…" + text[cut:]
            highlights = [(s - cut + 1, e - cut + 1) for s, e in highlights if s >= cut]
    excerpt = Text("   " + text)
    for start, end in highlights:
        excerpt.stylize("reverse bold", start + 3, end + 3)
    excerpt.truncate(width, overflow="ellipsis")
    return line + Text("\n") + excerpt


class SearchScreen(StudylogScreen[None]):
    SCREEN_NAME = "Search"
    BINDINGS = [
        # escape leaves the query box, so t/j/c/q work again; / comes back to it
        Binding("escape", "focus_results", "Leave query"),
        Binding("slash", "focus_input", "Edit query", key_display="/"),
        Binding("down", "focus_results", "Results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Hit] = []  # the results shown, in order
        self.terms: list[str] = []  # the words they were found by

    def compose(self) -> ComposeResult:
        yield Static("Search days and cards", classes="screen-title")
        yield Input(placeholder="contiguous, backward, 개념 …", id="search-input")
        yield Static(id="search-status")
        yield OptionList(id="search-results")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_screen_resume(self) -> None:
        # coming back (/) means a new query: the cursor goes to the box, not to the
        # result opened last time
        self.query_one(Input).focus()

    @on(Input.Changed, "#search-input")
    def _query_changed(self, event: Input.Changed) -> None:
        self.run_search(event.value)

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.highlighted = 0
            results.focus()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str) -> None:
        try:
            hits = search(self.app.reader(), query) if query.strip() else []
        except SearchError as exc:  # too long or too many words: say so, keep the app
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._refuse, query, str(exc))
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, query, hits)

    @on(Worker.StateChanged)
    def _search_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            raise event.worker.error  # reported by the handler's guard, in one line

    def _refuse(self, query: str, reason: str) -> None:
        if self.query_one(Input).value == query:
            self.query_one("#search-status", Static).update(reason)

    def _show(self, query: str, hits: list[Hit]) -> None:
        if self.query_one(Input).value != query:
            return  # a newer query is on its way
        self.hits = hits
        self.terms = query_terms(query)  # checked already: the search ran
        results = self.query_one(OptionList)
        results.clear_options()
        region = results.scrollable_content_region.width
        width = region - 1 if region > 20 else 76
        results.add_options([Option(hit_prompt(h, width), id=f"hit-{i}")
                             for i, h in enumerate(hits)])
        days = sum(h.kind == "entry" for h in hits)
        status = (f"{days} day(s), {len(hits) - days} card(s)" if query.strip()
                  else "Type to search. Enter: go to the results; Enter again: open.")
        self.query_one("#search-status", Static).update(status)

    @on(OptionList.OptionSelected, "#search-results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[event.option_index]
        # the day or card opens at the first match, highlighted
        if hit.kind == "entry":
            self.app.call_later(self.app.action_open_day, str(hit.ref), self.terms)
        else:
            self.app.action_open_card(int(hit.ref), self.terms)

    def action_focus_input(self) -> None:
        self.query_one(Input).focus()

    def action_focus_results(self) -> None:
        results = self.query_one(OptionList)
        results.focus()
        if results.option_count and results.highlighted is None:
            results.highlighted = 0
