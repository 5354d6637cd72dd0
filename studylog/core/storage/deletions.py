"""Tombstones: the days and cards you deleted, so that an import or a deck update does
not quietly bring them back, and so that a deleted card's id (which its review history
in the log still names) is never given to another card."""

from __future__ import annotations

import json
from collections.abc import Iterable

from studylog.core.storage.repository import Repository, utc_now


class DeletionsRepository(Repository):
    """``deleted_days`` and ``deleted_cards``."""

    # -- days --
    def remember_day(self, day: str, source_file: str | None, text_hash: str) -> None:
        self._write("INSERT OR REPLACE INTO deleted_days (date, source_file, text_hash, "
                    "deleted_at) VALUES (?, ?, ?, ?)", [day, source_file, text_hash, utc_now()])

    def deleted_day_hash(self, day: str) -> str | None:
        """The text hash of ``day`` when it was deleted, or None if it was not (or was
        written again since, in the app)."""
        value: str | None = self._value(
            "SELECT text_hash FROM deleted_days WHERE date = ? "
            "AND NOT EXISTS (SELECT 1 FROM entries WHERE date = ?)", [day, day])
        return value

    def forget_day(self, day: str) -> None:
        self._write("DELETE FROM deleted_days WHERE date = ?", [day])

    # -- cards --
    def remember_card(self, card_id: int, deck_id: int, key: str, front: str,
                      source_dates: Iterable[str]) -> None:
        self._write("INSERT OR REPLACE INTO deleted_cards (id, deck_id, key, front, "
                    "source_dates, deleted_at) VALUES (?, ?, ?, ?, ?, ?)",
                    [card_id, deck_id, key, front,
                     json.dumps(sorted(source_dates)), utc_now()])

    def deleted_card_dates(self, deck_id: int, key: str) -> set[str] | None:
        """The source dates the newest deleted card of ``key`` had, or None if no card
        of that key was deleted."""
        value = self._value("SELECT source_dates FROM deleted_cards WHERE deck_id = ? "
                            "AND key = ? ORDER BY id DESC LIMIT 1", [deck_id, key])
        return None if value is None else set(json.loads(value))

