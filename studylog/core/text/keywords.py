"""Keyword identity and matching, shared by journal parsing and card building."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[,、，]")


def normalize(keyword: str) -> str:
    """Case- and space-insensitive identity: ``DataLoader`` == ``data loader``."""
    return re.sub(r"\s+", "", keyword).casefold()


def split_keywords(text: str) -> list[str]:
    """Comma or ``、`` separated keywords, trimmed of markup, de-duplicated by identity."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text):
        word = raw.strip().strip("*_`").strip()
        if word.endswith("."):
            word = word[:-1].strip()
        key = normalize(word)
        if key and key not in seen:
            seen.add(key)
            out.append(word)
    return out


def mentions(text: str, keyword: str) -> bool:
    """Whether ``text`` mentions ``keyword``: case-insensitive, inside words too
    (``contiguous라는``); a multi-word keyword matches its words in order
    (``backward라는 method`` for ``Backward Method``)."""
    haystack = text.casefold()
    words = keyword.casefold().split()
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
