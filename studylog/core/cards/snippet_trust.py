"""Which snippet a card or a name runs, and whether it may run.

Trust belongs to the deck that owns the snippet, never to the deck of the card that
shows it: a journal card linked through a deck card's ``aliases:`` shows that deck's
snippet, and runs it only when that deck is trusted. The CLI's ``run`` and the app's
card view and review screen all resolve snippets here. How a trusted snippet runs
(``runs_confined``) also follows its own deck (docs/runner.md, the trust model).
"""

from __future__ import annotations

from dataclasses import dataclass

from studylog.core.cards.card_code import runnable_blocks
from studylog.core.storage.cards import CardListing
from studylog.core.storage.database import Store
from studylog.core.storage.snippets import SnippetListing, SnippetRow
from studylog.errors import StudylogError

__all__ = ["CARD_CODE", "OWN_CODE", "OwnCodeCard", "SnippetChoice", "SnippetListing",
           "SnippetNotFound", "SnippetRow", "UntrustedDeck", "card_code_name", "card_snippets",
           "list_own_code", "list_snippets",
           "runs_confined", "snippet_choices", "snippet_of_card", "snippet_to_run"]

# ``SnippetRow.kind`` of a block quoted from the learner's own log: it is no stored
# snippet (its ``id`` is 0) and belongs to no deck someone else wrote.
OWN_CODE = "journal"
# ``SnippetRow.kind`` of a card's own snippet, written for it by the learner (in the app
# or with ``studylog card snippet``): the learner's code too, on a card of any deck.
CARD_CODE = "card"


@dataclass(frozen=True, slots=True)
class SnippetChoice:
    """One runnable snippet of a card, as ``cards --json`` lists it."""

    kind: str  # "card" (its own snippet) | "journal" (a block of the log) | "deck"
    name: str
    first_line: str


@dataclass(frozen=True, slots=True)
class OwnCodeCard:
    """A card that runs code the learner wrote: its own snippet, or blocks its back
    quotes from the log."""

    card_id: int
    front: str
    deck: str
    blocks: int  # how many of the learner's blocks it runs
    first_line: str
    name: str  # the first one's name (what ``run CARD_ID`` runs)
    kind: str  # and its kind: CARD_CODE or OWN_CODE


class SnippetNotFound(StudylogError, LookupError):
    """No snippet by that name, or no card with a snippet by that id."""


class UntrustedDeck(StudylogError, PermissionError):
    """The snippet's deck is not trusted, so its snippets do not run."""

    def __init__(self, snippet: SnippetRow) -> None:
        super().__init__(f"deck '{snippet.deck}' is not trusted, so its snippets do not "
                         f"run: read them, then run: studylog trust '{snippet.deck}'")
        self.snippet = snippet


def _own_blocks(card_id: int, front: str, back: str, deck_id: int,
                deck: str) -> list[SnippetRow]:
    """The learner's runnable blocks on a journal card's back, as snippets that run as
    the learner's: trusted and unconfined, never asking."""
    return [SnippetRow(0, f"{front} #{n}", block.code, None, False, deck_id, deck,
                       OWN_CODE, True)
            for n, block in enumerate(runnable_blocks(back), 1)]


def card_code_name(front: str) -> str:
    """The name a card's own snippet goes by (panel title, ``cards --json``)."""
    return f"{front} · card"


def card_snippets(store: Store, card_id: int) -> list[SnippetRow]:
    """Every snippet card ``card_id`` can run: its own snippet first (written for it by
    the learner), then the learner's blocks its back quotes (only a journal deck's back
    is the learner's writing; a block the own snippet repeats is not offered twice), then
    the deck snippet it has or links to, which keeps its own deck's trust."""
    row = store.cards.get(card_id)
    deck = store.decks.of_card(card_id)
    if row is None or deck is None:
        return []
    code = store.card_code.get(card_id)
    mine = ([SnippetRow(0, card_code_name(row.front), code.code, None, False, deck.id,
                        deck.name, CARD_CODE, True)] if code is not None else [])
    own = (_own_blocks(row.id, row.front, row.back, deck.id, deck.name)
           if deck.kind == "journal" else [])
    if code is not None:
        own = [b for b in own if b.code.strip() != code.code.strip()]
    linked = store.snippets.of_card(card_id)
    return mine + own + ([linked] if linked is not None else [])


