"""Decks in the database: bundled decks kept in step with their files, decks added by the
user (untrusted until trusted once), and links from journal keywords to deck snippets."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from studylog import paths
from studylog.core.storage.database import Store

if TYPE_CHECKING:
    from studylog.core.cards.deck_parser import Deck


def file_hash(path: Path) -> str | None:
    """The content hash recorded for a deck file (None if it cannot be read)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def save_deck(store: Store, deck: Deck, *, kind: str, source: str, content_hash: str,
              trusted: bool) -> dict:
    """Insert or update a deck and its cards by card key; cards that left the file stay
    (with their review history), marked orphaned. Call inside a write transaction."""
    from studylog.core.cards.deck_parser import DeckError, alias_norms

    deck_id = store.save_deck_row(deck.name, kind=kind, description=deck.description,
                                  source_file=source, content_hash=content_hash,
                                  trusted=trusted)
    report = {"deck": deck.name, "new": 0, "updated": 0, "orphaned": 0}
    keys = []
    for position, card in enumerate(deck.cards):
        keys.append(card.key)
        snippet_id = None
        if card.snippet_code is not None:
            try:
                snippet_id = store.save_snippet(card.snippet_name, deck_id, card.snippet_code,
                                                card.timeout)
            except ValueError as exc:
                raise DeckError(f"line {card.line}: {exc}") from None
        status = store.save_deck_card(deck_id, card.key, {
            "front": card.front, "back": card.back, "kind": card.kind,
            "snippet_id": snippet_id, "position": position, "orphaned": 0,
            "tags": " ".join(card.tags)}, alias_norms(card))
        if status in report:
            report[status] += 1
    report["orphaned"] = store.orphan_deck_cards(deck_id, keys)
    store.link_keyword_snippets()
    return report


def sync_bundled_decks(store: Store, folder: Path | None = None) -> list[str]:
    """Load or refresh the decks shipped with studylog (cheap when nothing changed).
    Returns one-line problems (a bundled deck that fails to parse is skipped)."""
    problems = []
    for path in sorted((folder or paths.bundled_decks_dir()).glob("*.md")):
        # Compare the file's hash before parsing (or even importing the parser): this
        # runs every time a store opens, the app's start-up included.
        if store.deck_hash_of_source(str(path)) == file_hash(path):
            continue
        from studylog.core.cards.deck_parser import DeckError, read_deck_file

        try:
            deck, content_hash = read_deck_file(path)
        except DeckError as exc:
            problems.append(f"{path.name}: {exc}")
            continue
        with store.write():
            save_deck(store, deck, kind="bundled", source=str(path),
                      content_hash=content_hash, trusted=True)
    return problems


def add_deck(store: Store, path: Path) -> dict:
    """Add (or re-add, after an edit) someone else's deck file. Untrusted until
    ``trust_deck``; re-adding keeps both the trust and the review history."""
    from studylog.core.cards.deck_parser import DeckError, read_deck_file

    deck, content_hash = read_deck_file(path)
    existing = store.deck_row(deck.name)
    if existing and existing["kind"] != "added":
        raise DeckError(f"a {existing['kind']} deck named '{deck.name}' already exists")
    with store.write():
        trusted = bool(existing and existing["trusted"] and
                       existing["content_hash"] == content_hash)
        return save_deck(store, deck, kind="added", source=str(path.resolve()),
                         content_hash=content_hash, trusted=trusted)


def trust_deck(store: Store, name: str) -> None:
    from studylog.core.cards.deck_parser import DeckError

    row = store.deck_row(name)
    if row is None:
        raise DeckError(f"no deck named '{name}'")
    with store.write():
        store.set_deck_trusted(row["id"], True)
