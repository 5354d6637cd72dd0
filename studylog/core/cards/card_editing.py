"""One card in full (its back, source days, snippet) and editing it by hand.

A front or back you edit is marked as yours: imports and deck updates never overwrite
it (``front_edited``/``back_edited``, applied by ``keep_hand_edits``), and snippet code
edited in the app is kept the same way (``deck_code_to_write``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from studylog.core.cards.card_flags import FLAGS, card_flags
from studylog.core.cards.snippet_trust import card_snippets
from studylog.core.review.study_day import to_iso, utc
from studylog.core.storage.cards import CardListing, CardRow
from studylog.core.storage.database import Store
from studylog.core.storage.entries import DayRef
from studylog.core.storage.snippets import SnippetRow
from studylog.core.undo.journal import record_action
from studylog.errors import StudylogError

__all__ = ["CardDetail", "CardError", "CardListing", "card_detail", "deck_code_to_write",
           "edit_card", "edit_snippet_code", "keep_hand_edits", "list_cards"]


class CardError(StudylogError, ValueError):
    """No such card, or an edit that cannot be saved; one line."""


@dataclass(frozen=True, slots=True)
class CardDetail:
    id: int
    front: str
    back: str
    kind: str
    deck: str
    state: str
    due: str | None
    stability: float | None
    lapses: int
    reps: int
    suspended: bool
    sources: list[DayRef] = field(default_factory=list)  # newest first
    # every snippet the card can run, in ``card_snippets`` order (the learner's own
    # first); each one's ``deck`` and ``trusted`` are those of the deck that owns it,
    # which for a journal card linked through ``aliases:`` is another deck
    snippets: list[SnippetRow] = field(default_factory=list)
    # which of ``snippets`` the card asks a prediction about (None: not a predict
    # card): a predict card's deck snippet, or the learner's own code made one
    predict_index: int | None = None
    flags: list[str] = field(default_factory=list)  # card_flags.FLAGS it has

    @property
    def snippet(self) -> SnippetRow | None:
        """The snippet the card runs by default (``run CARD_ID``)."""
        return self.snippets[0] if self.snippets else None


def card_detail(store: Store, card_id: int, now: datetime | None = None) -> CardDetail:
    """A card with its deck, source days, snippet and flags (``buried`` at ``now``);
    CardError when there is none."""
    row = store.cards.get(card_id)
    deck = store.decks.of_card(card_id)
    if row is None or deck is None:
        raise CardError(f"no card with id {card_id}")
    snippets = card_snippets(store, card_id)
    own = store.card_code.get(card_id)
    predict: int | None = None
    if own is not None and own.predict:
        predict = 0  # the card's own snippet comes first
    elif row.kind == "predict":
        predict = next((i for i, s in enumerate(snippets)
                        if s.id and s.id == row.snippet_id), None)
    return CardDetail(row.id, row.front, row.back, row.kind, deck.name, row.state, row.due,
                      row.stability, row.lapses, row.reps, row.suspended,
                      store.cards.sources(card_id), snippets, predict,
                      card_flags(buried_until=row.buried_until, suspended=row.suspended,
                                 orphaned=row.orphaned, tags=row.tags,
                                 back_edited=row.back_edited, now=now))


def list_cards(store: Store, deck: str | None = None, flag: str | None = None,
               now: datetime | None = None) -> list[CardListing]:
    """Every card (of the deck named ``deck``; with ``flag``, one of ``card_flags.FLAGS``,
    at ``now``), journal decks first, in the order written."""
    if flag is not None and flag not in FLAGS:
        raise CardError(f"unknown flag {flag!r}: use one of {', '.join(FLAGS)}")
    return store.cards.listing(deck, flag, to_iso(utc(now)))


def edit_card(store: Store, card_id: int, front: str, back: str) -> list[str]:
    """Save a hand edit; returns the fields that changed (``front``, ``back``)."""
    row = store.cards.get(card_id)
    if row is None:
        raise CardError(f"no card with id {card_id}")
    front = front.strip()
    if not front:
        raise CardError("a card needs a front")
    fields: dict[str, Any] = {}
    if front != row.front:
        fields.update(front=front, front_edited=1)
    if back != row.back:
        fields.update(back=back, back_edited=1)
    if fields:
        with store.write():
            store.cards.update(card_id, fields)
            # the old text lives in the undo journal (today only), never the review log
            old = {k: getattr(row, k) for k in fields}
            record_action(store, "edit", card_id, {**old, "updated_at": row.updated_at})
    return [k for k in ("front", "back") if k in fields]


def edit_snippet_code(store: Store, snippet_id: int, code: str,
                      card_id: int | None = None) -> None:
    """Save a deck snippet's code edited in the app (on card ``card_id``); deck updates
    keep it from then on, and it stays the deck's: its trust and confinement too.
    Undoable (the undo journal's ``snippet`` action)."""
    old = store.snippets.get(snippet_id)
    if old is None:
        raise CardError(f"no snippet with id {snippet_id}")
    with store.write():
        store.snippets.set_edited_code(snippet_id, code)
        record_action(store, "snippet", card_id, {"snippet_id": snippet_id,
                                                  "code": old.code, "edited": old.edited})


def keep_hand_edits(card: CardRow, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` an import or a deck update would write, without the front or back you
    edited by hand."""
    return {k: v for k, v in fields.items()
            if not (k == "front" and card.front_edited or k == "back" and card.back_edited)}


def deck_code_to_write(snippet: SnippetRow, code: str) -> str | None:
    """The code a deck update writes into a stored snippet: None (keep it) when you
    edited it in the app."""
    return None if snippet.edited else code
