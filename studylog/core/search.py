"""Full-text search over entries and cards that works for Korean and English alike.

FTS5's trigram tokenizer matches inside words (``contiguous`` in ``contiguous라는``) but
cannot match a term under three characters (``개념``); such queries scan the base tables
with LIKE instead. Every term must match (AND).

A query is bounded (``MAX_QUERY_CHARS``, ``MAX_TERMS`` different words; a repeated word
counts once): each term is one more clause, and a thousand of them overflowed SQLite's
expression tree while sixteen thousand ran for minutes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from studylog.core.storage.database import Store
from studylog.core.text.plain_text import plain_window
from studylog.errors import StudylogError

MAX_QUERY_CHARS = 1000
MAX_TERMS = 20


class SearchError(StudylogError, ValueError):
    """A query too long or with too many words; the message says the bound."""

EXCERPT_RADIUS = 40


@dataclass
class Hit:
    kind: str  # "entry" | "card"
    ref: str | int  # the entry's date or the card's id
    title: str
    excerpt: str
    highlights: list[tuple[int, int]]  # spans of the excerpt that match

    def to_json(self) -> dict[str, Any]:
        key = "date" if self.kind == "entry" else "card_id"
        return {"kind": self.kind, key: self.ref, "title": self.title,
                "excerpt": self.excerpt, "highlights": [list(h) for h in self.highlights]}


def query_terms(query: str) -> list[str]:
    """The different words of ``query`` (case-insensitively), in order. SearchError past
    the bounds."""
    if len(query) > MAX_QUERY_CHARS:
        raise SearchError(f"a search is at most {MAX_QUERY_CHARS:,} characters "
                          f"(this one has {len(query):,}): shorten it")
    terms: list[str] = []
    seen: set[str] = set()
    for term in query.split():
        if term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    if len(terms) > MAX_TERMS:
        raise SearchError(f"a search takes at most {MAX_TERMS} different words "
                          f"(this one has {len(terms)}): leave some out")
    return terms


def _fts_match(terms: list[str]) -> str:
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def excerpt(text: str, terms: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A one-line window around the first hit, with the spans of every term in it
    (``text`` as given: callers pass it through ``plain_window`` to drop the markup)."""
    flat = " ".join(text.split())
    lower = flat.casefold()
    first = min((p for p in (lower.find(t.casefold()) for t in terms) if p >= 0), default=0)
    start = max(0, first - EXCERPT_RADIUS)
    end = min(len(flat), first + EXCERPT_RADIUS * 2)
    prefix = "…" if start > 0 else ""
    window = prefix + flat[start:end] + ("…" if end < len(flat) else "")
    spans: list[tuple[int, int]] = []
    low_window = window.casefold()
    for term in terms:
        t = term.casefold()
        pos = low_window.find(t)
        while pos >= 0:
            spans.append((pos, pos + len(t)))
            pos = low_window.find(t, pos + len(t))
    return window, sorted(spans)


def search(store: Store, query: str, *, limit: int = 50,
           kinds: Collection[str] = ("entry", "card")) -> list[Hit]:
    """Entries (newest first), then cards, matching every term of ``query``."""
    terms = query_terms(query)
    if not terms:
        return []
    use_fts = all(len(t) >= 3 for t in terms)
    hits: list[Hit] = []
    if "entry" in kinds:
        # while a bulk import holds the index, the base table has the truth
        entries = (store.search.entries_fts(_fts_match(terms), limit)
                   if use_fts and not store.search.entries_index_stale()
                   else store.search.entries_like(terms, limit))
        for entry in entries:
            window, spans = excerpt(plain_window(entry.body, terms), terms)
            hits.append(Hit("entry", entry.date, entry.title, window, spans))
    if "card" in kinds:
        cards = (store.search.cards_fts(_fts_match(terms), limit) if use_fts
                 else store.search.cards_like(terms, limit))
        for card in cards:
            window, spans = excerpt(plain_window(f"{card.front} — {card.back}", terms), terms)
            hits.append(Hit("card", card.id, card.front, window, spans))
    return hits
