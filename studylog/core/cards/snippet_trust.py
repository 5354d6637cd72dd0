"""Which snippet a card or a name runs, and whether it may run.

Trust belongs to the deck that owns the snippet, never to the deck of the card that
shows it: a journal card linked through a deck card's ``aliases:`` shows that deck's
snippet, and runs it only when that deck is trusted. The CLI's ``run`` and the app's
card view and review screen all resolve snippets here. How a trusted snippet runs
(``runs_confined``) also follows its own deck (docs/runner.md, the trust model).
"""

from __future__ import annotations

from studylog.core.storage.database import Store
from studylog.core.storage.snippets import SnippetListing, SnippetRow
from studylog.errors import StudylogError

__all__ = ["SnippetListing", "SnippetNotFound", "SnippetRow", "UntrustedDeck",
           "list_snippets", "runs_confined", "snippet_of_card", "snippet_to_run"]


class SnippetNotFound(StudylogError, LookupError):
    """No snippet by that name, or no card with a snippet by that id."""


class UntrustedDeck(StudylogError, PermissionError):
    """The snippet's deck is not trusted, so its snippets do not run."""

    def __init__(self, snippet: SnippetRow) -> None:
        super().__init__(f"deck '{snippet.deck}' is not trusted, so its snippets do not "
                         f"run: read them, then run: studylog trust '{snippet.deck}'")
        self.snippet = snippet


def snippet_of_card(store: Store, card_id: int) -> SnippetRow | None:
    """The snippet a card shows (its own or one linked by alias), with its owner's trust."""
    return store.snippets.of_card(card_id)


def list_snippets(store: Store) -> list[SnippetListing]:
    """Every snippet, by deck, with the card that shows it and its deck's trust."""
    return store.snippets.listing()


def snippet_to_run(store: Store, *, card_id: int | None = None,
                   name: str | None = None) -> SnippetRow:
    """The snippet named ``name``, or that of card ``card_id``, if it may run.
    SnippetNotFound when there is none; UntrustedDeck when its deck is not trusted."""
    if card_id is not None:
        snippet = store.snippets.of_card(card_id)
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
    deck), edited in the app or not. Bundled decks and the learner's own snippets run
    unconfined."""
    return snippet.kind == "added"
