"""``studylog backup FILE``: a consistent copy of the journal, safe while it is in use.

The copy goes through SQLite's online backup API (``storage.database_copies``): one read
snapshot of the live database, so the app may stay open and another process may keep
grading; what was committed before the backup started is in it, whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studylog.core.storage.database import Store
from studylog.core.storage.database_copies import CopyError, copy_out
from studylog.errors import StudylogError


class BackupError(StudylogError):
    """A backup, restore or export that cannot be done; nothing was changed."""


@dataclass(frozen=True, slots=True)
class BackupReport:
    """Where the copy went, how big it is and how long it took."""

    path: Path
    bytes: int
    seconds: float

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "bytes": self.bytes, "seconds": round(self.seconds, 3)}


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (either may not exist yet)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def backup_target(store: Store, dest: Path, now: datetime | None = None) -> Path:
    """The file a backup to ``dest`` writes: ``dest`` itself, or a dated file inside it
    when it is a folder. Refuses the journal's own file and its WAL companions."""
    if dest.is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"{store.path.stem}-{stamp}.sqlite3"
    for own in (store.path, Path(f"{store.path}-wal"), Path(f"{store.path}-shm")):
        if same_file(dest, own):
            raise BackupError(f"{dest} is the journal itself: give the backup another file")
    if not dest.parent.is_dir():
        raise BackupError(f"cannot write {dest}: the folder {dest.parent} does not exist")
    return dest


def backup_journal(store: Store, dest: Path, now: datetime | None = None) -> BackupReport:
    """Copy the open journal to ``dest`` (a file, replaced whole, or a folder) with the
    online backup API; BackupError, with nothing written, when it cannot."""
    target = backup_target(store, Path(dest).expanduser(), now)
    started = time.perf_counter()
    try:
        size = copy_out(store, target)
    except CopyError as exc:
        raise BackupError(f"backup not written: {exc}") from exc
    return BackupReport(target, size, time.perf_counter() - started)
