"""The queue against a plain reference implementation.

``build_queue`` reads its cards with indexed SQL, per-deck limits and sorts taken in
SQLite (issue 11: <= 5 ms at 100,000 cards). Here a straightforward Python reading of
every card row, with the rules written out as the queue's docstring states them and
FSRS's own ``get_card_retrievability``, must give exactly the same queue: the same
cards, in the same order, with the same fields and counts. The collection is generated:
four decks with their own limits, parameters and one deck turned off; new, learning,
relearning and review cards, suspended and buried ones, learning steps of minutes and of
days, reviews sharing their last review and stability (ties), grades already given
today that use up part of the daily limits. Checked at several instants, over all decks
and over each deck.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import fsrs
import pytest

from studylog.core.review.queue import QueueCard, build_queue, queue_counts
from studylog.core.review.scheduling import record_review
from studylog.core.review.settings import (
    current_study_day,
    set_day_config,
    set_deck_settings,
    settings_by_deck_id,
)
from studylog.core.review.study_day import from_iso, to_iso
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2024, 3, 10, 10, 0, tzinfo=SEOUL)
# name, kind, settings: limits, a fitted decay for one deck, one deck turned off
DECKS = [
    ("journal", "journal", {"new_per_day": 12, "reviews_per_day": 40}),
    ("Linear algebra", "added", {"new_per_day": 5, "reviews_per_day": 15,
                                 "parameters": (*fsrs.scheduler.DEFAULT_PARAMETERS[:20], 0.35)}),
    ("PyTorch fundamentals", "bundled", {"new_per_day": 0, "reviews_per_day": 1000}),
    ("Python internals", "added", {"enabled": False}),
]
WORDS = ["텐서", "stride", "메모리", "gradient", "hook", "배치", "layout", "커널"]


def make_collection(store: Store, seed: int) -> None:
    """~700 cards in every state over ``DECKS``, then a few grades given this morning."""
    rng = random.Random(seed)
    set_day_config(store, timezone_name="Asia/Seoul")
    shared = [(NOW - timedelta(days=rng.randint(2, 60)), rng.uniform(0.5, 40))
              for _ in range(6)]  # last reviews and stabilities several cards share
    with store.write():
        for deck, kind, _ in DECKS:
            deck_id = store.decks.ensure(deck, kind, trusted=True)
            for i in range(rng.randint(120, 220)):
                store.cards.insert({"deck_id": deck_id, "key": f"{deck}-{i}",
                                    "front": f"{rng.choice(WORDS)} {deck} {i}",
                                    "position": rng.randint(0, 40), **_schedule(rng, shared,
                                                                                kind)})
        # the boundaries, at NOW: due now, due just when learn-ahead ends, a review due
        # when the study day ends (tomorrow's), buried until now (back)
        deck_id = store.decks.ensure("journal", "journal", trusted=True)
        # (reviews of long ago: first in their deck, no limit hides them)
        for n, (state, due, buried) in enumerate([
                ("learning", NOW, None), ("relearning", NOW + timedelta(minutes=20), None),
                ("learning", NOW + timedelta(minutes=20, microseconds=1), None),
                ("review", current_study_day(store, NOW).end, None),
                ("review", NOW, NOW), ("learning", NOW, NOW + timedelta(microseconds=1))]):
            store.cards.insert({"deck_id": deck_id, "key": f"edge-{n}", "front": f"edge {n}",
                                "state": state, "step": 0, "stability": 2.0, "difficulty": 5.0,
                                "last_review": to_iso(NOW - timedelta(
                                    days=300 if state == "review" else 0, minutes=10)),
                                "due": to_iso(due),
                                "buried_until": buried and to_iso(buried)})
    for deck, _, settings in DECKS:
        set_deck_settings(store, deck, **settings)
    # this morning's grades: first grades of new cards and reviews use up the limits
    rows = store.query("SELECT id, state FROM cards WHERE suspended = 0 AND key NOT LIKE "
                       "'edge-%' AND (buried_until IS NULL OR buried_until <= ?)",
                       [to_iso(NOW)])
    for row in rng.sample(rows, 60):
        if row["state"] in ("new", "review"):
            at = NOW - timedelta(minutes=rng.randint(30, 300))  # after 04:00 today
            record_review(store, row["id"], rng.choice(["again", "hard", "good", "easy"]),
                          4000, at)


def _schedule(rng: random.Random, shared: list[tuple[datetime, float]],
              kind: str) -> dict:
    """One card's schedule: new, (re)learning or review, some suspended or buried."""
    fields: dict = {"first_written": None if kind != "journal" or rng.random() < 0.2
                    else f"2024-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"}
    roll = rng.random()
    if roll < 0.3:
        fields["state"] = "new"
    elif roll < 0.5:
        last = NOW - timedelta(minutes=rng.randint(1, 3000), seconds=rng.randint(0, 59))
        step = rng.choice([timedelta(minutes=rng.randint(1, 60)),
                           timedelta(days=rng.randint(1, 3), minutes=rng.randint(0, 90))])
        fields.update(state=rng.choice(["learning", "relearning"]), step=0,
                      stability=rng.uniform(0.1, 3), difficulty=rng.uniform(1, 10),
                      last_review=to_iso(last), due=to_iso(last + step))
    else:
        if rng.random() < 0.15:
            last, stability = rng.choice(shared)
        else:
            last = NOW - timedelta(days=rng.randint(1, 200), seconds=rng.randint(0, 86399))
            stability = rng.uniform(0.3, 150)
        due = last + timedelta(days=rng.randint(1, max(1, round(stability))),
                               seconds=rng.choice([0, rng.randint(0, 86399)]))
        fields.update(state="review", stability=stability, difficulty=rng.uniform(1, 10),
                      last_review=to_iso(last), due=to_iso(due), reps=3)
    fields["suspended"] = int(rng.random() < 0.05)
    if rng.random() < 0.08:
        fields["buried_until"] = to_iso(NOW + timedelta(hours=rng.choice([-30, -1, 2, 20])))
    return fields


