"""Reading a log or deck file: its type and size are checked before a byte is read.

``/dev/zero`` would be read until memory runs out, a FIFO would block forever and a 1 GiB
sparse file would be read whole before any size rule applied; only regular files are
read, and never more than the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from studylog.errors import StudylogError

MAX_FILE_BYTES = 20 * 1024 * 1024


class FileRefused(StudylogError, OSError):
    """A file that is not read; the message says why, in one line."""


def too_large(size: int, limit: int = MAX_FILE_BYTES) -> str:
    return f"too large: {size / 1e6:.1f} MB (limit {limit // (1024 * 1024)} MiB)"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def check_regular(info: os.stat_result, limit: int) -> None:
    """FileRefused unless ``info`` is a regular file of at most ``limit`` bytes."""
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"not a regular file ({_kind(info.st_mode)}): not read")
    if info.st_size > limit:
        raise FileRefused(too_large(info.st_size, limit))


def read_file_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``). FileRefused otherwise,
    without reading (and without opening anything but a regular file)."""
    try:
        check_regular(os.stat(path), limit)
        # O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening it does
        # not wait for a writer; fstat below refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileRefused:
        raise
    except OSError as exc:
        raise FileRefused(f"cannot read: {exc.strerror}") from exc
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            check_regular(info, limit)
            # read(n) allocates n bytes first: ask for the file's size (and one more),
            # not the limit; a file that grew since the stat stops at the limit
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
        except FileRefused:
            raise
        except OSError as exc:
            raise FileRefused(f"cannot read: {exc.strerror}") from exc
    if len(data) > limit:
        raise FileRefused(too_large(len(data), limit))
    return data
