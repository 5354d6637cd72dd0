"""Writing one changed log file: each day written as it is parsed, the file whole or not
at all.

A file's days come from a LogStream (or, parsed ahead in the second process, a
ParsedLog) and are written one at a time inside the file's one transaction (a savepoint
inside an import's group), so memory holds one day, not the file's (issue 13 item 7:
100,000 headings in one file took 711 MB). What the file means as a whole is known only
at its end: Markdown that cannot be read past line N, no day left, a refused day. A
refused or empty file then rolls its writes back; the database is as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from studylog.core.journal.day_merge import keep_if_edited, merge_imported_day
from studylog.core.journal.deleted_days import kept_deleted
from studylog.core.journal.import_results import FileResult
from studylog.core.journal.log_parser import Day, LogError, LogStream, ParsedLog, RefusedDay
from studylog.core.journal.log_reads import ChangedFile
from studylog.core.storage.database import Store

# Keyword ids whose cards need a refresh are marked in the database this many at a time,
# not held for the whole file.
TOUCHED_BATCH = 512


class _SeenDates:
    """The dates a file gave so far: a bit per calendar day (456 KB for the years 1 to
    9999), not a string per day."""

    def __init__(self) -> None:
        self._bits = bytearray(date.max.toordinal() // 8 + 1)

    def add(self, when: date) -> None:
        n = when.toordinal()
        self._bits[n >> 3] |= 1 << (n & 7)

    def __contains__(self, key: str) -> bool:
        n = date.fromisoformat(key).toordinal()
        return bool(self._bits[n >> 3] & 1 << (n & 7))


class _NothingStands(Exception):
    """Raised inside the file's transaction to roll back a file with no day to keep."""

    def __init__(self, result: FileResult) -> None:
        super().__init__(result.message)
        self.result = result


def write_file(store: Store, read: ChangedFile, deck: str,
               then: Callable[[FileResult], None] | None = None) -> FileResult:
    """Write a changed file's days in one transaction (a savepoint inside a group), as
    they are parsed; ``then`` runs in it after them. A file that cannot be parsed to its
    end, or that leaves no day, is refused (or empty) and writes nothing."""
    try:
        with store.write():
            result, days = save_parsed(store, read.parsed, read.source, deck)
            if not days:
                raise _NothingStands(_nothing_stands(result))
            store.entries.record_source(read.source, read.content_hash(
                bool(result.refused_days)), days)
            if then is not None:
                then(result)
    except LogError as exc:  # the Markdown or a date, at the line it names
        return FileResult(read.source, "refused", str(exc))
    except _NothingStands as nothing:
        return nothing.result
    return result


def _nothing_stands(result: FileResult) -> FileResult:
    if result.refused_days:  # nothing of the file stands: refuse it, keep what was there
        return FileResult(result.path, "refused", "; ".join(result.refused_days),
                          notes=result.notes, refused_days=result.refused_days)
    return FileResult(result.path, "empty", "no dated days found: nothing to import",
                      notes=result.notes)


def save_parsed(store: Store, parsed: ParsedLog | LogStream, source: str,
                deck: str) -> tuple[FileResult, int]:
    """Write the weeks and days of one log as they come, remove the days the file no
    longer has, and mark the keywords they touch for a card refresh. Returns the file's
    result and how many days it gave. Call inside a write transaction."""
    result = FileResult(source, "imported")
    deck_id = store.decks.ensure(deck, "journal", trusted=True)
    touched: set[int] = set()
    seen = _SeenDates()
    refused_titles: set[str] = set()
    days = 0
    for item in parsed:
        if isinstance(item, RefusedDay):
            result.refused_days.append(item.message())
            refused_titles.add(item.title)
        elif isinstance(item, Day):
            days += 1
            seen.add(item.date)
            touched |= _save_day(store, item, source, deck_id, result)
            if len(touched) >= TOUCHED_BATCH:
                store.keywords.mark_dirty(deck_id, touched)
                touched = set()
        else:
            store.entries.save_week(
                item.title, item.start.isoformat() if item.start else None,
                item.end.isoformat() if item.end else None, item.summary, source)
    result.notes = parsed.notes
    # the days it gave at its last import that it no longer gives
    previous = {key: entry_id for key, entry_id in store.entries.each_of_source(source)
                if key not in seen}
    # A refused day keeps the version imported earlier under the same heading.
    for day_key in [d for d in previous if refused_titles]:
        entry = store.entries.get(day_key)
        if entry is not None and entry.title in refused_titles:
            del previous[day_key]
    touched |= _remove_gone(store, previous, result)
    store.keywords.mark_dirty(deck_id, touched)
    return result, days


def _save_day(store: Store, day: Day, source: str, deck_id: int,
              result: FileResult) -> set[int]:
    """Write one day by the three-way rule; counted in ``result``. Returns the keyword
    ids whose cards need a refresh."""
    key = day.date.isoformat()
    deleted = kept_deleted(store, key, day.body)
    if deleted is not None:  # see deleted_days: unchanged stays out, changed is back
        (result.days_kept_deleted if deleted else result.days_back).append(key)
        if deleted:
            return set()
    status, keyword_ids = merge_imported_day(store, day, source, deck_id)
    if not day.keywords:
        result.days_without_cards.append(key)
    if status == "new":
        result.days_new += 1
    elif status == "updated":
        result.days_updated += 1
    elif status == "kept":
        result.kept_edits.append(key)
    elif status == "conflict":
        result.conflicts.append(key)
    return keyword_ids


def _remove_gone(store: Store, previous: dict[str, int], result: FileResult) -> set[int]:
    """Remove the days deleted from the file since its last import; returns the keyword
    ids they had."""
    touched: set[int] = set()
    for gone_date, gone_id in previous.items():
        if keep_if_edited(store, gone_date):  # edited in the app: kept, as the app's day
            result.kept_edits.append(gone_date)
            continue
        touched.update(store.keywords.ids_of_entry(gone_id))
        store.entries.delete(gone_id)
        store.candidates.delete_pending_of_day(gone_date)
        result.days_removed += 1
    return touched
