"""A card's own snippet: code the learner wrote for that card (in the app's snippet
editor or with ``studylog card snippet``), kept beside the card rather than in its back,
so an import that rebuilds the back, or a deck update, never touches it."""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.storage.repository import Repository, utc_now


@dataclass(slots=True)
class CardCodeRow:
    """The ``card_code`` row of one card."""

    card_id: int
    code: str
    predict: bool  # the card asks what this code prints before it shows the answer
    updated_at: str


_COLUMNS = "SELECT card_id, code, predict, updated_at FROM card_code"


def _decode(row: CardCodeRow) -> None:
    row.predict = bool(row.predict)


class CardCodeRepository(Repository):
    """``card_code``: at most one own snippet per card (deleted with the card)."""

    def get(self, card_id: int) -> CardCodeRow | None:
        return self._row(CardCodeRow, _COLUMNS + " WHERE card_id = ?", [card_id], _decode)

    def all(self) -> dict[int, CardCodeRow]:
        """Every card's own snippet, by card id (few: only what the learner wrote)."""
        return {r.card_id: r for r in self._rows(CardCodeRow, _COLUMNS, (), _decode)}

    def save(self, card_id: int, code: str, *, predict: bool) -> None:
        """Write (or replace) the card's own snippet."""
        self._write("INSERT INTO card_code (card_id, code, predict, updated_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (card_id) DO UPDATE SET "
                    "code = excluded.code, predict = excluded.predict, "
                    "updated_at = excluded.updated_at",
                    [card_id, code, int(predict), utc_now()])

    def delete(self, card_id: int) -> None:
        self._write("DELETE FROM card_code WHERE card_id = ?", [card_id])
