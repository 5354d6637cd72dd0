"""Writing the undo journal: each undoable action adds one entry, in the action's own
transaction, with what reversing it needs.

Entries are kept for the current study day (by the wall clock, not a scheduling
``now``: a test or a simulation grading in 2024 is still undone today) and pruned when
a later day's first action is written or undone. The app and the CLI share the table,
so ``studylog undo`` reverses the newest action whichever process did it. Reversing is
``studylog.core.undo.reversal``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from studylog.core.review.settings import ReviewError, current_study_day
from studylog.core.review.study_day import to_iso, utc
from studylog.core.storage.database import Store


class UndoError(ReviewError):
    """Nothing to undo, or an action that can no longer be reversed; one line."""


def wall_clock() -> datetime:
    """Now, as the journal sees it (tests of the day boundary replace this)."""
    return utc()


def today_start(store: Store) -> str:
    """The start of the current study day (wall clock), UTC ISO."""
    return current_study_day(store, wall_clock()).start_iso


def record_action(store: Store, action: str, card_id: int | None,
                  data: dict[str, Any]) -> int:
    """Journal ``action`` on ``card_id``; call inside the action's ``store.write()``.
    ``data`` is what reversing it needs (JSON-able). Returns the entry id."""
    store.undo_journal.prune(today_start(store))
    return store.undo_journal.insert(action, card_id, to_iso(wall_clock()), data)
