"""Safety copies: the journal copied aside before every migration, before a restore or
an import replaces it, and once per study day, so a bad upgrade or a wrong command can
be rolled back (``studylog restore --replace COPY``).

They live in ``safety-copies/`` beside the database (the user data dir for your
journal), named ``<db name>.<UTC time>.<reason>.sqlite3``; the newest ``keep`` copies of
a database are kept (7 unless set: ``studylog safety-copies --keep N``, 0 turns them
off). A database that holds nothing of yours yet gets no copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studylog.core.backup.backup_file import BackupError
from studylog.core.review.settings import current_study_day
from studylog.core.storage.database import Store, StoreError
from studylog.core.storage.database_copies import CopyError, contents, copy_out

COPIES_DIR = "safety-copies"
META_KEEP = "safety_copies.keep"
DEFAULT_KEEP = 7
STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True, slots=True)
class SafetyCopy:
    """One copy in the copies folder."""

    path: Path
    taken_at: datetime  # UTC, from its name
    reason: str  # daily-YYYY-MM-DD | before-<migration> | before-restore | before-import-json
    bytes: int

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "taken_at": self.taken_at.isoformat(),
                "reason": self.reason, "bytes": self.bytes}


def copies_dir(db_path: Path) -> Path:
    """Where the safety copies of the database ``db_path`` go."""
    return db_path.parent / COPIES_DIR


def list_safety_copies(db_path: Path) -> list[SafetyCopy]:
    """The safety copies of ``db_path``, newest first."""
    folder = copies_dir(db_path)
    pattern = re.compile(rf"{re.escape(db_path.stem)}\.(\d{{8}}-\d{{6}})\.(.+)\.sqlite3")
    found = []
    for path in folder.glob(f"{db_path.stem}.*.sqlite3") if folder.is_dir() else ():
        match = pattern.fullmatch(path.name)
        if match is None:
            continue
        taken = datetime.strptime(match[1], STAMP).replace(tzinfo=UTC)
        found.append(SafetyCopy(path, taken, match[2], path.stat().st_size))
    return sorted(found, key=lambda c: (c.taken_at, c.path.stat().st_mtime), reverse=True)


def keep_count(store: Store) -> int:
    """How many safety copies of this database are kept."""
    value = store.settings.get_meta(META_KEEP)
    return DEFAULT_KEEP if value is None else int(value)


def set_keep_count(store: Store, keep: int) -> None:
    """Keep the newest ``keep`` copies (0: take none); older ones go at the next copy."""
    if not 0 <= keep <= 1000:
        raise BackupError(f"keep 0 to 1000 safety copies, not {keep}")
    with store.write():
        store.settings.set_meta(META_KEEP, str(keep))
    prune(store.path, keep)


def prune(db_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` copies of ``db_path``; returns what went."""
    gone = [copy.path for copy in list_safety_copies(db_path)[keep:]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def take_safety_copy(store: Store, reason: str, now: datetime | None = None
                     ) -> SafetyCopy | None:
    """Copy the open journal aside for ``reason`` (then prune to the kept count); None
    when copies are off or the journal holds nothing of the user's yet."""
    keep = keep_count(store)
    if keep == 0 or contents(store).empty:
        return None
    taken = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = copies_dir(store.path)
    path = folder / f"{store.path.stem}.{taken.strftime(STAMP)}.{reason}.sqlite3"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        size = copy_out(store, path)
    except (CopyError, OSError) as exc:
        raise BackupError(f"safety copy not written to {folder}: {exc}") from exc
    prune(store.path, keep)
    return SafetyCopy(path, taken, reason, size)


def take_daily_copy(store: Store, now: datetime | None = None) -> SafetyCopy | None:
    """The study day's safety copy, taken once per study day (the first time studylog
    opens the journal that day); None when there is one already."""
    day = current_study_day(store, now).date.isoformat()
    reason = f"daily-{day}"
    if any(copy.reason == reason for copy in list_safety_copies(store.path)):
        return None
    return take_safety_copy(store, reason, now)


def copy_before_migrating(store: Store, pending: list[str]) -> None:
    """``Store``'s hook: copy the database aside before ``pending`` migrations run; a
    copy that cannot be written stops the upgrade (StoreError, the file unchanged)."""
    try:
        take_safety_copy(store, f"before-{pending[0]}")
    except BackupError as exc:
        raise StoreError(f"{store.path} was not upgraded: {exc}") from exc
