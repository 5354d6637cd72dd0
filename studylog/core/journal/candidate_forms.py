"""Card candidates: the bold-term bullets people write to note a concept.

``* **Generalization** : 일반화 성능을 높이는 것이 목표`` with sub-items, or
``- **Bootstrapping**`` whose sub-items explain it: front = the term, back = the
definition, the sub-items and a code block right after the list. Not a candidate: a
bold link (``**[39일차](https://…)**``), a bold part of a sentence (``**Adam** is great``),
a term that is a sentence itself, or an item with nothing after the term. Which bold
labels repeat across the journal (``**학습 내용**`` every day) is decided over all days,
from the ``labels`` each day reports (core/cards/card_candidates.py).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from studylog.core.text.keywords import normalize
from studylog.core.text.markdown_blocks import closing_index, leading_bold

# A term longer than this (characters or words), or ending like a sentence, is a note to
# self rather than a concept.
MAX_TERM_CHARS = 60
MAX_TERM_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?。…]$|[가-힣](?:다|요)$")
_SEPARATOR = re.compile(r"^\s*[:：\-–—]\s*")
# The first source line of an item: marker, **term**, separator, definition (Markdown).
_ITEM_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(\*\*|__)(?:.+?)\1\s*[:：\-–—]?\s*(.*)$")
_LISTS_CLOSE = ("bullet_list_close", "ordered_list_close")


@dataclass
class Candidate:
    """A proposed card: ``source`` is the whole item as written (for joining a keyword)."""

    front: str
    back: str
    line: int  # first source line of the item's paragraph
    source: str = ""
    end: int = 0  # the source line after the item (and after the code block it took)

    @property
    def norm(self) -> str:
        return normalize(self.front)


@dataclass
class DayCandidates:
    candidates: list[Candidate] = field(default_factory=list)
    labels: set[str] = field(default_factory=set)  # norms of every bold label of the day


def is_term(text: str) -> bool:
    """A short name, not a sentence."""
    return bool(normalize(text)) and len(text) <= MAX_TERM_CHARS \
        and len(text.split()) <= MAX_TERM_WORDS and not _SENTENCE_END.search(text)


def _source(lines: Sequence[str], start: int, end: int) -> str:
    return "".join(lines[start:end]).rstrip()


def _candidate(toks: list[Token], i: int, lines: Sequence[str]) -> Candidate | None:
    """The candidate of the list item opened at ``toks[i]``, if it is one."""
    item_map, para_map = toks[i].map, toks[i + 1].map
    if toks[i + 1].type != "paragraph_open" or not item_map or not para_map:
        return None
    bold = leading_bold(toks[i + 2])
    if bold is None or bold.has_link:
        return None
    term = bold.term.rstrip(":：").strip()
    separated = bold.term.rstrip() != bold.term.rstrip().rstrip(":：") \
        or _SEPARATOR.match(bold.rest) is not None
    if bold.rest.strip() and not separated:
        return None  # the bold is part of a sentence
    first = para_map[0]
    m = _ITEM_LINE.match(lines[first].rstrip("\n")) if first < len(lines) else None
    definition = [(m.group(2) if m else _SEPARATOR.sub("", bold.rest, count=1)).strip()]
    definition += [line.strip() for line in lines[first + 1:para_map[1]]]  # continued
    more = textwrap.dedent("".join(lines[para_map[1]:item_map[1]])).strip("\n").rstrip()
    parts = [line for line in definition if line]
    if not is_term(term) or not (parts or more.strip()):
        return None
    if more.strip():
        parts.append(more)
    source = _source(lines, item_map[0], item_map[1])
    end = item_map[1]
    after = closing_index(toks, i) + 1
    fence_map = toks[after + 1].map if after + 1 < len(toks) else None
    if fence_map and toks[after].type in _LISTS_CLOSE \
            and toks[after + 1].type in ("fence", "code_block"):
        parts.append(_source(lines, fence_map[0], fence_map[1]))
        source += "\n" + parts[-1]
        end = fence_map[1]
    return Candidate(term, "\n".join(parts).strip(), first, source, end)


def day_candidates(toks: list[Token], lines: Sequence[str],
                   skip_lines: set[int] | frozenset[int] = frozenset()) -> DayCandidates:
    """The candidates and bold labels of one day's tokens. Items whose paragraph starts on
    one of ``skip_lines`` (a keyword block) are not candidates."""
    found = DayCandidates()
    seen: set[str] = set()
    for i, tok in enumerate(toks):
        if tok.type == "paragraph_open":
            bold = leading_bold(toks[i + 1])
            if bold is not None and not bold.has_link and normalize(bold.term):
                found.labels.add(normalize(bold.term.rstrip(":：")))
        elif tok.type == "list_item_open" and i + 2 < len(toks):
            para_map = toks[i + 1].map
            if para_map and para_map[0] in skip_lines:
                continue
            candidate = _candidate(toks, i, lines)
            if candidate is not None and candidate.norm not in seen:
                seen.add(candidate.norm)
                found.candidates.append(candidate)
    return found
