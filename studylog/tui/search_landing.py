"""Landing on a search match: in a day or a card opened from search, the first match of
the query is highlighted and scrolled into view (issue 17, item 7).

Textual's Markdown widget has no find: each block (a heading, a paragraph, a list item,
a code block's text) is a ``Static`` whose content is ``Content``, so the first block
whose text holds a term gets that span restyled, and the view scrolls to it.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

MATCH_STYLE = "reverse bold"  # as the excerpts in the search results mark a hit


def first_span(text: str, terms: Iterable[str]) -> tuple[int, int] | None:
    """Where the earliest of ``terms`` starts and ends in ``text`` (case-insensitive)."""
    # str.lower keeps the length of nearly every string; casefold would not (ß -> ss)
    lower = text.lower()
    found = [(at, at + len(term)) for term in terms
             if term and (at := lower.find(term.lower())) >= 0]
    return min(found) if found else None


def mark_first_match(roots: Iterable[Widget], terms: list[str]) -> Static | None:
    """Highlight the first match of ``terms`` in the text blocks under ``roots`` (in
    order; document order inside each) and return its block, or None."""
    if not terms:
        return None
    for root in roots:
        blocks = [root] if isinstance(root, Static) else []
        blocks += list(root.query(Static))
        for block in blocks:
            content = block.content
            if isinstance(content, str):
                content = Content(content)
            elif isinstance(content, Text):
                content = Content.from_rich_text(content)
            if not isinstance(content, Content):
                continue
            span = first_span(content.plain, terms)
            if span is not None:
                block.update(content.stylize(MATCH_STYLE, *span))
                return block
    return None


LAYOUT_WAIT = 0.02  # s between looks for the block's first layout
LAYOUT_TRIES = 100  # then scroll anyway (two seconds)


def scroll_to_match(block: Widget, tries: int = LAYOUT_TRIES) -> None:
    """Bring the highlighted block into view, in the middle of its scrolling pane
    (its first line kept in view when it is taller than the pane)."""
    if not block.region and tries > 0:
        # freshly mounted blocks may not be laid out yet when the screen opened fast
        # (callbacks after a refresh can run before the layout): no place to scroll to
        # yet, so look again shortly
        block.set_timer(LAYOUT_WAIT, lambda: scroll_to_match(block, tries - 1))
        return
    block.screen.scroll_to_center(block, animate=False, origin_visible=True)
    # the first layout of freshly mounted blocks may not yet count the scrollbar their
    # height brings (a line narrower, so some blocks wrap once more): centre again on the
    # next frame, when it does, so the landing does not depend on timing
    block.call_after_refresh(block.screen.scroll_to_center, block, animate=False,
                             origin_visible=True)
