"""SQLite's failures as one line saying what to do.

Locks held past the busy timeout, read-only files, full disks and damaged pages used to
end in a traceback; each is named here by its SQLite result code, with what the user can
do about it. Errors of the program (a constraint, bad SQL) are left alone: they are bugs.
"""

from __future__ import annotations

import shlex
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studylog.errors import StudylogError


class StoreError(StudylogError, RuntimeError):
    """The database cannot be opened or used; the message is one line."""


# Primary result codes (https://sqlite.org/rescode.html).
BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB = 5, 6, 8, 10, 11, 13, 14, 26


def describe_failure(exc: BaseException, path: Path | str | None = None,
                     busy_timeout: float | None = None) -> str | None:
    """One line for a SQLite failure the user can act on, or None for anything else."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    text = str(exc)
    where = f"the database {path}" if path else "the database"
    if code in (BUSY, LOCKED) or "database is locked" in text:
        waited = f" for {busy_timeout:g} s" if busy_timeout is not None else ""
        return (f"{where} is busy: another studylog (the app or an import) held its write "
                f"lock{waited}; close it or let it finish, then try again")
    if code == READONLY or "readonly database" in text:
        return (f"{where} is read-only, so nothing was saved: make the file and its folder "
                "writable, or give --db a writable copy")
    if code == FULL or "database or disk is full" in text:
        return (f"the disk holding {where.removeprefix('the ')} is full, so this change was not "
                "saved (the database is as it was): free some space and try again")
    if code == NOTADB:
        return (f"cannot open database {path or ''}: {text} (give --db a studylog database, "
                "or restore a backup copy)").replace("database :", "database:")
    if code == CORRUPT or "malformed" in text:
        # doctor checks it, lists the safety copies and prints the restore command
        doctor = f"studylog --db {shlex.quote(str(path))} doctor" if path else "studylog doctor"
        return (f"{where} is damaged ({text}): run {doctor} to check it and roll back to "
                "a safety copy or a backup")
    if code in (IOERR, CANTOPEN):
        return f"cannot read or write {where} ({text}): check the disk and the file, then try again"
    return None


@contextmanager
def failures_as_store_errors(path: Path | str | None = None,
                             busy_timeout: float | None = None) -> Iterator[None]:
    """Turn the SQLite failures ``describe_failure`` knows into a one-line StoreError."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        problem = describe_failure(exc, path, busy_timeout)
        if problem is None:
            raise
        raise StoreError(problem) from exc
