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
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studylog.core.journal.importer import save_day
from studylog.core.journal.journal_settings import JournalSettings, journal_settings
from studylog.core.journal.log_parser import Day, LogError, parse_log
from studylog.core.journal.source_key import SourceKey
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryRow
from studylog.core.text.decoding import DecodeError, decode_log
from studylog.core.text.file_reading import FileRefused, read_file_bytes

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

__all__ = ["WriteBack", "write_back_day", "write_into_its_file"]


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
    return _rewrite_section(store, entry, Path(entry.source_file or ""))


def write_into_its_file(store: Store, day: str, text: str | None = None) -> WriteBack | None:
    """Write ``text`` (by default the stored text of ``day``) into the day's section of
    the file it came from, whatever the write-back setting (the caller decides: a keyword
    rename with write-back on, and its undo, which puts back the file's text from before
    the rename). None when the day has no file or the file says so already. The same
    safety as ``write_back_day``: a file changed there since the last import (the day's
    merge base) is left alone, the reason in the result; otherwise the text written is
    the base from then on."""
    entry = store.entries.get(day)
    if entry is None or not _has_file(entry):
        return None
    return _rewrite_section(store, entry, Path(entry.source_file or ""), text)


def _has_file(entry: EntryRow) -> bool:
    source = entry.source_file or ""
    return bool(source) and not source.startswith("studylog:")


def _read(path: Path) -> tuple[bytes, str, str]:
    data = read_file_bytes(path)
    text, encoding = decode_log(data)
    if encoding == "utf-16":  # keep the byte order the file has
        encoding = "utf-16-be" if data.startswith(codecs.BOM_UTF16_BE) else "utf-16-le"
    return data, text, encoding


def _parse_days(store: Store, path: Path, text: str, year: int) -> dict[str, Day]:
    dating = SourceKey.load(store.entries.source_hash(str(path))).dating
    parsed = parse_log(text, path.name, year=dating.year, first_day=dating.first_day,
                       count_weekends=dating.count_weekends, today=date(year, 12, 31))
    return {d.date.isoformat(): d for d in parsed.days}


def _encode(text: str, encoding: str, data: bytes) -> bytes:
    prefix = b""
    if encoding.startswith("utf-16"):
        prefix = data[:2]
    elif encoding == "utf-8-sig":
        encoding, prefix = "utf-8", codecs.BOM_UTF8
    return prefix + text.encode(encoding)


def replace_section(text: str, span: tuple[int, int], body: str) -> str:
    """``text`` with the day body held by lines ``span`` replaced by ``body``: the blank
    lines around it, its line endings and every other line stay as they are."""
    lines = _LINE.findall(text)
    start, end = span
    section = lines[start:end]
    blank = [line.strip("\r\n") == "" and line != "" for line in section]
    first = next((i for i, b in enumerate(blank) if not b), len(section))
    last = max((i for i, b in enumerate(blank) if not b), default=first - 1)
    ending = next((line[len(line.rstrip("\r\n")):] for line in section
                   if line.endswith(("\n", "\r"))), "\n")
    kept_end = section[last][len(section[last].rstrip("\r\n")):] if last >= first else ending
    new = ending.join(body.split("\n")) + kept_end
    return "".join(lines[:start + first]) + new + "".join(lines[start + last + 1:])


def _atomic_write(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _only_changed(before: dict[str, Day], after: dict[str, Day], key: str,
                  body: str) -> bool:
    """The new file gives the days it gave, plus ``key``, with ``key``'s text ``body``
    and every other day's title and text unchanged."""
    return after.keys() == before.keys() | {key} and after[key].body == body and all(
        (before[k].body, before[k].title) == (after[k].body, after[k].title)
        for k in before if k != key)


def _rewrite_section(store: Store, entry: EntryRow, path: Path,
                     wanted: str | None = None) -> WriteBack | None:
    """Write ``wanted`` (the entry's text by default) as ``entry``'s section of ``path``."""
    body = entry.body if wanted is None else wanted
    where = str(path)
    state = store.day_bases.state_of(entry.date)
    try:
        data, text, encoding = _read(path)
        days = _parse_days(store, path, text, int(entry.date[:4]))
    except (FileRefused, DecodeError, LogError, OSError) as exc:
        return WriteBack(where, False, str(exc) or "cannot read it")
    day = days.get(entry.date)
    if day is None:
        return WriteBack(where, False, f"the file has no day {entry.date} any more")
    if day.body == body:  # the file says so already
        _set_base(store, entry.date, body)
        return None
    if state is None or not state.has_base or day.body != state.base:
        return WriteBack(where, False, "the file changed there since the last import "
                                      "(import it first)")
    new_text = replace_section(text, day.span, body)
    try:
        after = _parse_days(store, path, new_text, int(entry.date[:4]))
    except LogError as exc:
        return WriteBack(where, False, f"the new text would not read back: {exc}")
    if not _only_changed(days, after, entry.date, body):
        return WriteBack(where, False, "the new text would change other days of the file")
    try:
        _atomic_write(path, _encode(new_text, encoding, data))
    except UnicodeEncodeError:
        return WriteBack(where, False, f"the text has characters {encoding} cannot hold")
    except OSError as exc:
        return WriteBack(where, False, exc.strerror or str(exc))
    _set_base(store, entry.date, body)
    return WriteBack(where, True)


def _set_base(store: Store, day: str, body: str) -> None:
    with store.write():
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
                data, old_text, encoding = _read(path)
            except (FileRefused, DecodeError, OSError) as exc:
                return WriteBack(str(path), False, str(exc))
        lead = old_text if not old_text or old_text.endswith("\n") else old_text + "\n"
        lead = lead or f"---\nyear: {when.year}\n---\n"
        tries = [f"{lead}\n## {heading}\n\n{entry.body}\n"
                 for heading in (f"Day {number} ({when:%m/%d})", entry.date)]
    try:
        before = _parse_days(store, path, old_text, when.year) if old_text.strip() else {}
    except LogError as exc:
        return WriteBack(str(path), False, str(exc))
    if entry.date in before:
        return WriteBack(str(path), False, f"{path.name} has a day {entry.date} already "
                                           "(import it to merge)")
    for text in tries:
        try:
            after = _parse_days(store, path, text, when.year)
        except LogError:
            continue
        if not _only_changed(before, after, entry.date, entry.body):
            continue
        return _create(store, after[entry.date], path, _encode(text, encoding, data))
    return WriteBack(str(path), False, "the day would not read back from that file")


def _create(store: Store, day: Day, path: Path, data: bytes) -> WriteBack:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, data)
    except OSError as exc:
        return WriteBack(str(path), False, exc.strerror or str(exc))
    source = str(path.resolve())
    with store.write():  # the day as an import of its new file would store it
        save_day(store, day, source)
        state = store.day_bases.state_of(day.date.isoformat())
        if state is not None:
            store.day_bases.set_base(state.entry_id, day.body)
    return WriteBack(str(path), True)
