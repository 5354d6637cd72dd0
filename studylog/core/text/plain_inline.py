"""Inline tokens of plain text, made without running markdown-it's inline parser.

Most paragraphs and headings of a journal hold no inline markup at all (no emphasis,
code, link, HTML, entity or escape): markdown-it's inline parser still walks them a
character rule at a time, which was ~40% of parsing ten years of logs. For such text the
tokens are known in advance: the text itself, split at line ends into ``softbreak`` (or
``hardbreak`` after two spaces) with the spaces markdown-it drops around them dropped
too. ``plain_inline_rule`` gives those tokens for plain text and hands any other text to
markdown-it unchanged, so the token stream is the same either way (tests/test_plain_inline
compares the two on many texts).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# The first characters of every inline rule in the CommonMark preset but ``text`` and
# ``newline``: ``<`` autolink and HTML, backticks, ``*``/``_`` emphasis, ``&`` entity,
# ``\`` escape, ``!`` image, ``[`` link. (``\r`` and NUL never reach here: markdown-it
# normalizes them first; they are listed so a caller that skipped that is not misread.)
_MARKUP = re.compile(r"[<`*_&\\!\[\r\0]")
# The inline rules whose markup ``_MARKUP`` knows; with any other rule enabled (a plugin)
# every text goes through markdown-it.
_KNOWN_RULES = frozenset({"text", "newline", "escape", "backticks", "emphasis", "link",
                          "image", "autolink", "html_inline", "entity"})
_KNOWN_RULES2 = frozenset({"balance_pairs", "emphasis", "fragments_join"})


def plain_children(content: str) -> list[Token] | None:
    """The inline tokens markdown-it makes of ``content`` when it holds no inline markup,
    or None when it does (then only markdown-it can say)."""
    if _MARKUP.search(content):
        return None
    tokens: list[Token] = []
    lines = content.split("\n")
    last = len(lines) - 1
    for n, line in enumerate(lines):
        if n:  # markdown-it skips the spaces and tabs that start a continued line
            line = line.lstrip(" \t")
        if n == last:
            if line:
                tokens.append(Token("text", "", 0, content=line))
            break
        # two spaces or more before a line end: a hard break, all those spaces dropped;
        # one space: a soft break, that space dropped
        if line.endswith("  "):
            text, kind = line.rstrip(" "), "hardbreak"
        else:
            text, kind = (line[:-1] if line.endswith(" ") else line), "softbreak"
        if text:
            tokens.append(Token("text", "", 0, content=text))
        tokens.append(Token(kind, "br", 0))
    return tokens


def plain_inline_rule(state: StateCore) -> None:
    """markdown-it's core ``inline`` rule, with plain text's tokens made directly."""
    md = state.md
    fast = set(md.inline.ruler.get_active_rules()) <= _KNOWN_RULES \
        and set(md.inline.ruler2.get_active_rules()) <= _KNOWN_RULES2
    for token in state.tokens:
        if token.type != "inline":
            continue
        children = plain_children(token.content) if fast and not token.children else None
        if children is None:
            if token.children is None:
                token.children = []
            md.inline.parse(token.content, md, state.env, token.children)
        else:
            token.children = children


def use_plain_inline(md: MarkdownIt) -> MarkdownIt:
    """``md`` with its core ``inline`` rule replaced by ``plain_inline_rule``."""
    md.core.ruler.at("inline", plain_inline_rule)
    return md
