"""Fuzz against Anki's own scheduler (issue 18, items 2 and 3): with fuzz on, the
intervals studylog draws for many copies of a card are exactly the set Anki 26.9 draws
for the same card — the same range from the unrounded interval, never ``upper + 1``,
Hard < Good < Easy, and no shrinking below the previous interval. Anki runs in its own
process (tests/anki_fuzz_draws.py); its seed is its own, so the draws are compared as
sets of days, not one by one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studylog.core.review.scheduling import preview_intervals
from studylog.core.review.settings import set_day_config, set_deck_settings
from studylog.core.review.study_day import to_iso
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
BUTTONS = ("hard", "good", "easy")
COPIES = 300  # the widest range here has 12 days: Anki misses one with p < 1e-10
CASES = [
    ("new", 0.0, 0.0, 0, 0, 0.90),  # Easy first answer: Anki's 6-10 days
    ("review", 8.2956, 1.0, 8, 8, 0.90),  # the 8-day card
    ("review", 2.0, 10.0, 2, 2, 0.90),  # the difficult card: Hard/Good/Easy pushed apart
    ("review", 3.1, 6.0, 3, 3, 0.90),  # just past 2.5 days: the narrowest ranges
    ("review", 3.0, 5.0, 3, 3, 0.80),  # a lower desired retention
    ("review", 30.0, 4.0, 5, 30, 0.90),  # answered early: fuzz may not go below 30
    ("review", 8.0, 8.0, 20, 8, 0.90),  # overdue
    ("relearning", 1.6, 7.5, 0, 12, 0.90),  # leaving relearning: rounded, then fuzzed
]


def anki_draws(cases: list[tuple], copies: int) -> list[dict[str, set[int]]]:
    script = Path(__file__).with_name("anki_fuzz_draws.py")
    env = {k: v for k, v in os.environ.items() if k != "ANKI_TEST_MODE"}
    proc = subprocess.run([sys.executable, str(script), json.dumps(cases), str(copies)],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr
    return [{name: {int(days) for days in counts} for name, counts in case.items()}
            for case in json.loads(proc.stdout.splitlines()[-1])]


def studylog_draws(store: Store, case: tuple, copies: int, tag: str
                   ) -> tuple[dict[str, set[int]], set[tuple[int, ...]]]:
    """The same card ``copies`` times (different ids, so different fuzz factors), last
    reviewed at 20:00 Seoul and answered ``elapsed`` study days later: the days each
    button shows (the preview is what a grade stores, see test_review_anki_rules.py)."""
    kind, stability, difficulty, elapsed, scheduled, retention = case
    set_deck_settings(store, "journal", desired_retention=retention, enable_fuzzing=True)
    last = datetime(2024, 5, 1, 20, 0, tzinfo=SEOUL)
    now = (last + timedelta(days=elapsed)).replace(hour=9) if elapsed else \
        last.replace(hour=23)
    due = last + timedelta(days=scheduled) if kind == "review" else \
        last + timedelta(minutes=10)
    seen: dict[str, Counter[int]] = {name: Counter() for name in BUTTONS}
    triples = set()
    for i in range(copies):
        with store.write():
            deck_id = store.decks.ensure("journal", "journal", trusted=True)
            card = store.cards.insert({"deck_id": deck_id, "key": f"{tag}-{i}",
                                       "front": f"stride {i}", "position": i})
            if kind != "new":
                store.cards.set_schedule(card, {
                    "state": kind, "step": 0 if kind == "relearning" else None,
                    "stability": stability, "difficulty": difficulty,
                    "last_review": to_iso(last), "due": to_iso(due), "reps": 3})
        preview = preview_intervals(store, card, now)
        days = {name: round(preview[name].seconds / 86400) for name in BUTTONS
                if preview[name].seconds >= 86400 * 0.9}  # review intervals only
        for name, value in days.items():
            seen[name][value] += 1
        triples.add(tuple(days.values()))
    return {name: set(counts) for name, counts in seen.items()}, triples


@pytest.fixture(scope="module")
def theirs() -> list[dict[str, set[int]]]:
    return anki_draws(CASES, COPIES)


@pytest.mark.parametrize("index", range(len(CASES)), ids=[
    "easy-graduation", "8-day", "difficult", "short", "retention-0.80", "early",
    "overdue", "relearning"])
def test_fuzzed_intervals_are_the_days_anki_draws(store, theirs, index):
    with store.write():
        store.decks.ensure("journal", "journal", trusted=True)
    set_day_config(store, start_hour=4, timezone_name="Asia/Seoul")
    ours, triples = studylog_draws(store, CASES[index], COPIES, f"case{index}")
    assert ours == theirs[index], (CASES[index], ours, theirs[index])
    assert any(len(days) > 1 for days in ours.values())  # fuzz did spread the draws
    for days in triples:  # each card's buttons, in order, a day or more apart
        assert all(a < b for a, b in zip(days, days[1:])), days
