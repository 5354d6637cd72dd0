"""Import Markdown learning logs: files or folders in, entries and keyword cards out.

Files are read in log_reads.py and written in file_writes.py, each day as it is parsed
(many small changed files: parsed in a second process while this one writes). Each file
is written whole or not at all; an import
commits its changed files in groups (``COMMIT_FILES``), and the files done before a
failure or a cancel stay imported.
Importing an unchanged file changes nothing. Refused files are reported with their
reason, and so are refused days (an impossible date): the file's other days import; the
rest are imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import date
from pathlib import Path

from studylog.core.cards.card_candidates import pending_candidates
from studylog.core.cards.card_changes import CardChanges
from studylog.core.cards.keyword_cards import JOURNAL_DECK, refresh_keyword_cards
from studylog.core.journal.file_writes import write_file
from studylog.core.journal.import_results import FileResult, ImportReport
from studylog.core.journal.log_files import LOG_SUFFIXES, PathError, find_logs
from studylog.core.journal.log_reads import ChangedFile, read_file, read_files
from studylog.core.journal.source_key import Dating
from studylog.core.storage.database import Store
from studylog.core.storage.grouped_writes import GroupedWrites

__all__ = ["LOG_SUFFIXES", "PathError", "FileResult", "ImportReport", "collect_files",
           "import_logs", "import_file", "FORMATS_DOC"]
# Where a user reads which forms of keywords (and candidates) studylog understands.
FORMATS_DOC = "README.md, 'The log format studylog reads'"


# From this many changed files on, an import stops indexing each day as it is written
# and rebuilds the search index once at the end: index merges after every file's commit
# cost ten years' import ~2.5 s, the rebuild ~0.4 s. Fewer files keep per-day indexing
# (a rebuild reads every entry, too much for one changed file).
BULK_FILES = 8
# Changed files committed together (storage/grouped_writes.py: per-file commits rewrote
# the shared index pages 522 times in ten years' import), at most this many or for this
# long; progress hears of a file once it is committed.
COMMIT_FILES = 32
COMMIT_SECONDS = 0.2


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and ``*.md``/``*.markdown``/``*.txt`` found recursively in folders."""
    return find_logs(paths).files


def import_logs(store: Store, paths: Iterable[str | Path], *, year: int | None = None,
                deck: str = JOURNAL_DECK, today: date | None = None,
                progress: Callable[[FileResult], None] | None = None,
                first_day: date | None = None, count_weekends: bool = False) -> ImportReport:
    """Import every log under ``paths``. Raises PathError before importing anything if a
    path is missing. ``first_day`` dates ``Day N`` logs written without dates."""
    report = ImportReport()
    dating = Dating(year, first_day, count_weekends)
    found = find_logs(paths)
    for folder, reason in found.unreadable:  # named, never skipped silently
        result = FileResult(str(folder), "refused", f"cannot read folder: {reason}")
        report.files.append(result)
        if progress:
            progress(result)
    written = 0
    groups = GroupedWrites(store, COMMIT_FILES, COMMIT_SECONDS)
    reported = len(report.files)

    def report_committed() -> None:
        # a file is reported once it is committed: what progress showed survives a kill.
        # Every committed file is reported even when progress raises to stop the import
        # (the app's Escape): the files committed with it in its group are in too.
        nonlocal reported
        stop: Exception | None = None
        while progress and reported < len(report.files):
            reported += 1
            try:
                progress(report.files[reported - 1])
            except Exception as exc:
                stop = stop or exc
        if stop is not None:
            raise stop

    try:
        with closing(read_files(store, found.files, dating, today)) as reads:
            for read in reads:
                if isinstance(read, FileResult):
                    report.files.append(read)
                else:
                    groups.writing()
                    report.files.append(_write_file(store, read, deck, refresh=False))
                    written += 1
                    if written == BULK_FILES and not store.search.entries_index_stale():
                        # in the files' transaction: a killed import leaves it set with
                        # the days written after it, or neither
                        with store.write():
                            store.search.pause_entries_index()
                    groups.written()
                if not groups.is_open:
                    report_committed()
    except BaseException as exc:  # the files done so far stay imported, as they did
        groups.close_after(exc)
        raise
    groups.commit()
    report_committed()
    # Cards are rebuilt once per import, not once per file: a keyword written on
    # hundreds of days would otherwise make a ten-year import quadratic.
    report.add(refresh_dirty_cards(store))
    if store.search.entries_index_stale():  # this import's pause, or a killed one's
        with store.write():
            store.search.rebuild_entries_index()
    if report.changed:
        waiting = pending_candidates(store, deck)
        report.candidates_waiting = len(waiting)
        # a day whose candidates you already accepted or rejected had some, too
        deck_row = store.decks.get(deck)
        proposing = {row.date for row in waiting} | (
            store.candidates.decided_dates(deck_row.id) if deck_row is not None else set())
        for f in report.files:
            f.days_without_cards = [d for d in f.days_without_cards if d not in proposing]
    return report


def refresh_dirty_cards(store: Store) -> CardChanges:
    """Rebuild the cards of every keyword marked dirty (also those a killed import left)."""
    total = CardChanges()
    with store.write():
        for deck_id, keyword_ids in store.keywords.dirty().items():
            total.add(refresh_keyword_cards(store, deck_id, keyword_ids))
            store.keywords.clear_dirty(deck_id)
    return total


def import_file(store: Store, path: Path, *, year: int | None = None,
                deck: str = JOURNAL_DECK, today: date | None = None,
                refresh: bool = True, dating: Dating | None = None) -> FileResult:
    """Import one file in one transaction; never raises for bad content. With
    ``refresh``, its cards are rebuilt in the same transaction. ``dating`` (``--year``,
    ``--first-day``...) wins over ``year``."""
    read = read_file(store, path, dating or Dating(year), today)
    if isinstance(read, FileResult):
        return read
    return _write_file(store, read, deck, refresh)


def _write_file(store: Store, read: ChangedFile, deck: str, refresh: bool) -> FileResult:
    """Write a changed file's days in one transaction (a savepoint inside a group); with
    ``refresh``, its cards are rebuilt in it too."""
    def rebuild_cards(result: FileResult) -> None:
        result.new_cards = refresh_dirty_cards(store).new_cards

    return write_file(store, read, deck, rebuild_cards if refresh else None)
