"""Drafts: what you typed for a day but did not save (written while you type, so a crash
or a killed terminal loses nothing). Saving the day deletes its draft
(``day_editing.save_day_text``); the app recovers or discards it."""

from __future__ import annotations

from datetime import date

from studylog.core.journal.entries import entry_of
from studylog.core.storage.database import Store
from studylog.core.storage.drafts import DraftRow

__all__ = ["DraftRow", "NEW_DAY_TEMPLATE", "day_text", "delete_draft", "draft_dates",
           "draft_of", "keep_draft", "save_draft"]

NEW_DAY_TEMPLATE = "\n\n+ ##### 키워드: "


def draft_of(store: Store, day: date) -> DraftRow | None:
    """The draft of ``day``, or None."""
    return store.drafts.get(day.isoformat())


def draft_dates(store: Store) -> set[str]:
    """The dates (ISO) that have a draft."""
    return set(store.drafts.dates())


def day_text(store: Store, day: date) -> str:
    """What editing ``day`` starts from: its draft, else its entry, else a template."""
    draft = draft_of(store, day)
    if draft is not None:
        return draft.body
    entry = entry_of(store, day)
    return entry.body if entry else NEW_DAY_TEMPLATE


def save_draft(store: Store, day: date, body: str) -> None:
    """Keep ``body`` as the draft of ``day`` (replacing any earlier draft)."""
    with store.write():
        store.drafts.save(day.isoformat(), body)


def delete_draft(store: Store, day: date) -> bool:
    """Drop the draft of ``day``; returns whether there was one."""
    with store.write():
        had = store.drafts.get(day.isoformat()) is not None
        store.drafts.delete(day.isoformat())
    return had


def keep_draft(store: Store, day: date, body: str, saved_text: str) -> None:
    """While typing: keep ``body`` as the draft when it differs from the saved text,
    else drop a draft left from before (the text is back to what is saved)."""
    if body != saved_text:
        save_draft(store, day, body)
    elif draft_of(store, day) is not None:
        delete_draft(store, day)
