"""studylog's schedule and review log in Anki's terms, for ``export apkg``: each graded
card's type, queue, due and FSRS memory state, and one ``revlog`` row per grade.

Anki counts a review card's due in days from the collection's day 0 (``col.crt``), days
that start at its rollover (4 AM local time by default: studylog's study days, whose start
and zone the export uses), and a learning card's in epoch seconds; the memory state goes
in the card's ``data`` (``s``, ``d``, ``lrt``: what Anki's FSRS reads), so Anki with FSRS
on goes on from the same stability and difficulty. A revlog row's id is its review's epoch
milliseconds, made unique (Anki's primary key) by moving a clash one millisecond on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from studylog.core.anki.note_fields import note_guid
from studylog.core.review.settings import DayConfig
from studylog.core.review.study_day import from_iso, study_date
from studylog.core.storage.anki_notes import CardSchedule, GradeForAnki

_DAY_S = 86400
_DAY_US = _DAY_S * 1_000_000
_TYPES = {"learning": 1, "review": 2, "relearning": 3}
_REVLOG_TYPES = {"new": 0, "learning": 0, "review": 1, "relearning": 2}
SM2_FACTOR = 2500  # Anki's starting ease; unused by its FSRS, needed by SM-2


def _seconds(text: str | None) -> int:
    moment = from_iso(text)
    return 0 if moment is None else int(moment.timestamp())


def _study_day_of(seconds: int, days: DayConfig) -> date:
    """The study day (``days``: its start hour and zone, as Anki's rollover) holding the
    epoch instant ``seconds``. Anki numbers a review card's due day from the study day
    holding the collection's creation: counted from that instant itself, a card due
    between the rollover and its hour (11:00 UTC in genanki's collection) came a day
    early."""
    return study_date(datetime.fromtimestamp(seconds, UTC), days.tz, days.start_hour)


def schedule_rows(schedules: Iterable[CardSchedule], card_ids: dict[str, int],
                  day_zero: int, days: DayConfig) -> list[tuple[Any, ...]]:
    """``AnkiPackageDb.set_schedules`` rows of the cards that are graded or suspended;
    a review card's due day counted in ``days`` from the collection's ``day_zero``."""
    first_day = _study_day_of(day_zero, days)
    rows = []
    for s in schedules:
        card_id = card_ids.get(note_guid(s.deck, s.key))
        if card_id is None:
            continue
        queue = -1 if s.suspended else 0
        if s.state == "new" or s.due is None:
            rows.append((0, queue, 0, 0, 0, s.reps, s.lapses, 0, "", card_id))
            continue
        due, last = _seconds(s.due), _seconds(s.last_review)
        kind = _TYPES[s.state]
        if kind == 2:
            anki_due = (_study_day_of(due, days) - first_day).days
            interval = max(1, round((due - last) / _DAY_S))
        else:  # learning: due in epoch seconds, one step left
            anki_due = due
            interval = 0 if kind == 1 else max(1, round(s.stability or 1))
        data = ({"s": round(s.stability, 4), "d": round(s.difficulty, 4), "lrt": last}
                if s.stability is not None and s.difficulty is not None else {})
        rows.append((kind, queue if s.suspended else (2 if kind == 2 else 1), anki_due,
                     interval, SM2_FACTOR, s.reps, s.lapses, 0 if kind == 2 else 1001,
                     json.dumps(data) if data else "", card_id))
    return rows


def revlog_rows(reviews: Iterable[GradeForAnki], card_ids: dict[str, int]
                ) -> Iterator[tuple[Any, ...]]:
    """``AnkiPackageDb.add_revlog`` rows from ``AnkiNotesRepository.review_rows``."""
    used: set[int] = set()
    last_card, last_interval = None, 0
    guid_of: dict[tuple[str, str], str] = {}
    for deck, key, rating, reviewed_at, duration_ms, state_before, due_after in reviews:
        guid = guid_of.get((deck, key)) or guid_of.setdefault((deck, key),
                                                              note_guid(deck, key))
        card_id = card_ids.get(guid)
        if card_id is None:
            continue
        if card_id != last_card:
            last_card, last_interval = card_id, 0
        at_us = int(datetime.fromisoformat(reviewed_at).timestamp() * 1_000_000)
        review_id = at_us // 1000
        while review_id in used:
            review_id += 1
        used.add(review_id)
        delta = due_after - at_us
        interval = round(delta / _DAY_US) if delta >= _DAY_US else -round(delta / 1_000_000)
        kind = _REVLOG_TYPES.get(state_before, 0)
        yield (review_id, card_id, rating, interval, last_interval,
               SM2_FACTOR if kind else 0, max(0, duration_ms or 0), kind)
        last_interval = interval
