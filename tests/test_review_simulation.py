"""A simulated learner studies for a year with the real queue, limits and grading code
on a real database file. Its memory follows FSRS's own forgetting curve: it recalls a
card with probability ``scheduler.get_card_retrievability(card, now)`` (a card never
seen has retrievability 0, so its first answer is Again). The recall measured on due
reviews of review-state cards must then land near the desired retention."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from studylog.core.review.queue import build_queue
from studylog.core.review.scheduling import record_review, to_fsrs_card
from studylog.core.review.settings import deck_settings, set_deck_settings
from studylog.core.review.study_day import study_day
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
CARDS = 300
DAYS = 365
FIRST_DAY = date(2024, 3, 1)


def simulate(path, retention: float, seed: int = 2024) -> dict:
    """One learner, one deck with the default limits (20 new / 200 reviews a day, so all
    300 cards are introduced over the first 15 days). Each day it studies once, starting
    between 08:00 and 11:00, until the queue is empty, taking 5-15 s per card."""
    rng = random.Random(seed)
    with Store(path) as store:
        with store.write():
            deck_id = store.decks.ensure("journal", "journal", trusted=True)
            for i in range(CARDS):
                store.cards.insert({"deck_id": deck_id, "key": f"k{i}", "front": f"card {i}",
                                   "first_written": (FIRST_DAY + timedelta(days=i // 20))
                                   .isoformat(), "position": i})
        set_deck_settings(store, "journal", desired_retention=retention)
        scheduler = deck_settings(store, "journal").scheduler()
        recalled = reviews = 0
        for day in range(DAYS):
            start = datetime.combine(FIRST_DAY + timedelta(days=day), time(8), SEOUL)
            now = start.astimezone(UTC) + timedelta(minutes=rng.uniform(0, 180))
            while (card := build_queue(store, now=now, tz=SEOUL).first()) is not None:
                row = store.cards.get(card.id)
                p = scheduler.get_card_retrievability(to_fsrs_card(row, now), now)
                ok = rng.random() < p
                if row.state == "review":
                    reviews += 1
                    recalled += ok
                record_review(store, card.id, "good" if ok else "again",
                              rng.randint(3000, 12000), now)
                now += timedelta(seconds=rng.uniform(5, 15))
        per_day = Counter()
        for log in store.query("SELECT reviewed_at, state_before FROM review_log"):
            when = datetime.fromisoformat(log["reviewed_at"])
            per_day[study_day(when, SEOUL).date, log["state_before"]] += 1
        return {"recall": recalled / reviews, "reviews": reviews,
                "introduced": store.value("SELECT count(*) FROM cards WHERE state != 'new'"),
                "max_new_per_day": max(n for (_, s), n in per_day.items() if s == "new"),
                "max_reviews_per_day": max((n for (_, s), n in per_day.items()
                                            if s == "review"), default=0),
                "integrity": store.integrity_check()}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("simulation")
    return {r: simulate(folder / f"sim-{r}.sqlite3", r) for r in (0.90, 0.80)}


def test_recall_lands_near_desired_retention(results):
    run = results[0.90]
    assert run["introduced"] == CARDS
    assert run["max_new_per_day"] == 20 and run["max_reviews_per_day"] <= 200
    assert run["reviews"] > 2000
    assert 0.87 <= run["recall"] <= 0.93, run
    assert run["integrity"] == "ok"


def test_lower_desired_retention_lands_lower(results):
    low, high = results[0.80], results[0.90]
    assert low["introduced"] == CARDS
    assert 0.77 <= low["recall"] <= 0.83, low  # within 0.03 of 0.80, as 0.90's is
    assert low["recall"] < 0.87 and low["recall"] < high["recall"] - 0.03, (low, high)
    assert low["reviews"] < high["reviews"]  # fewer, longer intervals
