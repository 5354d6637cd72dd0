"""Markdown as the text a reader sees: what search excerpts show.

An excerpt cut from the raw body shows the markup (``**2026-11-14**``, code fences,
``+ ##### 키워드:``); this keeps the words of headings, paragraphs, list items and
code, and drops the marks around them.
"""

from __future__ import annotations

from studylog.core.text.markdown_blocks import inline_text, markdown_parser


def plain_text(markdown: str) -> str:
    """The text of ``markdown`` without its markup, one line per block: emphasis, link
    and heading marks, list bullets and code fences dropped, their text kept."""
    lines: list[str] = []
    for token in markdown_parser(front_matter=False).parse(markdown):
        if token.type == "inline":
            lines.append(inline_text(token))
        elif token.type in ("fence", "code_block"):
            lines.append(token.content.rstrip("\n"))
    return "\n".join(line for line in lines if line.strip())
