"""Every way people write a day's keywords, read from markdown-it tokens.

Two forms (README, "The log format studylog reads"):

- a keyword *line*: the label (``키워드``, ``Keywords``, ``Keyword``; a ``#`` hashtag in
  front is allowed), a colon (ASCII or full-width) or a dash, then the keywords;
- a keyword *block*: the label alone (a heading, a bold label, a list item or a blockquote
  line), then the keywords one per item of the list, blockquote or paragraph right after
  it (``> 키워드`` then ``>> Vector와 Vector Space``), or on the following lines of the
  label's own paragraph. The block ends where that list or blockquote ends.

Bullet, heading, bold and blockquote markup is already gone from the text markdown-it
gives us, so the regexes here only see plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from studylog.core.text.keywords import Keyword, dedupe, parse_keywords
from studylog.core.text.markdown_blocks import closing_index, inline_text, leading_bold

_LABEL = r"#?\s*(?:키워드|keywords?)"
KEYWORD_LINE = re.compile(rf"^\s*{_LABEL}\s*(?:[:：]|[-–—](?=\s))\s*(.*)$", re.IGNORECASE)
LABEL_ONLY = re.compile(rf"^\s*{_LABEL}\s*[:：\-–—]?\s*$", re.IGNORECASE)
# In a block, ``Adam: 설명`` or ``Adam - 설명`` names the keyword before the definition.
_DEFINITION = re.compile(r"\s*[:：]\s+|\s+[-–—]\s+")
# A block item longer than this (characters or words) is a sentence, not a keyword.
MAX_BLOCK_ITEM = 60
MAX_BLOCK_WORDS = 6
_CONTAINERS = ("bullet_list_open", "ordered_list_open", "blockquote_open", "paragraph_open")


@dataclass
class DayKeywords:
    keywords: list[Keyword] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)  # first source line of each keyword leaf


def keywords_in_line(text: str) -> list[Keyword] | None:
    """The keywords of a keyword line (``키워드: A, B``), or None if no line of ``text``
    is one. A label alone is not a keyword line (it starts a block)."""
    for line in text.splitlines():
        if LABEL_ONLY.match(line):
            continue
        m = KEYWORD_LINE.match(line)
        if m:
            return parse_keywords(m.group(1))
    return None


def _item_keywords(inline: Token) -> list[Keyword]:
    bold = leading_bold(inline)
    if bold is not None:  # **Adam**: 설명 -> Adam
        text = bold.term
    else:
        text = _DEFINITION.split(inline_text(inline).split("\n", 1)[0], maxsplit=1)[0]
    return _short_keywords(text)


def _short_keywords(line: str) -> list[Keyword]:
    # a table row (``| Adam | 설명 |``) is not a list of keywords, nor is a sentence
    if line.lstrip().startswith("|") or len(line.strip()) > MAX_BLOCK_ITEM \
            or len(line.split()) > MAX_BLOCK_WORDS:
        return []
    return [k for k in parse_keywords(line) if any(ch.isalnum() for ch in k.name)]


def _block_keywords(toks: list[Token], start: int, end: int, found: DayKeywords) -> None:
    """One keyword per list item (its first line) or per paragraph line in ``toks[start:end]``."""
    i = start
    list_level = toks[start].level if toks[start].type.endswith("list_open") else None
    while i <= end:
        tok = toks[i]
        if tok.type == "list_item_open" and list_level is not None \
                and tok.level == list_level + 1:
            close = closing_index(toks, i)
            para = next((j for j in range(i, close) if toks[j].type == "paragraph_open"), None)
            para_map = toks[para].map if para is not None else None
            if para is not None and para_map:
                found.keywords += _item_keywords(toks[para + 1])
                found.lines.add(para_map[0])
            i = close + 1  # sub-items explain the keyword; they are not keywords
            continue
        if tok.type == "paragraph_open" and list_level is None:
            for line in inline_text(toks[i + 1]).splitlines():
                found.keywords += _short_keywords(line)
            found.lines.add(tok.map[0] if tok.map else -1)
        i += 1


def day_keywords(toks: list[Token]) -> DayKeywords:
    """The keywords of one day's tokens, in the order written, de-duplicated by identity."""
    found = DayKeywords()
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.type not in ("paragraph_open", "heading_open"):
            i += 1
            continue
        text = inline_text(toks[i + 1])
        folded = text.casefold()
        if "키워드" not in folded and "keyword" not in folded:  # most paragraphs: skip fast
            i += 3
            continue
        lines = text.splitlines()
        start_line = tok.map[0] if tok.map else -1
        label_at = next((n for n, line in enumerate(lines) if LABEL_ONLY.match(line)), None)
        if label_at is not None:
            found.lines.add(start_line)
            rest = lines[label_at + 1:]
            if rest:  # the label's own paragraph goes on with the keywords
                for line in rest:
                    found.keywords += _short_keywords(line)
            else:
                after = i + 3  # open, inline, close
                if after < len(toks) and toks[after].level == tok.level \
                        and toks[after].type in _CONTAINERS:
                    close = closing_index(toks, after)
                    _block_keywords(toks, after, close, found)
                    i = close + 1
                    continue
        else:
            listed = keywords_in_line("\n".join(lines))
            if listed is not None:
                found.keywords += listed
                found.lines.add(start_line)
        i += 3
    found.keywords = dedupe(found.keywords)
    return found
