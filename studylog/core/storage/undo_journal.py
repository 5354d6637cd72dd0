"""The undo journal: the study day's actions, newest last, each with what reversing it
needs (old flag values, the old text of an edit, the review-log id of a grade)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from studylog.core.storage.repository import Repository


@dataclass(slots=True)
class UndoEntry:
    """One action of the study day."""

    id: int
    action: str  # 'grade', 'bury', 'suspend', 'unsuspend', 'edit', ...
    card_id: int | None
    done_at: str  # when it was done (the wall clock, UTC ISO)
    data: dict[str, Any]  # what reversing it needs


def _decode(entry: UndoEntry) -> None:
    entry.data = json.loads(entry.data)  # type: ignore[arg-type]  # stored as JSON text


class UndoJournalRepository(Repository):
    """The ``undo_journal`` table."""

    def insert(self, action: str, card_id: int | None, done_at: str,
               data: dict[str, Any]) -> int:
        return self._insert("undo_journal", {
            "action": action, "card_id": card_id, "done_at": done_at,
            "data": json.dumps(data, ensure_ascii=False)})

    def newest(self, since: str) -> UndoEntry | None:
        """The newest entry done at or after ``since``."""
        return self._row(UndoEntry, "SELECT id, action, card_id, done_at, data "
                         "FROM undo_journal WHERE done_at >= ? ORDER BY id DESC LIMIT 1",
                         [since], _decode)

    def add_data(self, entry_id: int, key: str, value: Any) -> None:
        """Add ``key`` to what reversing the entry needs (learnt after its action's
        transaction, such as the files a rename then wrote)."""
        self._write("UPDATE undo_journal SET data = json_set(data, ?, json(?)) WHERE id = ?",
                    [f"$.{key}", json.dumps(value, ensure_ascii=False), entry_id])

    def delete(self, entry_id: int) -> None:
        self._write("DELETE FROM undo_journal WHERE id = ?", [entry_id])

    def delete_grade(self, log_id: int) -> None:
        """Forget the entry of the grade ``log_id`` (undone directly)."""
        self._write("DELETE FROM undo_journal WHERE action = 'grade' "
                    "AND json_extract(data, '$.log_id') = ?", [log_id])

    def prune(self, before: str) -> int:
        """Delete the entries done before ``before``; returns how many."""
        return self._write("DELETE FROM undo_journal WHERE done_at < ?", [before]).rowcount