def snippet_of_card(store: Store, card_id: int) -> SnippetRow | None:
    """The snippet a card runs by default (the learner's first block, else its own or
    one linked by alias), with its owner's trust."""
    found = card_snippets(store, card_id)
    return found[0] if found else None


def _first_line(code: str) -> str:
    return next((line.strip() for line in code.splitlines() if line.strip()), "")


def snippet_choices(store: Store, cards: list[CardListing]) -> dict[int, list[SnippetChoice]]:
    """Card id -> its runnable snippets (as ``card_snippets`` orders them), for lists."""
    linked = {r.snippet.name: r.snippet for r in store.snippets.listing()}
    journal = {name for name in {c.deck for c in cards}
               if (deck := store.decks.get(name)) is not None and deck.kind == "journal"}
    own_code = store.card_code.all()
    out: dict[int, list[SnippetChoice]] = {}
    for card in cards:
        code = own_code.get(card.id)
        choices = ([SnippetChoice(CARD_CODE, card_code_name(card.front),
                                  _first_line(code.code))] if code is not None else [])
        choices += [SnippetChoice(OWN_CODE, f"{card.front} #{n}", block.first_line)
                    for n, block in enumerate(runnable_blocks(card.back)
                                              if card.deck in journal else [], 1)
                    if code is None or block.code.strip() != code.code.strip()]
        if card.snippet is not None and card.snippet in linked:
            choices.append(SnippetChoice("deck", card.snippet,
                                         _first_line(linked[card.snippet].code)))
        out[card.id] = choices
    return out


def list_own_code(store: Store) -> list[OwnCodeCard]:
    """Cards that run code the learner wrote: their own snippet, or blocks their back
    quotes from the log."""
    with_code = set(store.card_code.all())
    cards = [c for c in store.cards.listing() if "```" in c.back or "~~~" in c.back
             or "    " in c.back or c.id in with_code]
    by_id = {c.id: c for c in cards}
    out = []
    for card_id, choices in snippet_choices(store, cards).items():
        own = [c for c in choices if c.kind in (CARD_CODE, OWN_CODE)]
        if own:
            card = by_id[card_id]
            out.append(OwnCodeCard(card_id, card.front, card.deck, len(own),
                                   own[0].first_line, own[0].name, own[0].kind))
    return out


def list_snippets(store: Store) -> list[SnippetListing]:
    """Every snippet, by deck, with the card that shows it and its deck's trust."""
    return store.snippets.listing()


def snippet_to_run(store: Store, *, card_id: int | None = None,
                   name: str | None = None, block: int = 1) -> SnippetRow:
    """The snippet named ``name``, or card ``card_id``'s ``block``-th (from 1, in the
    order of ``card_snippets``), if it may run. SnippetNotFound when there is none;
    UntrustedDeck when its deck is not trusted. The learner's own code always may."""
    snippet: SnippetRow | None
    if card_id is not None:
        found = card_snippets(store, card_id)
        if found and not 1 <= block <= len(found):
            raise SnippetNotFound(f"card {card_id} has {len(found)} runnable block(s): "
                                  f"pick one of 1-{len(found)}")
        snippet = found[block - 1] if found else None
    elif block != 1:
        raise TypeError("a snippet by name has one block")
    elif name is not None:
        snippet = store.snippets.by_name(name)
    else:
        raise TypeError("snippet_to_run needs a card_id or a name")
    if snippet is None:
        target = card_id if card_id is not None else name
        raise SnippetNotFound(f"no snippet named or card with a snippet '{target}' "
                              "(see: studylog snippets)")
    if not snippet.trusted:
        raise UntrustedDeck(snippet)
    return snippet


def runs_confined(snippet: SnippetRow) -> bool:
    """Whether ``snippet`` runs confined: code from a deck someone else wrote (an added
    deck), edited in the app or not. Bundled decks and the learner's own code (blocks
    of the log, a card's own snippet, whatever deck the card is in) run unconfined."""
    return snippet.kind == "added"
