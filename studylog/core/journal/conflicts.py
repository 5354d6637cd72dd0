"""Days in conflict after a re-import, and resolving them.

A conflict is a day whose file and app text both changed since the last import
(day_merge): the app's text stays the day's text, the file's waits beside it. Resolving
keeps mine (the file's version is set aside: the next import of that file leaves the day
alone), takes the file's, or saves a text the user edited from both. Either way the
file's version becomes the base, so the same file never raises the same conflict again.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from studylog.core.journal.day_diff import has_markers
from studylog.core.journal.day_editing import DaySave, save_day_text
from studylog.core.journal.write_back import write_back_day
from studylog.core.storage.database import Store
from studylog.core.storage.day_bases import ConflictRow
from studylog.errors import StudylogError

Choice = Literal["mine", "theirs", "edit"]

__all__ = ["Choice", "ConflictError", "ConflictRow", "conflict_dates", "conflict_of",
           "list_conflicts",
           "resolve_conflict"]


class ConflictError(StudylogError, ValueError):
    """No conflict to resolve on that day; the message is one line."""


def list_conflicts(store: Store) -> list[ConflictRow]:
    """Every day in conflict, oldest first."""
    return store.day_bases.conflicts()


def conflict_dates(store: Store) -> list[str]:
    """The dates of the days in conflict, oldest first."""
    return store.day_bases.conflict_dates()


def conflict_of(store: Store, day: date) -> ConflictRow | None:
    """The conflict of ``day``, or None."""
    found = store.day_bases.conflicts(day.isoformat())
    return found[0] if found else None


def resolve_conflict(store: Store, day: date, choice: Choice,
                     text: str | None = None) -> DaySave:
    """Resolve the conflict of ``day``: keep ``mine``, take ``theirs`` (the file's), or
    save ``text`` (``edit``). One transaction; ConflictError when the day has none,
    DayError when the edited text cannot be one day (nothing changes then)."""
    key = day.isoformat()
    with store.write():
        conflict = conflict_of(store, day)
        state = store.day_bases.state_of(key)
        if conflict is None or state is None:
            raise ConflictError(f"{key} has no conflict to resolve (studylog conflicts "
                                "lists them)")
        if choice == "mine":
            saved = DaySave(key, "same", [])
        elif choice == "theirs":
            saved = save_day_text(store, day, conflict.theirs, title=conflict.theirs_title,
                                  write_back=False)
            store.entries.set_source(state.entry_id, conflict.source)
        else:
            if text is None:
                raise ConflictError(f"{key}: no text given to resolve the conflict with")
            if has_markers(text):
                raise ConflictError(f"{key}: conflict markers (<<<<<<< ======= >>>>>>>) "
                                    "are left in the text: keep one side of each")
            saved = save_day_text(store, day, text, write_back=False)
        store.day_bases.set_base(state.entry_id, conflict.theirs)
    # the file holds the file's version (the base now): write-back puts the kept text there
    done = write_back_day(store, day) if choice != "theirs" else None
    saved.file_note = done.message() if done else ""
    return saved
