"""The collection inside an ``.apkg`` being written: genanki fills notes, cards and
decks through ``cursor()``; the export then gives the cards their schedule and adds
the review log (Anki's ``revlog``), which genanki does not write."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


class AnkiPackageDb:
    """A new Anki collection file (schema 11, as genanki writes it)."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        # a scratch file zipped at the end (a crash leaves nothing to recover), and the
        # revlog arrives by card, not by id: a large page cache keeps its random inserts
        # in memory (1M rows: ~10 s with the default 2 MB, ~2 s without the churn)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-524288"):
            self.conn.execute(f"PRAGMA {pragma}")

    def cursor(self) -> sqlite3.Cursor:
        return self.conn.cursor()

    def created(self) -> int:
        """``col.crt``: the epoch seconds day numbers of review cards count from."""
        return int(self.conn.execute("SELECT crt FROM col").fetchone()[0])

    def use_v2_scheduler(self) -> None:
        """Say the collection's revlog counts four buttons everywhere: without
        ``schedVer: 2`` in its config Anki reads it as the old v1 scheduler's and moves
        every learning grade up one button (Good becomes Easy)."""
        conf = json.loads(self.conn.execute("SELECT conf FROM col").fetchone()[0])
        conf["schedVer"] = 2
        self.conn.execute("UPDATE col SET conf = ?", [json.dumps(conf)])

    def card_ids_by_guid(self) -> dict[str, int]:
        """note GUID -> its (only) card's id."""
        return dict(self.conn.execute(
            "SELECT n.guid, c.id FROM cards c JOIN notes n ON n.id = c.nid"))

    def set_schedules(self, rows: Iterable[Sequence[Any]]) -> None:
        """(type, queue, due, ivl, factor, reps, lapses, left, data, card id) rows."""
        self.conn.executemany(
            "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?, "
            "lapses = ?, left = ?, data = ? WHERE id = ?", rows)

    def add_revlog(self, rows: Iterable[Sequence[Any]]) -> int:
        """(id, cid, ease, ivl, lastIvl, factor, time, type) rows; usn -1 (not synced).
        Returns how many were added."""
        return self.conn.executemany(
            "INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)", rows).rowcount

    def commit_and_close(self) -> None:
        self.conn.commit()
        self.conn.close()

    def close(self) -> None:
        self.conn.close()
