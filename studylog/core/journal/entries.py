"""Reading the journal's days: every entry, or the entry of one date."""

from __future__ import annotations

from datetime import date

from studylog.core.journal.day_weeks import fill_weeks
from studylog.core.storage.database import Store
from studylog.core.storage.entries import DayRef, DaySummary, EntryRow

__all__ = ["DayRef", "DaySummary", "EntryRow", "entry_of", "list_days", "list_entries"]


def list_entries(store: Store) -> list[EntryRow]:
    """Every day of the journal, oldest first, with its keywords."""
    return store.entries.all()


def list_days(store: Store) -> list[DaySummary]:
    """Every day of the journal, newest first: date, title, week and keywords; a day
    stored without a week gets the one it is listed under (day_weeks.fill_weeks)."""
    return fill_weeks(store.entries.summaries(), store.entries.weeks())


def entry_of(store: Store, day: date) -> EntryRow | None:
    """The saved entry of ``day``, or None."""
    return store.entries.get(day.isoformat())
