"""Writing one day in the app: the body you typed in, the day's entry, keywords and
cards out, by the same rules as importing a file.

A day written in the app keeps the source file it was imported from: re-importing that
file merges (day_merge: your edit stays; if the file changed that day too, its version is
kept beside yours as a conflict); a new day belongs to no file (``APP_SOURCE``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from studylog.core.cards.keyword_cards import JOURNAL_DECK
from studylog.core.journal.day_merge import APP_SOURCE
from studylog.core.journal.day_saving import save_day
from studylog.core.journal.day_title import day_title
from studylog.core.journal.drafts import NEW_DAY_TEMPLATE
from studylog.core.journal.importer import refresh_dirty_cards
from studylog.core.journal.log_parser import LogError, parse_log
from studylog.core.journal.write_back import write_back_day
from studylog.core.storage.database import Store
from studylog.core.storage.entries import SaveStatus
from studylog.errors import StudylogError

__all__ = ["APP_SOURCE", "NEW_DAY_TEMPLATE", "DayChanged", "DayError", "DaySave", "DaySeen",
           "save_day_text"]


class DayError(StudylogError, ValueError):
    """A day that cannot be saved as written; the message is one line."""


@dataclass(frozen=True, slots=True)
class DaySeen:
    """A day as an editor opened it: its stored body, or None when it had no entry."""

    body: str | None


class DayChanged(DayError):
    """The day changed in the database since the editor opened it (an import from
    another shell): saving would overwrite that. ``theirs`` is the stored text now."""

    def __init__(self, day: str, theirs: str | None):
        what = "was deleted" if theirs is None else "was changed by something else (an import?)"
        super().__init__(f"{day} {what} since you opened it: nothing saved")
        self.day = day
        self.theirs = theirs


@dataclass(slots=True)
class DaySave:
    """What saving a day did: the entry's status, its keywords, the cards it touched."""

    date: str
    status: SaveStatus
    keywords: list[str]
    new_cards: list[str] = field(default_factory=list)
    updated_cards: int = 0
    file_note: str = ""  # what write-back did ("written back to week2.md"), if on

    def message(self) -> str:
        if self.status == "same":
            return f"{self.date}: nothing changed" + \
                (f" · {self.file_note}" if self.file_note else "")
        verb = "written" if self.status == "new" else "saved"
        parts = [f"{self.date} {verb}"]
        if self.new_cards:
            noun = "card" if len(self.new_cards) == 1 else "cards"
            parts.append(f"{len(self.new_cards)} new {noun}: {', '.join(self.new_cards)}")
        if self.updated_cards:
            parts.append(f"{self.updated_cards} card(s) updated")
        if self.file_note:
            parts.append(self.file_note)
        return " · ".join(parts)


def save_day_text(store: Store, day: date, body: str, *, deck: str = JOURNAL_DECK,
                  seen: DaySeen | None = None, title: str | None = None,
                  write_back: bool = True) -> DaySave:
    """Save ``body`` (a day's Markdown without its heading) as the entry of ``day``, then
    rebuild the cards of the keywords it gained or lost. The draft of the day is deleted.
    DayError when the text cannot be one day. With ``seen`` (the day as the editor
    opened it), DayChanged when the stored day is no longer that: something else (an
    import in another shell) changed it meanwhile, and nothing is saved. ``title``
    replaces the day's title. With write-back on (and ``write_back``), the day is then
    written into its file (write_back.py); the result's ``file_note`` says how it went."""
    if not body.strip():
        raise DayError("the entry is empty: nothing saved")
    key = day.isoformat()
    try:
        parsed = parse_log(f"## {key}\n\n{body}", year=day.year, today=day)
    except LogError as exc:
        raise DayError(str(exc)) from exc
    if len(parsed.days) != 1:
        extra = parsed.days[1]
        raise DayError(f"the text holds another dated heading ({extra.title!r}): write one "
                       "day per entry, or take the date out of that heading")
    parsed_day = parsed.days[0]
    with store.write():  # read and write under one lock: no import slips in between
        existing = store.entries.get(key)
        if seen is not None and seen.body != (existing.body if existing else None):
            raise DayChanged(key, existing.body if existing else None)
        source = (existing.source_file if existing else None) or APP_SOURCE
        # an imported day keeps its heading's title; one titled by its date or by its
        # own first line (written here) gets the date, which save_day turns into its
        # first line again: the title follows the text at every save
        if title:
            parsed_day.title = title
        elif existing is not None and existing.title not in (key, day_title(existing.body)):
            parsed_day.title = existing.title
        else:
            parsed_day.title = key
        parsed_day.week = existing.week if existing else None
        parsed_day.tags = existing.tags if existing else []
        deck_id = store.decks.ensure(deck, "journal", trusted=True)
        status, touched = save_day(store, parsed_day, source, deck_id)
        store.keywords.mark_dirty(deck_id, touched)
        cards = refresh_dirty_cards(store)  # a savepoint inside this transaction
        store.drafts.delete(key)
    saved = DaySave(key, status, parsed_day.keywords, cards.new_cards, cards.updated_cards)
    if write_back and not store.conn.in_transaction:  # the file follows a committed save
        done = write_back_day(store, day)
        saved.file_note = done.message() if done else ""
    return saved
