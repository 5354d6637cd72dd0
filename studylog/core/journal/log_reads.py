"""An import's reading side: each log file read and checked against what was imported,
writing nothing. A changed file is handed on as a LogStream, parsed a day at a time as
the writer writes it (file_writes.py); with many changed files, small ones are parsed a
few files ahead in a second process (parse_ahead.py). The results are the same, in the
same order.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from studylog.core.journal import parse_ahead
from studylog.core.journal.import_results import FileResult
from studylog.core.journal.log_parser import PARSER_VERSION, LogError, LogStream, ParsedLog
from studylog.core.journal.parse_ahead import ParseAhead, ParseJob
from studylog.core.journal.source_key import Dating, SourceKey
from studylog.core.storage.database import Store
from studylog.core.text.decoding import DecodeError, decode_log
from studylog.core.text.file_reading import FileRefused, read_file_bytes

# Files parsed ahead of the writes, and how many changed files an import must find
# before a second process is worth its start (~0.2 s, spent beside this one's work; and
# only on a machine with a second core, parse_ahead.second_core). Sixteen ahead, not
# eight, lets the second process run further ahead while the writes are slow: ten years'
# import, medians of 5, 1.76 s against 1.89 s.
AHEAD = 16
PARALLEL_FROM = 24
# Files read and checked ahead of the writes, at most.
READ_AHEAD_FILES = 32
# Only files up to this size are parsed ahead: the second process sends a file's days
# all at once, and they wait here whole. A larger file is parsed here as it is written,
# a day at a time (issue 13 item 7: memory bounded per file, whatever its length).
AHEAD_MAX_CHARS = 256_000
# Files read ahead wait with their text: at most this many characters of it beyond the
# next file's, so a folder of large logs is not held 32 files at a time (small ones
# still fill the read-ahead and the second process).
READ_AHEAD_CHARS = 2_000_000


@dataclass(slots=True)
class ChangedFile:
    """A file read whose days are to be written: parsed already (in the second process),
    or a LogStream the writer parses a day at a time as it writes."""

    source: str
    parsed: ParsedLog | LogStream
    digest: str
    dating: Dating

    def content_hash(self, refused_days: bool) -> str:
        """What ``sources`` records for it once written: with refused days, parser
        version 0 (older than any), so the next import reads the file again with the
        same dates and reports its refused days until the file is fixed."""
        return SourceKey(self.digest, self.dating, 0 if refused_days else PARSER_VERSION).dump()


@dataclass(slots=True)
class _Checked:
    """A file read whose text is new to the database: it is to be parsed."""

    source: str
    digest: str
    dating: Dating
    stored: str | None  # its content hash in ``sources`` when it was read
    job: ParseJob


def _check(store: Store, path: Path, dating: Dating,
           today: date | None) -> FileResult | _Checked:
    """Read ``path``: its result when it needs no parse (unreadable, empty, unchanged)."""
    source = str(path.resolve())
    try:
        data = read_file_bytes(path)
        text, _ = decode_log(data)
    except (FileRefused, DecodeError) as exc:
        return FileResult(source, "refused", str(exc))
    if not text.strip():
        return FileResult(source, "empty", "empty file: nothing to import")
    digest = hashlib.sha256(data).hexdigest()
    stored_hash = store.entries.source_hash(source)
    stored = SourceKey.load(stored_hash)
    # No --year / --first-day now: the dates the file got last time stand (re-dating
    # needs an explicit option), when a newer parser reads the unchanged file and when
    # the file was edited (a "Day N" file has no date of its own to fall back on).
    dating = dating if dating.given() else stored.dating
    if stored.digest == digest and dating == stored.dating \
            and stored.parser_version == PARSER_VERSION:
        return FileResult(source, "unchanged", "unchanged since the last import")
    # the options given decide the dates too
    return _Checked(source, digest, dating, stored_hash,
                    ParseJob(text, path.name, dating.year, today, dating.first_day,
                             dating.count_weekends))


def _small(checked: _Checked) -> bool:
    return len(checked.job.text) <= AHEAD_MAX_CHARS


def _parsed(checked: _Checked, parsed: ParsedLog | LogError) -> FileResult | ChangedFile:
    """What the second process's parse of a checked file means for the import."""
    if isinstance(parsed, LogError):
        return FileResult(checked.source, "refused", str(parsed))
    return ChangedFile(checked.source, parsed, checked.digest, checked.dating)


def _streamed(checked: _Checked) -> ChangedFile:
    """A checked file to parse here, a day at a time as its days are written."""
    job = checked.job
    return ChangedFile(checked.source, LogStream(
        job.text, job.file_name, year=job.year, today=job.today, first_day=job.first_day,
        count_weekends=job.count_weekends), checked.digest, checked.dating)


def read_file(store: Store, path: Path, dating: Dating,
              today: date | None) -> FileResult | ChangedFile:
    """Read ``path`` (writing nothing): its result when there is nothing to write
    (unreadable, empty, unchanged), else what to write, to be parsed as it is written."""
    checked = _check(store, path, dating, today)
    return checked if isinstance(checked, FileResult) else _streamed(checked)


def read_files(store: Store, paths: Sequence[Path], dating: Dating,
               today: date | None) -> Generator[FileResult | ChangedFile, None, None]:
    """``read_file`` of each path in order, for a caller that writes each changed file
    before taking the next. Files are checked ahead, and from ``PARALLEL_FROM`` changed
    files on, on a second core, parsed ahead in a second process: the files read from the
    one that started it on (the ones read before are written while it starts, ~0.1 s)."""
    ahead: deque[tuple[int, Path, FileResult | _Checked]] = deque()
    rest = enumerate(paths)
    changed = held = 0  # held: characters of the texts in ``ahead``
    sent_from = 0  # the number of the first file the second process may parse
    with ParseAhead() as parsing:
        while True:
            while len(ahead) < READ_AHEAD_FILES and (not ahead or held < READ_AHEAD_CHARS):
                number, path = next(rest, (-1, None))
                if path is None:
                    break
                checked = _check(store, path, dating, today)
                ahead.append((number, path, checked))
                if isinstance(checked, _Checked):
                    changed += 1
                    held += len(checked.job.text)
                    if changed == PARALLEL_FROM and parse_ahead.second_core():
                        parsing.start()
                        sent_from = number
            if not ahead:
                return
            _feed(parsing, ahead, sent_from)
            number, path, checked = ahead.popleft()
            if isinstance(checked, FileResult):
                yield checked
                continue
            held -= len(checked.job.text)
            if store.entries.source_hash(checked.source) != checked.stored:
                # written since it was checked (the same file named twice): read it again,
                # as an import one file at a time would have (its answer is passed over)
                yield read_file(store, path, dating, today)
            elif parsing.has(number):
                yield _parsed(checked, parsing.take(number, checked.job))
            else:
                yield _streamed(checked)


def _feed(parsing: ParseAhead, ahead: deque[tuple[int, Path, FileResult | _Checked]],
          sent_from: int) -> None:
    """Send the second process the next small files read ahead from file ``sent_from``
    on, up to ``AHEAD`` waiting."""
    if not parsing.running:
        return
    for number, _, checked in ahead:
        if parsing.waiting >= AHEAD:
            return
        if number >= sent_from and isinstance(checked, _Checked) and _small(checked) \
                and not parsing.has(number):
            parsing.submit(number, checked.job)
