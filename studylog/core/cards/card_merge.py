"""Merging two keyword cards into one: two spellings of one concept (``DataLoader`` and
``데이터로더``) written on different days.

The card you keep (KEEP) stays, with its front and your hand edits; the other card's
keyword becomes an old spelling of KEEP's, so its days are KEEP's source days too (both
sources kept) and a day that still says it counts as KEEP's keyword. The older history
wins: when the other card was graded first, KEEP takes its schedule and its review
history, and KEEP's own younger history stays in the log under the other card's id, as
a deleted card's does. Undoable the same study day.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from studylog.core.cards.card_deletion import card_images, remove_cards
from studylog.core.cards.card_editing import CardError
from studylog.core.cards.keyword_rename import rename_images
from studylog.core.journal.importer import refresh_dirty_cards
from studylog.core.review.scheduling import SCHEDULE_COLUMNS
from studylog.core.storage.cards import CardRow
from studylog.core.storage.database import Store
from studylog.core.text.keywords import normalize
from studylog.core.undo.row_actions import MERGE_CARDS, record_row_action

_PARKED = 0  # no card has id 0: review-log rows wait here while two histories swap


@dataclass(slots=True)
class CardMerge:
    """What merging two cards did."""

    keep_id: int
    other_id: int
    front: str
    other_front: str
    history_from: int  # the card whose schedule and history the merged card has
    sources: int  # the merged card's source days

    def message(self) -> str:
        whose = "its own" if self.history_from == self.keep_id else \
            f"the older history of “{self.other_front}”"
        return (f"Merged “{self.other_front}” into “{self.front}”: {self.sources} source "
                f"day(s), with {whose} (u or studylog undo reverses it today)")

    def to_json(self) -> dict[str, Any]:
        return {"id": self.keep_id, "merged": self.other_id, "front": self.front,
                "history_from": self.history_from, "sources": self.sources}


def _keyword_card(store: Store, card_id: int) -> CardRow:
    card = store.cards.get(card_id)
    if card is None:
        raise CardError(f"no card with id {card_id}")
    if card.keyword_id is None:
        raise CardError(f"card {card_id} (“{card.front}”) is not a keyword card: only "
                        "journal keyword cards merge")
    return card


def merge_partner(store: Store, keep_id: int, text: str) -> int:
    """The card to merge into ``keep_id``, named by its id or by its keyword (any
    spelling of it, an old one too); CardError when ``text`` names no such card."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    keep = _keyword_card(store, keep_id)
    keyword_id = store.keywords.id_of(normalize(text))
    for card_id in store.cards.ids_of_keywords([keyword_id] if keyword_id else []):
        card = store.cards.get(card_id)
        if card is not None and card.deck_id == keep.deck_id:
            return card_id
    raise CardError(f"no keyword card “{text}” in this deck (give its keyword or its id)")


def _older_history(store: Store, keep: CardRow, other: CardRow) -> bool:
    """Whether ``other`` was graded before ``keep`` ever was."""
    first_other = store.review_log.first_of_card(other.id)
    first_keep = store.review_log.first_of_card(keep.id)
    return first_other is not None and (first_keep is None or first_other < first_keep)


def merge_cards(store: Store, keep_id: int, other_id: int) -> CardMerge:
    """Merge the keyword card ``other_id`` into ``keep_id`` in one transaction.
    CardError for an unknown card, a card that is not a keyword card, the same card
    twice or cards of different decks."""
    if keep_id == other_id:
        raise CardError("a card cannot be merged with itself")
    keep, other = _keyword_card(store, keep_id), _keyword_card(store, other_id)
    assert keep.keyword_id is not None and other.keyword_id is not None
    if keep.deck_id != other.deck_id:
        raise CardError("the two cards are in different decks")
    if len(store.cards.ids_of_keywords([other.keyword_id])) > 1:
        raise CardError(f"“{other.front}” has cards in other journal decks too")
    other_norm = store.keywords.get(other.keyword_id).norm
    with store.write():
        pair = [keep.keyword_id, other.keyword_id]
        entry_ids = store.keywords.entry_ids(pair)
        keyword_ids = sorted({*pair, *(k for e in entry_ids
                                       for k in store.keywords.ids_of_entry(e))})
        card_ids = [keep.id, other.id]  # the only cards that change
        images = [*rename_images(store, keyword_ids, entry_ids, card_ids, [other_norm]),
                  *card_images(store, [other.id]),
                  store.row_images.capture("review_log", "card_id", [keep.id, other.id])]
        history_from = keep.id
        if _older_history(store, keep, other):
            history_from = other.id
            store.cards.set_schedule(keep.id, {c: getattr(other, c)
                                               for c in SCHEDULE_COLUMNS})
            store.review_log.move_history(keep.id, _PARKED)
            store.review_log.move_history(other.id, keep.id)
            store.review_log.move_history(_PARKED, other.id)
        store.keywords.merge_into(other.keyword_id, keep.keyword_id)
        store.keywords.add_alias(other_norm, keep.keyword_id)
        remove_cards(store, [other])
        store.keywords.delete(other.keyword_id)
        store.keywords.mark_dirty(keep.deck_id, {keep.keyword_id})
        refresh_dirty_cards(store)
        done = CardMerge(keep.id, other.id, keep.front, other.front, history_from,
                         len(store.cards.sources(keep.id)))
        record_row_action(store, MERGE_CARDS, keep.id, f"{keep.front} ← {other.front}",
                          images)
    return done
