"""Going back to the automatic back: a back edited by hand stops following the journal
(or the deck file); reverting drops the hand edit and writes the back the journal or the
deck gives now. Journaled as an edit, so undo puts the hand-written back back."""

from __future__ import annotations

from pathlib import Path

from studylog.core.cards.card_editing import CardError
from studylog.core.cards.keyword_cards import refresh_keyword_cards
from studylog.core.storage.cards import CardRow
from studylog.core.storage.database import Store
from studylog.core.storage.decks import DeckRow
from studylog.core.undo.journal import record_action


def _deck_back(deck: DeckRow, card: CardRow) -> str:
    """The back the deck file gives the card now."""
    from studylog.core.anki.anki_import import DESCRIPTION as FROM_ANKI
    from studylog.core.cards.deck_parser import DeckError, read_deck_file

    if deck.description.startswith(FROM_ANKI):
        # its source is an Anki package, not a Markdown deck to read a back from
        raise CardError(f"“{card.front}” came from Anki ({deck.name}): its back has no "
                        "automatic version to go back to")
    if deck.source_file is None or not Path(deck.source_file).is_file():
        raise CardError(f"the file of deck '{deck.name}' is gone ({deck.source_file}): "
                        "no automatic back to go back to")
    try:
        parsed, _ = read_deck_file(Path(deck.source_file))
    except DeckError as exc:
        raise CardError(f"deck '{deck.name}' cannot be read: {exc}") from None
    for deck_card in parsed.cards:
        if deck_card.key == card.key:
            return deck_card.back
    raise CardError(f"“{card.front}” is no longer in the file of deck '{deck.name}' "
                    "(orphaned): no automatic back to go back to")


def revert_to_automatic_back(store: Store, card_id: int) -> str:
    """Drop the hand edit of a card's back and write the automatic one (the journal's
    passages for a keyword card, the deck file's back for a deck card); returns it.
    CardError (one line, nothing written) when the back is not edited or has no
    automatic version (a card accepted from a candidate, an orphaned card)."""
    card = store.cards.get(card_id)
    deck = store.decks.of_card(card_id)
    if card is None or deck is None:
        raise CardError(f"no card with id {card_id}")
    if not card.back_edited:
        raise CardError(f"the back of “{card.front}” already follows the "
                        f"{'journal' if deck.kind == 'journal' else 'deck'}")
    keyword_id = card.keyword_id
    if deck.kind == "journal":
        if keyword_id is None:
            raise CardError(f"“{card.front}” was accepted from a candidate: its back has "
                            "no automatic version")
        if card.orphaned:
            raise CardError(f"“{card.front}” is orphaned (no log lists its keyword): "
                            "no automatic back to go back to")
        back = None
    else:
        back = _deck_back(deck, card)
    with store.write():
        store.cards.update(card_id, {"back_edited": 0,
                                     **({"back": back} if back is not None else {})})
        if keyword_id is not None and deck.kind == "journal":
            refresh_keyword_cards(store, deck.id, {keyword_id})
        record_action(store, "edit", card_id, {"back": card.back, "back_edited": 1,
                                               "updated_at": card.updated_at})
        reverted = store.cards.get(card_id)
    assert reverted is not None
    return reverted.back
