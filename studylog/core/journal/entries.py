"""Reading the journal's days: every entry, or the entry of one date."""

from __future__ import annotations

from datetime import date

from studylog.core.storage.database import Store
from studylog.core.storage.entries import DayRef, EntryRow

__all__ = ["DayRef", "EntryRow", "entry_of", "list_entries"]


def list_entries(store: Store) -> list[EntryRow]:
    """Every day of the journal, oldest first, with its keywords."""
    return store.entries.all()


def entry_of(store: Store, day: date) -> EntryRow | None:
    """The saved entry of ``day``, or None."""
    return store.entries.get(day.isoformat())
