"""Keyword cards: one per keyword per journal deck, its back built from what you wrote.

The back quotes, newest day first, the passages of each day whose keyword line lists the
keyword. Only the most recent days fit on a card; the rest stay reachable through the
card's source days. Backs edited by hand are never rewritten.
"""

from __future__ import annotations

from studylog.core.storage.database import Store

JOURNAL_DECK = "journal"
MAX_BACK_DAYS = 8
MAX_BACK_CHARS = 6000


def render_back(days: list[dict], passages: dict[int, list[str]]) -> str:
    """Markdown back: a dated section per day, newest first, within the size caps."""
    parts: list[str] = []
    size = 0
    shown = 0
    for day in days:
        texts = passages.get(day["id"]) or ["_(listed in the keyword line only)_"]
        # a day written in the app is titled by its date: say it once
        heading = f"**{day['date']}**" + ("" if day["title"] == day["date"]
                                          else f" · {day['title']}")
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


def refresh_keyword_cards(store: Store, deck_id: int, keyword_ids: set[int]) -> dict:
    """Create, update or orphan the cards of ``keyword_ids``. Returns counts and the
    fronts of new and newly orphaned cards. Call inside a write transaction."""
    report: dict = {"new": [], "updated": 0, "orphaned": 0, "orphaned_names": []}
    for keyword_id in sorted(keyword_ids):
        days = store.keyword_days(keyword_id)
        keyword = store.keyword(keyword_id)
        name, key = keyword["name"], keyword["norm"]
        card = store.card_by_key(deck_id, key)
        if card is None and not days:
            continue
        shown = days[:MAX_BACK_DAYS]
        passages: dict[int, list[str]] = {}
        for row in store.recent_passages(keyword_id, [d["id"] for d in shown]) if shown else []:
            passages.setdefault(row["entry_id"], []).append(row["text"])
        fields = {"orphaned": 0 if days else 1}
        if days:
            fields["first_written"] = days[-1]["date"]
        if card is None:
            fields.update(deck_id=deck_id, key=key, keyword_id=keyword_id, front=name,
                          back=render_back(days, passages),
                          snippet_id=store.snippet_for_alias(key))
            card_id = store.insert_card(fields)
            report["new"].append(name)
        else:
            card_id = card["id"]
            if days and not card["back_edited"]:
                fields["back"] = render_back(days, passages)
            if card["snippet_id"] is None:
                fields["snippet_id"] = store.snippet_for_alias(key)
            changed = {k: v for k, v in fields.items() if card.get(k) != v}
            if changed:
                store.update_card(card_id, changed)
                if changed.get("orphaned") == 1:
                    report["orphaned"] += 1
                    report["orphaned_names"].append(card["front"])
                else:
                    report["updated"] += 1
        store.set_card_sources(card_id, [d["id"] for d in days])
    return report
