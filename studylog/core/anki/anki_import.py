"""``studylog import-anki``: Anki decks brought in as studylog cards.

A package (``.apkg``/``.colpkg``) or a text export is read whole first, then written in
one transaction: any refusal (a damaged or foreign file, a deck name studylog already
uses for something else) leaves the database as it was. Each note becomes the card
``anki-<guid>`` in the deck named after its Anki deck (``A::B`` kept as the name), or
in ``into``; importing the same file again finds those cards and updates them instead
of adding them again. Imported decks are added decks, untrusted like any other.
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from studylog.core.anki.grades_alongside import grades_read_alongside
from studylog.core.anki.incoming_notes import IncomingNote, incoming_notes
from studylog.core.anki.package_file import collection_copy
from studylog.core.anki.review_history import (
    Memory,
    card_schedule,
    replayed_memory,
    stored_memory,
)
from studylog.core.anki.text_import import read_text_export
from studylog.core.cards.card_editing import keep_hand_edits
from studylog.core.cards.leech import keep_leech
from studylog.core.storage.anki_collection import AnkiCollection, AnkiImportError
from studylog.core.storage.database import Store

KEY_PREFIX = "anki-"
DESCRIPTION = "Imported from Anki"

__all__ = ["AnkiImportError", "AnkiImportReport", "import_anki"]


@dataclass(slots=True)
class AnkiImportReport:
    """What an import did."""

    source: Path
    decks: list[str] = field(default_factory=list)
    new_cards: int = 0
    updated_cards: int = 0
    unchanged_cards: int = 0
    skipped_notes: int = 0  # empty notes, and cards you deleted here
    reviews: int = 0  # review-log rows added
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"source": str(self.source), "decks": self.decks, "new": self.new_cards,
                "updated": self.updated_cards, "unchanged": self.unchanged_cards,
                "skipped": self.skipped_notes, "reviews": self.reviews,
                "seconds": round(self.seconds, 3)}


@dataclass(slots=True)
class PackageHistory:
    """A package's collection, its grades read into the store's scratch table (the
    copy attached), and each card's newest grade (Anki card id -> epoch ms)."""

    col: AnkiCollection
    last_graded: dict[int, int]


@contextmanager
def opened(store: Store, path: Path) -> Iterator[tuple[list[IncomingNote], int,
                                                       PackageHistory | None]]:
    """The notes of an Anki package or text export, how many were skipped, and for a
    package its history (the copy attached to the store meanwhile: SQLite attaches a
    database outside a transaction only)."""
    if zipfile.is_zipfile(path) or path.suffix.lower() in (".apkg", ".colpkg"):
        with collection_copy(path) as copy, AnkiCollection(copy, path.name) as col:
            foreign, decks, cards = col.notes(), col.deck_names(), col.first_cards()
            store.anki_history.attach(copy)
            try:
                with grades_read_alongside(store, col, [c.id for c in cards.values()]
                                           ) as last:
                    notes, skipped = incoming_notes(foreign, decks, cards)
                yield notes, skipped, PackageHistory(col, last)
            finally:
                store.anki_history.detach()
    else:
        yield (*read_text_export(path, path.stem), None)


def _deck_ids(store: Store, notes: list[IncomingNote], source: Path) -> dict[str, int]:
    """The id of every deck the notes go to, made where missing; a name studylog uses
    for a deck of its own (a journal, a bundled or a Markdown deck) is refused."""
    ids: dict[str, int] = {}
    for name in dict.fromkeys(n.deck for n in notes):
        existing = store.decks.get(name)
        if existing is not None and not existing.description.startswith(DESCRIPTION):
            raise AnkiImportError(f"studylog already has a deck named {name!r} "
                                  f"({existing.kind}): import with --into NAME")
        ids[name] = store.decks.save(
            name, kind="added", description=f"{DESCRIPTION} ({source.name})",
            source_file=str(source), content_hash="",
            trusted=bool(existing and existing.trusted))
    return ids


