"""Decks in the database: bundled decks kept in step with their files, decks added by the
user (untrusted until trusted once), and links from journal keywords to deck snippets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from studylog import paths
from studylog.core.cards.card_changes import CardChanges
from studylog.core.storage.database import Store

if TYPE_CHECKING:
    from studylog.core.cards.deck_parser import Deck, DeckCard


@dataclass(slots=True)
class DeckReport(CardChanges):
    """What saving a deck did; ``new_cards`` are the fronts of its new cards."""

    deck: str = field(default="")


def file_hash(path: Path) -> str | None:
    """The content hash recorded for a deck file (None if it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _save_snippet(store: Store, card: DeckCard, deck_id: int) -> int | None:
    """Insert or update the card's snippet (code edited in the app is kept)."""
    from studylog.core.cards.card_editing import deck_code_to_write
    from studylog.core.cards.deck_parser import DeckError

    if card.snippet_code is None or card.snippet_name is None:
        return None
    stored = store.snippets.by_name(card.snippet_name)
    if stored is None:
        return store.snippets.insert(card.snippet_name, deck_id, card.snippet_code,
                                     card.timeout)
    if stored.deck_id != deck_id:
        raise DeckError(f"line {card.line}: snippet name '{card.snippet_name}' is already "
                        f"used by deck '{stored.deck}'")
    store.snippets.update(stored.id, timeout=card.timeout,
                          code=deck_code_to_write(stored, card.snippet_code))
    return stored.id


def _save_card(store: Store, deck_id: int, key: str, fields: dict[str, Any],
               aliases: set[str]) -> Literal["new", "updated", "same"]:
    """Insert or update a deck card by key. Scheduling columns are never touched, a
    hand-edited front or back is kept, and so is the leech tag."""
    from studylog.core.cards.card_editing import keep_hand_edits
    from studylog.core.cards.leech import keep_leech

    card = store.cards.by_key(deck_id, key)
    if card is None and store.deletions.deleted_card_dates(deck_id, key) is not None:
        return "same"  # you deleted it: a deck update does not bring it back
    if card is None:
        card_id = store.cards.insert({"deck_id": deck_id, "key": key, **fields})
        status: Literal["new", "updated", "same"] = "new"
    else:
        card_id = card.id
        fields = {**keep_hand_edits(card, fields), "tags": keep_leech(card.tags, fields["tags"])}
        changed = {k: v for k, v in fields.items() if getattr(card, k) != v}
        status = "updated" if changed else "same"
        if changed:
            store.cards.update(card_id, changed)
    store.cards.set_aliases(card_id, aliases)
    return status


def save_deck(store: Store, deck: Deck, *, kind: str, source: str, content_hash: str,
              trusted: bool) -> DeckReport:
    """Insert or update a deck and its cards by card key; cards that left the file stay
    (with their review history), marked orphaned. Call inside a write transaction."""
    from studylog.core.cards.deck_parser import alias_norms

    deck_id = store.decks.save(deck.name, kind=kind, description=deck.description,
                               source_file=source, content_hash=content_hash, trusted=trusted)
    report = DeckReport(deck=deck.name)
    for position, card in enumerate(deck.cards):
        status = _save_card(store, deck_id, card.key, {
            "front": card.front, "back": card.back, "kind": card.kind,
            "snippet_id": _save_snippet(store, card, deck_id), "position": position,
            "orphaned": 0, "tags": list(card.tags)}, alias_norms(card))
        if status == "new":
            report.new_cards.append(card.front)
        elif status == "updated":
            report.updated_cards += 1
    report.orphaned_names = store.cards.orphan_missing(deck_id, [c.key for c in deck.cards])
    report.orphaned_cards = len(report.orphaned_names)
    store.snippets.link_keyword_cards()
    return report


def sync_bundled_decks(store: Store, folder: Path | None = None, *,
                       enabled: bool = False) -> list[str]:
    """Load or refresh the decks shipped with studylog (cheap when nothing changed).
    A bundled deck new to this database starts off unless ``enabled`` (the demo): a
    personal journal studies its own cards until you turn a bundled deck on; refreshing
    never changes that choice. Returns one-line problems (a bundled deck that fails to
    parse is skipped)."""
    problems = []
    for path in sorted((folder or paths.bundled_decks_dir()).glob("*.md")):
        # Compare the file's hash before parsing (or even importing the parser): this
        # runs every time a store opens, the app's start-up included.
        if store.decks.hash_of_source(str(path)) == file_hash(path):
            continue
        # only for a changed file: start-up (nothing changed) imports none of this
        from studylog.core.cards.deck_parser import DeckError, read_deck_file
        from studylog.core.review.settings import set_deck_settings

        try:
            deck, content_hash = read_deck_file(path)
        except DeckError as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        with store.write():
            is_new = store.decks.get(deck.name) is None
            save_deck(store, deck, kind="bundled", source=str(path),
                      content_hash=content_hash, trusted=True)
            if is_new and not enabled:
                set_deck_settings(store, deck.name, enabled=False)
    return problems


def add_deck(store: Store, path: Path) -> DeckReport:
    """Add (or re-add, after an edit) someone else's deck file. A new deck is untrusted
    until ``trust_deck``; re-adding keeps the trust only when the file is unchanged (an
    edited file must be read and trusted again), and always keeps the review history."""
    from studylog.core.cards.deck_parser import DeckError, read_deck_file

    deck, content_hash = read_deck_file(path)
    existing = store.decks.get(deck.name)
    if existing and existing.kind != "added":
        raise DeckError(f"a {existing.kind} deck named '{deck.name}' already exists")
    with store.write():
        trusted = bool(existing and existing.trusted and existing.content_hash == content_hash)
        return save_deck(store, deck, kind="added", source=str(path.resolve()),
                         content_hash=content_hash, trusted=trusted)


def trust_deck(store: Store, name: str) -> None:
    """Let the snippets of the deck ``name`` run; DeckError when there is no such deck."""
    from studylog.core.cards.deck_parser import DeckError

    row = store.decks.get(name)
    if row is None:
        raise DeckError(f"no deck named '{name}'")
    with store.write():
        store.decks.set_trusted(row.id, True)