def reference_queue(store: Store, now: datetime,
                    deck: str | None = None) -> tuple[list[QueueCard], Counter[str]]:
    """The queue as its rules read, over every card row, without the queue's SQL."""
    day = current_study_day(store, now)
    names = {r["id"]: r["name"] for r in store.query("SELECT id, name FROM decks")}
    settings = {did: s for did, s in settings_by_deck_id(store).items()
                if s.enabled and (deck is None or names[did] == deck)}
    cards = store.query("SELECT * FROM cards")
    deck_of = {c["id"]: c["deck_id"] for c in cards}
    done: Counter[tuple[int, str]] = Counter()
    for log in store.query("SELECT card_id, state_before, reviewed_at FROM review_log"):
        if day.start <= from_iso(log["reviewed_at"]) < day.end:
            done[deck_of[log["card_id"]], log["state_before"]] += 1

    learning_now, learning_ahead = [], []
    reviews: dict[int, list] = {did: [] for did in settings}
    new: dict[int, list] = {did: [] for did in settings}
    for c in cards:
        buried = c["buried_until"] is not None and from_iso(c["buried_until"]) > now
        if c["deck_id"] not in settings or c["suspended"] or buried:
            continue
        due, last = from_iso(c["due"]), from_iso(c["last_review"])
        entry = QueueCard(c["id"], names[c["deck_id"]], c["deck_id"], c["front"], c["kind"],
                          c["state"], c["due"])
        if c["state"] in ("learning", "relearning"):
            assert due is not None and last is not None
            if due <= now:
                learning_now.append((due, c["id"], entry))
            elif due <= now + timedelta(minutes=20):
                learning_ahead.append((due, c["id"], entry))
            elif due < day.end and due - last >= timedelta(days=1):
                learning_now.append((due, c["id"], entry))
        elif c["state"] == "review" and due is not None and due < day.end:
            assert last is not None
            elapsed = (now - last).total_seconds() / 86400
            scheduler = settings[c["deck_id"]].scheduler()
            recall = scheduler.get_card_retrievability(fsrs.Card(
                card_id=c["id"], state=fsrs.State.Review, stability=c["stability"],
                difficulty=c["difficulty"], due=due, last_review=last), now)
            reviews[c["deck_id"]].append(((-elapsed / c["stability"], due, c["id"]),
                                          entry._replace(retrievability=recall)))
        elif c["state"] == "new":
            written = c["first_written"]
            new[c["deck_id"]].append(((written is None, written or "", c["position"], c["id"]),
                                      entry))
    picked_reviews, picked_new = [], []
    for did, s in settings.items():
        left_reviews = max(0, s.reviews_per_day - done[did, "review"])
        left_new = max(0, s.new_per_day - done[did, "new"])
        picked_reviews += sorted(reviews[did])[:left_reviews]
        picked_new += sorted(new[did])[:left_new]
    queue = ([e for *_, e in sorted(learning_now)] + [e for _, e in sorted(picked_reviews)]
             + [e for _, e in sorted(picked_new)] + [e for *_, e in sorted(learning_ahead)])
    counts = Counter(new=len(picked_new), review=len(picked_reviews),
                     learning=len(learning_now) + len(learning_ahead))
    return queue, counts


