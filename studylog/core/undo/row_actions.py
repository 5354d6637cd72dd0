"""Undoable actions that change many rows of many tables (deleting a day or cards,
suspending the orphans, renaming or merging keywords): each is journaled with the
before-images of the rows it touches (``storage.row_images``), and undoing it puts them
back exactly. ``reversal.undo_newest`` calls ``put_back_rows`` for these actions; they
need no surviving card (a delete's card is gone)."""

from __future__ import annotations

from studylog.core.storage.database import Store
from studylog.core.storage.row_images import RowConflict, RowImage
from studylog.core.storage.undo_journal import UndoEntry
from studylog.core.undo.journal import UndoError, record_action

DELETE_DAY = "delete day"
DELETE_CARDS = "delete card"
SUSPEND_ORPHANS = "suspend orphans"
RENAME_KEYWORD = "rename keyword"
MERGE_CARDS = "merge cards"
# in a rename's entry: the days whose files it then wrote (undo writes them back)
FILES_WRITTEN = "files_written"
ROW_ACTIONS = frozenset({DELETE_DAY, DELETE_CARDS, SUSPEND_ORPHANS, RENAME_KEYWORD,
                         MERGE_CARDS})


def record_row_action(store: Store, action: str, card_id: int | None, label: str,
                      images: list[RowImage]) -> int:
    """Journal ``action`` (one of ``ROW_ACTIONS``) with the images taken before it;
    call inside the action's transaction, after it. ``label`` names what it did to
    (a day, a card's front) in the undo message."""
    if action not in ROW_ACTIONS:
        raise ValueError(f"{action!r} is not a row action")
    return record_action(store, action, card_id,
                         {"label": label, "images": [i.to_json() for i in images]})


def put_back_rows(store: Store, entry: UndoEntry) -> str:
    """Reverse a row action (inside the undo's transaction); returns its label.
    UndoError, with no row changed, when something took the place of what it would put
    back (a day of that date written again, a new card of that keyword)."""
    label = str(entry.data["label"])
    try:
        with store.write():  # a savepoint: a conflict half way leaves every row as it was
            store.row_images.put_back([RowImage.from_json(i) for i in entry.data["images"]])
    except RowConflict as exc:
        what = {"entries": "a day of that date was written since",
                "cards": "a card of that keyword was made since"}.get(
                    str(exc).split(":")[0], "it changed since")
        raise UndoError(f"cannot undo {entry.action} of “{label}”: {what}; this undo is "
                        "dropped (undo again for the action before it)") from exc
    return label
