"""What both Anki exports check before writing: a usable target file and cards to write."""

from __future__ import annotations

from pathlib import Path

from studylog.core.backup.backup_file import same_file
from studylog.core.storage.anki_notes import AnkiNoteRow
from studylog.core.storage.database import Store
from studylog.errors import StudylogError


class AnkiExportError(StudylogError, ValueError):
    """The Anki export cannot be written; the message is one line."""


def check_target(store: Store, dest: Path) -> Path:
    """``dest`` expanded, refused when it is the journal, a folder or in no folder."""
    dest = Path(dest).expanduser()
    if same_file(dest, store.path):
        raise AnkiExportError(f"{dest} is the journal itself: give the export another file")
    if dest.is_dir() or not dest.parent.is_dir():
        raise AnkiExportError(f"cannot write {dest}: give a file in an existing folder")
    return dest


def notes_to_export(store: Store, deck: str | None) -> list[AnkiNoteRow]:
    """The cards to export, refusing an unknown deck or nothing at all."""
    if deck is not None and not store.anki_notes.deck_exists(deck):
        raise AnkiExportError(f"no deck named {deck!r}")
    rows = store.anki_notes.rows(deck)
    if not rows:
        raise AnkiExportError(f"no cards to export{f' in deck {deck!r}' if deck else ''}")
    return rows
