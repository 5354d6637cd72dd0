"""The Cards list at any size: which cards a filter keeps, and the rows of the few shown.

At 20,000 cards whole rows take a fifth of a second to read and a table of them seconds
to build, so the list works on ids: the deck and state filters pick ids in list order in
SQL, the text filter looks through every card's casefolded front and back held in
memory (``CardTexts``: milliseconds a keystroke), and only the rows on screen are read
(``card_lines``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import compress

from studylog.core.cards.card_flags import FLAGS
from studylog.core.review.queue import build_queue
from studylog.core.review.study_day import to_iso, utc
from studylog.core.storage.cards import CardLine
from studylog.core.storage.database import Store

__all__ = ["STATES", "CardFilter", "CardLine", "CardTexts", "card_lines", "card_total",
           "deck_names", "filtered_ids"]

# what the state filter offers: any card, the cards due now, or one state or flag
STATES = ("any", "due", "new", "learning", "review", *FLAGS)


@dataclass(frozen=True, slots=True)
class CardFilter:
    """The deck (None: every deck) and state (one of ``STATES``) filters."""

    deck: str | None = None
    state: str = "any"


def filtered_ids(store: Store, card_filter: CardFilter, now: datetime,
                 tz: tzinfo | None = None) -> list[int]:
    """The ids of the cards ``card_filter`` keeps, in list order (journal decks first,
    in the order written). ``due`` keeps the cards in today's queue at ``now``; a flag
    (``card_flags.FLAGS``) the cards that have it at ``now``."""
    deck, state = card_filter.deck, card_filter.state
    cards = store.cards
    if state == "due":
        due = [c.id for c in build_queue(store, None, now, tz).cards]
        return cards.listed_ids(deck=deck, among=due)
    if state in FLAGS:  # in SQL too: a flag on 20,000 cards reads only ids
        return cards.listed_ids(deck=deck, flag=state, now=to_iso(utc(now)))
    if state == "learning":
        return cards.listed_ids(deck=deck, states=("learning", "relearning"))
    if state in ("new", "review"):
        return cards.listed_ids(deck=deck, states=(state,))
    return cards.listed_ids(deck=deck)


def card_lines(store: Store, ids: Sequence[int]) -> list[CardLine]:
    """The table rows of ``ids``, in that order (an id with no card is left out)."""
    by_id = {line.id: line for line in store.cards.lines(ids)}
    return [by_id[i] for i in ids if i in by_id]


def card_total(store: Store) -> int:
    """How many cards there are."""
    return store.cards.count()


def deck_names(store: Store) -> list[str]:
    """The decks that hold cards, sorted by name."""
    return store.cards.deck_names()


class CardTexts:
    """Every card's front and back, casefolded, for the text filter: read once (~0.1 s
    at 20,000 cards, in a worker), then each keystroke is a scan in memory."""

    MEMO = 64  # filter texts remembered per id list (typing on, erasing back)

    def __init__(self, store: Store) -> None:
        # one string per card: the filter's text never holds a newline, so it cannot
        # match across the seam between front and back
        self._folded = {t.id: f"{t.front}\n{t.back}".casefold() for t in store.cards.texts()}
        self._ids: Sequence[int] | None = None  # the id list the memo is for
        self._memo: dict[str, tuple[list[int], list[str]]] = {}

    def matching(self, ids: Sequence[int], text: str) -> list[int]:
        """Those of ``ids`` whose front or back holds ``text`` (any case), in order."""
        needle = text.casefold()
        if ids is not self._ids:  # another list (a reload, other filters): start over
            self._ids, self._memo = ids, {}
        if (hit := self._memo.get(needle)) is not None:
            return hit[0]  # erasing back to a text already matched
        # typing on: a card holding the text holds each of its beginnings, so only the
        # cards the longest one already found can match (the scan of 20,000 cards took
        # 10-20 ms a keystroke)
        base = next((self._memo[needle[:n]] for n in range(len(needle) - 1, 0, -1)
                     if needle[:n] in self._memo), None)
        if base is None:
            folded = self._folded
            base = (list(ids), [folded.get(i, "") for i in ids])
        keep = [needle in t for t in base[1]]
        result = (list(compress(base[0], keep)), list(compress(base[1], keep)))
        if len(self._memo) >= self.MEMO:
            self._memo.clear()
        self._memo[needle] = result
        return result[0]
