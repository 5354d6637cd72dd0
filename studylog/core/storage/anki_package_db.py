"""The collection inside an ``.apkg`` being written: genanki fills notes, cards and
decks through ``cursor()``; the export then gives the cards their schedule and adds
the review log (Anki's ``revlog``), which genanki does not write."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

# studylog's instants are ISO text, UTC, microseconds ('2026-11-01T15:23:38.520234+00:00')
_US = ("(unixepoch(substr(l.reviewed_at, 1, 19)) * 1000000 "
       "+ CAST(substr(l.reviewed_at, 21, 6) AS INTEGER))")
_DAY_US = 86_400_000_000
# One revlog row per grade: id the grade's epoch ms (a second grade in the same ms one
# on), ease the rating, ivl from the due after (days, or negative seconds under a day),
# lastIvl the card's previous ivl, type 0 learn / 1 review / 2 relearn.
_COPY_REVLOG = f"""
INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type)
SELECT at_us / 1000 + ROW_NUMBER() OVER (PARTITION BY at_us / 1000 ORDER BY lid) - 1,
  anki_card, -1, rating, ivl,
  coalesce(LAG(ivl) OVER (PARTITION BY anki_card ORDER BY lid), 0),
  CASE WHEN kind > 0 THEN 2500 ELSE 0 END, max(0, coalesce(duration_ms, 0)), kind
FROM (
  SELECT l.id AS lid, e.anki_card, l.rating, l.duration_ms, {_US} AS at_us,
    CASE l.state_before WHEN 'review' THEN 1 WHEN 'relearning' THEN 2 ELSE 0 END AS kind,
    CASE WHEN l.due_after - {_US} >= {_DAY_US}
         THEN CAST(round((l.due_after - {_US}) / {_DAY_US}.0) AS INTEGER)
         ELSE -CAST(round((l.due_after - {_US}) / 1000000.0) AS INTEGER) END AS ivl
  FROM journal.review_log l JOIN temp.export_cards e ON e.card_id = l.card_id
  WHERE length(l.reviewed_at) = 32 AND substr(l.reviewed_at, 27) = '+00:00')
"""


class AnkiPackageDb:
    """A new Anki collection file (schema 11, as genanki writes it)."""

    def __init__(self, path: Path) -> None:
        # URI filenames on: the journal is attached read-only by one (``copy_revlog``)
        self.conn = sqlite3.connect(path.resolve().as_uri(), uri=True)
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

    def copy_revlog(self, journal: Path, cards: Iterable[tuple[int, int]]) -> int | None:
        """Copy the grades of the journal's cards ``cards`` ((studylog card id, Anki
        card id)) into ``revlog`` in one statement, the journal attached read-only.
        Returns how many rows, or None (nothing copied) when a grade's instant is not
        in the stored form or two grades' milliseconds cannot be told apart: then the
        caller writes them row by row (``add_revlog``)."""
        self.conn.commit()  # SQLite attaches outside a transaction only
        self.conn.execute("CREATE TEMP TABLE export_cards (card_id INTEGER PRIMARY KEY, "
                          "anki_card INTEGER NOT NULL)")
        self.conn.executemany("INSERT INTO temp.export_cards VALUES (?, ?)", cards)
        self.conn.execute("ATTACH DATABASE ? AS journal",
                          [journal.resolve().as_uri() + "?mode=ro"])
        try:
            wanted = self.conn.execute(
                "SELECT count(*) FROM journal.review_log l "
                "JOIN temp.export_cards e ON e.card_id = l.card_id").fetchone()[0]
            try:
                added = int(self.conn.execute(_COPY_REVLOG).rowcount)
            except sqlite3.IntegrityError:
                added = -1
            if added != wanted:
                # without a journal a failed statement keeps the rows it wrote; the
                # revlog was empty (genanki writes none)
                self.conn.execute("DELETE FROM revlog")
                return None
            return added
        finally:
            self.conn.commit()
            self.conn.execute("DETACH DATABASE journal")

    def commit_and_close(self) -> None:
        self.conn.commit()
        self.conn.close()

    def close(self) -> None:
        self.conn.close()
