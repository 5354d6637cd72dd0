"""Many small write units (an import's files) committed a group at a time.

Each commit writes every page the transaction touched, and a file's days touch pages all
over the keyword and passage indexes: committed file by file, ten years of logs wrote
160 MB of WAL for a database a tenth of that size, and the commits were a fifth of the
import. A group shares those pages.

Each unit still stands whole or not at all: it runs in its own ``store.write()`` (a
savepoint inside the group). The group's transaction opens at the first unit that
writes, so work that writes nothing takes no lock. When something raises, the units
finished before it are committed (as per-unit commits kept them), unless the failure
ended the transaction itself; a killed process loses at most the open group, which
nothing committed refers to.
"""

from __future__ import annotations

import time
from contextlib import ExitStack

from studylog.core.storage.database import Store


class GroupedWrites:
    """Write units committed ``size`` at a time, or once a group has been open
    ``seconds`` (so what is done is committed, and can be reported, soon): call
    ``writing()`` before a unit's own ``store.write()``, ``written()`` after it,
    ``commit()`` at the end, and ``close_after(exc)`` when something raised."""

    def __init__(self, store: Store, size: int, seconds: float) -> None:
        self.store = store
        self.size = size
        self.seconds = seconds
        self._open: ExitStack | None = None
        self._units = 0
        self._opened_at = 0.0

    @property
    def is_open(self) -> bool:
        """True while units are written but not committed."""
        return self._open is not None

    def writing(self) -> None:
        """A unit is about to write: open the group's transaction if none is open."""
        if self._open is None:
            stack = ExitStack()
            stack.enter_context(self.store.write())
            self._open, self._units, self._opened_at = stack, 0, time.monotonic()

    def written(self) -> None:
        """A unit has written; a full group is committed."""
        self._units += 1
        if self._units >= self.size or time.monotonic() - self._opened_at >= self.seconds:
            self.commit()

    def commit(self) -> None:
        """Commit the open group, if any."""
        stack, self._open = self._open, None
        if stack is not None:
            stack.close()

    def close_after(self, exc: BaseException) -> None:
        """``exc`` was raised: commit the units finished before it, or, when ``exc``
        ended the transaction itself, only let the group go (the caller re-raises)."""
        stack, self._open = self._open, None
        if stack is None:
            return
        if self.store.conn.in_transaction:
            stack.close()
            return
        try:  # write() sees the failure and, its transaction gone, does nothing more
            stack.__exit__(type(exc), exc, exc.__traceback__)
        except BaseException:  # noqa: S110  (it re-raises ``exc``; the caller raises it)
            pass