def _save(store: Store, note: IncomingNote, deck_id: int, position: int,
          known: dict[str, tuple[int, int]], deleted: set[tuple[int, str]],
          report: AnkiImportReport) -> tuple[int, bool] | None:
    """Insert or update the note's card: (its id, whether it is new), None if skipped."""
    key = KEY_PREFIX + note.guid
    fields: dict[str, Any] = {"front": note.front, "back": note.back, "tags": note.tags}
    if key not in known:
        if (deck_id, key) in deleted:
            report.skipped_notes += 1  # you deleted it here: an import does not revive it
            return None
        card_id = store.cards.insert({"deck_id": deck_id, "key": key, "kind": "basic",
                                      "position": position, **fields})
        known[key] = (card_id, deck_id)
        report.new_cards += 1
        return card_id, True
    card_id, old_deck = known[key]
    card = store.cards.get(card_id)
    assert card is not None
    fields = {**keep_hand_edits(card, fields), "tags": keep_leech(card.tags, note.tags),
              "deck_id": deck_id}
    changed = {k: v for k, v in fields.items() if getattr(card, k) != v}
    if changed:
        store.cards.update(card_id, changed)
        report.updated_cards += 1
    else:
        report.unchanged_cards += 1
    return card_id, False


Target = tuple[int, bool, IncomingNote]  # studylog card id, new, the note


def _memories(col: AnkiCollection, targets: dict[int, Target]) -> dict[int, Memory]:
    """Anki card id -> memory state: Anki's own, or replayed from its grades (an SM-2
    collection)."""
    out: dict[int, Memory] = {}
    replay = []
    for anki_card, (_, _, note) in targets.items():
        assert note.card is not None
        if (memory := stored_memory(note.card)) is not None:
            out[anki_card] = memory
        else:
            replay.append(anki_card)
    if replay:
        for anki_card, reviews in groupby(col.graded_reviews(replay),
                                          key=lambda r: r.card_id):
            if (memory := replayed_memory(reviews)) is not None:
                out[anki_card] = memory
    return out


def _bring_history(store: Store, history: PackageHistory, targets: dict[int, Target],
                   report: AnkiImportReport) -> None:
    """The imported cards' grades (those a card does not have yet) into the review log,
    and Anki's schedule onto each card that is new here or whose newest grade is Anki's
    (grades given in studylog since the last import are not undone)."""
    report.reviews = store.anki_history.insert_reviews(
        (anki_card, card_id, not new) for anki_card, (card_id, new, _) in targets.items())
    col, last = history.col, history.last_graded
    day_zero = col.created()
    memories = _memories(col, targets)
    for anki_card, (card_id, new, note) in targets.items():
        assert note.card is not None
        schedule = card_schedule(note.card, last.get(anki_card), memories.get(anki_card),
                                 day_zero)
        if not new:
            current = store.cards.get(card_id)
            assert current is not None
            newest = schedule.get("last_review")
            if anki_card not in last or newest is None or (
                    current.last_review is not None and newest <= current.last_review):
                continue
        if schedule:
            store.cards.set_schedule(card_id, schedule)


def import_anki(store: Store, path: Path, into: str | None = None) -> AnkiImportReport:
    """Import the Anki package or text export ``path`` (into the deck ``into``, or each
    note into its Anki deck), in one transaction. AnkiImportError when the file cannot
    be imported; nothing is written then."""
    started = time.perf_counter()
    path = Path(path).expanduser()
    if path.is_dir():
        raise AnkiImportError(f"{path} is a folder: give an Anki file (.apkg, .colpkg, .txt)")
    if path.exists() and not path.is_file():  # /dev/zero, a pipe: read forever or once
        raise AnkiImportError(f"{path} is not a regular file: give an Anki file "
                              "(.apkg, .colpkg, .txt)")
    if not path.is_file():
        raise AnkiImportError(f"no file {path}")
    if into is not None and not into.strip():
        raise AnkiImportError("--into needs a deck name")
    with opened(store, path) as (notes, skipped, history):
        if not notes:
            raise AnkiImportError(f"{path.name} holds no notes to import")
        if into is not None:
            for note in notes:
                note.deck = into.strip()
        report = AnkiImportReport(path, skipped_notes=skipped)
        _write(store, notes, path, history, report)
    report.seconds = time.perf_counter() - started
    return report


def _write(store: Store, notes: list[IncomingNote], path: Path,
           history: PackageHistory | None, report: AnkiImportReport) -> None:
    """Every note's card, then the package's history, in one transaction."""
    with store.write():
        deck_ids = _deck_ids(store, notes, path.resolve())
        known = store.anki_notes.imported_cards()
        deleted = store.anki_notes.deleted_imported()
        targets: dict[int, Target] = {}
        for position, note in enumerate(notes):
            saved = _save(store, note, deck_ids[note.deck], position, known, deleted,
                          report)
            if saved is not None and note.card is not None:
                targets[note.card.id] = (*saved, note)
        if history is not None:
            _bring_history(store, history, targets, report)
    report.decks = list(deck_ids)
