"""Deleting a day: its entry, keywords, passages and pending card candidates go; each
card it was a source of loses that source, and a card left with no source is orphaned
(its review history kept), as when a day leaves its file. Undoable the same study day;
re-importing the file does not bring the day back while its text is unchanged
(``deleted_days``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studylog.core.journal.day_editing import DayError
from studylog.core.journal.deleted_days import day_text_hash
from studylog.core.journal.importer import refresh_dirty_cards
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryRow
from studylog.core.storage.row_images import RowImage
from studylog.core.undo.row_actions import DELETE_DAY, record_row_action


@dataclass(slots=True)
class DayDeletion:
    """What deleting a day did."""

    date: str
    title: str
    source_file: str | None
    cards_touched: int = 0  # cards that lost this day as a source
    orphaned: list[str] = field(default_factory=list)  # fronts left with no source

    def message(self) -> str:
        line = f"Deleted {self.date}"
        if self.title != self.date:
            line += f" · {self.title}"
        if self.cards_touched:
            line += f"; {self.cards_touched} card(s) lost it as a source"
        if self.orphaned:
            line += f"; orphaned (no source left): {', '.join(self.orphaned)}"
        return line + " (u or studylog undo brings it back today)"

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date, "title": self.title, "source_file": self.source_file,
                "cards_touched": self.cards_touched, "orphaned": self.orphaned}


def _images_of_day(store: Store, entry_id: int, day: str,
                   card_ids: list[int]) -> list[RowImage]:
    capture = store.row_images.capture
    return [capture("entries", "id", [entry_id]),
            capture("day_bases", "entry_id", [entry_id]),
            capture("entry_keywords", "entry_id", [entry_id]),
            capture("passages", "entry_id", [entry_id]),
            capture("entry_labels", "entry_id", [entry_id]),
            capture("cards", "id", card_ids),
            capture("card_sources", "card_id", card_ids),
            capture("candidates", "date", [day]),
            capture("drafts", "date", [day]),
            capture("deleted_days", "date", [day])]


def _file_text_hash(store: Store, entry: EntryRow) -> str:
    """The hash of the day as its file has it, which a re-import compares: the file's
    version kept in a conflict, else the text of the last import (the merge base), else
    (a day written in the app) the day's own text."""
    kept = store.day_bases.get(entry.id)
    if kept is not None and kept.theirs is not None:
        return day_text_hash(kept.theirs)
    if kept is not None and kept.base is not None:
        return day_text_hash(kept.base)
    return day_text_hash(entry.body)


def delete_day(store: Store, day: str) -> DayDeletion:
    """Delete the day ``day`` (``YYYY-MM-DD``) in one transaction, journaled for undo.
    DayError when there is no such day."""
    entry = store.entries.get(day)
    if entry is None:
        raise DayError(f"no day {day} in the journal")
    done = DayDeletion(entry.date, entry.title, entry.source_file)
    with store.write():
        card_ids = store.cards.ids_of_entry(entry.id)
        images = _images_of_day(store, entry.id, day, card_ids)
        cards = [c for c in map(store.cards.get, card_ids) if c is not None]
        file_text = _file_text_hash(store, entry)  # before its day_bases row goes with it
        store.entries.delete(entry.id)  # its keywords, passages, labels, card sources go
        store.candidates.delete_pending_of_day(day)
        store.drafts.delete(day)  # a draft would write the day again
        store.deletions.remember_day(day, entry.source_file, file_text)
        for card in cards:
            if card.keyword_id is not None:
                store.keywords.mark_dirty(card.deck_id, {card.keyword_id})
            elif not store.cards.sources(card.id):  # an accepted candidate's only day
                store.cards.update(card.id, {"orphaned": 1})
        refresh_dirty_cards(store)
        for card in cards:
            after = store.cards.get(card.id)
            if after is not None and after.orphaned and not card.orphaned:
                done.orphaned.append(card.front)
        done.cards_touched = len(cards)
        label = day if entry.title == day else f"{day} · {entry.title}"
        record_row_action(store, DELETE_DAY, None, label, images)
    return done

