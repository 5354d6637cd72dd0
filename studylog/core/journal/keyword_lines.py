"""Renaming a keyword inside a day's text: only where the day lists it (its keyword line
or keyword block, in whichever form ``keyword_forms`` reads), keeping the markup, the
note and the separators around it. Prose that mentions the keyword is yours and is
left as written.

``rename_in_body`` finds the lines ``keyword_forms.day_keywords`` took keywords from,
splits each into keywords as ``parse_keywords`` does and swaps the one whose identity
matches; the caller checks the result by parsing it again.
"""

from __future__ import annotations

import re

from studylog.core.journal.keyword_forms import LABEL_ONLY, day_keywords
from studylog.core.text.keywords import clean_keyword, normalize, piece_spans
from studylog.core.text.markdown_blocks import parse_document

# The label of a keyword line, with the markup that may close it (``**키워드**:``).
_LABEL = re.compile(r"(?:키워드|keywords?)[*_`\s]*(?:[:：]|[-–—](?=\s))", re.IGNORECASE)
# What comes before a keyword-block item: quote marks, a list marker, heading hashes.
_ITEM_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?(?:#{1,6}\s+)?")
# In a block, ``Adam: 설명`` or ``Adam - 설명``: the keyword ends at the definition.
_DEFINITION = re.compile(r"\s*[:：]\s+|\s+[-–—]\s+")
_BOLD = re.compile(r"(\*\*|__)(.+?)\1")


def _rename_in_list(text: str, norms: set[str], new_name: str) -> str:
    """``text`` (a keyword list) with each keyword of identity in ``norms`` renamed."""
    out = text
    for start, end in reversed(piece_spans(text)):
        piece = text[start:end]
        keyword = clean_keyword(piece)
        if keyword is None or normalize(keyword.name) not in norms:
            continue
        at = piece.find(keyword.name)
        if at >= 0:
            at += start
            out = out[:at] + new_name + out[at + len(keyword.name):]
    return out


def _rename_in_line(line: str, norms: set[str], new_name: str) -> str:
    label = _LABEL.search(line)
    if label is not None:  # a keyword line: the keywords follow the label
        return line[:label.end()] + _rename_in_list(line[label.end():], norms, new_name)
    if LABEL_ONLY.match(line.strip().strip("*_#>+-").strip()):
        return line  # the label of a block
    head = _ITEM_PREFIX.match(line)
    start = head.end() if head else 0
    bold = _BOLD.match(line, start)
    if bold is not None:  # **Adam**: 설명 -> Adam
        end = bold.end()
    else:
        definition = _DEFINITION.search(line, start)
        end = definition.start() if definition else len(line.rstrip("\r\n"))
    return line[:start] + _rename_in_list(line[start:end], norms, new_name) + line[end:]


def rename_in_body(body: str, norms: set[str], new_name: str) -> str:
    """``body`` with the keyword whose identity is one of ``norms`` renamed to
    ``new_name`` on the day's keyword lines and blocks; everything else unchanged."""
    doc = parse_document(body)
    tokens = [tok for block in doc.blocks for tok in block.tokens]
    starts = day_keywords(tokens).lines
    lines = list(doc.lines)
    for tok in tokens:
        if tok.type in ("paragraph_open", "heading_open") and tok.map \
                and tok.map[0] in starts:
            for n in range(tok.map[0], min(tok.map[1], len(lines))):
                lines[n] = _rename_in_line(lines[n], norms, new_name)
    return "".join(lines)
