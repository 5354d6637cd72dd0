"""Deleting cards, and dealing with every orphaned card at once.

A deleted card's review history stays in the review log, as Anki keeps it (the review
heatmap still counts it); its id is never given to another card, and the
days that listed its keyword when you deleted it do not make it again. Each action is
one transaction, undoable the same study day (``studylog undo``, ``u``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studylog.core.cards.card_editing import CardError
from studylog.core.storage.cards import CardRow
from studylog.core.storage.database import Store
from studylog.core.storage.row_images import RowImage
from studylog.core.undo.row_actions import (
    DELETE_CARDS,
    SUSPEND_ORPHANS,
    record_row_action,
)


@dataclass(slots=True)
class CardsDeleted:
    """What deleting cards did."""

    ids: list[int] = field(default_factory=list)
    fronts: list[str] = field(default_factory=list)
    reviews_kept: int = 0  # review-log rows that stay in the log

    def message(self) -> str:
        if not self.ids:
            return "no card deleted"
        named = self.fronts[0] if len(self.fronts) == 1 else f"{len(self.fronts)} cards"
        return (f"Deleted {named}; {self.reviews_kept} review(s) stay in the review log "
                "(u or studylog undo brings it back today)")

    def to_json(self) -> dict[str, Any]:
        return {"deleted": [{"id": i, "front": f} for i, f in
                            zip(self.ids, self.fronts, strict=True)],
                "reviews_kept": self.reviews_kept}


def card_images(store: Store, card_ids: list[int]) -> list[RowImage]:
    """Before-images of everything deleting ``card_ids`` changes (the review log is not
    among them: it stays)."""
    capture = store.row_images.capture
    return [capture("cards", "id", card_ids),
            capture("card_sources", "card_id", card_ids),
            capture("card_code", "card_id", card_ids),
            capture("card_aliases", "card_id", card_ids),
            capture("candidates", "card_id", card_ids),
            capture("deleted_cards", "id", card_ids)]


def remove_cards(store: Store, cards: list[CardRow]) -> int:
    """Delete ``cards`` leaving tombstones; returns their review-log rows (kept). Call
    inside a write transaction, after taking ``card_images``."""
    reviews = 0
    for card in cards:
        reviews += store.review_log.count_of_card(card.id)
        store.deletions.remember_card(card.id, card.deck_id, card.key, card.front,
                                      [d.date for d in store.cards.sources(card.id)])
        store.cards.delete(card.id)
    return reviews


def _cards(store: Store, card_ids: list[int]) -> list[CardRow]:
    cards = []
    for card_id in dict.fromkeys(card_ids):
        card = store.cards.get(card_id)
        if card is None:
            raise CardError(f"no card with id {card_id}")
        cards.append(card)
    return cards


def delete_cards(store: Store, card_ids: list[int]) -> CardsDeleted:
    """Delete the cards ``card_ids`` (all or none: CardError for an unknown id)."""
    cards = _cards(store, card_ids)
    done = CardsDeleted([c.id for c in cards], [c.front for c in cards])
    if not cards:
        return done
    with store.write():
        images = card_images(store, done.ids)
        done.reviews_kept = remove_cards(store, cards)
        label = cards[0].front if len(cards) == 1 else f"{len(cards)} cards"
        record_row_action(store, DELETE_CARDS, cards[0].id if len(cards) == 1 else None,
                          label, images)
    return done


def orphaned_cards(store: Store) -> list[CardRow]:
    """Every orphaned card: no journal day lists its keyword (or it left its deck)."""
    return _cards(store, store.cards.orphaned_ids())


def delete_orphans(store: Store) -> CardsDeleted:
    """Delete every orphaned card at once (one undo brings them all back)."""
    return delete_cards(store, store.cards.orphaned_ids())


def suspend_orphans(store: Store) -> list[str]:
    """Suspend every orphaned card not suspended yet; returns their fronts."""
    cards = [c for c in orphaned_cards(store) if not c.suspended]
    if not cards:
        return []
    with store.write():
        ids = [c.id for c in cards]
        images = [store.row_images.capture("cards", "id", ids)]
        for card in cards:
            store.cards.set_schedule(card.id, {"suspended": 1})
        record_row_action(store, SUSPEND_ORPHANS, None, f"{len(cards)} orphaned card(s)",
                          images)
    return [c.front for c in cards]
