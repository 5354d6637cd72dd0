"""The week a day is listed under in the Journal when its file gave it none (a day
written in the app, or imported from a file without week headings): the journal week
holding it, else its calendar week. Every such day used to share one 'Other days'
heading, so a journal kept in the app had no weeks at all."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta

from studylog.core.storage.entries import DaySummary, WeekRow


def calendar_week(day: date) -> str:
    """``Week N (MM/DD ~ MM/DD)``: the ISO week (Today's study week), Monday to Sunday."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    return f"Week {day.isocalendar().week} ({monday:%m/%d} ~ {sunday:%m/%d})"


def _to_sunday(start: str, end: str) -> str:
    # a study week written Monday to Friday keeps the weekend after it
    start_day = date.fromisoformat(start)
    sunday = start_day + timedelta(days=6 - start_day.weekday())
    return max(end, sunday.isoformat())


def fill_weeks(days: list[DaySummary], weeks: list[WeekRow]) -> list[DaySummary]:
    """Give each of ``days`` without a week one, in place: the title of the journal week
    whose range (stretched to that week's Sunday) holds it, the latest-starting one as
    Today picks it, else :func:`calendar_week`. Returns ``days``."""
    if all(d.week for d in days):
        return days
    ranges = sorted((w.start_date, _to_sunday(w.start_date, w.end_date), w.title)
                    for w in weeks if w.start_date and w.end_date)
    starts = [start for start, _, _ in ranges]
    # the longest range bounds how far back a start can be and still hold a day
    longest = max((date.fromisoformat(end) - date.fromisoformat(start)
                   for start, end, _ in ranges), default=timedelta(0))
    for d in days:
        if d.week:
            continue
        day = date.fromisoformat(d.date)
        earliest = (day - longest).isoformat()
        i = bisect_right(starts, d.date) - 1
        while i >= 0 and ranges[i][0] >= earliest and ranges[i][1] < d.date:
            i -= 1
        holding = i >= 0 and ranges[i][0] >= earliest and ranges[i][1] >= d.date
        d.week = ranges[i][2] if holding else calendar_week(day)
    return days
