"""The title of a day written in the app: its first line of text (a heading's words when
it starts with a heading).

An imported day takes its title from its dated heading (``## 11/14 Day 7``); a day
written in the app has only its date, and showing ``2023-11-15 · 2023-11-15`` says
nothing. Its own words name it instead, as a note app names a note by its first line.
"""

from __future__ import annotations

from collections.abc import Iterator

from markdown_it.token import Token

from studylog.core.journal.keyword_forms import KEYWORD_LINE, LABEL_ONLY
from studylog.core.text.markdown_blocks import (
    MarkdownError,
    inline_text,
    markdown_parser,
    stream_document,
)

MAX_TITLE = 60  # characters; a longer first line is cut at a word, with an ellipsis


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_TITLE:
        return text
    cut = text[:MAX_TITLE].rsplit(" ", 1)[0] if " " in text[:MAX_TITLE] else text[:MAX_TITLE]
    return cut.rstrip(" ,.;:·-") + "…"


def _is_keywords(line: str) -> bool:
    return bool(KEYWORD_LINE.match(line) or LABEL_ONLY.match(line))


def day_title(body: str) -> str | None:
    """The first line of text of ``body`` without its markup (a heading's words when it
    starts with one; the keyword line never names a day); None for a body with no
    words."""
    # Parsed a chunk of lines at a time, up to the first words: a day of 100,000
    # headings is not parsed whole a second time to name it (issue 13 item 7, memory).
    try:
        _, blocks = stream_document(body, front_matter=False)
        tokens = (token for block in blocks for token in block.tokens)
        return _first_words(tokens)
    except MarkdownError:  # nested too deep further on: the whole parse never refuses
        return _first_words(iter(markdown_parser(front_matter=False).parse(body)))


def _first_words(tokens: Iterator[Token]) -> str | None:
    for token in tokens:
        if token.type != "inline":
            continue
        for line in inline_text(token).splitlines():
            if line.strip():
                if _is_keywords(line):
                    break
                return _shorten(line)
    return None
