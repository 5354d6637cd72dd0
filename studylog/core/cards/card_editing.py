"""One card in full (its back, source days, snippet) and editing it by hand.

A front or back you edit is marked as yours: imports and deck updates never overwrite
it (``front_edited``/``back_edited``), and an edited snippet is kept the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from studylog.core.storage.database import Store
from studylog.errors import StudylogError


class CardError(StudylogError, ValueError):
    """No such card, or an edit that cannot be saved; one line."""


@dataclass
class CardDetail:
    id: int
    front: str
    back: str
    kind: str
    deck: str
    deck_trusted: bool
    state: str
    due: str | None
    stability: float | None
    lapses: int
    reps: int
    suspended: bool
    sources: list[dict] = field(default_factory=list)  # {date, title}, newest first
    snippet: dict | None = None  # {id, name, code, timeout}


def card_detail(store: Store, card_id: int) -> CardDetail:
    row = store.card(card_id)
    if row is None:
        raise CardError(f"no card with id {card_id}")
    deck = store.deck_of_card(card_id)
    snippet = store.snippet(card_id=card_id)
    return CardDetail(
        row["id"], row["front"], row["back"], row["kind"], deck["name"], bool(deck["trusted"]),
        row["state"], row["due"], row["stability"], row["lapses"], row["reps"],
        bool(row["suspended"]), store.card_sources(card_id),
        {k: snippet[k] for k in ("id", "name", "code", "timeout")} if snippet else None)


def edit_card(store: Store, card_id: int, front: str, back: str) -> list[str]:
    """Save a hand edit; returns the fields that changed (``front``, ``back``)."""
    row = store.card(card_id)
    if row is None:
        raise CardError(f"no card with id {card_id}")
    front = front.strip()
    if not front:
        raise CardError("a card needs a front")
    fields: dict = {}
    if front != row["front"]:
        fields.update(front=front, front_edited=1)
    if back != row["back"]:
        fields.update(back=back, back_edited=1)
    if fields:
        with store.write():
            store.update_card(card_id, fields)
    return [k for k in ("front", "back") if k in fields]
