"""Finding log files: the paths given, and ``*.md``/``*.markdown``/``*.txt`` in folders.

A folder that cannot be read is reported, never skipped silently; a non-regular file with
a log suffix (a FIFO named ``x.md``) is listed, so reading refuses it by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studylog.errors import StudylogError

LOG_SUFFIXES = (".md", ".markdown", ".txt")


class PathError(StudylogError, FileNotFoundError):
    """A path given to import does not exist."""


@dataclass
class FoundLogs:
    files: list[Path] = field(default_factory=list)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # folder, reason


def _walk(folder: Path, found: FoundLogs) -> None:
    def failed(exc: OSError) -> None:
        found.unreadable.append((Path(exc.filename or folder), exc.strerror or str(exc)))

    files: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=failed):
        dirs.sort()
        files.extend(Path(root, n) for n in names if Path(n).suffix.lower() in LOG_SUFFIXES)
    found.files.extend(sorted(files))


def find_logs(paths: Iterable[str | Path]) -> FoundLogs:
    """Files as given and logs found recursively in folders (symlinked folders are not
    followed). PathError, before anything is read, if a path does not exist."""
    found = FoundLogs()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            _walk(path, found)
        elif path.exists() or path.is_symlink():
            found.files.append(path)
        else:
            raise PathError(f"no such file or folder: {raw}")
    return found
