"""Card candidates: what a day proposes, and accepting or rejecting it.

A day's bold-term bullets (core/journal/candidate_forms.py) are stored as *pending*
candidates of the journal deck; they are not cards and never enter review. Accepting one
makes an ordinary card of the deck (linked to its day); rejecting one is remembered, so a
re-import never proposes it again. Editing a day updates its pending candidates and drops
those no longer written. A term that is a bold label on many days of the journal (see
storage/candidates.py: on >= 3 days and on more than a quarter of them) is hidden.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studylog.core.storage.candidates import CandidateFields, CandidateRow
from studylog.core.storage.database import Store
from studylog.errors import StudylogError

__all__ = ["Accepted", "CandidateError", "CandidateRow", "accept_candidates",
           "count_pending_candidates",
           "pending_candidates", "reject_candidates", "set_candidates_enabled",
           "sync_day_candidates"]

if TYPE_CHECKING:  # the app counts candidates without loading the Markdown parser
    from studylog.core.journal.candidate_forms import Candidate


class CandidateError(StudylogError, ValueError):
    """Unknown or already decided candidate ids; the message is one line."""


@dataclass(frozen=True, slots=True)
class Accepted:
    candidate_id: int
    card_id: int
    front: str


def sync_day_candidates(store: Store, deck_id: int, entry_id: int, day: str,
                        source: str | None, candidates: list[Candidate],
                        labels: Iterable[str]) -> None:
    """Store what one saved day proposes. Call inside a write transaction."""
    repo = store.candidates
    repo.set_labels(entry_id, labels)
    existing = {row.norm: row for row in repo.of_day(deck_id, day)}
    for candidate in candidates:
        fields = CandidateFields(candidate.norm, candidate.front, candidate.back)
        row = existing.pop(candidate.norm, None)
        if row is None:
            repo.insert(deck_id, day, source, fields)
        elif row.status == "pending" and (row.front, row.back, row.source_file) != \
                (fields.front, fields.back, source):
            repo.update_pending(row.id, source, fields)
    repo.delete_pending(row.id for row in existing.values() if row.status == "pending")


def pending_candidates(store: Store, deck: str | None = None) -> list[CandidateRow]:
    """Candidates waiting for a decision, oldest day first (none for a deck that turned
    candidates off)."""
    if deck is None:
        return store.candidates.pending()
    row = store.decks.get(deck)
    return [] if row is None else store.candidates.pending(row.id)


def count_pending_candidates(store: Store) -> int:
    """How many candidates wait, over every journal deck."""
    return store.candidates.count_pending()


def _pending(store: Store, ids: list[int]) -> list[CandidateRow]:
    """The pending rows of ``ids`` in the order given; CandidateError names any other id."""
    found = {row.id: row for row in store.candidates.pending(ids=ids)} if ids else {}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise CandidateError(f"no pending candidate with id {', '.join(missing)} "
                             "(see studylog candidates)")
    return [found[i] for i in dict.fromkeys(ids)]


def accept_candidates(store: Store, ids: list[int],
                      edits: dict[int, tuple[str, str]] | None = None) -> list[Accepted]:
    """Make a card of each candidate (with ``edits``: candidate id -> (front, back)).
    All or nothing: an unknown or decided id changes nothing."""
    accepted: list[Accepted] = []
    with store.write():
        for row in _pending(store, ids):
            front, back = (edits or {}).get(row.id, (row.front, row.back))
            if not front.strip():
                raise CandidateError(f"candidate {row.id}: the front is empty")
            card_id = store.cards.insert({
                "deck_id": row.deck_id, "key": f"candidate:{row.id}", "front": front.strip(),
                "back": back.strip(), "first_written": row.date,
                "snippet_id": store.snippets.id_for_alias(row.norm)})
            entry = store.entries.get(row.date)
            if entry is not None:  # the day it was written on
                store.cards.set_sources(card_id, [entry.id])
            store.candidates.set_status(row.id, "accepted", card_id,
                                        front.strip(), back.strip())
            accepted.append(Accepted(row.id, card_id, front.strip()))
    return accepted


def reject_candidates(store: Store, ids: list[int]) -> int:
    """Reject candidates for good; returns how many. All or nothing."""
    with store.write():
        rows = _pending(store, ids)
        for row in rows:
            store.candidates.set_status(row.id, "rejected")
    return len(rows)


def set_candidates_enabled(store: Store, deck: str, enabled: bool) -> None:
    """Turn candidates of a journal deck on or off (off hides them; nothing is lost)."""
    with store.write():
        deck_id = store.decks.ensure(deck, "journal", trusted=True)
        store.candidates.set_enabled(deck_id, enabled)
