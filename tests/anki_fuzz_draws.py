"""Run by test_review_anki_fuzz.py in its own process: Anki's own scheduler (the
``anki`` package) with FSRS on and fuzz on answers many copies of each case and prints,
per case and button, how often it gave each interval in days, as one JSON line.

Its own process because Anki's backend reads ``ANKI_TEST_MODE`` (fuzz off) once, and
test_review_anki_oracle.py sets it for the pytest process. Anki seeds each card's fuzz
with its id and reps, and ids are creation times, so the copies draw different factors.

argv[1]: JSON list of cases ``[kind, stability, difficulty, elapsed, scheduled,
retention]`` (kind 'new', 'review' or 'relearning'; a relearning card is on its last
step); argv[2]: copies per case.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections import Counter

from anki.collection import Collection
from anki_cards import place_card, set_retention

BUTTONS = ("hard", "good", "easy")


def draws(col: Collection, case: list, copies: int) -> dict[str, dict[int, int]]:
    kind, stability, difficulty, elapsed, scheduled, retention = case
    set_retention(col, retention)
    seen: dict[str, Counter[int]] = {name: Counter() for name in BUTTONS}
    for i in range(copies):
        note = col.newNote()
        note["Front"], note["Back"] = f"stride {i}", "보폭"
        col.add_note(note, 1)
        card = note.cards()[0]
        if kind != "new":
            place_card(col, card, kind, stability, difficulty, elapsed, scheduled)
        states = col._backend.get_scheduling_states(card.id)
        for name in BUTTONS:
            normal = getattr(states, name).normal
            if normal.WhichOneof("kind") == "review":
                seen[name][normal.review.scheduled_days] += 1
    return {name: dict(counts) for name, counts in seen.items()}


def main() -> None:
    cases, copies = json.loads(sys.argv[1]), int(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(os.path.join(tmp, "collection.anki2"))
        col.set_config("fsrs", True)
        try:
            print(json.dumps([draws(col, case, copies) for case in cases]))
        finally:
            col.close()


if __name__ == "__main__":
    main()
