"""Statistics: reviews per study day, the due forecast, true retention against the
desired retention, cards by state, the journaling streak and keywords per week.

Everything is counted in study days (the review settings' day start and zone), as the
scheduler counts them. *True retention* is Anki's: the share of grades other than Again
among grades of cards in the review state (learning steps excluded).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from studylog.core.review.settings import day_config, enabled_deck_ids, settings_by_deck_id
from studylog.core.review.study_day import study_day, study_day_of
from studylog.core.storage.database import Store
from studylog.core.storage.stats import (
    CardStates,
    DayBounds,
    DayCount,
    DayReviews,
    StatsRepository,
)

HEATMAP_DAYS = 365
FORECAST_DAYS = 30
PERIODS = 12  # weeks and months of retention and keywords


@dataclass(frozen=True)
class Retention:
    """True retention over one period (``label`` e.g. ``2023-11`` or ``2023-W46``)."""

    label: str
    start: date
    reviews: int  # grades of review-state cards
    passed: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    def to_json(self) -> dict[str, Any]:
        return {"period": self.label, "start": self.start.isoformat(),
                "reviews": self.reviews, "passed": self.passed,
                "retention": _round(self.rate)}


@dataclass(frozen=True)
class WeekKeywords:
    label: str  # ISO week, e.g. 2023-W46
    start: date  # its Monday
    keywords: int  # distinct keywords written that week
    top: list[str]  # the most written, up to five


@dataclass
class Stats:
    """Every figure of the Stats screen and ``studylog stats``."""

    today: date
    daily: dict[date, DayReviews]  # the last HEATMAP_DAYS study days (days with reviews)
    forecast: list[tuple[date, int]]  # today (with overdue cards) and the next days
    desired_retention: float
    last_30_days: Retention
    by_week: list[Retention]
    by_month: list[Retention]
    cards: CardStates
    streak_current: int
    streak_longest: int
    days_written: int
    written: set[date] = field(default_factory=set)  # dates written in the last year
    keywords_by_week: list[WeekKeywords] = field(default_factory=list)

    @property
    def today_reviews(self) -> DayReviews:
        return self.daily.get(self.today) or DayReviews(self.today.isoformat(),
                                                        0, 0, 0, 0, 0, 0)

    def to_json(self) -> dict[str, Any]:
        t = self.today_reviews
        c = self.cards
        return {
            "date": self.today.isoformat(),
            "today": {"reviews": t.reviews, "again": t.again, "new": t.new,
                      "minutes": round(t.ms / 60000, 1)},
            "retention": {"desired": self.desired_retention,
                          "true_last_30_days": _round(self.last_30_days.rate),
                          "reviews_last_30_days": self.last_30_days.reviews,
                          "by_week": [r.to_json() for r in self.by_week],
                          "by_month": [r.to_json() for r in self.by_month]},
            "forecast": [{"date": d.isoformat(), "due": n} for d, n in self.forecast],
            "cards_by_state": {"new": c.new, "learning": c.learning, "review": c.review,
                               "relearning": c.relearning, "suspended": c.suspended},
            "average_stability": _round(c.average_stability, 2),
            "streak": {"current": self.streak_current, "longest": self.streak_longest,
                       "days_written": self.days_written},
            "reviews_per_day": [{"date": d.date, "reviews": d.reviews, "again": d.again,
                                 "new": d.new} for d in self.daily.values()],
            "days_written_last_year": sorted(d.isoformat() for d in self.written),
            "keywords_by_week": [{"week": w.label, "start": w.start.isoformat(),
                                  "keywords": w.keywords, "top": w.top}
                                 for w in self.keywords_by_week],
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _bounds(first: date, count: int, tz: tzinfo | None, hour: int) -> list[DayBounds]:
    out = []
    for n in range(count):
        day = study_day_of(first + timedelta(days=n), tz, hour)
        out.append(DayBounds(day.date.isoformat(), day.start_iso, day.end_iso))
    return out


def _retention(label: str, start: date, days: list[DayReviews]) -> Retention:
    return Retention(label, start, sum(d.review_state for d in days),
                     sum(d.review_passed for d in days))


def _grouped(daily: dict[date, DayReviews], key: Any, starts: list[date],
             label: Any) -> list[Retention]:
    groups: dict[date, list[DayReviews]] = {start: [] for start in starts}
    for day, reviews in daily.items():
        groups.setdefault(key(day), []).append(reviews)
    return [_retention(label(start), start, groups[start]) for start in starts]


def longest_run(dates: list[date]) -> int:
    """The most consecutive days among ``dates`` (sorted, distinct)."""
    best = run = 0
    previous: date | None = None
    for day in dates:
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    return best


def current_run(dates: set[date], today: date) -> int:
    """Consecutive written days ending today, or yesterday while today is unwritten (a
    streak is not broken before the day is over)."""
    day = today if today in dates else today - timedelta(days=1)
    run = 0
    while day in dates:
        run += 1
        day -= timedelta(days=1)
    return run


def _desired_retention(store: Store) -> float:
    """The desired retention of the decks; where decks differ, the mean weighted by
    their review-state cards (the cards true retention is measured on)."""
    settings = settings_by_deck_id(store)
    values = {s.desired_retention for s in settings.values()} or {0.9}
    if len(values) == 1:
        return values.pop()
    weights = store.stats.review_cards_per_deck()
    total = sum(weights.get(d, 0) for d in settings)
    if not total:
        return round(sum(s.desired_retention for s in settings.values()) / len(settings), 4)
    return round(sum(s.desired_retention * weights.get(d, 0)
                     for d, s in settings.items()) / total, 4)


def compute_stats(store: Store, now: datetime | None = None,
                  tz: tzinfo | None = None) -> Stats:
    """All statistics at ``now`` (default: the current time); ``tz`` overrides the
    configured zone."""
    repo = store.stats
    config = day_config(store, tz)
    today = study_day(now, config.tz, config.start_hour).date
    first = min(today - timedelta(days=HEATMAP_DAYS - 1), _months_back(today, PERIODS - 1),
                today - timedelta(days=today.weekday() + 7 * (PERIODS - 1)))
    span = (today - first).days + 1
    rows = repo.reviews_per_day(_bounds(first, span, config.tz, config.start_hour))
    all_days = {date.fromisoformat(r.date): r for r in rows}
    heat_start = today - timedelta(days=HEATMAP_DAYS - 1)
    daily = {d: r for d, r in all_days.items() if d >= heat_start}

    forecast_bounds = _bounds(today, FORECAST_DAYS, config.tz, config.start_hour)
    # overdue cards are due today
    forecast_bounds[0] = DayBounds(forecast_bounds[0].date, "", forecast_bounds[0].end)
    # a deck turned off is kept, not reviewed and not counted: not in the forecast either
    due = {r.date: r.count for r in repo.due_per_day(forecast_bounds,
                                                      enabled_deck_ids(store))}
    forecast = [(date.fromisoformat(b.date), due.get(b.date, 0)) for b in forecast_bounds]

    month_starts = [_months_back(today, n) for n in range(PERIODS - 1, -1, -1)]
    monday = today - timedelta(days=today.weekday())
    week_starts = [monday - timedelta(weeks=n) for n in range(PERIODS - 1, -1, -1)]
    last_30 = [r for d, r in all_days.items() if (today - d).days < 30]

    dates = [date.fromisoformat(d) for d in repo.entry_dates()]
    written = set(dates)
    return Stats(
        today=today, daily=daily, forecast=forecast,
        desired_retention=_desired_retention(store),
        last_30_days=_retention("last 30 days", today - timedelta(days=29), last_30),
        by_week=_grouped(all_days, lambda d: d - timedelta(days=d.weekday()),
                         week_starts, _iso_week),
        by_month=_grouped(all_days, lambda d: d.replace(day=1), month_starts,
                          lambda d: f"{d.year}-{d.month:02d}"),
        cards=repo.card_states(),
        streak_current=current_run(written, today), streak_longest=longest_run(dates),
        days_written=len(dates), written={d for d in dates if d >= heat_start},
        keywords_by_week=_keywords_by_week(repo, week_starts),
    )


def _keywords_by_week(repo: StatsRepository, week_starts: list[date]) -> list[WeekKeywords]:
    counts: dict[date, Counter[str]] = {start: Counter() for start in week_starts}
    for row in repo.keywords_since(week_starts[0].isoformat()):
        day = date.fromisoformat(row.date)
        week = counts.get(day - timedelta(days=day.weekday()))
        if week is not None:
            week[row.name] += 1
    return [WeekKeywords(_iso_week(start), start, len(c), [n for n, _ in c.most_common(5)])
            for start, c in counts.items()]




@dataclass(frozen=True)
class Activity:
    """Reviews and days written over the last weeks: Today's small heatmap."""

    today: date
    reviews: dict[date, int]
    written: set[date]


def recent_activity(store: Store, weeks: int, now: datetime | None = None,
                    tz: tzinfo | None = None) -> Activity:
    """Grades per study day and the dates written, from the Monday ``weeks - 1`` weeks
    before this week's to today."""
    config = day_config(store, tz)
    today = study_day(now, config.tz, config.start_hour).date
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    rows = store.stats.grades_per_day(_bounds(first, (today - first).days + 1, config.tz,
                                              config.start_hour))
    written = {date.fromisoformat(d) for d in store.stats.entry_dates_since(first.isoformat())}
    return Activity(today, {date.fromisoformat(r.date): r.count for r in rows}, written)


__all__ = ["Activity", "DayCount", "Retention", "Stats", "WeekKeywords", "compute_stats",
           "recent_activity"]
