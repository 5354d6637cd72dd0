"""An Anki collection's review log copied into studylog's by two statements, without a
Python loop over a million rows: the copy of the collection is attached to the store's
connection, one statement maps each graded revlog row into a review-log row in a scratch
table (``read_grades``: no studylog card ids needed, so it runs in a second thread while
the fields are converted), the other copies them into the review log once the cards
exist (``insert_reviews``).

The mapping is ``core/anki/review_history``'s, written here in SQL because it runs
inside the database: the state before a grade from the revlog's type (the card's first
grade: ``new``), the due after from its interval (days if positive, seconds if
negative), the due and time before from the card's previous grade, lapses so far from
Again on a review. Manual rows (type 4, 5; ease 0) are no grades and are left out.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from studylog.core.storage.anki_collection import GRADED_REVLOG, AnkiImportError
from studylog.core.storage.repository import Repository

SCHEMA = "anki_import"
# epoch milliseconds as the stored ISO instant (study_day.to_iso's form)
_ISO = ("strftime('%Y-%m-%dT%H:%M:%S', {0} / 1000, 'unixepoch') "
        "|| printf('.%03d000+00:00', {0} % 1000)")
_FIRST = "ROW_NUMBER() OVER w = 1"
_STATE = (f"CASE WHEN {_FIRST} THEN 'new' WHEN v.type IN (1, 3) THEN 'review' "
          "WHEN v.type = 2 THEN 'relearning' ELSE 'learning' END")
_LAPSE = "(v.type IN (1, 3) AND v.ease = 1)"  # Again on a review (not a first grade)
_DUE_AFTER = ("v.id * 1000 + CASE WHEN v.ivl > 0 THEN v.ivl * 86400000000 "
              "ELSE -v.ivl * 1000000 END")
# Every window function shares the one definition ``w`` and its default frame (the
# partition up to this row: ids are unique), so SQLite makes one window pass; a second
# frame (the lapses before this row) made it two, ~0.5 s more a million rows. Lapses
# before: the running count less this row's and the first grade's (a first grade is
# no lapse). The dedupe filter sits outside, as a WHERE inside would change what LAG sees.
_GRADES = f"""
CREATE TEMP TABLE anki_import_grades AS
SELECT v.cid AS anki_card, v.ease AS rating, {_ISO.format('v.id')} AS reviewed_at,
  max(0, v.time) AS duration_ms, {_STATE} AS state_before,
  LAG({_DUE_AFTER}) OVER w AS due_before,
  CASE WHEN v.ivl > 0 THEN 'review' WHEN {_FIRST} THEN 'learning'
       WHEN v.type IN (1, 2, 3) THEN 'relearning' ELSE 'learning' END AS state_after,
  {_DUE_AFTER} AS due_after, LAG(v.id) OVER w * 1000 AS last_review_before,
  ROW_NUMBER() OVER w - 1 AS reps_before,
  SUM({_LAPSE}) OVER w - {_LAPSE}
    - CASE WHEN {_FIRST} THEN 0 ELSE FIRST_VALUE({_LAPSE}) OVER w END AS lapses_before
FROM {SCHEMA}.revlog v
WHERE v.cid IN (SELECT value FROM json_each(?)) AND {GRADED_REVLOG}
WINDOW w AS (PARTITION BY v.cid ORDER BY v.id)
"""
# The dedupe filter reads the mapped rows, not the revlog: a WHERE inside the window
# query would change what LAG sees.
_INSERT = """
INSERT INTO main.review_log (card_id, rating, reviewed_at, duration_ms, state_before,
  stability_before, difficulty_before, due_before, state_after, stability_after,
  difficulty_after, due_after, step_before, last_review_before, reps_before, lapses_before,
  suspended_before, buried_until_before, leech_before)
SELECT t.card_id, g.rating, g.reviewed_at, g.duration_ms, g.state_before, NULL, NULL,
  g.due_before, g.state_after, NULL, NULL, g.due_after, NULL, g.last_review_before,
  g.reps_before, g.lapses_before, 0, NULL, 0
FROM temp.anki_import_grades g JOIN temp.anki_import_cards t ON t.anki_card = g.anki_card
WHERE NOT t.existing OR NOT EXISTS (SELECT 1 FROM main.review_log x
  WHERE x.card_id = t.card_id AND x.reviewed_at = g.reviewed_at)
ORDER BY g.rowid
"""


class AnkiHistoryRepository(Repository):
    """The attached collection copy, its grades mapped into a scratch table, and the
    statement that copies them into the review log."""

    def attach(self, path: Path) -> None:
        """Attach the collection copy (outside a transaction: SQLite's rule)."""
        self.conn.execute(f"ATTACH DATABASE ? AS {SCHEMA}", [str(path)])

    def detach(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.anki_import_grades")
        self.conn.execute(f"DETACH DATABASE {SCHEMA}")

    def read_grades(self, anki_cards: list[int]) -> None:
        """Map the graded revlog rows of ``anki_cards`` (Anki card ids) to review-log
        rows in the scratch table ``anki_import_grades``, outside any transaction (the
        table is this connection's own). Safe to run in another thread while this one
        does not use the connection: SQLite does the work without holding the GIL."""
        self.conn.execute("DROP TABLE IF EXISTS temp.anki_import_grades")
        try:
            self.conn.execute(_GRADES, [json.dumps(anki_cards)])
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
                raise  # studylog's own disk: the store reports it
            raise AnkiImportError(f"the collection's review log cannot be read ({exc})"
                                  ) from exc

    def interrupt(self) -> None:
        """Stop a ``read_grades`` running in another thread (it fails)."""
        self.conn.interrupt()

    def insert_reviews(self, cards: Iterable[tuple[int, int, bool]]) -> int:
        """Copy the mapped grades (``read_grades``) of ``cards`` ((Anki card id,
        studylog card id, whether the card was there before: then only grades at times
        it lacks)) into the review log; returns how many rows were added."""
        self._write("CREATE TEMP TABLE IF NOT EXISTS anki_import_cards ("
                    "anki_card INTEGER PRIMARY KEY, card_id INTEGER NOT NULL, "
                    "existing INTEGER NOT NULL)")
        self._write("DELETE FROM temp.anki_import_cards")
        self._write_many("INSERT INTO temp.anki_import_cards VALUES (?, ?, ?)", cards)
        added = self._write(_INSERT).rowcount
        self._write("DELETE FROM temp.anki_import_cards")
        return int(added)