INSTANTS = [NOW, NOW + timedelta(minutes=7, seconds=13), NOW + timedelta(hours=9),
            NOW.replace(hour=3, minute=30)]  # 03:30: still yesterday's study day


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_queue_equals_the_reference(store: Store, seed: int):
    make_collection(store, seed)
    kinds = Counter(r["state"] for r in store.query("SELECT state FROM cards"))
    assert min(kinds.values()) >= 20 and len(kinds) == 4  # every state is there
    for now in INSTANTS:
        for deck in (None, *(name for name, *_ in DECKS)):
            expected, counts = reference_queue(store, now, deck)
            queue = build_queue(store, deck=deck, now=now)
            assert queue.cards == expected, (now, deck)
            assert queue.counts.to_json() == dict(counts), (now, deck)
        assert len(expected) == 0  # the last deck is turned off
        full, _ = reference_queue(store, now)
        assert sum(c.total for c in queue_counts(store, now).values()) == len(full)


def test_the_reference_sees_what_the_queue_must_get_right(store: Store):
    """The generated collection exercises each rule the comparison relies on: limits
    that cut, ties broken by due and id, interday steps, learn-ahead, burying."""
    make_collection(store, 1)
    queue, _ = reference_queue(store, NOW)
    reviews = [c for c in queue if c.state == "review"]
    day_end = to_iso(current_study_day(store, NOW).end)
    for deck in ("journal", "Linear algebra"):  # their limits cut (PyTorch's does not)
        due = store.value("SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id "
                          "WHERE d.name = ? AND state = 'review' AND due < ?", [deck, day_end])
        assert 0 < sum(c.deck == deck for c in reviews) < due, deck
    assert len({c.retrievability for c in reviews}) < len(reviews)  # some ties
    assert {c.deck for c in reviews} == {"journal", "Linear algebra", "PyTorch fundamentals"}
    learning = [c for c in queue if c.state in ("learning", "relearning")]
    assert any(c.due is not None and from_iso(c.due) > NOW + timedelta(minutes=20)
               for c in learning)  # a step of a day+ due later today
    assert any(c.due is not None and NOW < from_iso(c.due) <= NOW + timedelta(minutes=20)
               for c in learning)  # learn-ahead
    buried = store.value("SELECT count(*) FROM cards WHERE buried_until > ?", [to_iso(NOW)])
    assert buried > 0
