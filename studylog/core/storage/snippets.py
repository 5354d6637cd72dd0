"""Snippet rows: the code of deck cards, owned by one deck, whose trust lets it run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studylog.core.storage.repository import Repository


@dataclass(slots=True)
class SnippetRow:
    """A snippet with the deck that owns it: ``trusted`` is that deck's trust."""

    id: int
    name: str
    code: str
    timeout: float | None
    edited: bool  # changed in the app: deck updates keep the code
    deck_id: int
    deck: str
    kind: str  # the owning deck's kind
    trusted: bool


@dataclass(slots=True)
class SnippetListing:
    """A snippet in the list of runnable snippets, with the card that shows it."""

    snippet: SnippetRow
    card_id: int | None
    card: str | None  # that card's front


_SNIPPETS = ("SELECT s.id, s.name, s.code, s.timeout, s.edited, s.deck_id, d.name AS deck, "
             "d.kind, d.trusted{extra} FROM snippets s JOIN decks d ON d.id = s.deck_id")


def _decode(row: SnippetRow) -> None:
    row.edited, row.trusted = bool(row.edited), bool(row.trusted)


class SnippetsRepository(Repository):
    """``snippets``, and the links from cards to them."""

    def by_name(self, name: str) -> SnippetRow | None:
        return self._row(SnippetRow, _SNIPPETS.format(extra="") + " WHERE s.name = ?", [name],
                         _decode)

    def get(self, snippet_id: int) -> SnippetRow | None:
        return self._row(SnippetRow, _SNIPPETS.format(extra="") + " WHERE s.id = ?",
                         [snippet_id], _decode)

    def of_card(self, card_id: int) -> SnippetRow | None:
        return self._row(SnippetRow, _SNIPPETS.format(extra="")
                         + " WHERE s.id = (SELECT snippet_id FROM cards WHERE id = ?)",
                         [card_id], _decode)

    def listing(self) -> list[SnippetListing]:
        """Every snippet by deck, with the first card showing it (deck cards first)."""
        first_card = ("(SELECT c.{col} FROM cards c WHERE c.snippet_id = s.id "
                      "ORDER BY c.keyword_id IS NOT NULL, c.id LIMIT 1)")
        extra = (f", {first_card.format(col='id')} AS card_id, "
                 f"{first_card.format(col='front')} AS card")
        out = []
        # the snippet's columns are _SNIPPETS', as by_name reads them; then the card's
        for *columns, card_id, card in self.conn.execute(
                _SNIPPETS.format(extra=extra) + " ORDER BY d.name, s.id"):
            snippet = SnippetRow(*columns)
            _decode(snippet)
            out.append(SnippetListing(snippet, card_id, card))
        return out

    def insert(self, name: str, deck_id: int, code: str, timeout: float | None) -> int:
        return self._insert("snippets", {"name": name, "deck_id": deck_id, "code": code,
                                         "timeout": timeout})

    def update(self, snippet_id: int, *, timeout: float | None,
               code: str | None = None) -> None:
        """A deck update: the timeout, and the code unless ``code`` is None."""
        fields: dict[str, Any] = {"timeout": timeout}
        if code is not None:
            fields["code"] = code
        self._update("snippets", snippet_id, fields)

    def set_edited_code(self, snippet_id: int, code: str) -> None:
        """Code changed in the app, marked so deck updates keep it."""
        self._update("snippets", snippet_id, {"code": code, "edited": 1})

    def restore(self, snippet_id: int, code: str, edited: bool) -> None:
        """Put code and its edited mark back as they were (undo)."""
        self._update("snippets", snippet_id, {"code": code, "edited": int(edited)})

    def id_for_alias(self, norm: str) -> int | None:
        """The snippet of a deck card that lists ``norm`` among its aliases."""
        value: int | None = self._value(
            "SELECT c.snippet_id FROM card_aliases a JOIN cards c ON c.id = a.card_id "
            "WHERE a.norm = ? AND c.snippet_id IS NOT NULL ORDER BY c.id LIMIT 1", [norm])
        return value

    def link_keyword_cards(self) -> None:
        """Journal keyword cards without a snippet get the snippet of a deck card that
        lists their keyword among its aliases."""
        self._write(
            "UPDATE cards SET snippet_id = (SELECT c2.snippet_id FROM card_aliases a "
            " JOIN cards c2 ON c2.id = a.card_id WHERE a.norm = cards.key "
            " AND c2.snippet_id IS NOT NULL ORDER BY c2.id LIMIT 1) "
            "WHERE snippet_id IS NULL AND keyword_id IS NOT NULL")
