"""A copy of an Anki collection read as typed rows: its decks, notes, the first card of
each note (with its schedule) and those cards' review log.

The file is someone else's and untrusted: it is opened read-only and immutable, and
anything that is not a collection of Anki's shape (another SQLite file, a damaged one)
is an ``AnkiImportError``. Both of Anki's layouts are read: schema 11
(``collection.anki2``/``anki21``: decks as JSON in ``col.decks``) and schema 18
(``collection.anki21b``: a ``decks`` table, names joined by ``\\x1f``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from studylog.errors import StudylogError

_REQUIRED = {"col", "notes", "cards", "revlog"}
# The revlog rows that are grades (a manual reschedule, type 4 or 5, ease 0, is none),
# integers where Anki writes them (SQLite columns take any type); ``v`` is revlog.
GRADED_REVLOG = ("v.ease BETWEEN 1 AND 4 AND v.type NOT IN (4, 5) AND v.id > 0 AND "
                 "typeof(v.id) = 'integer' AND typeof(v.ivl) = 'integer' AND "
                 "typeof(v.time) = 'integer' AND typeof(v.type) = 'integer'")


class AnkiImportError(StudylogError, ValueError):
    """The Anki file cannot be imported; the message is one line and nothing changed."""


@dataclass(slots=True)
class ForeignNote:
    """A note: its GUID, fields (HTML, in the note type's order) and tags."""

    id: int
    guid: str
    fields: list[str]
    tags: list[str]


@dataclass(slots=True)
class ForeignCard:
    """The first card of a note (lowest template ordinal) and its schedule, in Anki's
    own terms: ``type`` 0 new, 1 learning, 2 review, 3 relearning; ``queue`` -1
    suspended; ``due`` a day number (review) or epoch seconds (learning); ``data`` its
    JSON (FSRS memory state ``s``/``d`` when Anki's FSRS was on)."""

    id: int
    note_id: int
    deck_id: int
    type: int
    queue: int
    due: int
    interval: int
    reps: int
    lapses: int
    data: str


class ForeignReview(NamedTuple):
    """A revlog row, a tuple (a collection holds millions): ``id`` is the review's
    epoch milliseconds; ``interval`` days if positive, seconds if negative; ``kind`` 0
    learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled."""

    id: int
    card_id: int
    ease: int
    interval: int
    duration_ms: int
    kind: int


class AnkiCollection:
    """An open, read-only Anki collection file."""

    def __init__(self, path: Path, shown_name: str) -> None:
        self.shown_name = shown_name
        try:
            # read from the import's second thread too (``last_graded``), never at once
            self.conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                        check_same_thread=False)
            tables = {r[0] for r in self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise AnkiImportError(f"{shown_name} holds no Anki collection ({exc})") from exc
        if not _REQUIRED <= tables:
            self.conn.close()
            raise AnkiImportError(f"{shown_name} holds a database that is not an Anki "
                                  "collection")
        self.modern = "decks" in tables

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> AnkiCollection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _failed(self, exc: Exception) -> AnkiImportError:
        return AnkiImportError(f"{self.shown_name}: its collection is damaged or not "
                               f"Anki's ({str(exc)[:100]})")

    def created(self) -> int:
        """``col.crt``: the epoch seconds of the start of the collection's day 0."""
        try:
            return int(self.conn.execute("SELECT crt FROM col").fetchone()[0])
        except (sqlite3.Error, TypeError, ValueError) as exc:
            raise self._failed(exc) from exc

    def deck_names(self) -> dict[int, str]:
        """deck id -> full name, levels joined by ``::``."""
        try:
            if self.modern:
                return {int(i): str(n).replace("\x1f", "::") for i, n in
                        self.conn.execute("SELECT id, name FROM decks")}
            decks = json.loads(self.conn.execute("SELECT decks FROM col").fetchone()[0])
            return {int(i): str(d["name"]) for i, d in decks.items()}
        except (sqlite3.Error, TypeError, ValueError, KeyError, AttributeError) as exc:
            raise self._failed(exc) from exc

    def notes(self) -> list[ForeignNote]:
        try:
            return [ForeignNote(int(i), str(g), str(f).split("\x1f"), str(t).split())
                    for i, g, f, t in self.conn.execute(
                        "SELECT id, guid, flds, tags FROM notes ORDER BY id")]
        except (sqlite3.Error, ValueError) as exc:
            raise self._failed(exc) from exc

    def first_cards(self) -> dict[int, ForeignCard]:
        """note id -> its first card; a card in a filtered deck counts in its home
        deck (``odid``), with its home due (``odue``)."""
        out: dict[int, ForeignCard] = {}
        try:
            for row in self.conn.execute(
                    "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, type, queue, "
                    "CASE WHEN odid != 0 THEN odue ELSE due END, ivl, reps, lapses, data "
                    "FROM cards ORDER BY nid, ord"):
                if row[1] not in out:
                    i = [int(v) for v in row[:9]]
                    out[row[1]] = ForeignCard(i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7],
                                              i[8], str(row[9] or ""))
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise self._failed(exc) from exc
        return out

    def graded_reviews(self, card_ids: list[int]) -> Iterator[ForeignReview]:
        """The graded revlog rows of the cards ``card_ids``, by card then time."""
        try:
            for row in self.conn.execute(
                    "SELECT v.id, v.cid, v.ease, v.ivl, v.time, v.type FROM revlog v "
                    f"WHERE v.cid IN (SELECT value FROM json_each(?)) AND {GRADED_REVLOG} "
                    "ORDER BY v.cid, v.id", [json.dumps(card_ids)]):
                yield ForeignReview._make(row)
        except (sqlite3.Error, ValueError, TypeError) as exc:
            raise self._failed(exc) from exc

    def last_graded(self) -> dict[int, int]:
        """card id -> its newest grade (epoch ms)."""
        try:
            return dict(self.conn.execute(
                f"SELECT v.cid, max(v.id) FROM revlog v WHERE {GRADED_REVLOG} "
                "GROUP BY v.cid"))
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc
