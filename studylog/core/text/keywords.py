"""Keyword identity and matching, shared by journal parsing and card building."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Separators between keywords. A slash separates only with spaces around it, so ``I/O``
# and ``TCP/IP`` stay whole; brackets are tracked so a note's own commas do not split.
_SPLIT = re.compile(r"[()（）\[\]]|[,、，;；·|｜]|\s+/\s+")
_OPENERS = "(（["
# A note in parentheses after a space: ``Adam (모멘텀 + RMSProp)``; ``view()`` has no space.
_NOTE = re.compile(r"\s+[(（]([^()（）]*)[)）]\s*$")


@dataclass(frozen=True)
class Keyword:
    """A keyword as written, and the parenthesised note after it (``""`` if none)."""

    name: str
    note: str = ""


def normalize(keyword: str) -> str:
    """Case- and space-insensitive identity: ``DataLoader`` == ``data loader``."""
    return re.sub(r"\s+", "", keyword).casefold()


def piece_spans(text: str) -> list[tuple[int, int]]:
    """Where each keyword of a keyword list starts and ends in ``text`` (separators and
    a note's own commas as ``parse_keywords`` reads them)."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    for m in _SPLIT.finditer(text):
        token = m.group()
        if token in _OPENERS:
            depth += 1
        elif token in ")）]":
            depth = max(0, depth - 1)
        elif depth == 0:
            spans.append((start, m.start()))
            start = m.end()
    spans.append((start, len(text)))
    return spans


def _pieces(text: str) -> list[str]:
    return [text[a:b] for a, b in piece_spans(text)]


def clean_keyword(raw: str) -> Keyword | None:
    """One keyword trimmed of markup, a final period and a parenthesised note."""
    word = raw.strip().strip("*_`").strip()
    note = ""
    m = _NOTE.search(word)
    if m:
        note = m.group(1).strip()
        word = word[:m.start()].strip().strip("*_`").strip()
    if word.endswith("."):
        word = word[:-1].strip()
    return Keyword(word, note) if normalize(word) else None


def dedupe(keywords: list[Keyword]) -> list[Keyword]:
    """Keywords in order, the first of each identity kept."""
    out: list[Keyword] = []
    seen: set[str] = set()
    for keyword in keywords:
        key = normalize(keyword.name)
        if key not in seen:
            seen.add(key)
            out.append(keyword)
    return out


def parse_keywords(text: str) -> list[Keyword]:
    """Keywords separated by ``,`` ``、`` ``;`` ``·`` ``|`` or `` / ``, with their notes,
    de-duplicated by identity."""
    found = [k for raw in _pieces(text) if (k := clean_keyword(raw)) is not None]
    return dedupe(found)


def split_keywords(text: str) -> list[str]:
    """The names of ``parse_keywords(text)``."""
    return [k.name for k in parse_keywords(text)]


def mentions(text: str, keyword: str) -> bool:
    """Whether ``text`` mentions ``keyword``: case-insensitive, inside words too
    (``contiguous라는``); a multi-word keyword matches its words in order
    (``backward라는 method`` for ``Backward Method``)."""
    return mentions_folded(text.casefold(), keyword.casefold())


def mentions_folded(haystack: str, keyword: str) -> bool:
    """``mentions`` for a text and keyword already casefolded (a day's paragraphs are
    folded once, not once per keyword)."""
    words = keyword.split()
    if not words:
        return False
    if "".join(words) in haystack:
        return True
    pos = 0
    for word in words:
        found = haystack.find(word, pos)
        if found < 0:
            return False
        pos = found + len(word)
    return True
