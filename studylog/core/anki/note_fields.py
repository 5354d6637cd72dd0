"""A card as an Anki note: its fields as HTML, its tags as Anki tags, its GUID.

Markdown is rendered with raw HTML turned off: decks can come from untrusted files, and
Anki runs the HTML (scripts included) it shows, so a ``<script>`` in a card stays text.
Code blocks and the snippet are highlighted by Pygments with inline styles, so they look
right in Anki on any device without a stylesheet.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from studylog.core.cards.deck_parser import predict_front
from studylog.core.storage.anki_notes import AnkiNoteRow

FIELDS = ("Front", "Back", "Snippet", "Sources")
_PRE = '<pre style="text-align:left;padding:.5em;background:#f8f8f8;border-radius:4px">'
_TAG_SPACE = re.compile(r"\s+")


@dataclass(slots=True, frozen=True)
class AnkiNote:
    """One note: ``fields`` in ``FIELDS`` order, as HTML."""

    guid: str
    deck: str
    fields: tuple[str, str, str, str]
    tags: tuple[str, ...]


def note_guid(deck: str, key: str) -> str:
    """A GUID from the card's identity (its deck and key, unique together), so every
    export of the same card gives Anki the same note to update."""
    digest = hashlib.sha256(f"studylog\x1f{deck}\x1f{key}".encode()).hexdigest()
    return f"studylog-{digest[:20]}"


@lru_cache(maxsize=1)
def _formatter() -> HtmlFormatter:
    return HtmlFormatter(noclasses=True, nowrap=True)


def highlight_code(code: str, language: str = "python") -> str:
    """``code`` as a highlighted ``<pre>`` block (plain when the language is unknown)."""
    try:
        lexer = PythonLexer() if language == "python" else get_lexer_by_name(language)
    except ClassNotFound:
        return f"{_PRE}<code>{escape(code)}</code></pre>"
    return f"{_PRE}<code>{highlight(code, lexer, _formatter())}</code></pre>"


def _highlight_fence(code: str, language: str, attrs: str) -> str:
    return highlight_code(code, language) if language else ""


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "highlight": _highlight_fence})


def markdown_html(text: str) -> str:
    """Markdown as HTML for an Anki field (raw HTML shown as text)."""
    return str(_markdown().render(text)).strip()


def front_html(text: str) -> str:
    """A one-line front inline (no ``<p>``: Anki sorts and shows it as it is), a longer
    one as blocks."""
    text = text.strip()
    return str(_markdown().renderInline(text)) if "\n" not in text else markdown_html(text)


def anki_tag(tag: str) -> str:
    """An Anki tag: no spaces inside (Anki splits tags on them)."""
    return _TAG_SPACE.sub("_", tag.strip())


def anki_note(row: AnkiNoteRow) -> AnkiNote:
    """The note of one card; a predict card's front shows its code, as in review."""
    front = front_html(row.front)
    if row.kind == "predict" and row.snippet_code is not None:
        front += highlight_code(predict_front(row.snippet_code))
        front += "<p><b>What will this print?</b></p>"
    snippet = highlight_code(row.snippet_code) if row.snippet_code else ""
    sources = ", ".join(row.source_dates)
    tags = tuple(dict.fromkeys(t for t in map(anki_tag, row.tags) if t))
    return AnkiNote(note_guid(row.deck, row.key), row.deck,
                    (front, markdown_html(row.back), snippet, sources), tags)
