"""Anki cards put in the state a scheduling case names, for the tests that ask Anki's own
scheduler (test_review_anki_oracle.py, and anki_fuzz_draws.py in its own process)."""

from __future__ import annotations

from anki.cards import Card
from anki.cards_pb2 import FsrsMemoryState
from anki.collection import Collection


def set_retention(col: Collection, retention: float) -> None:
    """Desired retention of the default deck's options."""
    conf = col.decks.get_config(1)
    conf["desiredRetention"] = retention
    col.decks.update_config(conf)


def place_card(col: Collection, card: Card, kind: str, stability: float, difficulty: float,
               elapsed: int, scheduled: int) -> None:
    """Make ``card`` a 'review' card of interval ``scheduled`` due today, or a 'learning'
    or 'relearning' card on its last step (10 minutes), with FSRS memory state
    (``stability``, ``difficulty``), last reviewed ``elapsed`` days before today's
    cutoff (an hour earlier), after 3 reviews; saved."""
    if kind == "review":
        card.type = card.queue = 2
        card.ivl, card.due = scheduled, col.sched.today
    else:  # (re)learning, on its last step (learning 10m, relearning 10m)
        card.type, card.queue = (1 if kind == "learning" else 3), 1
        card.left, card.due = 1, col.sched.day_cutoff - 86400
        card.ivl = scheduled
    card.memory_state = FsrsMemoryState(stability=stability, difficulty=difficulty)
    card.last_review_time = col.sched.day_cutoff - elapsed * 86400 - 3600
    card.reps = 3
    col.update_card(card)
