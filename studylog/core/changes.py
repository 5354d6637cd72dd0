"""Whether the database changed since a screen read it: the version screens compare
before reloading (coming back to a screen with nothing changed costs nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studylog.core.storage.database import Store

Version = tuple[int, int]


def data_version(store: Store) -> Version:
    """A value that moves whenever anything commits to ``store``'s file: the app's own
    writes, another connection of the app (a worker's), or another program (the CLI)."""
    return store.data_version()
