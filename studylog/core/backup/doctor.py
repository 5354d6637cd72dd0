"""``studylog doctor``: is the journal sound, which copies of it are there, and how to
go back to one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from studylog.core.backup.backup_file import BackupError
from studylog.core.backup.safety_copies import (
    DEFAULT_KEEP,
    SafetyCopy,
    copies_dir,
    keep_count,
    list_safety_copies,
)
from studylog.core.storage.database import Store
from studylog.core.storage.database_copies import (
    Contents,
    CopyError,
    contents,
    damage_of,
    integrity_problems,
    set_aside,
)
from studylog.core.storage.migrations import migrations


@dataclass(frozen=True, slots=True)
class DoctorReport:
    """The check of one journal file."""

    path: Path
    problems: list[str]  # empty: integrity and foreign keys are fine
    opened: bool  # False: the file could not be opened at all (``problems`` says why)
    schema_version: int | None
    contents: Contents | None
    copies: list[SafetyCopy] = field(default_factory=list)
    keep: int = DEFAULT_KEEP
    # checked only when the journal is damaged: a copy taken after the damage holds it
    copy_damage: dict[Path, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.opened and not self.problems

    def roll_back_to(self) -> Path | None:
        """The copy to roll back to: the newest one, or, for a damaged journal, the
        newest that passed the check."""
        return next((c.path for c in self.copies if c.path not in self.copy_damage), None)

    def advice(self) -> list[str]:
        """What to do next, in lines a person reads."""
        newest = self.roll_back_to()
        lines = []
        if not self.ok:
            if newest is not None:
                lines.append("The journal is damaged: roll back to the newest sound copy")
            elif self.copies:
                lines.append("The journal is damaged and so is every safety copy: restore a "
                             "backup of yours with studylog restore --replace FILE")
            else:
                lines.append("The journal is damaged and there is no safety copy: restore "
                             "a backup of yours with studylog restore --replace FILE")
        if newest is not None:
            lines += [f"To roll back: studylog restore --replace {newest}",
                      "  (any copy above works; the journal as it is now is copied aside "
                      "first, so a roll-back can itself be undone)"]
        else:
            lines.append(f"No safety copies in {copies_dir(self.path)} yet (one is taken "
                         "each study day once the journal holds something).")
        lines.append("To keep a copy elsewhere: studylog backup FILE")
        return lines

    def to_json(self) -> dict[str, object]:
        held = self.contents
        return {"path": str(self.path), "ok": self.ok, "opened": self.opened,
                "problems": self.problems, "schema_version": self.schema_version,
                "known_schema_version": len(migrations._migrations),
                "contents": None if held is None else
                {"entries": held.entries, "cards": held.cards, "reviews": held.reviews,
                 "candidates": held.candidates, "drafts": held.drafts},
                "copies_dir": str(copies_dir(self.path)), "keep": self.keep,
                "copies": [{**copy.to_json(), "damaged": self.copy_damage.get(copy.path)}
                           for copy in self.copies],
                "advice": self.advice()}


def _damaged_copies(copies: list[SafetyCopy]) -> dict[Path, str]:
    """Each copy, newest first, up to the first sound one, with why it is damaged: a
    copy taken after the journal went bad holds the damage too (read-only, so a full
    check of each costs only reading it)."""
    found: dict[Path, str] = {}
    for copy in copies:
        problem = damage_of(copy.path, thorough=True)
        if problem is None:
            break
        found[copy.path] = problem
    return found


def check_journal(store: Store) -> DoctorReport:
    """Integrity and foreign-key checks of the open journal, with its safety copies."""
    try:
        problems = integrity_problems(store)
        held: Contents | None = contents(store)
    except CopyError as exc:  # a damaged page stops the check itself
        problems, held = [str(exc)], None
    copies = list_safety_copies(store.path)
    return DoctorReport(store.path, problems, True,
                        int(store.value("PRAGMA user_version")), held, copies,
                        keep_count(store), _damaged_copies(copies) if problems else {})


def check_unopenable(db_path: Path, problem: str) -> DoctorReport:
    """The report on a journal file that cannot even be opened."""
    copies = list_safety_copies(db_path)
    return DoctorReport(db_path, [problem], False, None, None, copies,
                        copy_damage=_damaged_copies(copies))


def set_aside_damaged(db_path: Path, now: datetime | None = None) -> Path:
    """Move a journal file that cannot be opened out of the way (renamed, not deleted),
    so a restore can write a new one in its place; returns where it went."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    try:
        return set_aside(db_path, f".damaged-{stamp}")
    except OSError as exc:
        raise BackupError(f"cannot move the damaged {db_path} aside: {exc.strerror}") from exc


def damage(db_path: Path) -> str | None:
    """Why the journal file is damaged (it cannot be read as a database, or fails
    SQLite's quick check), or None."""
    return damage_of(db_path) if db_path.is_file() else None
