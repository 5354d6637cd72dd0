"""Today, the home screen: the date and study week, today's entry (or a prompt to write
it), the deck list with what is due in each (pick one, `r` reviews it), the writing
streak and recent keywords."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static

from studylog.core.changes import Version, data_version
from studylog.core.review.intervals import format_interval
from studylog.core.today import TodayOverview, today_overview
from studylog.tui.errors import on
from studylog.tui.screen_base import RefreshingScreen
from studylog.tui.widgets.deck_picker import DeckPicker
from studylog.tui.widgets.key_footer import KeyFooter

# What Today shows is laid out after its first frame (see TodayScreen.on_mount): the
# modules only that needs load then (the day-title rule brings markdown-it).
if TYPE_CHECKING:
    from studylog.core.stats import Activity

HEATMAP_WEEKS = 16  # about the last four months


def reviews_line(o: TodayOverview, now: datetime) -> Text:
    """How many grades today, and when the next card not due yet falls due."""
    line = Text.assemble((str(o.reviewed_today), "bold"), " reviewed today")
    if o.next_due is not None:
        seconds = max((o.next_due - now).total_seconds(), 60)
        line.append(" · next due in ")
        line.append(format_interval(seconds), style="bold")
    return line


def entry_text(o: TodayOverview) -> str:
    """The entry panel's Markdown: today's entry, else how to write it and the last day
    written; a waiting draft is mentioned first."""
    from studylog.core.journal.day_title import day_title

    if o.entry:
        # a day written here is titled by its first line: no heading repeating it
        named_by_body = day_title(o.entry.body) == o.entry.title
        text = o.entry.body if named_by_body else f"## {o.entry.title}\n\n{o.entry.body}"
    else:
        text = ("*Nothing written today yet.*\n\nPress **w** to write today's entry. End it "
                "with a keyword line such as `키워드: Contiguous, Hook` and each keyword "
                "becomes a card.")
        if o.last_entry:
            text += (f"\n\nLast written: **{o.last_entry.date}** · "
                     f"{o.last_entry.title} (press **enter** to open it)")
        bundled = [d for d in o.off if d.kind == "bundled"]
        if o.last_entry is None and bundled:  # the first run: say why nothing is due
            text += ("\n\n**New here?** Review starts with your own cards: the "
                     "bundled decks (" + ", ".join(f"{d.deck}, {d.cards} cards"
                                                   for d in bundled)
                     + ") are off until you turn them on: press **,** for Settings.")
    if o.has_draft:
        text = "> An unsaved draft of today is waiting: press **w** to recover it.\n\n" + text
    return text


class TodayScreen(RefreshingScreen):
    SCREEN_NAME = "Today"
    AUTO_FOCUS = "#today-decks"  # arrows pick the deck to review at once
    BINDINGS = [
        Binding("w", "write_today", "Write today"),
        Binding("r", "start_review", "Review deck"),
        # priority: the deck list's own enter would take it (r reviews the deck)
        Binding("enter", "open_today", "Open in Journal", show=False, priority=True),
        Binding("f5", "reload", "Refresh", show=False),
    ]
    # the deck list's own keys, for ? (help_bindings)
    HELP_KEYS = [Binding("up,down", "", "Pick a deck", key_display="↑↓")]

    def __init__(self) -> None:
        super().__init__()
        self.overview: TodayOverview | None = None  # what is shown (after the 1st frame)
        self.activity_for: tuple[Version, date] | None = None  # what the heatmap counted
        self.loaded = False  # the first load, right after the first frame, is done
        self._refresh_missed = False  # a refresh was asked for before it

    def compose(self) -> ComposeResult:
        yield Static(id="today-title", classes="screen-title")
        with Horizontal(id="today-body"):
            # the entry's Markdown widget is mounted by the first load (see on_mount)
            yield VerticalScroll(id="today-entry", classes="panel")
            with Vertical(id="today-side"):
                yield DeckPicker(id="today-due", classes="panel")
                yield Static(id="today-candidates", classes="panel")
                with Vertical(id="today-habit", classes="panel"):
                    yield Static(id="today-streak")
                    yield Static(id="today-heatmap")
                yield Static(id="today-keywords", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#today-entry").border_title = "Today's entry"
        self.query_one("#today-due").border_title = "Due now"
        self.query_one("#today-candidates").border_title = "Card candidates"
        self.query_one("#today-habit").border_title = "Streak · last months"
        self.query_one("#today-habit").border_subtitle = "■ reviewed · ● written"
        self.query_one("#today-keywords").border_title = "Recent keywords"
        # The first frame shows Today's panels; what they hold is read and laid out right
        # after it (a few ms later): the figures and deck rows, and the entry in Textual's
        # Markdown widget (markdown-it, its styles, a widget a block), were ~70 ms of
        # start-up at ten years. The heatmap is then counted in a worker.
        self.app.after_first_frame(lambda: self.call_later(self._first_load))

    async def _first_load(self) -> None:
        from textual.widgets import Markdown

        app = self.app
        entry = self.query_one("#today-entry")
        if not entry.is_attached:  # the app quit at its first frame: nothing to fill, and
            return  # no background work to start (its end turns the collector back on)
        try:
            self.overview = today_overview(app.store, app.settings.now(), app.settings.tz)
            await entry.mount(Markdown(entry_text(self.overview), id="today-markdown"))
            self.loaded = True
            self._show(self.overview)
            self.activity_for = self._activity_key()
        finally:
            app.first_screen_filled()  # the app's background work may start now
        self.load_activity()
        if self._refresh_missed:  # the data moved while it loaded
            self.refresh_data()

    def refresh_data(self) -> None:
        if not self.loaded:
            self._refresh_missed = True
            return
        self._load_overview()
        # the heatmap (~1 s of counting at ten years, in a worker) moves only with
        # reviews and writing, or on a new day: a refresh for the clock alone skips it
        key = self._activity_key()
        if key != self.activity_for:
            self.activity_for = key
            self.load_activity()

    def _activity_key(self) -> tuple[Version, date] | None:
        day = self.overview.day if self.overview else None
        return (data_version(self.app.store), day) if day else None

    def _load_overview(self) -> None:
        app = self.app
        self.overview = today_overview(app.store, app.settings.now(), app.settings.tz)
        self._show(self.overview)

    @work(thread=True, exclusive=True, group="today-activity", exit_on_error=False)
    def load_activity(self) -> None:
        # a quarter of a year of grades is ~25k log rows at scale: counted after the
        # first frame, on the reader connection, so start-up does not wait for it
        from studylog.core.stats import recent_activity

        settings = self.app.settings
        activity = recent_activity(self.app.reader(), HEATMAP_WEEKS, settings.now(),
                                   settings.tz)
        self.app.call_from_thread(self._show_activity, activity)

    def _show_activity(self, activity: Activity) -> None:
        from studylog.tui.widgets.calendar_heatmap import Heatmap

        self.query_one("#today-heatmap", Static).update(
            Heatmap(activity.reviews, activity.today, weeks=HEATMAP_WEEKS,
                    marked=activity.written))

    def _show(self, o: TodayOverview) -> None:
        from textual.widgets import Markdown  # loaded by the first load already

        from studylog.core.cards.card_candidates import count_pending_candidates

        title = Text.assemble((o.day.strftime("%A %Y-%m-%d"), "bold"),
                              f"  ·  study week {o.iso_week}")
        if o.week_title:
            title.append(f"  ·  {o.week_title}", style="italic")
        self.query_one("#today-title", Static).update(title)

        markdown = self.query_one("#today-markdown", Markdown)
        if markdown.source != (text := entry_text(o)):
            markdown.update(text)  # a new document mounts new blocks: only when it moved

        self.query_one(DeckPicker).show(o)
        self.query_one("#today-reviews", Static).update(
            reviews_line(o, self.app.settings.now()))
        waiting = count_pending_candidates(self.app.store)
        candidates = self.query_one("#today-candidates", Static)
        candidates.display = waiting > 0  # no panel (and no layout change) when none wait
        candidates.update(Text.assemble((str(waiting), "bold"),
                                        f" candidate{'s' if waiting != 1 else ''} waiting · "
                                        "press p to accept or reject"))

        streak = Text(f"{o.streak} day{'s' if o.streak != 1 else ''}", style="bold")
        streak.append(" in a row" if o.streak else "  (write today to start one)")
        self.query_one("#today-streak", Static).update(streak)
        self.query_one("#today-keywords", Static).update(
            Text(" · ".join(o.recent_keywords) or "No keywords yet."))

    @on(OptionList.OptionSelected, "#today-decks")
    def _deck_selected(self) -> None:
        self.action_start_review()

    def action_write_today(self) -> None:
        self.app.action_write_day()

    def action_start_review(self) -> None:
        """Review the highlighted deck (all decks unless another is highlighted)."""
        self.app.action_review(self.query_one(DeckPicker).chosen_deck)

    def action_open_today(self) -> None:
        """Enter: today's entry in the Journal, or the last day written."""
        if self.overview is None:
            return
        day = self.overview.day.isoformat() if self.overview.entry else \
            (self.overview.last_entry.date if self.overview.last_entry else None)
        if day:
            self.app.call_later(self.app.action_open_day, day)

    def action_reload(self) -> None:
        self.activity_for = None  # f5: everything counted again, the heatmap too
        self.refresh_data()
