"""Undoing the newest action of the study day, whatever it was and whichever process
did it: a grade, a bury, a suspend or unsuspend, a card edit, a snippet saved in the
app or with ``studylog card snippet``, a delete, rename or merge (``row_actions``).

Each action has a reverser, registered here with ``@reverses(action)``; an issue that
adds an undoable action journals it with ``record_action`` and registers its reverser
in this module. A reverser runs inside the undo's transaction and returns ``Undone``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from studylog.core.journal.write_back import write_into_files
from studylog.core.review.scheduling import undo_last
from studylog.core.storage.cards import CardRow
from studylog.core.storage.database import Store
from studylog.core.storage.undo_journal import UndoEntry
from studylog.core.undo.journal import UndoError, today_start
from studylog.core.undo.row_actions import FILES_WRITTEN, ROW_ACTIONS, put_back_rows


@dataclass(frozen=True)
class Undone:
    """An action that was reversed; ``rating``/``state``/``due`` only for a grade."""

    action: str
    card_id: int | None
    front: str
    rating: str | None = None
    state: str | None = None
    due: str | None = None
    files: tuple[str, ...] = ()  # what putting your files back did ("written back to …")

    @property
    def message(self) -> str:
        """One line naming the card by its front."""
        done = {"grade": f"{self.rating}", "bury": "bury", "suspend": "suspend",
                "unsuspend": "unsuspend", "edit": "edit",
                "snippet": "snippet edit"}.get(self.action, self.action)
        line = f"Undid {done} of “{self.front}”"
        line += f": back to {self.state}" if self.state else ""
        return line + "".join(f" · {note}" for note in dict.fromkeys(self.files))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "id": self.card_id, "front": self.front}
        if self.action == "grade":
            out.update(rating=self.rating, state=self.state, due=self.due)
        if self.files:
            out["files"] = list(self.files)
        return out


Reverser = Callable[[Store, UndoEntry, CardRow], Undone]
REVERSERS: dict[str, Reverser] = {}


def reverses(action: str) -> Callable[[Reverser], Reverser]:
    """Register the reverser of ``action``."""
    def register(fn: Reverser) -> Reverser:
        REVERSERS[action] = fn
        return fn
    return register


def undo_newest(store: Store) -> Undone:
    """Reverse the newest action of the current study day and drop its entry.
    Entries whose card is gone (deleted since) are dropped and skipped.
    UndoError when there is nothing to undo today. A keyword rename that wrote your
    files (write-back on) has their text put back after its rows (``files`` says how)."""
    undone, entry = _undo_rows(store)
    written = entry.data.get(FILES_WRITTEN) or []
    if written and not store.conn.in_transaction:  # the files follow a committed undo
        results = write_into_files(store, {f["date"]: f["text"] for f in written})
        undone = replace(undone, files=tuple(r.message() for _, r in results))
    return undone


def _undo_rows(store: Store) -> tuple[Undone, UndoEntry]:
    refused: UndoError | None = None
    with store.write():
        store.undo_journal.prune(today_start(store))
        while (entry := store.undo_journal.newest(today_start(store))) is not None:
            if entry.action in ROW_ACTIONS:  # deletes, renames, merges: no card needed
                store.undo_journal.delete(entry.id)
                try:
                    label = put_back_rows(store, entry)
                except UndoError as exc:  # it cannot go back: the entry goes, said once
                    refused = exc
                    break
                return Undone(entry.action, entry.card_id, label), entry
            card = store.cards.get(entry.card_id) if entry.card_id is not None else None
            reverser = REVERSERS.get(entry.action)
            if reverser is None:
                raise UndoError(f"cannot undo {entry.action!r}: this version of studylog "
                                "does not know that action")
            store.undo_journal.delete(entry.id)
            if card is None:
                continue
            return reverser(store, entry, card), entry
    raise refused or UndoError("nothing to undo today")


@reverses("grade")
def _grade(store: Store, entry: UndoEntry, card: CardRow) -> Undone:
    result = undo_last(store, int(entry.data["log_id"]))
    return Undone("grade", card.id, card.front, result.rating, result.state, result.due)


@reverses("bury")
def _bury(store: Store, entry: UndoEntry, card: CardRow) -> Undone:
    store.cards.restore(card.id, {"buried_until": entry.data["buried_until"]})
    return Undone("bury", card.id, card.front)


@reverses("suspend")
@reverses("unsuspend")
def _suspend(store: Store, entry: UndoEntry, card: CardRow) -> Undone:
    store.cards.restore(card.id, {"suspended": entry.data["suspended"]})
    return Undone(entry.action, card.id, card.front)


@reverses("edit")
def _edit(store: Store, entry: UndoEntry, card: CardRow) -> Undone:
    """Put the old front/back (and their hand-edited marks) back."""
    store.cards.restore(card.id, entry.data)
    return Undone("edit", card.id, str(entry.data.get("front", card.front)))


@reverses("snippet")
def _snippet(store: Store, entry: UndoEntry, card: CardRow) -> Undone:
    """Put the old code back: a deck snippet's (with its edited mark), or the card's own
    snippet as it was (none: removed)."""
    data = entry.data
    if "snippet_id" in data:
        store.snippets.restore(int(data["snippet_id"]), str(data["code"]), bool(data["edited"]))
    elif data.get("code") is None:
        store.card_code.delete(card.id)
    else:
        store.card_code.save(card.id, str(data["code"]), predict=bool(data.get("predict")))
    return Undone("snippet", card.id, card.front)
