"""Anki notes as the cards they become: a front, a back, a deck, tags and a GUID.

A note's first field is the front; its other non-empty fields, in the note type's
order, are the back, separated by blank lines (Basic: Back; Cloze: Back Extra, with the
``{{c1::...}}`` marks of the text kept on the front as written). A note with several
cards (reversed, cloze c1/c2...) is one studylog card: its first card's deck and
schedule are the ones kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from studylog.core.anki.field_markdown import field_markdown
from studylog.core.storage.anki_collection import ForeignCard, ForeignNote

DEFAULT_DECK = "Anki"  # a card whose deck is missing from the collection goes here


@dataclass(slots=True)
class IncomingNote:
    """One note on its way in; ``card`` is its first card, with its schedule (none for
    a text file)."""

    guid: str
    deck: str
    front: str
    back: str
    tags: list[str]
    card: ForeignCard | None = None


def front_and_back(fields: list[str], convert: Callable[[str], str] = field_markdown
                   ) -> tuple[str, str]:
    """The front (the first field) and back (the other non-empty fields) as Markdown."""
    texts = [convert(f) for f in fields]
    front = texts[0] if texts else ""
    return front, "\n\n".join(t for t in texts[1:] if t)


def incoming_notes(notes: list[ForeignNote], decks: dict[int, str],
                   cards: dict[int, ForeignCard]) -> tuple[list[IncomingNote], int]:
    """Every note of a collection (its ``notes``, ``decks`` by id and the first card of
    each note) with content, and how many were skipped as empty."""
    out: list[IncomingNote] = []
    skipped = 0
    for note in notes:
        front, back = front_and_back(note.fields)
        if not front and not back:
            skipped += 1
            continue
        card = cards.get(note.id)
        deck = decks.get(card.deck_id, DEFAULT_DECK) if card else DEFAULT_DECK
        out.append(IncomingNote(note.guid, deck, front or "(empty)", back, note.tags, card))
    return out, skipped
