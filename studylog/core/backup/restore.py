"""``studylog restore FILE``: a backup (or a safety copy) becomes the journal again.

The backup is never trusted as it is: it is copied aside (never changed), checked
(SQLite's integrity check, studylog's tables, not from a newer studylog), migrated when
it is older, and only then copied over the journal in one transaction, so a refused
or killed restore leaves the journal as it was. A journal holding anything of the
user's is replaced only when asked (``--replace``), after a safety copy of it.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from studylog.core.backup.backup_file import BackupError, same_file
from studylog.core.backup.safety_copies import SafetyCopy, take_safety_copy
from studylog.core.storage.database import Store, StoreError
from studylog.core.storage.database_copies import (
    Contents,
    CopyError,
    contents,
    copy_file,
    copy_in,
    match_page_size,
    page_size,
    read_facts,
    remove_database_file,
)
from studylog.core.storage.migrations import migrations


@dataclass(frozen=True, slots=True)
class RestoreReport:
    """What was restored, from where, and what was kept of the journal it replaced."""

    source: Path
    migrated: list[str]  # migrations the backup needed (it came from an older studylog)
    safety_copy: SafetyCopy | None  # the replaced journal, copied aside first
    restored: Contents
    seconds: float

    def to_json(self) -> dict[str, object]:
        return {"source": str(self.source), "migrated": self.migrated,
                "safety_copy": None if self.safety_copy is None else str(self.safety_copy.path),
                "entries": self.restored.entries, "cards": self.restored.cards,
                "reviews": self.restored.reviews, "candidates": self.restored.candidates,
                "seconds": round(self.seconds, 3)}


def describe_contents(held: Contents) -> str:
    """'3 days, 12 cards, 40 reviews' (what is not zero)."""
    parts = [(held.entries, "day"), (held.cards, "card"), (held.reviews, "review"),
             (held.candidates, "candidate"), (held.drafts, "draft")]
    return ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in parts if n) or "nothing"


def refuse_unless_empty(store: Store, replace: bool, what: str) -> Contents:
    """BackupError unless the journal is empty or ``replace`` was asked for."""
    held = contents(store)
    if not held.empty and not replace:
        raise BackupError(
            f"the journal {store.path} is not empty ({describe_contents(held)}): nothing "
            f"was {what}; add --replace to replace it (a safety copy is taken first)")
    return held


def _stage(source: Path, staged: Path) -> list[str]:
    """Copy ``source`` to ``staged``, check it and migrate it; returns the migrations
    it needed. BackupError when it is damaged, not studylog's, or from a newer version."""
    refused = f"{source} not restored"
    try:
        copy_file(source, staged)
        facts = read_facts(staged)
    except CopyError as exc:
        raise BackupError(f"{refused}: it is not a readable studylog backup ({exc}); "
                          "the journal is unchanged") from exc
    if facts.integrity != "ok":
        raise BackupError(f"{refused}: the file is damaged (integrity check: "
                          f"{facts.integrity[:200]}); the journal is unchanged")
    if not facts.is_studylog:
        raise BackupError(f"{refused}: it is an SQLite database but not a studylog journal; "
                          "the journal is unchanged")
    known = [m.name for m in migrations._migrations]
    unknown = [name for name in facts.applied if name not in known]
    if unknown or facts.user_version > len(known):
        raise BackupError(f"{refused}: it was written by a newer studylog "
                          f"({unknown[0] if unknown else f'schema {facts.user_version}'}); "
                          "upgrade studylog to restore it; the journal is unchanged")
    try:
        Store(staged).close()  # migrates an older backup (on the staged copy only)
    except StoreError as exc:
        raise BackupError(f"{refused}: {exc}; the journal is unchanged") from exc
    return [name for name in known if name not in facts.applied]


def restore_journal(store: Store, source: Path, *, replace: bool = False) -> RestoreReport:
    """Make the backup ``source`` the journal of ``store``, whole or not at all."""
    started = time.perf_counter()
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    if same_file(source, store.path):
        raise BackupError(f"{source} is the journal itself: restore another file")
    held = refuse_unless_empty(store, replace, "restored")
    staged = store.path.with_name(f".{store.path.stem}.restoring-{os.getpid()}.sqlite3")
    try:
        migrated = _stage(source, staged)
        try:
            match_page_size(staged, page_size(store))
        except CopyError as exc:
            raise BackupError(f"{source} not restored: {exc}") from exc
        copy = None if held.empty else take_safety_copy(store, "before-restore")
        try:
            copy_in(store, staged)
        except CopyError as exc:
            raise BackupError(f"{source} not restored (the journal is unchanged): {exc}") from exc
    finally:
        remove_database_file(staged)
    return RestoreReport(source, migrated, copy, contents(store), time.perf_counter() - started)
