"""Writing one parsed day: its entry, keywords, passages and card candidates.

The import (file_writes.py), the app's day editing, write-back and keyword renames all
write a day through ``save_day``.
"""

from __future__ import annotations

import hashlib
import json

from studylog.core.cards.card_candidates import sync_day_candidates
from studylog.core.journal.day_title import day_title
from studylog.core.journal.log_parser import PARSER_VERSION, Day
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryFields, SaveStatus
from studylog.core.text.keywords import normalize


def save_day(store: Store, day: Day, source: str,
             deck_id: int | None = None) -> tuple[SaveStatus, set[int]]:
    """Write one parsed day: its entry, keywords, passages and (with ``deck_id``) card
    candidates. Returns the entry's status ('new' | 'updated' | 'same') and the keyword
    ids whose cards need a refresh (the day's keywords before and after). Call inside a
    write transaction."""
    if day.title == day.date.isoformat():
        # a heading that is only the date (as the app and ``export md`` write one): the
        # day is named by its first line of text, not by its date a second time
        day.title = day_title(day.body) or day.title
    body_hash = hashlib.sha256(
        json.dumps([day.title, day.week, day.body, day.tags, PARSER_VERSION]).encode()
    ).hexdigest()
    entry_id, status = store.entries.save(EntryFields(
        day.date.isoformat(), day.title, day.week, day.body, day.tags, source, body_hash))
    if status == "same":
        return status, set()
    touched = set(store.keywords.ids_of_entry(entry_id))
    keyword_ids: list[int] = []
    passages: dict[int, list[str]] = {}
    ids = store.keywords.ensure_all([(word, normalize(word)) for word in day.keywords])
    for word, keyword_id in zip(day.keywords, ids, strict=True):
        texts = [p.text for p in day.passages.get(word, [])]
        if keyword_id in passages:  # an old spelling of a keyword listed already (merged)
            passages[keyword_id] += [t for t in texts if t not in passages[keyword_id]]
            continue
        keyword_ids.append(keyword_id)
        passages[keyword_id] = texts
    store.keywords.set_of_entry(entry_id, keyword_ids, passages)
    touched.update(keyword_ids)
    if deck_id is not None:
        sync_day_candidates(store, deck_id, entry_id, day.date.isoformat(), source,
                            day.candidates, day.labels)
    return status, touched
