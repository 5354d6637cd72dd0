"""Where the journal's files are: write-back on or off, and the journal folder that
days written in the app go to (one file per week or per day). Kept in the database, so
the app and every shell agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from studylog.core.storage.database import Store
from studylog.errors import StudylogError

Per = Literal["week", "day"]
META_WRITE_BACK = "journal.write_back"
META_FOLDER = "journal.folder"
META_PER = "journal.folder_per"

__all__ = ["JournalSettings", "JournalSettingsError", "folder_path", "journal_settings",
           "set_folder_text", "set_journal_folder", "set_write_back"]


class JournalSettingsError(StudylogError, ValueError):
    """A journal folder that cannot be used; the message is one line."""


@dataclass(frozen=True, slots=True)
class JournalSettings:
    write_back: bool  # saving a day rewrites it in its file
    folder: str | None  # where days written in the app get a file; None: they get none
    per: Per  # one file per week (``Day N (MM/DD)`` sections) or per day (front matter)


def journal_settings(store: Store) -> JournalSettings:
    """The stored settings (write-back off and no folder by default)."""
    meta = store.settings
    per = meta.get_meta(META_PER, "week")
    return JournalSettings(meta.get_meta(META_WRITE_BACK) == "on",
                           meta.get_meta(META_FOLDER) or None,
                           "day" if per == "day" else "week")


def set_write_back(store: Store, on: bool) -> None:
    """Turn write-back on or off."""
    with store.write():
        store.settings.set_meta(META_WRITE_BACK, "on" if on else "off")


def folder_path(text: str | Path) -> Path:
    """``text`` as a journal folder: ``~`` expanded, made absolute. JournalSettingsError,
    one line, when it is empty or names something that is not a folder (it need not
    exist yet: the first day written creates it)."""
    if not str(text).strip():
        raise JournalSettingsError("no folder given: type the journal folder's path")
    folder = Path(str(text).strip()).expanduser()
    if folder.exists() and not folder.is_dir():
        raise JournalSettingsError(f"{folder} is a file: the journal folder must be a folder")
    return folder.resolve()


def set_journal_folder(store: Store, folder: Path | None, per: Per = "week") -> None:
    """Days written in the app go to ``folder`` (None: nowhere), one file per ``per``.
    JournalSettingsError when ``folder`` is a file."""
    path = folder_path(folder) if folder is not None else None
    with store.write():
        store.settings.set_meta(META_FOLDER, str(path) if path else "")
        store.settings.set_meta(META_PER, per)


def set_folder_text(store: Store, text: str) -> str:
    """The journal folder as typed in the app's settings (empty: none), keeping one file
    per week or day as set; returns the folder saved, as text ("" for none)."""
    per = journal_settings(store).per
    folder = folder_path(text) if text.strip() else None
    set_journal_folder(store, folder, per)
    return str(folder) if folder else ""
