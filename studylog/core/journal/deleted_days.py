"""What re-importing does with a day you deleted in studylog.

A deleted day stays deleted while its text in the file is the text it had when you
deleted it: re-importing the file (or the file with other days added, as people keep one
file per week) leaves it out and the import report says so. Once you change that day's
text in the file, the next import brings it back, and the report says that too (you
edited the day, so you want it). Undo (``u``, ``studylog undo``) brings it back the
same study day.
"""

from __future__ import annotations

import hashlib
import json

from studylog.core.storage.database import Store


def day_text_hash(body: str) -> str:
    """The identity of a day's text: its body (not its heading, which the import may
    name after the first line; not the parser's version)."""
    return hashlib.sha256(json.dumps(body.strip()).encode()).hexdigest()


def kept_deleted(store: Store, day: str, body: str) -> bool | None:
    """For a day an import is about to write: True when it was deleted and its text is
    unchanged (leave it out), False when it was deleted but its text changed (it comes
    back: the tombstone goes), None when it was never deleted. Call inside the import's
    transaction."""
    deleted = store.deletions.deleted_day_hash(day)
    if deleted is None:
        return None
    if deleted == day_text_hash(body):
        return True
    store.deletions.forget_day(day)
    return False
