"""An import's reading side: each log file read, checked against what was imported, and
parsed, writing nothing. With many changed files the parsing runs a few files ahead in
a second process (parse_ahead.py); the results are the same, in the same order.
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
from studylog.core.journal.log_parser import PARSER_VERSION, LogError, ParsedLog
from studylog.core.journal.parse_ahead import ParseAhead, ParseJob, parse_job
from studylog.core.journal.source_key import Dating, SourceKey
from studylog.core.storage.database import Store
from studylog.core.text.decoding import DecodeError, decode_log
from studylog.core.text.file_reading import FileRefused, read_file_bytes

# Files parsed ahead of the writes, and how many changed files an import must find
# before a second process is worth its start (~0.2 s, spent beside this one's work; and
# only when a core is free for it, parse_ahead.spare_core).
AHEAD = 8
PARALLEL_FROM = 24


@dataclass(slots=True)
class ChangedFile:
    """A file read and parsed, whose days are to be written."""

    source: str
    parsed: ParsedLog
    content_hash: str
    refused_days: list[str]


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


def _parsed(checked: _Checked, parsed: ParsedLog | LogError) -> FileResult | ChangedFile:
    """What a checked file's parse means for the import."""
    source = checked.source
    if isinstance(parsed, LogError):
        return FileResult(source, "refused", str(parsed))
    content_hash = SourceKey(checked.digest, checked.dating, PARSER_VERSION).dump()
    refused_days = [r.message() for r in parsed.refused]
    if not parsed.days:
        if refused_days:  # nothing of the file stands: refuse it and keep what was there
            return FileResult(source, "refused", "; ".join(refused_days), notes=parsed.notes,
                              refused_days=refused_days)
        return FileResult(source, "empty", "no dated days found: nothing to import",
                          notes=parsed.notes)
    if refused_days:
        # Parser version 0 is older than any: the next import reads the file again with
        # the same dates and reports its refused days until the file is fixed.
        content_hash = SourceKey(checked.digest, checked.dating, 0).dump()
    return ChangedFile(source, parsed, content_hash, refused_days)


def read_file(store: Store, path: Path, dating: Dating,
              today: date | None) -> FileResult | ChangedFile:
    """Read and parse ``path`` (writing nothing): its result when there is nothing to
    write (unchanged, empty, refused), else what to write."""
    checked = _check(store, path, dating, today)
    if isinstance(checked, FileResult):
        return checked
    return _parsed(checked, parse_job(checked.job))


def read_files(store: Store, paths: Sequence[Path], dating: Dating,
               today: date | None) -> Generator[FileResult | ChangedFile, None, None]:
    """``read_file`` of each path in order, for a caller that writes each changed file
    before taking the next. Files are checked ahead, and from ``PARALLEL_FROM`` changed
    files on, with a core to spare, parsed ahead in a second process."""
    ahead: deque[tuple[int, Path, FileResult | _Checked]] = deque()
    rest = enumerate(paths)
    changed = 0
    with ParseAhead() as parsing:
        while True:
            while len(ahead) < 4 * AHEAD and (parsing.waiting < AHEAD or not parsing.running):
                number, path = next(rest, (-1, None))
                if path is None:
                    break
                checked = _check(store, path, dating, today)
                ahead.append((number, path, checked))
                if isinstance(checked, _Checked):
                    changed += 1
                    if changed == PARALLEL_FROM and parse_ahead.spare_core():
                        parsing.start()
                        for key, _, waiting in ahead:  # those read already, too
                            if isinstance(waiting, _Checked):
                                parsing.submit(key, waiting.job)
                    elif changed > PARALLEL_FROM:
                        parsing.submit(number, checked.job)
            if not ahead:
                return
            number, path, checked = ahead.popleft()
            if isinstance(checked, FileResult):
                yield checked
            elif store.entries.source_hash(checked.source) != checked.stored:
                # written since it was checked (the same file named twice): read it again,
                # as an import one file at a time would have (its answer is passed over)
                yield read_file(store, path, dating, today)
            else:
                yield _parsed(checked, parsing.take(number, checked.job))
