"""Stats: reviews over the last year as a calendar heatmap, the due forecast, true
retention against the desired retention, cards by state, the journaling streak and its
calendar, keywords per week. Figures come from ``core.stats`` in a worker thread."""

from __future__ import annotations

from datetime import timedelta

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import ProgressBar, Static

from studylog.core.changes import data_version
from studylog.core.review.optimize import PROGRESS_STEPS, OptimizeResult, progress_steps
from studylog.core.stats import Stats, compute_stats
from studylog.core.storage.database import Store
from studylog.core.text.counts import counted
from studylog.tui.screen_base import RefreshingScreen
from studylog.tui.widgets.bar_chart import BarChart
from studylog.tui.widgets.calendar_heatmap import Heatmap
from studylog.tui.widgets.key_footer import KeyFooter


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def reviews_panel(s: Stats) -> Group:
    total = sum(d.reviews for d in s.daily.values())
    t = s.today_reviews
    summary = Text.assemble((f"{total}", "bold"), f" {'review' if total == 1 else 'reviews'} "
                            f"on {counted(len(s.daily), 'day')} · today ",
                            (f"{t.reviews}", "bold"), f" ({t.again} again, {t.new} new, "
                            f"{t.ms / 60000:.0f} min)")
    return Group(Heatmap({d: r.reviews for d, r in s.daily.items()}, s.today), summary)


def forecast_panel(s: Stats) -> Group:
    values = [n for _, n in s.forecast]
    labels = [d.strftime("%m-%d") for d, _ in s.forecast]
    week = sum(values[:7])
    return Group(BarChart(values, labels),
                 Text.assemble(("today ", "dim"), (str(values[0] if values else 0), "bold"),
                               ("  ·  next 7 days ", "dim"), (str(week), "bold"),
                               ("  ·  30 days ", "dim"), (str(sum(values)), "bold")))


def retention_panel(s: Stats) -> Group:
    head = Text.assemble(("true ", "dim"), (_percent(s.last_30_days.rate), "bold"),
                         (" (30 d)  desired ", "dim"), (_percent(s.desired_retention), "bold"))
    table = Table(box=None, padding=(0, 1, 0, 0), show_edge=False)
    table.add_column("month", style="dim")
    table.add_column("true", justify="right")
    table.add_column("n", justify="right", style="dim")
    for month in s.by_month[-6:]:
        if month.reviews:
            below = month.rate is not None and month.rate < s.desired_retention - 0.05
            table.add_row(month.label, Text(_percent(month.rate),
                                            style="red" if below else "green"),
                          str(month.reviews))
    return Group(head, table)


def cards_panel(s: Stats) -> Table:
    c = s.cards
    table = Table(box=None, padding=(0, 1, 0, 0), show_header=False, show_edge=False)
    table.add_column(style="dim")
    table.add_column(justify="right")
    for label, value, style in (("new", c.new, "blue"), ("learning", c.learning, "red"),
                                ("review", c.review, "green"),
                                ("relearning", c.relearning, "red"),
                                ("suspended", c.suspended, "yellow")):
        table.add_row(label, Text(str(value), style=f"bold {style}"))
    stability = "-" if c.average_stability is None else f"{c.average_stability:.1f} d"
    table.add_row("stability", stability)
    return table


def journal_panel(s: Stats) -> Text:
    return Text.assemble(("streak  ", "dim"), (f"{s.streak_current} d", "bold"),
                         ("\nlongest ", "dim"), (f"{s.streak_longest} d", "bold"),
                         ("\nwritten ", "dim"), (f"{s.days_written} d", "bold"))


def keywords_panel(s: Stats) -> Text:
    out = Text()
    for week in reversed(s.keywords_by_week[-6:]):
        out.append(f"{week.label}  ", style="dim")
        out.append(f"{week.keywords:>3}  ", style="bold")
        out.append(", ".join(week.top) or "-")
        out.append("\n")
    return out


def optimize_report(r: OptimizeResult) -> Text:
    out = Text.assemble(
        (f"{r.grades}", "bold"), " grades · log loss ",
        ("default ", "dim"), f"{r.default.log_loss:.4f}  ",
        ("current ", "dim"), f"{r.current.log_loss:.4f}  ",
        ("fitted ", "dim"), (f"{r.fitted.log_loss:.4f}", "bold"),
        f"  (RMSE {r.default.rmse:.3f} → {r.fitted.rmse:.3f})\n")
    out.append("Saved: the scheduler uses the fitted parameters." if r.saved else
               "Not saved: no better than the current parameters.",
               style="green" if r.saved else "yellow")
    if r.optimal_retention is not None:
        out.append(f"\nSuggested desired retention {r.optimal_retention:.2f} "
                   f"(now {r.desired_retention:.2f}; not applied)")
    return out


