"""The review pick's floor: a deck's due reviews below the previous pick's last ratio
are left out before the sort (issue 11: at 100,000 cards sorting ~6,000 due reviews to
keep 200 was most of the pick). The floor lives in the store's queue repository; a
queue built on it must be the queue a fresh store (no floor) builds at the same
instant, whatever happened in between: grades, burials, suspensions, a floor that is
too high, an earlier instant, ratios below zero.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studylog.core.review.queue import Queue, build_queue
from studylog.core.review.scheduling import bury, record_review, suspend
from studylog.core.review.settings import set_day_config, set_deck_settings
from studylog.core.review.study_day import to_iso
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2025, 11, 3, 9, 0, tzinfo=SEOUL)
FLOOR_TERM = "/ c.stability >="  # the floor condition, as the traced statement shows it
LOGS = ["오늘은 stride와 view를 다시 정리했다", "Re-read the autograd notes; hooks finally click",
        "배치 정규화 실습: running_mean 확인", "kernel launch overhead, measured twice"]


def make_decks(store: Store) -> dict[str, int]:
    """A big journal deck (300 due reviews, 40 a day) with ties on the ratio, and a
    small deck whose reviews all happened in the last hours: before them, their ratios
    are below zero."""
    rng = random.Random(7)
    set_day_config(store, timezone_name="Asia/Seoul")
    shared = [(NOW - timedelta(days=rng.randint(3, 90), seconds=rng.randint(0, 86399)),
               rng.uniform(0.5, 60)) for _ in range(12)]
    with store.write():
        ids = {name: store.decks.ensure(name, kind, trusted=True)
               for name, kind in (("journal", "journal"), ("Linear algebra", "added"))}
        for i in range(360):
            if i % 3 == 0:  # a third share their last review and stability: ties
                last, stability = shared[i % len(shared)]
            else:
                last = NOW - timedelta(days=rng.randint(1, 200), seconds=rng.randint(0, 86399))
                stability = rng.uniform(0.3, 120)
            due = NOW - timedelta(hours=rng.randint(1, 500)) if i < 300 else NOW + timedelta(
                days=rng.randint(2, 30))
            store.cards.insert({
                "deck_id": ids["journal"], "key": f"journal-{i}",
                "front": f"{LOGS[i % len(LOGS)]} ({i})", "position": i, "state": "review",
                "stability": stability, "difficulty": rng.uniform(1, 10),
                "last_review": to_iso(last), "due": to_iso(due), "reps": 4,
                "suspended": int(i % 41 == 0)})
        for i in range(80):
            last = NOW - timedelta(minutes=rng.randint(1, 170), seconds=rng.randint(0, 59))
            store.cards.insert({
                "deck_id": ids["Linear algebra"], "key": f"la-{i}",
                "front": f"eigenvalue 고유값 {i}", "position": i, "state": "review",
                "stability": rng.uniform(0.5, 30), "difficulty": 5.0,
                "last_review": to_iso(last), "due": to_iso(NOW - timedelta(minutes=1)),
                "reps": 2})
    set_deck_settings(store, "journal", reviews_per_day=40)
    set_deck_settings(store, "Linear algebra", reviews_per_day=15)
    return ids


def fresh_queue(db_path: Path, now: datetime, deck: str | None = None) -> Queue:
    """The queue a store that never built one (no floor) builds at ``now``."""
    with Store(db_path) as other:
        return build_queue(other, deck=deck, now=now)


def traced(store: Store, now: datetime, deck: str | None = None) -> tuple[Queue, list[str]]:
    """``build_queue`` and the review picks it ran (statements on ``cards_review_due``)."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        queue = build_queue(store, deck=deck, now=now)
    finally:
        store.conn.set_trace_callback(None)
    return queue, [sql for sql in statements if "cards_review_due" in sql]


def assert_same(queue: Queue, expected: Queue) -> None:
    """Card ids, order, every field (retrievability too) and counts."""
    assert [c.id for c in queue.cards] == [c.id for c in expected.cards]
    assert queue.cards == expected.cards
    assert queue.counts == expected.counts


