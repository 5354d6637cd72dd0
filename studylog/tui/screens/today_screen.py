"""Today, the home screen: the date and study week, today's entry (or a prompt to write
it), what is due by deck, the writing streak and recent keywords."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Markdown, Static

from studylog.core.cards.card_candidates import count_pending_candidates
from studylog.core.changes import Version, data_version
from studylog.core.journal.day_title import day_title
from studylog.core.review.scheduling import format_interval
from studylog.core.today import TodayOverview, today_overview
from studylog.tui.screen_base import RefreshingScreen
from studylog.tui.widgets.calendar_heatmap import Heatmap

if TYPE_CHECKING:
    from studylog.core.stats import Activity

HEATMAP_WEEKS = 16  # about the last four months


def due_table(o: TodayOverview) -> Table | Text:
    """Due cards by deck, coloured as Anki colours them (new, learning, review)."""
    if not o.due:
        return Text.assemble(("Nothing due. ", "bold"), "Well done.")
    table = Table(box=None, padding=(0, 1, 0, 0), expand=True, show_edge=False,
                  caption=f"{o.due_total} card(s) · press r to review", caption_justify="left")
    table.add_column("deck", ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column("new", justify="right", style="bold blue")
    table.add_column("learn", justify="right", style="bold red")
    table.add_column("due", justify="right", style="bold green")
    for deck in o.due:
        table.add_row(deck.deck, str(deck.new), str(deck.learning), str(deck.review))
    return table


def reviews_line(o: TodayOverview, now: datetime) -> Text:
    """How many grades today, and when the next card not due yet falls due."""
    line = Text.assemble((str(o.reviewed_today), "bold"), " reviewed today")
    if o.next_due is not None:
        seconds = max((o.next_due - now).total_seconds(), 60)
        line.append(" · next due in ")
        line.append(format_interval(seconds), style="bold")
    return line


class TodayScreen(RefreshingScreen):
    SCREEN_NAME = "Today"
    BINDINGS = [
        Binding("w", "write_today", "Write today"),
        Binding("r", "start_review", "Review due"),
        Binding("enter", "open_today", "Open in Journal", show=False),
        Binding("f5", "reload", "Refresh", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: TodayOverview | None = None  # what is shown, loaded on mount
        self.activity_for: tuple[Version, date] | None = None  # what the heatmap counted

    def compose(self) -> ComposeResult:
        yield Static(id="today-title", classes="screen-title")
        with Horizontal(id="today-body"):
            with VerticalScroll(id="today-entry", classes="panel"):
                yield Markdown(id="today-markdown")
            with Vertical(id="today-side"):
                yield Static(id="today-due", classes="panel")
                yield Static(id="today-candidates", classes="panel")
                with Vertical(id="today-habit", classes="panel"):
                    yield Static(id="today-streak")
                    yield Static(id="today-heatmap")
                yield Static(id="today-keywords", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#today-entry").border_title = "Today's entry"
        self.query_one("#today-due").border_title = "Due now"
        self.query_one("#today-candidates").border_title = "Card candidates"
        self.query_one("#today-habit").border_title = "Streak · last months"
        self.query_one("#today-habit").border_subtitle = "■ reviewed · ● written"
        self.query_one("#today-keywords").border_title = "Recent keywords"
        self._load_overview()
        # the heatmap fills in once the first frame is up (start-up does not wait for it)
        self.app.after_first_frame(self.load_activity)
        self.activity_for = self._activity_key()

    def refresh_data(self) -> None:
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
        self.query_one("#today-heatmap", Static).update(
            Heatmap(activity.reviews, activity.today, weeks=HEATMAP_WEEKS,
                    marked=activity.written))

    def _show(self, o: TodayOverview) -> None:
        title = Text.assemble((o.day.strftime("%A %Y-%m-%d"), "bold"),
                              f"  ·  study week {o.iso_week}")
        if o.week_title:
            title.append(f"  ·  {o.week_title}", style="italic")
        self.query_one("#today-title", Static).update(title)

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
        if o.has_draft:
            text = "> An unsaved draft of today is waiting: press **w** to recover it.\n\n" + text
        self.query_one("#today-markdown", Markdown).update(text)

        self.query_one("#today-due", Static).update(
            Group(due_table(o), reviews_line(o, self.app.settings.now())))
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

    def action_write_today(self) -> None:
        self.app.action_write_day()

    def action_start_review(self) -> None:
        self.app.action_review()

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
