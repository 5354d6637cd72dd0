"""Cards as Anki notes need them: content, deck, snippet code and source dates in one
read, so an export of tens of thousands of cards is one query, not one per card."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple, cast

from studylog.core.storage.repository import Repository


@dataclass(slots=True)
class AnkiNoteRow:
    """One card with what its Anki note carries; ``source_dates`` oldest first."""

    deck: str
    key: str
    kind: str  # basic | predict
    front: str
    back: str
    tags: list[str]
    snippet_code: str | None
    source_dates: list[str]


@dataclass(slots=True)
class CardSchedule:
    """A card's schedule as the Anki export writes it (instants in ISO form)."""

    deck: str
    key: str
    state: str
    due: str | None
    stability: float | None
    difficulty: float | None
    last_review: str | None
    reps: int
    lapses: int
    suspended: int


@dataclass(slots=True)
class CardKey:
    """A card's id and identity (deck and key)."""

    id: int
    deck: str
    key: str


class GradeForAnki(NamedTuple):
    """One grade as the Anki export reads it (a tuple: there are millions)."""

    deck: str
    key: str
    rating: int
    reviewed_at: str
    duration_ms: int | None
    state_before: str
    due_after: int  # epoch microseconds


def _decode(row: AnkiNoteRow) -> None:
    row.tags = json.loads(cast(str, row.tags))
    row.source_dates = json.loads(cast(str, row.source_dates))


class AnkiNotesRepository(Repository):
    """Reads over ``cards``, ``decks``, ``snippets`` and ``card_sources``."""

    def rows(self, deck: str | None = None) -> list[AnkiNoteRow]:
        """Every card (of one deck), decks by name, cards in the order written."""
        where, params = ("WHERE d.name = ?", [deck]) if deck else ("", [])
        return self._rows(
            AnkiNoteRow,
            "SELECT d.name AS deck, c.key, c.kind, c.front, c.back, c.tags, "
            "s.code AS snippet_code, "
            "(SELECT json_group_array(date) FROM (SELECT e.date FROM card_sources cs "
            " JOIN entries e ON e.id = cs.entry_id WHERE cs.card_id = c.id "
            " ORDER BY e.date)) AS source_dates "
            "FROM cards c JOIN decks d ON d.id = c.deck_id "
            f"LEFT JOIN snippets s ON s.id = c.snippet_id {where} "
            "ORDER BY d.name, c.first_written, c.position, c.id", params, _decode)

    def deck_exists(self, name: str) -> bool:
        return self._value("SELECT 1 FROM decks WHERE name = ?", [name]) is not None

    # -- import-anki: the cards it made before, found by their key ``anki-<guid>`` --
    def imported_cards(self) -> dict[str, tuple[int, int]]:
        """key -> (card id, deck id) of every card an Anki import made."""
        return {key: (card_id, deck_id) for key, card_id, deck_id in self.conn.execute(
            "SELECT key, id, deck_id FROM cards WHERE key LIKE 'anki-%'")}

    # -- export apkg: each card's schedule and review log, for Anki's cards and revlog --
    def card_keys(self, deck: str | None = None) -> list[CardKey]:
        """(id, deck, key) of every card (of one deck)."""
        where, params = ("WHERE d.name = ?", [deck]) if deck else ("", [])
        return self._rows(CardKey, "SELECT c.id, d.name AS deck, c.key FROM cards c "
                                   f"JOIN decks d ON d.id = c.deck_id {where}", params)

    def schedules(self, deck: str | None = None) -> list[CardSchedule]:
        """The schedule of every graded or suspended card (of one deck)."""
        where, params = ("AND d.name = ?", [deck]) if deck else ("", [])
        return self._rows(
            CardSchedule,
            "SELECT d.name AS deck, c.key, c.state, c.due, c.stability, c.difficulty, "
            "c.last_review, c.reps, c.lapses, c.suspended FROM cards c "
            "JOIN decks d ON d.id = c.deck_id "
            f"WHERE (c.state != 'new' OR c.suspended = 1) {where}", params)

    def review_rows(self, deck: str | None = None) -> Iterator[GradeForAnki]:
        """(deck, key, rating, reviewed_at, duration_ms, state_before, due_after as epoch
        microseconds) of every grade (of one deck's cards), by card, oldest first."""
        where, params = ("WHERE d.name = ?", [deck]) if deck else ("", [])
        yield from map(GradeForAnki._make, self.conn.execute(
            "SELECT d.name, c.key, l.rating, l.reviewed_at, l.duration_ms, l.state_before, "
            "l.due_after FROM review_log l JOIN cards c ON c.id = l.card_id "
            f"JOIN decks d ON d.id = c.deck_id {where} ORDER BY l.card_id, l.id", params))

    def deleted_imported(self) -> set[tuple[int, str]]:
        """(deck id, key) of every card an Anki import made that you deleted."""
        return {(deck_id, key) for deck_id, key in self.conn.execute(
            "SELECT deck_id, key FROM deleted_cards WHERE key LIKE 'anki-%'")}
