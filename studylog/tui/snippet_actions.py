"""What a screen with a snippet panel does: show one of the card's runnable blocks,
and what the panel asks (trust a deck, save code). Shared by the review screen and the
card view."""

from __future__ import annotations

from textual.widget import Widget

from studylog.core.cards.card_editing import edit_snippet_code
from studylog.core.cards.card_snippet import save_card_snippet
from studylog.core.cards.deck_library import trust_deck
from studylog.core.cards.snippet_trust import CARD_CODE, OWN_CODE, SnippetRow, runs_confined
from studylog.tui.errors import on
from studylog.tui.screen_base import StudylogScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

NEXT_BLOCK_KEY = "n"


def show_block(panel: SnippetPanel, snippets: list[SnippetRow], index: int) -> None:
    """Load the card's ``index``-th runnable block (from 0) into the panel; its trust
    and confinement are its own deck's (an alias links a journal card to another deck's
    snippet). The subtitle says which block it is when there are several."""
    snippet = snippets[index]
    panel.load(snippet.name, snippet.code, timeout=snippet.timeout,
               trusted=snippet.trusted, confined=runs_confined(snippet))
    panel.border_subtitle = (f"block {index + 1} of {len(snippets)} · {NEXT_BLOCK_KEY} next"
                             if len(snippets) > 1 else "")


def ask_trust(screen: StudylogScreen[None], panel: SnippetPanel, deck: str) -> None:
    """An untrusted deck's snippet runs only after you say so (once per deck)."""
    from studylog.tui.dialogs.confirm_dialog import ConfirmDialog

    def answered(choice: str | None) -> None:
        if choice == "trust":
            trust_deck(screen.app.store, deck)
            from studylog.runner import available_confinement  # the kernel's answer; no torch

            warning = available_confinement().warning()
            if warning and panel.confined:  # said once: the deck is trusted from now on
                screen.notify(warning, severity="warning", timeout=10)
            panel.trusted = True
            panel.border_title = f"snippet {panel.name_}"
            panel.start()

    screen.app.push_screen(ConfirmDialog(
        f"Deck '{deck}' is not trusted: its snippets have not been allowed to run. Read "
        "the code in the panel first. Trust the deck and run?",
        [("trust", "Trust deck and run"), ("cancel", "Cancel")]), answered)


def save_snippet(screen: StudylogScreen[None], card_id: int, snippet: SnippetRow | None,
                 event: SnippetPanel.SaveRequested) -> str | None:
    """Save the panel's edited code; returns the kind of snippet it went into (None:
    nothing to save). A deck snippet's edits stay the deck's, trust and confinement
    included. The learner's own code (the card's own snippet, or a block of the log
    edited here) is saved as the card's own snippet: the log stays as written, and blank
    code removes it. Both are undoable."""
    if snippet is None:
        return None
    store = screen.app.store
    if snippet.kind in (CARD_CODE, OWN_CODE):
        outcome = save_card_snippet(store, card_id, event.code)
        event.panel.mark_saved()
        if outcome == "saved" and snippet.kind == OWN_CODE:
            message = "Saved as this card's own snippet (your log is unchanged)"
        else:
            message = {"saved": "Snippet saved to the card",
                       "removed": "The card's own snippet is removed (u undoes)",
                       "unchanged": "Nothing changed"}[outcome]
        screen.notify(message, timeout=3)
        return CARD_CODE
    edit_snippet_code(store, snippet.id, event.code, card_id)
    event.panel.mark_saved()
    screen.notify(f"Snippet {snippet.name} saved", timeout=2)
    return snippet.kind


def toggle_snippet_size(screen: StudylogScreen[None], panel: SnippetPanel) -> None:
    """Fill the screen with the snippet panel, or give it back its place."""
    if screen.maximized is not None:
        screen.minimize()
        return
    panel.show()
    screen.maximize(panel, container=False)


def fit_snippet_width(target: Widget, panel: SnippetPanel) -> None:
    """Give ``target`` (the panel or its column) the width the code wants; the CSS caps
    it (max-width) so the card keeps room beside it."""
    target.styles.width = panel.wanted_width()


class SnippetScreen(StudylogScreen[None]):
    """A screen with a card's snippet panel (the card view, review): an untrusted deck's
    snippet asks for trust the same way on either."""

    @property
    def current(self) -> SnippetRow | None:
        """The runnable block the panel shows (and ``r`` runs)."""
        raise NotImplementedError

    @on(SnippetPanel.TrustNeeded)
    def _ask_trust(self, event: SnippetPanel.TrustNeeded) -> None:
        if self.current is not None:
            ask_trust(self, event.panel, self.current.deck)
