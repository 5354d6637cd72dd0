"""Drafts: unsaved edits of a day, written while you type in the app (one per date)."""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.storage.repository import Repository, utc_now


@dataclass(slots=True)
class DraftRow:
    """The unsaved text of a day."""

    date: str
    body: str
    updated_at: str


class DraftsRepository(Repository):
    """The ``drafts`` table."""

    def save(self, day: str, body: str) -> None:
        self._write("INSERT INTO drafts (date, body, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (date) DO UPDATE SET body = excluded.body, "
                    "updated_at = excluded.updated_at", [day, body, utc_now()])

    def get(self, day: str) -> DraftRow | None:
        return self._row(DraftRow, "SELECT date, body, updated_at FROM drafts WHERE date = ?",
                         [day])

    def delete(self, day: str) -> None:
        self._write("DELETE FROM drafts WHERE date = ?", [day])

    def dates(self) -> list[str]:
        """The dates that have a draft, oldest first."""
        return [r[0] for r in self.conn.execute("SELECT date FROM drafts ORDER BY date")]
