"""Re-importing a day edited in the app: a three-way merge of the day's text.

The base is the day's text as its file gave it at the last import (``day_bases``). On
re-import, per day:

- the file's text is the base (the file did not change there): the app's text stays,
  edited or not;
- the app's text is the base (not edited in the app): the file's text is taken;
- both changed: the app's text stays, and the file's is kept beside it as a conflict the
  user resolves (``conflicts.resolve_conflict``); the import report names the day.

A day with no base (written in the app, then a file gave the same date) counts as
edited on both sides unless the texts are equal.
"""

from __future__ import annotations

from typing import Literal

from studylog.core.journal.day_saving import save_day
from studylog.core.journal.log_parser import Day
from studylog.core.storage.database import Store

APP_SOURCE = "studylog:app"  # the source of a day written in the app, with no file

MergeStatus = Literal["new", "updated", "same", "kept", "conflict"]

__all__ = ["APP_SOURCE", "MergeStatus", "merge_imported_day", "keep_if_edited"]


def merge_imported_day(store: Store, day: Day, source: str,
                       deck_id: int) -> tuple[MergeStatus, set[int]]:
    """Write one day read from ``source`` by the three-way rule; returns what happened
    ('kept': the app's edit stays; 'conflict': both changed) and the keyword ids whose
    cards need a refresh. Call inside a write transaction."""
    key = day.date.isoformat()
    state = store.day_bases.state_of(key)
    if state is None:
        status, touched = save_day(store, day, source, deck_id)
        store.day_bases.set_base_of_date(key, day.body)
        return status, touched
    base = state.base if state.has_base else None
    file_changed = base is None or day.body != base
    app_changed = base is None or state.body != base
    if not file_changed:
        if state.theirs is not None:  # the file went back to the base: nothing to resolve
            store.day_bases.set_base(state.entry_id, base)
        if app_changed:
            return "kept", set()
        return save_day(store, day, source, deck_id)  # a new title or week still comes in
    if not app_changed or state.body == day.body:
        status, touched = save_day(store, day, source, deck_id)
        store.day_bases.set_base(state.entry_id, day.body)
        return status, touched
    store.day_bases.set_conflict(state.entry_id, day.body, day.title, source)
    return "conflict", set()


def keep_if_edited(store: Store, day: str) -> bool:
    """A day gone from its file: True (and the day now belongs to the app) when its text
    was edited in the app since the import, so deleting it would lose the edit."""
    state = store.day_bases.state_of(day)
    if state is None or (state.has_base and state.base == state.body):
        return False
    store.entries.set_source(state.entry_id, APP_SOURCE)
    store.day_bases.forget(state.entry_id)
    return True