class StatsScreen(RefreshingScreen):
    SCREEN_NAME = "Stats"
    STALE_AFTER = timedelta(minutes=10)  # figures by day: a return within minutes keeps them
    BINDINGS = [
        Binding("o", "optimize", "Optimize FSRS"),
        Binding("f5", "reload", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stats: Stats | None = None  # what is shown, counted in a worker
        self._optimizing = False

    def compose(self) -> ComposeResult:
        yield Static("Stats", id="stats-title", classes="screen-title")
        with VerticalScroll(id="stats-body"):
            with Vertical(id="stats-optimize", classes="panel"):
                yield ProgressBar(total=PROGRESS_STEPS, show_eta=False, id="stats-progress")
                yield Static(id="stats-optimize-text")
            yield Static("Counting…", id="stats-reviews", classes="panel")
            yield Static(id="stats-forecast", classes="panel")
            with Horizontal(id="stats-row"):
                yield Static(id="stats-retention", classes="panel")
                yield Static(id="stats-cards", classes="panel")
                yield Static(id="stats-journal", classes="panel")
            yield Static(id="stats-written", classes="panel")
            yield Static(id="stats-keywords", classes="panel")
        yield KeyFooter()

    def on_mount(self) -> None:
        for name, title in (("reviews", "Reviews · last 12 months"),
                            ("forecast", "Due · next 30 days"), ("retention", "Retention"),
                            ("cards", "Cards"), ("journal", "Journal"),
                            ("written", "Days written"), ("keywords", "Keywords per week")):
            self.query_one(f"#stats-{name}").border_title = title
        ahead, self.app.stats_ahead = self.app.stats_ahead, None  # taken once
        stats = ahead and ahead.fresh(data_version(self.app.store), self.app.settings.now(),
                                      self.STALE_AFTER)
        if stats:
            self.show(stats)
        else:
            self.refresh_data()

    def refresh_data(self) -> None:
        self.load_stats()

    @work(thread=True, exclusive=True, group="stats", exit_on_error=False)
    def load_stats(self) -> None:
        # a year of reviews at scale takes ~200 ms: off the event loop, on the reader
        settings = self.app.settings
        stats = compute_stats(self.app.reader(), settings.now(), settings.tz)
        self.app.call_from_thread(self.show, stats)

    def show(self, s: Stats) -> None:
        self.stats = s
        self.query_one("#stats-title", Static).update(Text.assemble(
            ("Stats", "bold"), f"  ·  {s.today.isoformat()}"))
        self.query_one("#stats-reviews", Static).update(reviews_panel(s))
        self.query_one("#stats-forecast", Static).update(forecast_panel(s))
        self.query_one("#stats-retention", Static).update(retention_panel(s))
        self.query_one("#stats-cards", Static).update(cards_panel(s))
        self.query_one("#stats-journal", Static).update(journal_panel(s))
        written = {d: 1 for d in s.written}
        self.query_one("#stats-written", Static).update(
            Heatmap(written, s.today, marked=set(), labels=True))
        self.query_one("#stats-keywords", Static).update(keywords_panel(s))

    def action_reload(self) -> None:
        self.refresh_data()

    def action_optimize(self) -> None:
        """Fit FSRS parameters to every deck's history (a separate process: torch never
        loads here), with a progress bar; the report stays on the screen."""
        if self._optimizing:
            return
        self._optimizing = True
        panel = self.query_one("#stats-optimize")
        panel.display = True
        panel.border_title = "Optimize FSRS parameters"
        self.query_one("#stats-progress", ProgressBar).update(progress=0)
        self.query_one("#stats-optimize-text", Static).update("Fitting to your reviews…")
        self.run_optimizer()

    @work(thread=True, exclusive=True, group="optimize", exit_on_error=False)
    def run_optimizer(self) -> None:
        from studylog.core.review.optimize import optimize
        from studylog.core.review.settings import ReviewError

        # this thread writes the fitted parameters: its own connection
        store = Store(self.app.store.path)
        try:
            result = optimize(store, progress=lambda p: self.app.call_from_thread(
                self._progress, progress_steps(p)))
            report = optimize_report(result)
        except ReviewError as exc:
            report = Text(str(exc), style="yellow")
        finally:
            store.close()
        self.app.call_from_thread(self._optimized_report, report)

    def _progress(self, steps: int) -> None:
        self.query_one("#stats-progress", ProgressBar).update(progress=steps)

    def _optimized_report(self, report: Text) -> None:
        self._optimizing = False
        self.query_one("#stats-progress", ProgressBar).update(progress=PROGRESS_STEPS)
        self.query_one("#stats-optimize-text", Static).update(report)


__all__ = ["StatsScreen"]
