"""Grading, previews, undo, bury and suspend: the review core the CLI and the TUI call.

The memory model is the ``fsrs`` package's, scheduled by Anki's rules (elapsed study
days, Anki's fuzz, Hard < Good < Easy: see ``anki_rules``); this module maps card rows to
``fsrs.Card`` and back. Previews and grades both come from ``anki_rules.next_states`` with
the same seeded fuzz, so a button shows exactly what its grade stores. A card nobody has
graded is *new* (state 'new', due NULL), so listings stay stable until its first grade;
it then becomes an ``fsrs.Card()`` reviewed at that instant.

Every grade updates the card, writes one ``review_log`` row (the review and the card
fields it changed, as they were) and an undo-journal entry, in one transaction. Undo
writes those fields back and deletes the row, so the card row is exactly what it was
before the grade; content edits made in between (front, back, snippet, tags other than
the leech tag) are kept. Bury, suspend and unsuspend are journaled too, so the newest
action is what ``studylog.core.undo.reversal`` undoes.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

import fsrs

from studylog.core.cards.leech import LEECH_TAG, with_leech
from studylog.core.review.anki_rules import Outcome, next_states
from studylog.core.review.fuzz import fuzz_factor
from studylog.core.review.intervals import format_interval
from studylog.core.review.settings import (
    DeckSettings,
    ReviewError,
    current_study_day,
    day_config,
    settings_for_deck_id,
)
from studylog.core.review.study_day import from_iso, to_iso, utc
from studylog.core.storage.cards import CardRow
from studylog.core.storage.database import Store
from studylog.core.undo.journal import record_action

RATINGS = {"again": fsrs.Rating.Again, "hard": fsrs.Rating.Hard,
           "good": fsrs.Rating.Good, "easy": fsrs.Rating.Easy}
# What a grade changes, hence what undo restores (the log row keeps them as they were).
SCHEDULE_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review",
                    "reps", "lapses", "suspended", "buried_until", "tags")
CRASH_ENV = "STUDYLOG_CRASH_AT"  # tests: SIGKILL the process at a named point

_TO_FSRS = {"learning": fsrs.State.Learning, "review": fsrs.State.Review,
            "relearning": fsrs.State.Relearning}
_FROM_FSRS = {v: k for k, v in _TO_FSRS.items()}


@dataclass(frozen=True)
class IntervalPreview:
    """What one answer button would do: the next due instant and the interval label."""

    rating: str
    due: str
    seconds: float
    label: str  # "1m", "10m", "1d", "4d", "3.2mo", "1.5y"


@dataclass(frozen=True)
class ReviewResult:
    """The outcome of one grade."""

    card_id: int
    log_id: int
    rating: str
    state: str
    due: str
    stability: float
    difficulty: float
    interval: str
    leech: bool  # this grade made the card a leech (tagged and suspended)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.card_id, "due": self.due, "state": self.state,
                "stability": self.stability, "difficulty": self.difficulty,
                "leech": self.leech}


@dataclass(frozen=True)
class UndoResult:
    """The grade that was undone; the card is back to ``state``/``due``."""

    card_id: int
    log_id: int
    rating: str
    state: str
    due: str | None


def parse_rating(rating: str | int | fsrs.Rating) -> fsrs.Rating:
    """'again'|'hard'|'good'|'easy' (any case), 1-4 or an ``fsrs.Rating``."""
    if isinstance(rating, str):
        key = rating.strip().lower()
        if key in RATINGS:
            return RATINGS[key]
        if key.isdigit():
            rating = int(key)
    if isinstance(rating, int) and 1 <= int(rating) <= 4:
        return fsrs.Rating(int(rating))
    raise ReviewError(f"unknown rating {rating!r}: use again, hard, good or easy")


def to_fsrs_card(row: CardRow, now: datetime) -> fsrs.Card:
    """The ``fsrs.Card`` of a card row; a new card is a fresh one due ``now``."""
    if row.state == "new":
        return fsrs.Card(card_id=row.id, due=now)
    assert row.due is not None and row.last_review is not None  # graded at least once
    return fsrs.Card(card_id=row.id, state=_TO_FSRS[row.state], step=row.step,
                     stability=row.stability, difficulty=row.difficulty,
                     due=from_iso(row.due), last_review=from_iso(row.last_review))


def _card_row(store: Store, card_id: int) -> CardRow:
    row = store.cards.get(card_id)
    if row is None:
        raise ReviewError(f"no card with id {card_id}")
    return row


def _settings(store: Store, row: CardRow) -> DeckSettings:
    return settings_for_deck_id(store, row.deck_id)


def _outcomes(store: Store, row: CardRow, settings: DeckSettings, now: datetime,
              tz: tzinfo | None) -> dict[fsrs.Rating, Outcome]:
    """Every answer's outcome for the card ``row`` at ``now``: fuzz seeded by the card
    and its review count, so a preview and the grade after it draw the same."""
    factor = fuzz_factor(row.id, row.reps) if settings.enable_fuzzing else None
    return next_states(settings, to_fsrs_card(row, now), now, day_config(store, tz), factor)


def _label(outcome: Outcome, now: datetime) -> str:
    if outcome.days is not None:  # whole study days, even across a DST change (23 h)
        return format_interval(outcome.days * 86400)
    return format_interval((outcome.card.due - now).total_seconds())


def preview_intervals(store: Store, card_id: int, now: datetime | None = None,
                      tz: tzinfo | None = None) -> dict[str, IntervalPreview]:
    """For each answer ('again', 'hard', 'good', 'easy'): where the card goes if graded
    at ``now`` — the same due instant ``record_review`` then stores (fuzz included).
    ``tz`` overrides the configured zone."""
    now = utc(now)
    row = _card_row(store, card_id)
    outcomes = _outcomes(store, row, _settings(store, row), now, tz)
    out = {}
    for name, rating in RATINGS.items():
        outcome = outcomes[rating]
        seconds = (outcome.card.due - now).total_seconds()
        out[name] = IntervalPreview(name, to_iso(outcome.card.due), seconds,
                                    _label(outcome, now))
    return out


def _crash_point(name: str) -> None:
    if os.environ.get(CRASH_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


def _is_leech(lapses: int, threshold: int) -> bool:
    """At the threshold, then every half threshold more, as in Anki (8, 12, 16...)."""
    return lapses >= threshold and (lapses - threshold) % max(1, threshold // 2) == 0


def record_review(store: Store, card_id: int, rating: str | int | fsrs.Rating,
                  duration_ms: int | None = None, now: datetime | None = None,
                  tz: tzinfo | None = None) -> ReviewResult:
    """Grade a card at ``now``: schedule it (fsrs, Anki's rules), write the card and its
    review-log row in one transaction. Suspended cards are refused; grading a buried card
    unburies it. A lapse (Again on a review card) that reaches the deck's leech threshold
    tags the card 'leech' and suspends it. ``tz`` overrides the configured zone."""
    grade = parse_rating(rating)
    now = utc(now)
    if duration_ms is not None and duration_ms < 0:
        raise ReviewError("duration must not be negative")
    with store.write():
        row = _card_row(store, card_id)
        if row.suspended:
            raise ReviewError(f"card {card_id} is suspended (unsuspend it to review)")
        settings = _settings(store, row)
        outcome = _outcomes(store, row, settings, now, tz)[grade]
        after = outcome.card
        assert after.stability is not None and after.difficulty is not None  # just reviewed
        lapsed = row.state == "review" and grade == fsrs.Rating.Again
        state, due = _FROM_FSRS[after.state], to_iso(after.due)
        fields: dict[str, Any] = {
            "state": state, "step": after.step, "stability": after.stability,
            "difficulty": after.difficulty, "due": due, "last_review": to_iso(now),
            "reps": row.reps + 1, "lapses": row.lapses + int(lapsed), "buried_until": None}
        leech = lapsed and _is_leech(fields["lapses"], settings.leech_threshold)
        if leech:
            fields.update(suspended=1, tags=with_leech(row.tags))
        store.cards.set_schedule(card_id, fields)
        _crash_point("grade")
        log_id = store.review_log.insert({
            "card_id": card_id, "rating": int(grade), "reviewed_at": to_iso(now),
            "duration_ms": duration_ms, "state_before": row.state,
            "stability_before": row.stability, "difficulty_before": row.difficulty,
            "due_before": row.due, "state_after": state,
            "stability_after": after.stability, "difficulty_after": after.difficulty,
            "due_after": due, "step_before": row.step, "last_review_before": row.last_review,
            "reps_before": row.reps, "lapses_before": row.lapses,
            "suspended_before": int(row.suspended), "buried_until_before": row.buried_until,
            "leech_before": int(LEECH_TAG in row.tags)})
        record_action(store, "grade", card_id, {"log_id": log_id})
    return ReviewResult(card_id, log_id, grade.name.lower(), state, due,
                        after.stability, after.difficulty, _label(outcome, now), leech)


def undo_last(store: Store, log_id: int | None = None) -> UndoResult:
    """Undo the newest grade (or the grade ``log_id``, which must be its card's newest):
    the card's row becomes exactly what it was before and the log row is deleted (with
    its undo-journal entry). ReviewError when there is nothing to undo."""
    with store.write():
        log = store.review_log.get(log_id) if log_id is not None else store.review_log.latest()
        if log is None:
            raise ReviewError("nothing to undo" if log_id is None
                              else f"no review {log_id} to undo")
        newest = store.review_log.latest(log.card_id)
        if newest is None or newest.id != log.id:
            raise ReviewError(f"card {log.card_id} was graded again since; "
                              "undo that grade first")
        card = _card_row(store, log.card_id)
        # the leech tag is the only tag a grade adds; other tag edits since are kept
        tags = card.tags if log.leech_before else [t for t in card.tags if t != LEECH_TAG]
        store.cards.set_schedule(log.card_id, {
            "state": log.state_before, "step": log.step_before,
            "stability": log.stability_before, "difficulty": log.difficulty_before,
            "due": log.due_before, "last_review": log.last_review_before,
            "reps": log.reps_before, "lapses": log.lapses_before,
            "suspended": log.suspended_before, "buried_until": log.buried_until_before,
            "tags": tags})
        store.review_log.delete(log.id)
        store.undo_journal.delete_grade(log.id)
    return UndoResult(log.card_id, log.id, fsrs.Rating(log.rating).name.lower(),
                      log.state_before, log.due_before)


def bury(store: Store, card_id: int, now: datetime | None = None,
         tz: tzinfo | None = None) -> str:
    """Hide a card until the next study day starts; returns that instant (UTC ISO)."""
    with store.write():
        row = _card_row(store, card_id)
        until = current_study_day(store, now, tz).end_iso
        store.cards.set_schedule(card_id, {"buried_until": until})
        record_action(store, "bury", card_id, {"buried_until": row.buried_until})
    return until


def _set_suspended(store: Store, card_id: int, action: str, value: int) -> bool:
    with store.write():
        row = _card_row(store, card_id)
        if int(row.suspended) == value:  # a no-op is not an action to undo
            return False
        store.cards.set_schedule(card_id, {"suspended": value})
        record_action(store, action, card_id, {"suspended": int(row.suspended)})
    return True


def suspend(store: Store, card_id: int) -> bool:
    """Take a card out of review until unsuspended (its schedule is kept); False, with
    nothing written, when it already was suspended."""
    return _set_suspended(store, card_id, "suspend", 1)


def unsuspend(store: Store, card_id: int) -> bool:
    """Put a suspended card back into review (a leech keeps its 'leech' tag); False, with
    nothing written, when it was not suspended."""
    return _set_suspended(store, card_id, "unsuspend", 0)
