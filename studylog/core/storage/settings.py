"""Settings rows: global key/values (``meta``) and per-deck review settings
(``deck_settings``; a deck without a row uses the defaults of
``studylog.core.review.settings``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import cast

from studylog.core.storage.repository import Repository


@dataclass(slots=True)
class DeckSettingsRow:
    """The stored review settings of one deck; steps in seconds."""

    deck_id: int
    desired_retention: float
    learning_steps: tuple[int, ...]
    relearning_steps: tuple[int, ...]
    maximum_interval: int
    enable_fuzzing: bool
    new_per_day: int
    reviews_per_day: int
    leech_threshold: int
    parameters: tuple[float, ...] | None  # fitted FSRS parameters; None: the defaults
    enabled: bool  # off: kept, but not reviewed and not counted


def _decode(row: DeckSettingsRow) -> None:
    """Steps from their stored JSON text, the fuzz flag from 0/1."""
    row.learning_steps = tuple(json.loads(cast(str, row.learning_steps)))
    row.relearning_steps = tuple(json.loads(cast(str, row.relearning_steps)))
    row.enable_fuzzing = bool(row.enable_fuzzing)
    row.enabled = bool(row.enabled)
    stored = cast(str | None, row.parameters)
    row.parameters = tuple(json.loads(stored)) if stored else None


class SettingsRepository(Repository):
    """``meta`` and ``deck_settings``."""

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        value: str | None = self._value("SELECT value FROM meta WHERE key = ?", [key])
        return default if value is None else value

    def set_meta(self, key: str, value: str) -> None:
        self._write("INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value])

    def deck_settings(self, deck_id: int) -> DeckSettingsRow | None:
        return self._row(DeckSettingsRow, "SELECT * FROM deck_settings WHERE deck_id = ?",
                         [deck_id], _decode)

    def all_deck_settings(self) -> list[DeckSettingsRow]:
        return self._rows(DeckSettingsRow, "SELECT * FROM deck_settings", (), _decode)

    def save_deck_settings(self, row: DeckSettingsRow) -> None:
        """Insert or replace the settings row of ``row.deck_id``."""
        self._write(
            "INSERT OR REPLACE INTO deck_settings (deck_id, desired_retention, "
            "learning_steps, relearning_steps, maximum_interval, enable_fuzzing, "
            "new_per_day, reviews_per_day, leech_threshold, parameters, enabled) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [row.deck_id, row.desired_retention, json.dumps(list(row.learning_steps)),
             json.dumps(list(row.relearning_steps)), row.maximum_interval,
             int(row.enable_fuzzing), row.new_per_day, row.reviews_per_day,
             row.leech_threshold,
             None if row.parameters is None else json.dumps(list(row.parameters)),
             int(row.enabled)])
