"""Keyword cards: one per keyword per journal deck, its back built from what you wrote.

The back quotes, newest day first, the passages of each day whose keyword line lists the
keyword. Only the most recent days fit on a card; the rest stay reachable through the
card's source days. Backs edited by hand are never rewritten.
"""

from __future__ import annotations

from typing import Any

from studylog.core.cards.card_changes import CardChanges
from studylog.core.cards.card_editing import keep_hand_edits
from studylog.core.storage.database import Store
from studylog.core.storage.keywords import KeywordDay

JOURNAL_DECK = "journal"
MAX_BACK_DAYS = 8
MAX_BACK_CHARS = 6000


def render_back(days: list[KeywordDay], passages: dict[int, list[str]]) -> str:
    """Markdown back: a dated section per day, newest first, within the size caps."""
    parts: list[str] = []
    size = 0
    shown = 0
    for day in days:
        texts = passages.get(day.id) or ["_(listed in the keyword line only)_"]
        # a day written in the app is titled by its date: say it once
        heading = f"**{day.date}**" + ("" if day.title == day.date else f" · {day.title}")
        section = heading + "\n\n" + "\n\n".join(texts)
        if shown and (shown >= MAX_BACK_DAYS or size + len(section) > MAX_BACK_CHARS):
            break
        parts.append(section)
        size += len(section)
        shown += 1
    rest = len(days) - shown
    if rest > 0:
        parts.append(f"_…and {rest} earlier day{'s' if rest != 1 else ''}: "
                     "see the card's source days._")
    return "\n\n".join(parts)


def _stays_deleted(store: Store, deck_id: int, key: str, days: list[KeywordDay]) -> bool:
    """A card you deleted is not made again from the days that listed its keyword when
    you deleted it; a day that lists it anew (written or imported since) makes a new
    card."""
    deleted = store.deletions.deleted_card_dates(deck_id, key)
    return deleted is not None and {d.date for d in days} <= deleted


def refresh_keyword_cards(store: Store, deck_id: int, keyword_ids: set[int]) -> CardChanges:
    """Create, update or orphan the cards of ``keyword_ids``. Call inside a write
    transaction."""
    report = CardChanges()
    for keyword_id in sorted(keyword_ids):
        days = store.keywords.days(keyword_id)
        keyword = store.keywords.get(keyword_id)
        card = store.cards.by_key(deck_id, keyword.norm)
        if card is None and (not days or _stays_deleted(store, deck_id, keyword.norm, days)):
            continue
        shown = days[:MAX_BACK_DAYS]
        passages: dict[int, list[str]] = {}
        for row in store.keywords.passages(keyword_id, [d.id for d in shown]) if shown else []:
            passages.setdefault(row.entry_id, []).append(row.text)
        fields: dict[str, Any] = {"orphaned": 0 if days else 1}
        if days:
            fields["first_written"] = days[-1].date
        if card is None:
            fields.update(deck_id=deck_id, key=keyword.norm, keyword_id=keyword_id,
                          front=keyword.name, back=render_back(days, passages),
                          snippet_id=store.snippets.id_for_alias(keyword.norm))
            card_id = store.cards.insert(fields)
            report.new_cards.append(keyword.name)
        else:
            card_id = card.id
            if days:
                fields["back"] = render_back(days, passages)
            if card.snippet_id is None:
                fields["snippet_id"] = store.snippets.id_for_alias(keyword.norm)
            changed = {k: v for k, v in keep_hand_edits(card, fields).items()
                       if getattr(card, k) != v}
            if changed:
                store.cards.update(card_id, changed)
                if changed.get("orphaned") == 1:
                    report.orphaned_cards += 1
                    report.orphaned_names.append(card.front)
                else:
                    report.updated_cards += 1
        store.cards.set_sources(card_id, [d.id for d in days])
    return report
