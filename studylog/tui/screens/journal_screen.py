"""Journal: days newest first grouped by week, the selected day rendered as Markdown,
and keys to write today, edit a day in the app or in ``$EDITOR``, resolve a day whose
file changed while it was edited in the app (a conflict), delete a day (asks first) and
undo.

Built for ten years of days: the list (dates, titles, weeks, keywords; no text) is read
in a worker (on the first open, the app has read it ahead while you read Today) and
drawn a screenful at a time (``DayList``); a day's text is read when it is
highlighted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Markdown, Static
from textual.worker import Worker, WorkerState, get_current_worker

from studylog.core.changes import data_version
from studylog.core.journal.conflicts import conflict_dates
from studylog.core.journal.day_deletion import delete_day
from studylog.core.journal.drafts import draft_dates
from studylog.core.journal.entries import DaySummary, entry_of, list_days
from studylog.core.storage.database import Store
from studylog.tui import cleanup_actions
from studylog.tui.errors import on
from studylog.tui.external_editor import edit_externally
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import LoadingScreen
from studylog.tui.search_landing import mark_first_match, scroll_to_match
from studylog.tui.widgets.day_list import DayList
from studylog.tui.widgets.key_footer import KeyFooter


@dataclass(frozen=True, slots=True)
class DayListing:
    """What the list shows: every day, and which are drafts and conflicts."""

    days: list[DaySummary]
    drafts: set[str]
    conflicts: set[str]


def read_days(store: Store) -> DayListing:
    """The list of days as ``store`` holds it (a worker's, or the app's read ahead)."""
    return DayListing(list_days(store), draft_dates(store), set(conflict_dates(store)))


class JournalScreen(LoadingScreen):
    SCREEN_NAME = "Journal"
    BINDINGS = [
        Binding("w", "write_today", "Write today"),
        Binding("e", "edit_day", "Edit day"),
        Binding("x", "edit_external", "Edit in $EDITOR"),
        # not in the footer: a day in conflict says so, naming the key
        Binding("m", "resolve_conflict", "Resolve conflict", show=False),
        Binding("d", "delete_day", "Delete day"),
        Binding("u", "undo", "Undo"),
        Binding("tab", "focus_next", "Switch pane", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.loaded = False  # the list has been read once
        # asked for before the list was read: the day and the search terms to land on
        self.wanted_day: tuple[str, list[str] | None] | None = None
        self.shown_day: str | None = None  # the day in the view (its Markdown rendered)
        self.conflicts: set[str] = set()  # dates whose file's version waits beside

    def compose(self) -> ComposeResult:
        yield Static("Journal", id="journal-title", classes="screen-title")
        with Horizontal(id="journal-body"):
            yield DayList(id="day-list")
            with VerticalScroll(id="day-view", classes="panel"):
                yield Markdown(id="day-markdown")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(DayList).focus()

    def load(self) -> None:
        ahead, self.app.days_ahead = self.app.days_ahead, None  # taken once
        listing = ahead and ahead.fresh(data_version(self.app.store))
        if listing:  # read while you read Today: no worker to wait for
            self._loaded(listing)
        else:
            self.read_listing()

    @work(thread=True, exclusive=True, group="journal", exit_on_error=False)
    def read_listing(self) -> None:
        listing = read_days(self.app.reader())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, listing)

    @on(Worker.StateChanged)
    def _read_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            raise event.worker.error  # reported by the handler's guard, in one line

    def _loaded(self, listing: DayListing) -> None:
        self.loaded, self.conflicts = True, listing.conflicts
        day_list = self.query_one(DayList)
        day_list.set_days(listing.days, listing.drafts, listing.conflicts)
        self.query_one("#journal-title", Static).update(
            f"Journal · {len(listing.days)} day(s)")
        wanted, self.wanted_day = self.wanted_day, None
        if wanted is not None:
            self.show_day(*wanted)
        else:
            self._show_day(day_list.highlighted_day, again=True)  # its text may have moved

    def show_day(self, day: str, terms: list[str] | None = None) -> None:
        """Select and show ``day`` (once the list is read); with search ``terms``,
        scrolled to their first match, highlighted."""
        if not self.loaded:
            self.wanted_day = (day, terms)
            return
        days = self.query_one(DayList)
        if days.select_day(day):
            rendering = self._show_day(day, again=True)
            if terms and rendering is not None:
                self._land_on_match(rendering, terms)
            days.focus()
        else:
            self.notify(f"No entry for {day}", severity="warning")

    @property
    def current_day(self) -> str | None:
        return self.query_one(DayList).highlighted_day

    @on(DayList.DayHighlighted, "#day-list")
    def _highlighted(self) -> None:
        # the day highlighted now, not the event's: a stale event (the list was reset,
        # then a day chosen) must not show another day over the one just shown
        self._show_day(self.query_one(DayList).highlighted_day)

    @on(DayList.DaySelected, "#day-list")
    def _selected(self) -> None:
        self.query_one("#day-view").focus()

    def _show_day(self, day: str | None, again: bool = False) -> AwaitComplete | None:
        """Render ``day`` in the view (unless it is there already and not ``again``):
        the rendering to wait for, or None."""
        if day == self.shown_day and not again:
            return None  # a highlight event for the day just shown: keep its view
        self.shown_day = day
        view = self.query_one("#day-view")
        markdown = self.query_one("#day-markdown", Markdown)
        entry = entry_of(self.app.store, date.fromisoformat(day)) if day else None
        if entry is None:
            view.border_title = ""
            markdown.update("*No days yet.* Press **w** to write today, or **i** to import "
                            "your Markdown logs.")
            return None
        view.border_title = f"{entry.date} · {entry.title}"
        source = entry.source_file or ""
        view.border_subtitle = "written in studylog" if source.startswith("studylog:") \
            else (source.rsplit("/", 1)[-1] if source else "")
        if entry.date in self.conflicts:
            view.border_subtitle = "its file changed too: m resolves"
        view.scroll_home(animate=False)
        return markdown.update(entry.body)

    @work(exclusive=True, group="search-landing", exit_on_error=False)
    async def _land_on_match(self, rendering: AwaitComplete, terms: list[str]) -> None:
        await rendering  # the day's blocks are mounted
        block = mark_first_match([self.query_one("#day-markdown", Markdown)], terms)
        if block is not None:
            self.call_after_refresh(scroll_to_match, block)

    def action_write_today(self) -> None:
        self.app.action_write_day()

    def action_edit_day(self) -> None:
        if self.current_day:
            self.app.action_write_day(self.current_day)

    def action_resolve_conflict(self) -> None:
        """Show the conflict of the highlighted day: keep mine, take the file's, edit."""
        from studylog.core.journal.conflicts import conflict_of, resolve_conflict
        from studylog.tui.dialogs.day_diff_dialog import DayDiffDialog
        from studylog.tui.screens.day_editor_screen import DayEditorScreen

        day = self.current_day
        conflict = conflict_of(self.app.store, date.fromisoformat(day)) if day else None
        if day is None or conflict is None:
            self.notify("No conflict on this day: its file and the app agree",
                        severity="warning")
            return
        name = conflict.source.rsplit("/", 1)[-1]

        def answered(choice: str | None) -> None:
            if choice in ("mine", "theirs"):
                resolve_conflict(self.app.store, date.fromisoformat(day),
                                 "mine" if choice == "mine" else "theirs")
                kept = "your text" if choice == "mine" else f"the text of {name}"
                self.notify(f"{day}: kept {kept}", title="Conflict resolved")
                self.reload()
                self.app.post_message(DataChanged(origin=self))
            elif choice == "edit":
                self.app.push_screen(DayEditorScreen(date.fromisoformat(day), conflict))

        self.app.push_screen(DayDiffDialog(
            f"{day} changed in {name} while you had edited it in studylog.", conflict.mine,
            conflict.theirs, name), answered)

    def action_edit_external(self) -> None:
        day = self.current_day
        if day is None:
            return
        message = edit_externally(self.app, date.fromisoformat(day))
        if message:
            self.reload()
            self.app.post_message(DataChanged(origin=self))

    def action_delete_day(self) -> None:
        day = self.current_day
        entry = entry_of(self.app.store, date.fromisoformat(day)) if day else None
        if entry is None:
            return
        name = entry.date if entry.title == entry.date else f"{entry.date} · {entry.title}"
        cleanup_actions.ask(
            self, f"Delete {name}?\n\nIts cards lose it as a source; a card left with no "
            "source is orphaned (its review history kept). Re-importing its file leaves it "
            "out while its text there is unchanged. u undoes it today.", "Delete day",
            lambda: cleanup_actions.changed(self, delete_day(self.app.store,
                                                             entry.date).message()))

    def action_undo(self) -> None:
        cleanup_actions.undo(self)
