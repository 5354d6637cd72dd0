"""Deck rows: the journal decks, bundled decks and decks added by the user, with the
trust flag that lets an added deck's snippets run."""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.storage.repository import Repository, utc_now


@dataclass(slots=True)
class DeckRow:
    """A deck; ``trusted`` lets its snippets run."""

    id: int
    name: str
    kind: str  # journal | bundled | added
    description: str
    source_file: str | None
    content_hash: str | None
    trusted: bool
    created_at: str


def _decode(row: DeckRow) -> None:
    row.trusted = bool(row.trusted)


class DecksRepository(Repository):
    """The ``decks`` table."""

    def get(self, name: str) -> DeckRow | None:
        return self._row(DeckRow, "SELECT * FROM decks WHERE name = ?", [name], _decode)

    def of_card(self, card_id: int) -> DeckRow | None:
        return self._row(DeckRow, "SELECT d.* FROM decks d JOIN cards c ON c.deck_id = d.id "
                                  "WHERE c.id = ?", [card_id], _decode)

    def ensure(self, name: str, kind: str, *, trusted: bool) -> int:
        """The id of the deck ``name``, inserted (as ``kind``) when there is none."""
        existing = self._value("SELECT id FROM decks WHERE name = ?", [name])
        if existing is not None:
            return int(existing)
        return self._insert("decks", {"name": name, "kind": kind, "trusted": int(trusted),
                                      "created_at": utc_now()})

    def hash_of_source(self, source_file: str) -> str | None:
        """The content hash recorded for the deck read from ``source_file``."""
        value: str | None = self._value(
            "SELECT content_hash FROM decks WHERE source_file = ?", [source_file])
        return value

    def save(self, name: str, *, kind: str, description: str, source_file: str,
             content_hash: str, trusted: bool) -> int:
        """Insert or update the deck ``name``; returns its id."""
        row = {"kind": kind, "description": description, "source_file": source_file,
               "content_hash": content_hash, "trusted": int(trusted)}
        existing = self.get(name)
        if existing is None:
            return self._insert("decks", {"name": name, "created_at": utc_now(), **row})
        self._update("decks", existing.id, row)
        return existing.id

    def set_trusted(self, deck_id: int, trusted: bool) -> None:
        self._update("decks", deck_id, {"trusted": int(trusted)})

    def names_by_id(self) -> dict[int, str]:
        """deck id -> name, journal decks first."""
        return dict(self.conn.execute(
            "SELECT id, name FROM decks ORDER BY kind != 'journal', name").fetchall())

    def card_counts(self) -> dict[int, int]:
        """deck id -> how many cards it holds (suspended ones included)."""
        return dict(self.conn.execute(
            "SELECT deck_id, count(*) FROM cards GROUP BY deck_id").fetchall())

    def kinds_by_id(self) -> dict[int, str]:
        """deck id -> kind (journal, bundled, added)."""
        return dict(self.conn.execute("SELECT id, kind FROM decks").fetchall())
