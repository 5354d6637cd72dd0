"""Write-back: saving a day in the app rewrites that day in your Markdown files.

Opt-in (``studylog write-back on``, or ``import --write-back``). A day imported from a
file: its section is replaced in place, every other byte of the file stays as it was
(line endings, encoding, the other days, the week summaries). A day written in the app:
with a journal folder set, it gets a file there in your style (a week file with
``Day N (MM/DD)`` sections, or a day file with front matter), and belongs to it from then
on.

Nothing is written over a change of yours: the file's text for that day must still be
what the last import read (the merge base); otherwise the file is left alone and the
save says to re-import first. The new file is parsed before it replaces the old one and
must give back the same days with only this day's text changed.

Many days of one file (a keyword renamed on each of them) are written in one pass: the
file is read, checked and written once, however many of its days change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studylog.core.journal.day_saving import save_day
from studylog.core.journal.file_sections import (
    atomic_write,
    encode_like,
    only_changed,
    parse_days,
    read_log,
    replace_sections,
)
from studylog.core.journal.journal_settings import JournalSettings, journal_settings
from studylog.core.journal.log_parser import Day, LogError
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryRow
from studylog.core.text.decoding import DecodeError
from studylog.core.text.file_reading import FileRefused

__all__ = ["WriteBack", "write_back_day", "write_into_files"]

_CHANGED = "the file changed there since the last import (import it first)"


@dataclass(frozen=True, slots=True)
class WriteBack:
    """What write-back did for one save: the file written, or why not."""

    path: str
    written: bool
    reason: str = ""

    def message(self) -> str:
        name = Path(self.path).name
        return f"written back to {name}" if self.written else \
            f"not written back to {name}: {self.reason}"


def write_back_day(store: Store, day: date) -> WriteBack | None:
    """After a save: write ``day`` into its file when write-back is on (None when it is
    off, or the day has no file and no journal folder is set). Never raises for a file
    it cannot write: the reason is in the result, and the database keeps the save."""
    settings = journal_settings(store)
    entry = store.entries.get(day.isoformat())
    if not settings.write_back or entry is None:
        return None
    if not _has_file(entry):
        return _new_day_file(store, entry, settings)
    return _rewrite_file(store, entry.source_file or "", {entry.date: entry.body})[0][1]


def write_into_files(store: Store, texts: dict[str, str | None]) -> list[tuple[str, WriteBack]]:
    """Write each day's text (None: its stored text) into its section of the file it
    came from, whatever the write-back setting (the caller decides: a keyword rename with
    write-back on, and its undo, which puts back the files' text from before it). A file
    is read, checked and written once however many of its days change. The same safety
    as ``write_back_day``: a file changed at a day since its last import (the day's merge
    base) is left alone there, the reason in the result; a text written is that day's
    base from then on. Returns ``(date, result)`` by date, for the days that have a file
    not saying so already."""
    by_file: dict[str, dict[str, str]] = defaultdict(dict)
    for day, text in texts.items():
        entry = store.entries.get(day)
        if entry is not None and _has_file(entry):
            by_file[entry.source_file or ""][day] = entry.body if text is None else text
    done = [(day, result) for source, wanted in by_file.items()
            for day, result in _rewrite_file(store, source, wanted) if result is not None]
    return sorted(done, key=lambda pair: pair[0])


def _rewrite_file(store: Store, source: str,
                  wanted: dict[str, str]) -> list[tuple[str, WriteBack | None]]:
    """Write the ``wanted`` days into ``source``, one pass for all of them. A date written
    without a year reads as of the end of the day's own year (as when it was imported):
    a day not found so goes again with its own year (one more pass per year)."""
    path, pending, done = Path(source), dict(wanted), []
    for year in sorted({int(day[:4]) for day in wanted}, reverse=True):
        results, missing = _rewrite_sections(store, path, year, pending)
        done += list(results.items())
        done += [(day, WriteBack(source, False, f"the file has no day {day} any more"))
                 for day in missing if int(day[:4]) == year]
        pending = {day: pending[day] for day in missing if int(day[:4]) != year}
        if not pending:
            break
    return done


def _has_file(entry: EntryRow) -> bool:
    source = entry.source_file or ""
    return bool(source) and not source.startswith("studylog:")


def _rewrite_sections(store: Store, path: Path, year: int, wanted: dict[str, str],
                      ) -> tuple[dict[str, WriteBack | None], list[str]]:
    """Write each ``wanted`` day's text as its section of ``path`` in one write (None:
    the file says so already); also the days the file does not give, read as of
    ``year``."""
    where = str(path)
    try:
        data, text, encoding = read_log(path)
        days = parse_days(store, path, text, year)
    except (FileRefused, DecodeError, LogError, OSError) as exc:
        return dict.fromkeys(wanted, WriteBack(where, False, str(exc) or "cannot read it")), []
    results: dict[str, WriteBack | None] = {}
    todo: dict[str, str] = {}
    missing = [key for key in wanted if key not in days]
    for key, body in wanted.items():
        day, state = days.get(key), store.day_bases.state_of(key)
        if day is None:
            continue
        if day.body == body:  # the file says so already
            _set_bases(store, {key: body})
            results[key] = None
        elif state is None or not state.has_base or day.body != state.base:
            results[key] = WriteBack(where, False, _CHANGED)
        else:
            todo[key] = body
    if todo:
        written = _write_sections(store, path, year, (data, text, encoding), days, todo)
        results.update(dict.fromkeys(todo, written))
    return results, missing


def _write_sections(store: Store, path: Path, year: int, read: tuple[bytes, str, str],
                    days: dict[str, Day], todo: dict[str, str]) -> WriteBack:
    where = str(path)
    data, text, encoding = read
    new_text = replace_sections(text, [(days[key].span, body) for key, body in todo.items()])
    try:
        after = parse_days(store, path, new_text, year)
    except LogError as exc:
        return WriteBack(where, False, f"the new text would not read back: {exc}")
    if not only_changed(days, after, todo):
        return WriteBack(where, False, "the new text would change other days of the file")
    try:
        atomic_write(path, encode_like(new_text, encoding, data))
    except UnicodeEncodeError:
        return WriteBack(where, False, f"the text has characters {encoding} cannot hold")
    except OSError as exc:
        return WriteBack(where, False, exc.strerror or str(exc))
    _set_bases(store, todo)
    return WriteBack(where, True)


def _set_bases(store: Store, bodies: dict[str, str]) -> None:
    with store.write():
        for day, body in bodies.items():
            state = store.day_bases.state_of(day)
            if state is not None:
                store.day_bases.set_base(state.entry_id, body)


def _new_day_file(store: Store, entry: EntryRow, settings: JournalSettings) -> WriteBack | None:
    """A day written in the app gets a file in the journal folder, in the chosen style."""
    if settings.folder is None:
        return None
    folder = Path(settings.folder)
    when = date.fromisoformat(entry.date)
    if settings.per == "day":
        path = folder / f"{entry.date}.md"
        if path.exists():
            return WriteBack(str(path), False, "a file of that name is there already")
        tries = [f'---\ndate: "{entry.date}"\n---\n\n{entry.body}\n',
                 f'---\ndate: "{entry.date}"\n---\n\n## {entry.date}\n\n{entry.body}\n']
        old_text, data, encoding = "", b"", "utf-8"
    else:
        iso = when.isocalendar()
        path = folder / f"{iso.year}-W{iso.week:02d}.md"
        number = store.value("SELECT count(*) FROM entries WHERE date <= ?", [entry.date])
        old_text, data, encoding = "", b"", "utf-8"
        if path.exists():
            try:
                data, old_text, encoding = read_log(path)
            except (FileRefused, DecodeError, OSError) as exc:
                return WriteBack(str(path), False, str(exc))
        lead = old_text if not old_text or old_text.endswith("\n") else old_text + "\n"
        lead = lead or f"---\nyear: {when.year}\n---\n"
        tries = [f"{lead}\n## {heading}\n\n{entry.body}\n"
                 for heading in (f"Day {number} ({when:%m/%d})", entry.date)]
    try:
        before = parse_days(store, path, old_text, when.year) if old_text.strip() else {}
    except LogError as exc:
        return WriteBack(str(path), False, str(exc))
    if entry.date in before:
        return WriteBack(str(path), False, f"{path.name} has a day {entry.date} already "
                                           "(import it to merge)")
    for text in tries:
        try:
            after = parse_days(store, path, text, when.year)
        except LogError:
            continue
        if not only_changed(before, after, {entry.date: entry.body}):
            continue
        return _create(store, after[entry.date], path, encode_like(text, encoding, data))
    return WriteBack(str(path), False, "the day would not read back from that file")


def _create(store: Store, day: Day, path: Path, data: bytes) -> WriteBack:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as exc:
        return WriteBack(str(path), False, exc.strerror or str(exc))
    source = str(path.resolve())
    with store.write():  # the day as an import of its new file would store it
        save_day(store, day, source)
        state = store.day_bases.state_of(day.date.isoformat())
        if state is not None:
            store.day_bases.set_base(state.entry_id, day.body)
    return WriteBack(str(path), True)
