"""The lean review log (issue 12): a review-log row holds the review and the card fields
undo restores, never the card's text; the migration from the old rows (the whole card
as JSON) keeps every review, keeps undo working, reclaims the space, and a migration
killed halfway leaves the old database as it was."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studylog.core.review.scheduling import SCHEDULE_COLUMNS, record_review, undo_last
from studylog.core.storage.database import Store
from studylog.core.storage.migrations import LEAN_LOG_MIGRATION, migrations
from studylog.core.storage.sqlite_lib import Database

T0 = datetime(2024, 3, 10, 1, 0, tzinfo=UTC)
LONG_BACK = ("오늘은 contiguous 텐서와 stride를 다시 정리했다. view는 메모리를 공유한다. " * 200)[:8192]


def _file_size(store: Store) -> int:
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path.stat().st_size


def _grow_by_grading(store: Store, card_id: int, grades: int) -> int:
    before = _file_size(store)
    now = T0
    for n in range(grades):
        record_review(store, card_id, ("good", "hard", "easy", "good")[n % 4], 1200, now)
        now += timedelta(days=3)
    return _file_size(store) - before


def test_growth_per_review_does_not_depend_on_the_back(tmp_path):
    with Store(tmp_path / "short.sqlite3") as short, Store(tmp_path / "long.sqlite3") as long:
        ids = []
        for store, back in ((short, "짧은 답."), (long, LONG_BACK)):
            with store.write():
                deck = store.decks.ensure("journal", "journal", trusted=True)
                ids.append(store.cards.insert({"deck_id": deck, "key": "stride",
                                               "front": "Stride", "back": back}))
        grown_short = _grow_by_grading(short, ids[0], 50)
        grown_long = _grow_by_grading(long, ids[1], 50)
    page = 4096
    # the old rows grew the long card's file by ~8.5 KB a grade (~425 KB here)
    assert grown_long <= grown_short + page, (grown_short, grown_long)
    assert grown_long <= 50 * 300 + page


# -- a database from before the lean log ------------------------------------------------

CARD_TEXT = {"front": "Hook", "back": LONG_BACK, "tags": ["어려움"]}


def _old_database(path: Path, cards: int = 4, grades: int = 120) -> dict[int, dict]:
    """The schema up to the migration before the lean log, with old-form rows: each
    review-log row carries the whole card row before it as JSON. Returns each card's
    row before its last grade (what undoing that grade must restore)."""
    db = Database(str(path))
    db.execute("PRAGMA journal_mode=WAL")
    migrations.apply(db, stop_before=LEAN_LOG_MIGRATION)
    last_before: dict[int, dict] = {}
    with db.conn:
        db.execute("INSERT INTO decks (name, kind, created_at) "
                   "VALUES ('journal', 'journal', '2024-01-01T00:00:00.000000+00:00')")
        for c in range(1, cards + 1):
            card = {"id": c, "deck_id": 1, "key": f"k{c}", "keyword_id": None,
                    "kind": "basic", "front": f"{CARD_TEXT['front']} {c}",
                    "back": CARD_TEXT["back"], "front_edited": 0, "back_edited": 0,
                    "snippet_id": None, "orphaned": 0, "first_written": "2023-11-20",
                    "position": c, "created_at": "2024-01-01T00:00:00.000000+00:00",
                    "updated_at": "2024-01-01T00:00:00.000000+00:00", "state": "new",
                    "step": None, "stability": None, "difficulty": None, "due": None,
                    "last_review": None, "reps": 0, "lapses": 0, "suspended": 0,
                    "buried_until": None, "tags": json.dumps(CARD_TEXT["tags"])}
            db["cards"].insert(card)
            at = T0
            for r in range(grades // cards):
                before = {**card, "tags": json.loads(card["tags"])}
                stability, due = 2.0 + r, at + timedelta(days=1 + r)
                after = {"state": "review", "step": None, "stability": stability,
                         "difficulty": 5.5, "due": due.isoformat(timespec="microseconds"),
                         "last_review": at.isoformat(timespec="microseconds"),
                         "reps": card["reps"] + 1,
                         "lapses": card["lapses"] + (r % 5 == 4)}
                if c == 2 and r == grades // cards - 1:  # its last grade made it a leech
                    after.update(suspended=1, tags=json.dumps(["어려움", "leech"]))
                db["review_log"].insert({
                    "card_id": c, "rating": 1 + r % 4, "reviewed_at": after["last_review"],
                    "duration_ms": 1000 + r, "state_before": before["state"],
                    "stability_before": before["stability"],
                    "difficulty_before": before["difficulty"], "due_before": before["due"],
                    "state_after": "review", "stability_after": stability,
                    "difficulty_after": 5.5, "due_after": after["due"],
                    "card_before": json.dumps(before, ensure_ascii=False)})
                db.execute("UPDATE cards SET " + ", ".join(f"{k} = ?" for k in after)
                           + " WHERE id = ?", [*after.values(), c])
                card.update(after)
                last_before[c] = before
                at = due
    db.conn.close()
    return last_before


def _reviews(path: Path) -> list[tuple]:
    """Every review, as the user sees it, read with plain sqlite3."""
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT id, card_id, rating, reviewed_at, duration_ms, "
                           "state_before, stability_before, state_after, stability_after "
                           "FROM review_log ORDER BY id").fetchall()
    finally:
        con.close()


def test_migration_keeps_every_review_and_undo_works_across_it(tmp_path, monkeypatch):
    monkeypatch.setattr("studylog.core.storage.migrations.PROGRESS_FROM_BYTES", 0)
    path = tmp_path / "old.sqlite3"
    last_before = _old_database(path)
    reviews = _reviews(path)
    old_size = path.stat().st_size
    con = sqlite3.connect(path)
    copies = con.execute("SELECT sum(length(CAST(card_before AS BLOB))) FROM review_log"
                         ).fetchone()[0]
    con.close()
    assert len(reviews) == 120 and copies > 120 * 8192
    lines: list[str] = []
    with Store(path, progress=lines.append) as store:
        assert _reviews(path) == reviews
        newest = store.review_log.latest(1)
        assert (newest.due_before, newest.last_review_before, newest.reps_before) == (
            last_before[1]["due"], last_before[1]["last_review"], last_before[1]["reps"])
        for card_id in (1, 2):  # card 2's last grade made it a leech
            undo_last(store, store.review_log.latest(card_id).id)
            row = store.cards.get(card_id)
            assert {c: getattr(row, c) for c in SCHEDULE_COLUMNS} == {
                c: last_before[card_id][c] for c in SCHEDULE_COLUMNS}
            assert row.back == LONG_BACK  # the text was never in the log
        assert store.cards.get(2).tags == ["어려움"] and not store.cards.get(2).suspended
        assert store.integrity_check() == "ok"
    # the copies of the card text are gone and the file gave their space back
    assert path.stat().st_size < old_size - 0.9 * copies, (old_size, path.stat().st_size)
    assert lines[0].startswith("upgrading the database (")
    assert any(line.startswith("reclaiming ") for line in lines)
    assert lines[-1].startswith("reclaimed ")


_OPEN = "import sys; from studylog.core.storage.database import Store; Store(sys.argv[1])"


@pytest.mark.parametrize("crash_at", ["migrate-lean-log", "vacuum"])
def test_a_killed_migration_leaves_every_review(tmp_path, crash_at):
    path = tmp_path / "old.sqlite3"
    _old_database(path, cards=8, grades=2000)
    reviews = _reviews(path)
    proc = subprocess.run([sys.executable, "-c", _OPEN, str(path)], capture_output=True,
                          env={**os.environ, "STUDYLOG_CRASH_AT": crash_at}, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    con = sqlite3.connect(path)
    columns = {r[1] for r in con.execute("PRAGMA table_info(review_log)")}
    con.close()
    # killed inside the migration: the old table; killed in VACUUM: the committed lean one
    assert ("card_before" in columns) == (crash_at == "migrate-lean-log")
    assert _reviews(path) == reviews
    with Store(path) as store:  # opens (migrating now if it had not) with every review
        assert _reviews(path) == reviews
        assert store.integrity_check() == "ok"
        assert "card_before" not in {r["name"] for r in store.query(
            "PRAGMA table_info(review_log)")}
