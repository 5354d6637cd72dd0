"""``studylog export apkg``: the cards as an Anki package (``.apkg``), written with
genanki.

Each studylog deck becomes the Anki deck ``studylog::<deck>``. The note type and deck ids
are fixed (the note type's) or derived from the deck's name, and each note's GUID from its
card's identity, so importing a later export into Anki updates the notes it already has
instead of adding them again. Each graded card carries its schedule and FSRS memory
state, and every grade is a row of Anki's ``revlog`` (``revlog_export``): genanki writes
the collection's notes and cards, then the export fills in what genanki has no place
for, and zips the collection itself.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import tempfile
import time
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import genanki

from studylog.core.anki.note_fields import FIELDS, anki_note, note_guid
from studylog.core.anki.revlog_export import revlog_rows, schedule_rows
from studylog.core.anki.target_file import AnkiExportError, check_target, notes_to_export
from studylog.core.review.settings import day_config
from studylog.core.storage.anki_package_db import AnkiPackageDb
from studylog.core.storage.database import Store

# Fixed forever: Anki keys a note type by this id, and a changed id would make a second
# export bring a second, duplicate note type.
MODEL_ID = 1_733_150_421
MODEL_NAME = "studylog card"
ANKI_PARENT = "studylog"
_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.sources { color: #888; font-size: 14px; margin-top: 1em; }"""
_BACK = ("{{FrontSide}}<hr id=answer>{{Back}}{{#Snippet}}<div>{{Snippet}}</div>{{/Snippet}}"
         "{{#Sources}}<div class=sources>written {{Sources}}</div>{{/Sources}}")

__all__ = ["AnkiExportError", "ApkgReport", "anki_deck_name", "export_apkg"]


@dataclass(slots=True)
class ApkgReport:
    path: Path
    notes: int
    decks: list[str]
    seconds: float
    reviews: int = 0


def anki_deck_name(deck: str) -> str:
    """The Anki deck a studylog deck's cards go to."""
    return f"{ANKI_PARENT}::{deck}"


def _deck_id(name: str) -> int:
    # Anki's deck ids are 64-bit; keeping them in [2**30, 2**31) stays clear of Default (1).
    return (1 << 30) + int(hashlib.sha256(name.encode()).hexdigest()[:7], 16)


def _model() -> genanki.Model:
    return genanki.Model(
        MODEL_ID, MODEL_NAME, fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": _BACK}], css=_CSS)


def export_apkg(store: Store, dest: Path, deck: str | None = None,
                now: datetime | None = None) -> ApkgReport:
    """Write every card (of ``deck``) to ``dest`` as an Anki package, replaced whole or
    not at all. ``now`` stamps the notes: Anki updates a note it has from a newer one."""
    started = time.perf_counter()
    dest = check_target(store, dest)
    rows = notes_to_export(store, deck)
    model = _model()
    decks: dict[str, genanki.Deck] = {}
    for row in rows:
        note = anki_note(row)
        name = anki_deck_name(note.deck)
        if name not in decks:
            decks[name] = genanki.Deck(_deck_id(name), name)
        decks[name].add_note(genanki.Note(model=model, fields=list(note.fields),
                                          tags=list(note.tags), guid=note.guid))
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    handle, name = tempfile.mkstemp(prefix="studylog-apkg-", suffix=".anki2")
    os.close(handle)
    collection = Path(name)
    try:
        reviews = _write_collection(store, genanki.Package(list(decks.values())),
                                    collection, (now or datetime.now(UTC)).timestamp(), deck)
        with zipfile.ZipFile(partial, "w") as archive:  # stored, as genanki writes it
            archive.write(collection, "collection.anki2")
            archive.writestr("media", "{}")
        os.replace(partial, dest)
    except OSError as exc:
        raise AnkiExportError(f"export not written to {dest}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
        collection.unlink(missing_ok=True)
    return ApkgReport(dest, len(rows), list(decks), time.perf_counter() - started, reviews)


def _write_collection(store: Store, package: genanki.Package, path: Path, timestamp: float,
                      deck: str | None) -> int:
    """genanki's notes and cards, then each card's schedule and the review log, into
    the collection file ``path``; returns the number of revlog rows."""
    db = AnkiPackageDb(path)
    try:
        package.write_to_db(db.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        db.use_v2_scheduler()
        card_ids = db.card_ids_by_guid()
        db.set_schedules(schedule_rows(store.anki_notes.schedules(deck), card_ids,
                                       db.created(), day_config(store)))
        pairs = [(c.id, card_ids[guid]) for c in store.anki_notes.card_keys(deck)
                 if (guid := note_guid(c.deck, c.key)) in card_ids]
        added = db.copy_revlog(store.path, pairs)
        if added is None:  # a rare instant SQL cannot place: row by row
            added = db.add_revlog(revlog_rows(store.anki_notes.review_rows(deck), card_ids))
        db.commit_and_close()
    except BaseException:
        db.close()
        raise
    return added
