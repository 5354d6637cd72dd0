"""A simulated learner for the optimizer tests: cards graded through the real
``record_review`` (so the review log is what the app writes), recall drawn from a
forgetting curve that is *not* the default FSRS one (this learner forgets faster), so
fitting has something to find."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs

from studylog.core.review.scheduling import record_review
from studylog.core.review.settings import set_day_config
from studylog.core.review.study_day import to_iso
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
# the learner's true memory: first stabilities a third of the defaults', slower growth
TRUE_PARAMETERS = list(fsrs.scheduler.DEFAULT_PARAMETERS)
TRUE_PARAMETERS[0:4] = [p / 3 for p in TRUE_PARAMETERS[0:4]]
TRUE_PARAMETERS[8] = 1.2


def simulate(store: Store, grades: int, *, new_per_day: int = 12, seed: int = 7,
             start: datetime = datetime(2024, 1, 8, 9, 0, tzinfo=SEOUL)) -> int:
    """Grade until ``grades`` grades are logged; returns how many were."""
    rng = random.Random(seed)
    truth = fsrs.Scheduler(parameters=TRUE_PARAMETERS, enable_fuzzing=False)
    set_day_config(store, timezone_name="Asia/Seoul")
    with store.write():
        deck_id = store.decks.ensure("journal", "journal", trusted=True)
    memory: dict[int, fsrs.Card] = {}
    done = 0
    day = 0
    while done < grades:
        morning = start + timedelta(days=day, hours=rng.uniform(-1, 3))
        with store.write():
            for i in range(new_per_day):
                store.cards.insert({"deck_id": deck_id, "key": f"d{day}-{i}",
                                    "front": f"card {day}-{i}"})
        for tick in range(8):  # learning steps (1m, 10m) come round within the hour
            now = (morning + timedelta(minutes=tick * 11)).astimezone(UTC)
            due = [r[0] for r in store.conn.execute(
                "SELECT id FROM cards WHERE suspended = 0 AND (state = 'new' OR due <= ?) "
                "ORDER BY id", [to_iso(now)])]
            for card_id in due:
                card = memory.get(card_id) or fsrs.Card(card_id=card_id, due=now)
                recalled = card.last_review is None and rng.random() < 0.7 or (
                    card.last_review is not None
                    and rng.random() < truth.get_card_retrievability(card, now))
                rating = fsrs.Rating.Good if recalled else fsrs.Rating.Again
                memory[card_id] = truth.review_card(card, rating, now)[0]
                record_review(store, card_id, rating, rng.randint(3000, 20000), now)
                done += 1
                if done >= grades:
                    return done
        day += 1
    return done