def test_the_second_build_reads_above_the_first_builds_floor(store, db_path):
    ids = make_decks(store)
    first, picks = traced(store, NOW)
    assert len(picks) == 2 and not [sql for sql in picks if FLOOR_TERM in sql]
    journal_floor = store.queue.review_floors[ids["journal"]]
    second, picks = traced(store, NOW + timedelta(minutes=3))
    # one pick per deck, each above its floor: no unfiltered one
    assert len(picks) == 2 and all(FLOOR_TERM in sql for sql in picks)
    assert_same(second, fresh_queue(db_path, NOW + timedelta(minutes=3)))
    # the floor left most due reviews out: fewer rows read than the deck has due
    due = store.value("SELECT count(*) FROM cards WHERE deck_id = ? AND state = 'review' "
                      "AND suspended = 0 AND due < ?", [ids["journal"], first.day.end_iso])
    assert due > 250
    above = store.value("SELECT count(*) FROM cards WHERE deck_id = ? AND state = 'review' "
                        "AND suspended = 0 AND due < ? AND (julianday(?) - "
                        "julianday(last_review)) / stability >= ?",
                        [ids["journal"], first.day.end_iso, to_iso(NOW + timedelta(minutes=3)),
                         journal_floor])
    assert 40 <= above < 80


@pytest.mark.parametrize("too_high", ["above every ratio", "above all but ten"])
def test_a_floor_too_high_falls_back_to_the_whole_pick(store, db_path, too_high):
    ids = make_decks(store)
    build_queue(store, now=NOW)
    later = NOW + timedelta(minutes=10)
    expected = fresh_queue(db_path, later)
    reviews = [c for c in expected.cards if c.deck == "journal"]
    assert len(reviews) == 40
    if too_high == "above every ratio":
        store.queue.review_floors[ids["journal"]] = 1e9
    else:  # ten cards pass: fewer than the deck's 40
        store.queue.review_floors[ids["journal"]] = store.value(
            "SELECT (julianday(?) - julianday(last_review)) / stability FROM cards "
            "WHERE id = ?", [to_iso(later), reviews[9].id])
    queue, picks = traced(store, later)
    assert_same(queue, expected)
    journal_picks = [sql for sql in picks if f"c.deck_id = {ids['journal']} " in sql]
    assert [FLOOR_TERM in sql for sql in journal_picks] == [True, False]
    assert store.queue.review_floors[ids["journal"]] < 1e9  # set again from the whole pick


def test_builds_with_grades_burials_and_suspensions_between_them(store, db_path):
    """Each build on the same store equals a fresh store's, over all decks and one deck,
    while grades take cards out of the due set (and lower the limit), burials and
    suspensions take them out without touching the limit until the slack is gone, and
    ``now`` moves on; the floor is used, and dropped again once cards run short."""
    ids = make_decks(store)
    rng = random.Random(3)
    used_floor = fell_back = 0
    for step in range(8):
        now = NOW + timedelta(minutes=9 * step, seconds=step)
        for deck in (None, "journal"):
            queue, picks = traced(store, now, deck)
            assert_same(queue, fresh_queue(db_path, now, deck))
            journal_picks = [sql for sql in picks if f"c.deck_id = {ids['journal']} " in sql]
            used_floor += journal_picks[0].count(FLOOR_TERM)
            fell_back += len(journal_picks) == 2
        reviews = [c for c in queue.cards if c.state == "review"]
        picked = rng.sample(reviews, 8)
        for card in picked[:3]:
            record_review(store, card.id, rng.choice(["again", "hard", "good", "easy"]), 4000,
                          now + timedelta(seconds=30))
        for card in picked[3:]:
            if rng.random() < 0.5:
                bury(store, card.id, now + timedelta(seconds=40))
            else:
                suspend(store, card.id)
    assert used_floor >= 12 and fell_back >= 1


def test_a_floor_below_zero_and_a_build_at_an_earlier_instant(store, db_path):
    """Before its cards' last reviews a deck's ratios are below zero, and so is its
    floor; a build back at an earlier instant than the floor's is exact too (it may
    have to read the whole pick again)."""
    ids = make_decks(store)
    early = NOW - timedelta(hours=4)  # 05:00, the same study day, before every review
    assert_same(build_queue(store, deck="Linear algebra", now=early),
                fresh_queue(db_path, early, "Linear algebra"))
    assert store.queue.review_floors[ids["Linear algebra"]] < 0
    for now in (early + timedelta(minutes=30), NOW, NOW - timedelta(hours=2),
                NOW + timedelta(hours=5), NOW - timedelta(days=1)):
        for deck in ("Linear algebra", None):
            assert_same(build_queue(store, deck=deck, now=now), fresh_queue(db_path, now, deck))
