"""The stored text of a day, for tests that compare it before and after a change."""

from __future__ import annotations

from studylog.core.storage.database import Store


def body(store: Store, day: str) -> str:
    """The body of the entry dated ``day`` (``YYYY-MM-DD``); it must exist."""
    entry = store.entries.get(day)
    assert entry is not None
    return entry.body
