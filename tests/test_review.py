"""Review core: fsrs scheduling, the queue and its daily limits, undo, bury/suspend,
leeches and the review log. Time is frozen: every call gets an explicit ``now``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import fsrs
import pytest

from studylog.core.journal.importer import import_logs
from studylog.core.review.queue import build_queue
from studylog.core.review.scheduling import (
    SCHEDULE_COLUMNS,
    bury,
    format_interval,
    parse_rating,
    preview_intervals,
    record_review,
    suspend,
    undo_last,
    unsuspend,
)
from studylog.core.review.session import ReviewSession
from studylog.core.review.settings import (
    DeckSettings,
    ReviewError,
    day_config,
    deck_settings,
    parse_steps,
    set_day_config,
    set_deck_settings,
)
from studylog.core.review.study_day import study_day, to_iso
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
REPO = Path(__file__).resolve().parents[1]


def local(y: int, m: int, d: int, h: int = 10, mi: int = 0) -> datetime:
    """An instant given in Seoul time (UTC+9, no DST)."""
    return datetime(y, m, d, h, mi, tzinfo=SEOUL)


@pytest.fixture
def journal(store: Store, fixture_log: Path) -> list[int]:
    """The fixture's 7 journal cards, in the order they were written."""
    import_logs(store, [fixture_log], year=2023)
    set_day_config(store, timezone_name="Asia/Seoul")
    return [c.id for c in build_queue(store, now=local(2024, 3, 10)).cards]


def make_cards(store: Store, n: int, deck: str = "journal", kind: str = "journal",
               **fields) -> list[int]:
    with store.write():
        deck_id = store.decks.ensure(deck, kind, trusted=True)
        return [store.cards.insert({"deck_id": deck_id, "key": f"{deck}-{i}",
                                   "front": f"{deck} card {i}", "position": i, **fields})
                for i in range(n)]


def full_row(store: Store, card_id: int) -> dict:
    """Every column, with SQLite's own text rendering of its value and type."""
    columns = [r["name"] for r in store.query("PRAGMA table_info(cards)")]
    select = ", ".join(f"quote({c}) AS {c}, typeof({c}) AS {c}__type" for c in columns)
    return store.query(f"SELECT {select} FROM cards WHERE id = ?", [card_id])[0]


def log_count(store: Store) -> int:
    return store.value("SELECT count(*) FROM review_log")


# -- study day ---------------------------------------------------------------------

def test_study_day_starts_at_4am_local():
    before = study_day(local(2024, 3, 11, 3, 59), SEOUL)
    after = study_day(local(2024, 3, 11, 4, 0), SEOUL)
    assert before.date == date(2024, 3, 10) and after.date == date(2024, 3, 11)
    assert after.start == local(2024, 3, 11, 4) and after.end == local(2024, 3, 12, 4)
    assert after.start_iso == "2024-03-10T19:00:00.000000+00:00"  # stored as UTC
    assert study_day(local(2024, 3, 11, 0, 30), SEOUL, start_hour=0).date == date(2024, 3, 11)


def test_study_day_follows_daylight_saving():
    new_york = ZoneInfo("America/New_York")  # clocks go forward on 2024-03-10 at 02:00
    day = study_day(datetime(2024, 3, 9, 12, tzinfo=new_york), new_york)
    assert day.end - day.start == timedelta(hours=23)
    assert day.end.astimezone(new_york).hour == 4


def test_naive_datetimes_are_refused(store, journal):
    with pytest.raises(ValueError):
        build_queue(store, now=datetime(2024, 3, 10, 10))


# -- settings ---------------------------------------------------------------------

def test_deck_settings_defaults_and_changes(store, journal):
    assert deck_settings(store, "journal") == DeckSettings()
    s = DeckSettings()
    assert (s.desired_retention, s.learning_steps, s.relearning_steps, s.enable_fuzzing,
            s.new_per_day, s.reviews_per_day, s.leech_threshold) == (
        0.90, (60, 600), (600,), True, 20, 200, 8)
    set_deck_settings(store, "journal", desired_retention=0.85, learning_steps="30s 5m 1h",
                      new_per_day=5)
    got = deck_settings(store, "journal")
    assert (got.desired_retention, got.learning_steps, got.new_per_day) == (
        0.85, (30, 300, 3600), 5)
    assert got.scheduler().learning_steps == tuple(
        timedelta(seconds=s) for s in (30, 300, 3600))
    for bad in ({"desired_retention": 1.0}, {"new_per_day": -1}, {"learning_steps": "1x"},
                {"colour": "red"}):
        with pytest.raises(ReviewError):
            set_deck_settings(store, "journal", **bad)
    with pytest.raises(ReviewError, match="no deck named"):
        deck_settings(store, "nope")
    assert deck_settings(store, "journal") == got  # failed changes wrote nothing


def test_day_config_from_meta(store):
    assert day_config(store).start_hour == 4
    set_day_config(store, start_hour=5, timezone_name="Europe/Berlin")
    config = day_config(store)
    assert (config.start_hour, str(config.tz)) == (5, "Europe/Berlin")
    assert day_config(store, SEOUL).tz is SEOUL  # an explicit zone wins
    with pytest.raises(ReviewError):
        set_day_config(store, timezone_name="Mars/Olympus")
    with pytest.raises(ReviewError):
        set_day_config(store, start_hour=24)


def test_parse_steps_and_ratings():
    assert parse_steps("1m 10m") == (60, 600)
    assert parse_steps("1.5h, 1d") == (5400, 86400)
    assert parse_steps("") == ()
    assert parse_rating("Good") == fsrs.Rating.Good and parse_rating(1) == fsrs.Rating.Again
    for bad in ("meh", 0, 5, "5"):
        with pytest.raises(ReviewError):
            parse_rating(bad)


@pytest.mark.parametrize("seconds,label", [
    (30, "<1m"), (60, "1m"), (330, "6m"), (600, "10m"), (5400, "1.5h"), (86400, "1d"),
    (4 * 86400, "4d"), (45 * 86400, "1.5mo"), (400 * 86400, "1.1y"),
])
def test_interval_labels(seconds, label):
    assert format_interval(seconds) == label


# -- the memory model is fsrs's ----------------------------------------------------------

PLAN = ["good", "good", "good", "again", "good", "hard", "easy", "again", "again", "good",
        "good"]


@pytest.mark.parametrize("settings", [
    {},
    {"desired_retention": 0.8, "learning_steps": (30, 300, 3600), "relearning_steps": (),
     "maximum_interval": 30},
])
def test_memory_model_is_fsrs(store, journal, settings):
    """Stability, difficulty, state and (re)learning steps are the ``fsrs`` package's.
    Reviews fall at 10:00-22:00 so 24-hour periods and study days agree; review intervals
    follow Anki's rules (test_review_anki_rules.py), so the fsrs card takes our due."""
    set_deck_settings(store, "journal", enable_fuzzing=False, **settings)
    s = deck_settings(store, "journal")
    scheduler = fsrs.Scheduler(
        desired_retention=s.desired_retention,
        learning_steps=[timedelta(seconds=x) for x in s.learning_steps],
        relearning_steps=[timedelta(seconds=x) for x in s.relearning_steps],
        maximum_interval=s.maximum_interval, enable_fuzzing=False)
    card_id = journal[0]
    now = local(2024, 3, 10, 10, 0).astimezone(UTC)
    expected = fsrs.Card(card_id=card_id, due=now)
    for rating in PLAN:
        preview = preview_intervals(store, card_id, now)
        expected, _ = scheduler.review_card(expected, parse_rating(rating), now)
        result = record_review(store, card_id, rating, 1500, now)
        row = store.cards.get(card_id)
        assert row.state == expected.state.name.lower() == result.state
        assert row.step == expected.step
        assert row.stability == expected.stability == result.stability
        assert row.difficulty == expected.difficulty == result.difficulty
        assert row.due == result.due == preview[rating].due
        if expected.state != fsrs.State.Review:
            assert row.due == to_iso(expected.due)  # a step: now + step
        assert row.last_review == to_iso(now)
        expected.due = datetime.fromisoformat(row.due)
        now = expected.due + (timedelta(hours=2) if expected.state == fsrs.State.Review
                              else timedelta(minutes=2))
    assert store.cards.get(card_id).reps == len(PLAN)


def test_first_grade_of_a_new_card_and_its_preview(store, journal):
    now = local(2024, 3, 10, 10)
    labels = {k: v.label for k, v in preview_intervals(store, journal[0], now).items()}
    # Easy graduates at 8 days, shown with its fuzz (Anki's range for 8.3 days: 6-10)
    assert labels.pop("easy") in {"6d", "7d", "8d", "9d", "10d"}
    assert labels == {"again": "1m", "hard": "6m", "good": "10m"}
    set_deck_settings(store, "journal", enable_fuzzing=False)
    assert preview_intervals(store, journal[0], now)["easy"].label == "8d"
    row = store.cards.get(journal[0])
    assert (row.state, row.due, row.stability) == ("new", None, None)  # stable


def test_review_log_row_holds_everything(store, journal):
    card_id = journal[0]
    first = local(2024, 3, 10, 10)
    record_review(store, card_id, "good", 2500, first)
    before = store.cards.get(card_id)
    later = first + timedelta(minutes=15)
    result = record_review(store, card_id, "easy", 4200, later)
    log = store.review_log.latest()
    after = store.cards.get(card_id)
    assert log.id == result.log_id and log.card_id == card_id
    assert (log.rating, log.duration_ms, log.reviewed_at) == (4, 4200, to_iso(later))
    assert (log.state_before, log.stability_before, log.difficulty_before,
            log.due_before) == (before.state, before.stability,
                                   before.difficulty, before.due)
    assert (log.state_after, log.stability_after, log.difficulty_after,
            log.due_after) == (after.state, after.stability, after.difficulty,
                                  after.due)
    assert (log.step_before, log.last_review_before, log.reps_before, log.lapses_before,
            log.suspended_before, log.buried_until_before, log.leech_before) == (
        before.step, before.last_review, before.reps, before.lapses, int(before.suspended),
        before.buried_until, 0)
    columns = {r["name"] for r in store.query("PRAGMA table_info(review_log)")}
    assert not columns & {"card_before", "front", "back", "tags", "code"}  # no card text
    assert log_count(store) == 2


# -- the queue -------------------------------------------------------------------------

def test_queue_order(store, journal):
    now = local(2024, 3, 10, 10)
    long_ago = local(2024, 2, 1)
    reviews = make_cards(store, 3, deck="journal", kind="journal", first_written="2020-01-01")
    learning_due, learning_soon, learning_later = journal[4:7]
    with store.write():
        for card_id, stability in zip(reviews, (40.0, 5.0, 12.0)):
            store.cards.set_schedule(card_id, {
                "state": "review", "stability": stability, "difficulty": 5.0,
                "last_review": to_iso(long_ago), "due": to_iso(now - timedelta(days=1))})
        for card_id, offset in ((learning_due, -5), (learning_soon, 10), (learning_later, 30)):
            store.cards.set_schedule(card_id, {
                "state": "learning", "step": 1, "stability": 2.3, "difficulty": 2.1,
                "last_review": to_iso(now - timedelta(minutes=5)),
                "due": to_iso(now + timedelta(minutes=offset))})
    queue = build_queue(store, now=now)
    ids = [c.id for c in queue.cards]
    # due learning, reviews by retrievability (low stability = forgotten most), new cards
    # in written order, then learning due within 20 minutes; the one due in 30 waits
    assert ids == [learning_due, reviews[1], reviews[2], reviews[0], *journal[:4],
                   learning_soon]
    assert queue.counts.to_json() == {"new": 4, "learning": 2, "review": 3}
    r = [c.retrievability for c in queue.cards[1:4]]
    assert r == sorted(r) and all(0 < x < 1 for x in r)


def queue_and_statements(store, now):
    """``build_queue`` at ``now``, and every SQL statement it ran."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        return build_queue(store, now=now), statements
    finally:
        store.conn.set_trace_callback(None)


def test_queue_reads_learning_and_review_cards_from_their_indexes_alone(store, journal):
    """At 100,000 cards a table lookup per scheduled card was most of the queue's time:
    the learning and review picks are answered from covering indexes (migrations 0013,
    0016), checked on SQLite's own plan of every statement ``build_queue`` runs."""
    now = local(2024, 3, 10, 10)
    with store.write():
        store.cards.set_schedule(journal[0], {
            "state": "review", "stability": 9.0, "difficulty": 5.0,
            "last_review": to_iso(now - timedelta(days=20)),
            "due": to_iso(now - timedelta(days=1))})
        store.cards.set_schedule(journal[1], {
            "state": "learning", "step": 0, "stability": 2.3, "difficulty": 2.1,
            "last_review": to_iso(now - timedelta(minutes=5)),
            "due": to_iso(now - timedelta(minutes=1))})
    queue, statements = queue_and_statements(store, now)
    assert [c.id for c in queue.cards[:2]] == [journal[1], journal[0]]
    plans = {}
    for sql in statements:
        if "INDEXED BY" in sql:  # the learning and review picks
            plans[sql] = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
    used = " | ".join(" ; ".join(plan) for plan in plans.values())
    assert "COVERING INDEX cards_learning_order" in used
    assert "COVERING INDEX cards_review_due" in used
    for plan in plans.values():
        card_steps = [step for step in plan if " c " in f" {step} "]
        assert card_steps and all("COVERING INDEX" in step for step in card_steps), plan

def test_queue_reads_learning_cards_in_study_order_without_sorting_them(store, journal):
    """At 100,000 cards ~800 learning cards were due now, and their pick sorted them by
    due and id, every column an entry shows with them, on every build. Their index holds
    them in that order across decks (migration 0016): SQLite's plan of both learning
    picks (due now, learn-ahead) has no sort, and the cards still come earliest first, a
    tie on due broken by id, whatever the deck."""
    now = local(2024, 3, 10, 10)
    (other,) = make_cards(store, 1, deck="Linear algebra", kind="added")
    due = {journal[3]: now - timedelta(minutes=5), other: now - timedelta(minutes=5),
           journal[1]: now - timedelta(minutes=9), journal[2]: now + timedelta(minutes=4),
           journal[0]: now + timedelta(minutes=4)}
    with store.write():
        for card_id, at in due.items():
            store.cards.set_schedule(card_id, {
                "state": "relearning" if card_id == other else "learning", "step": 0,
                "stability": 1.5, "difficulty": 5.0,
                "last_review": to_iso(at - timedelta(minutes=10)), "due": to_iso(at)})
    queue, statements = queue_and_statements(store, now)
    tie = sorted([journal[3], other])
    assert [c.id for c in queue.cards if c.id in due] == [
        journal[1], *tie, *sorted([journal[0], journal[2]])]
    picks = [sql for sql in statements if "cards_learning" in sql]
    assert len(picks) == 2
    for sql in picks:
        plan = [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        assert not [step for step in plan if "TEMP B-TREE" in step], plan


def test_queue_reads_the_julianday_of_review_cards_from_their_index(store, journal):
    """The review pick orders a deck's due reviews by days elapsed over stability: at
    100,000 cards SQLite parsed ~7,000 last-review dates on every build. The index holds
    ``julianday(last_review)`` (migration 0015), so the pick's program calls no date
    function at all (``now``'s julian day is a parameter)."""
    now = local(2024, 3, 10, 10)
    with store.write():
        for card_id, days in ((journal[0], 20), (journal[1], 3)):
            store.cards.set_schedule(card_id, {
                "state": "review", "stability": 9.0, "difficulty": 5.0,
                "last_review": to_iso(now - timedelta(days=days)),
                "due": to_iso(now - timedelta(days=1))})
    queue, statements = queue_and_statements(store, now)
    assert [c.id for c in queue.cards[:2]] == [journal[0], journal[1]]
    (pick,) = [sql for sql in statements if "cards_review_due" in sql]
    program = list(store.conn.execute(f"EXPLAIN {pick}"))
    calls = [str(op[5]) for op in program if op[1] in ("Function", "PureFunc")]
    assert not [call for call in calls if "julianday" in call], calls
    assert "julianday(last_review)" in store.value(
        "SELECT sql FROM sqlite_master WHERE name = 'cards_review_due'")


def test_queue_retrievability_is_fsrs_own(store, journal):
    """The queue scores review cards with FSRS's forgetting curve computed in place; it
    must give what ``fsrs.Scheduler.get_card_retrievability`` gives, whole days elapsed
    included, also for a deck with fitted parameters (another decay)."""
    now = local(2024, 3, 10, 10)
    fitted = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    fitted[20] = 0.35
    make_cards(store, 1, deck="Linear algebra", kind="added")
    set_deck_settings(store, "Linear algebra", parameters=tuple(fitted))
    cases = [(0.4, 1.5), (3.0, 0.99), (3.0, 1.01), (41.7, 17.25), (250.0, 400.6)]
    ids = {}
    for deck, kind in (("journal", "journal"), ("Linear algebra", "added")):
        for n, (stability, days_ago) in enumerate(cases):
            (card_id,) = make_cards(store, 1, deck=deck, kind=kind, key=f"r{deck}{n}")
            last = now - timedelta(days=days_ago)
            with store.write():
                store.cards.set_schedule(card_id, {
                    "state": "review", "stability": stability, "difficulty": 6.0,
                    "last_review": to_iso(last), "due": to_iso(now - timedelta(hours=1))})
            ids[card_id] = (deck, stability, last)
    scored = {c.id: c.retrievability for c in build_queue(store, now=now).cards
              if c.id in ids}
    assert scored.keys() == ids.keys()
    for card_id, (deck, stability, last) in ids.items():
        scheduler = deck_settings(store, deck).scheduler()
        card = fsrs.Card(card_id=card_id, state=fsrs.State.Review, stability=stability,
                         difficulty=6.0, due=now, last_review=last)
        assert scored[card_id] == scheduler.get_card_retrievability(card, now), (deck, stability)


def test_queue_scores_reviews_in_sqlite_and_whole_days_to_the_microsecond(
        store, journal, monkeypatch):
    """SQLite scores the review cards (issue 11: Python's date parsing per card was a
    sixth of the queue at 100,000 cards), with FSRS's very numbers. Its julian days hold
    milliseconds, so a card reviewed a whole number of days ago to the millisecond is
    counted in Python, to the microsecond: exactly 3 days ago is 3 days, 1 µs less is 2.
    Only those few cards reach Python's curve."""
    import studylog.core.review.queue as queue_module

    now = local(2024, 3, 10, 10)
    cases = {"정확히 사흘 전": timedelta(days=3),
             "사흘에서 1µs 모자람": timedelta(days=3, microseconds=-1),
             "three days and 1 µs": timedelta(days=3, microseconds=1),
             "90 days and 0.4 ms": timedelta(days=90, microseconds=400),
             "90 days and 5 ms": timedelta(days=90, milliseconds=5),
             "ten days, half a day more": timedelta(days=10, hours=12),
             "seven hours": timedelta(hours=7), "forty days": timedelta(days=40, minutes=3)}
    ids = {}
    for n, (front, ago) in enumerate(cases.items()):
        (card_id,) = make_cards(store, 1, key=f"s{n}", front=front)
        with store.write():
            store.cards.set_schedule(card_id, {
                "state": "review", "stability": 4.5 + n, "difficulty": 5.0,
                "last_review": to_iso(now - ago), "due": to_iso(now - timedelta(hours=1))})
        ids[card_id] = (ago, 4.5 + n)
    scored_in_python = []
    curve_in_python = queue_module._Forgetting.retrievability

    def counting(self, last_review, stability, at):
        scored_in_python.append(last_review)
        return curve_in_python(self, last_review, stability, at)

    monkeypatch.setattr(queue_module._Forgetting, "retrievability", counting)
    scored = {c.id: c.retrievability for c in build_queue(store, now=now).cards
              if c.id in ids}
    scheduler = deck_settings(store, "journal").scheduler()
    assert scored.keys() == ids.keys()
    for card_id, (ago, stability) in ids.items():
        card = fsrs.Card(card_id=card_id, state=fsrs.State.Review, stability=stability,
                         difficulty=5.0, due=now, last_review=now - ago)
        assert scored[card_id] == scheduler.get_card_retrievability(card, now), ago
    # the four within a millisecond of whole days; the rest came scored from SQLite
    assert sorted(scored_in_python) == sorted(
        to_iso(now - cases[k]) for k in ("정확히 사흘 전", "사흘에서 1µs 모자람",
                                         "three days and 1 µs", "90 days and 0.4 ms"))


def test_interday_learning_step_is_due_all_day(store, journal):
    set_deck_settings(store, "journal", learning_steps="10m 1d")
    record_review(store, journal[0], "good", None, local(2024, 3, 10, 22))  # step 2: 1 day
    assert store.cards.get(journal[0]).due == to_iso(local(2024, 3, 11, 22))
    assert journal[0] not in [c.id for c in build_queue(store, now=local(2024, 3, 11, 3)).cards]
    assert build_queue(store, now=local(2024, 3, 11, 9)).first().id == journal[0]


def test_bundled_and_journal_cards_share_one_queue(store, journal):
    bundled = make_cards(store, 3, deck="PyTorch fundamentals", kind="bundled")
    now = local(2024, 3, 10)
    assert [c.id for c in build_queue(store, now=now).cards] == journal + bundled
    only = build_queue(store, deck="PyTorch fundamentals", now=now)
    assert [c.id for c in only.cards] == bundled and only.counts.new == 3
    assert {c.deck for c in build_queue(store, deck="journal", now=now).cards} == {"journal"}
    with pytest.raises(ReviewError, match="no deck named 'nope'"):
        build_queue(store, deck="nope", now=now)


def test_new_and_review_limits_across_the_4am_boundary(store, journal):
    cards = journal + make_cards(store, 23)  # 30 new cards
    set_deck_settings(store, "journal", new_per_day=20, reviews_per_day=5,
                      enable_fuzzing=False)
    day1 = local(2024, 3, 10, 10)
    queue = build_queue(store, now=day1)
    assert queue.counts.new == 20 and [c.id for c in queue.cards] == cards[:20]
    for i, card in enumerate(queue.cards):
        record_review(store, card.id, "easy", 1000, day1 + timedelta(seconds=i))  # 8 days
    assert build_queue(store, now=day1 + timedelta(minutes=5)).counts.new == 0
    # still the same study day at 03:59 the next morning; a new day at 04:00
    assert build_queue(store, now=local(2024, 3, 11, 3, 59)).counts.new == 0
    next_day = build_queue(store, now=local(2024, 3, 11, 4, 0))
    assert next_day.counts.new == 10 and [c.id for c in next_day.cards] == cards[20:]
    # 20 reviews fall due on day 9; 5 a day are allowed
    day9 = local(2024, 3, 18, 12)
    queue = build_queue(store, now=day9)
    assert queue.counts.to_json() == {"new": 10, "learning": 0, "review": 5}
    for i, card in enumerate(queue.cards[:5]):
        record_review(store, card.id, "good", 1000, day9 + timedelta(seconds=i))
    assert build_queue(store, now=day9 + timedelta(minutes=1)).counts.review == 0
    undo_last(store)  # undoing gives the slot back
    assert build_queue(store, now=day9 + timedelta(minutes=1)).counts.review == 1
    assert build_queue(store, now=local(2024, 3, 19, 3, 59)).counts.review == 1
    assert build_queue(store, now=local(2024, 3, 19, 4, 0)).counts.review == 5


def test_day_start_hour_is_configurable(store, journal):
    make_cards(store, 20)
    set_deck_settings(store, "journal", new_per_day=5)
    set_day_config(store, start_hour=0)
    now = local(2024, 3, 10, 23, 50)
    for card in build_queue(store, now=now).cards:
        record_review(store, card.id, "easy", None, now)
    assert build_queue(store, now=local(2024, 3, 10, 23, 59)).counts.new == 0
    assert build_queue(store, now=local(2024, 3, 11, 0, 0)).counts.new == 5


def test_suspended_buried_and_orphaned_cards(store, journal):
    now = local(2024, 3, 10, 10)
    suspend(store, journal[0])
    until = bury(store, journal[1], now)
    assert until == local(2024, 3, 11, 4).astimezone(UTC).isoformat(
        timespec="microseconds")
    with store.write():
        store.cards.update(journal[2], {"orphaned": 1})  # its keyword left the journal
    ids = [c.id for c in build_queue(store, now=now).cards]
    assert journal[0] not in ids and journal[1] not in ids and journal[2] in ids
    assert journal[1] in [c.id for c in build_queue(store, now=local(2024, 3, 11, 4)).cards]
    unsuspend(store, journal[0])
    assert build_queue(store, now=now).first().id == journal[0]
    for action in (suspend, unsuspend, bury):
        with pytest.raises(ReviewError, match="no card with id 999"):
            action(store, 999)


def test_grading_a_buried_card_unburies_it(store, journal):
    now = local(2024, 3, 10, 10)
    bury(store, journal[0], now)
    record_review(store, journal[0], "again", None, now)
    assert store.cards.get(journal[0]).buried_until is None
    assert build_queue(store, now=now + timedelta(minutes=2)).first().id == journal[0]


# -- bad input writes nothing ---------------------------------------------------------------

def test_bad_grades_write_nothing(store, journal):
    now = local(2024, 3, 10, 10)
    suspend(store, journal[0])
    before = full_row(store, journal[0])
    changes = store.db.conn.total_changes
    with pytest.raises(ReviewError, match="suspended"):
        record_review(store, journal[0], "good", None, now)
    with pytest.raises(ReviewError, match="no card with id 12345"):
        record_review(store, 12345, "good", None, now)
    with pytest.raises(ReviewError, match="unknown rating"):
        record_review(store, journal[1], "meh", None, now)
    with pytest.raises(ReviewError, match="nothing to undo"):
        undo_last(store)
    assert store.db.conn.total_changes == changes
    assert full_row(store, journal[0]) == before and log_count(store) == 0


# -- undo -------------------------------------------------------------------------------

def test_undo_restores_byte_identical_rows_several_steps_back(store, journal):
    set_deck_settings(store, "journal", leech_threshold=1)
    session = ReviewSession(store, tz=SEOUL)
    t = local(2024, 3, 10, 10)
    c0, c1 = journal[:2]
    plan = [(c0, "again", t), (c0, "good", t + timedelta(minutes=2)),
            (c1, "easy", t + timedelta(minutes=3)), (c0, "good", t + timedelta(minutes=15)),
            (c1, "again", t + timedelta(days=9)),  # a lapse: a leech at threshold 1
            (c0, "hard", t + timedelta(days=9, minutes=1))]
    snapshots = []
    for card_id, rating, now in plan:
        snapshots.append((card_id, full_row(store, card_id)))
        session.grade(card_id, rating, 900, now)
    leech = store.cards.get(c1)
    assert leech.suspended == 1 and leech.tags == ["leech"]
    assert store.cards.get(c0).state == "review"
    for card_id, before in reversed(snapshots):
        session.undo()
        assert full_row(store, card_id) == before
    assert log_count(store) == 0
    with pytest.raises(ReviewError):
        session.undo()


def test_undo_keeps_content_edits_and_refuses_out_of_order(store, journal):
    now = local(2024, 3, 10, 10)
    first = record_review(store, journal[0], "good", None, now)
    record_review(store, journal[0], "good", None, now + timedelta(minutes=10))
    with pytest.raises(ReviewError, match="graded again since"):
        undo_last(store, first.log_id)
    with store.write():
        store.cards.update(journal[0], {"back": "edited back"})
    undo_last(store)
    undo_last(store)
    row = store.cards.get(journal[0])
    assert row.back == "edited back" and row.state == "new" and row.reps == 0


# -- leeches ------------------------------------------------------------------------------

@pytest.mark.parametrize("threshold", [8, 3])
def test_leech_after_threshold_lapses(store, journal, threshold):
    if threshold != 8:
        set_deck_settings(store, "journal", leech_threshold=threshold)
    card_id = journal[0]
    now = local(2024, 3, 10, 10)
    for rating in ("good", "good"):  # graduate
        now = record_review_at(store, card_id, rating, now)
    for lapse in range(1, threshold + 1):
        now = record_review_at(store, card_id, "again", now)
        row = store.cards.get(card_id)
        assert row.lapses == lapse
        if lapse < threshold:
            assert row.suspended == 0 and "leech" not in row.tags
            now = record_review_at(store, card_id, "good", now)  # relearned
    assert row.suspended == 1 and row.tags == ["leech"]
    assert card_id not in [c.id for c in build_queue(store, now=now).cards]


def record_review_at(store: Store, card_id: int, rating: str, now: datetime) -> datetime:
    """Grade at ``now``; returns when the card is next due."""
    due = record_review(store, card_id, rating, None, now).due
    return max(datetime.fromisoformat(due), now + timedelta(minutes=1))


# -- one transaction -------------------------------------------------------------------------

KILL_SCRIPT = """
import sys
from datetime import datetime, timezone
from studylog.core.storage.database import Store
from studylog.core.review.scheduling import record_review
store = Store(sys.argv[1])
record_review(store, int(sys.argv[2]), "good", 700, datetime(2024, 3, 10, 1, tzinfo=timezone.utc))
print("graded")
"""


@pytest.mark.parametrize("crash", [True, False])
def test_grade_and_log_row_are_one_transaction(store, journal, db_path, crash):
    before = full_row(store, journal[0])
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if crash:
        env["STUDYLOG_CRASH_AT"] = "grade"  # SIGKILL after the card update, before the log
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(db_path), str(journal[0])],
                          env=env, capture_output=True, text=True, timeout=60)
    with Store(db_path) as fresh:
        assert fresh.integrity_check() == "ok"
        if crash:
            assert proc.returncode == -signal.SIGKILL and "graded" not in proc.stdout
            assert full_row(fresh, journal[0]) == before and log_count(fresh) == 0
        else:
            assert proc.returncode == 0, proc.stderr
            assert fresh.cards.get(journal[0]).state == "learning" and log_count(fresh) == 1


# -- edits never reset progress ----------------------------------------------------------------

def test_editing_the_log_keeps_schedules_and_history(store, fixture_log, tmp_path):
    log = tmp_path / "week2.md"
    log.write_bytes(fixture_log.read_bytes())
    import_logs(store, [log], year=2023)
    now = local(2024, 3, 10, 10)
    ids = [c.id for c in build_queue(store, now=now).cards]
    for i, card_id in enumerate(ids[:4]):
        record_review(store, card_id, ("good", "easy", "again", "hard")[i], 1000, now)
    record_review(store, ids[1], "good", 1000, now + timedelta(days=9))
    bury(store, ids[5], now)
    suspend(store, ids[6])

    def schedules() -> dict:
        return {r["id"]: {c: r[c] for c in SCHEDULE_COLUMNS}
                for r in store.query("SELECT * FROM cards")}

    sched_before = schedules()
    log_before = store.query("SELECT * FROM review_log ORDER BY id")
    backs_before = {r["id"]: r["back"] for r in store.query("SELECT id, back FROM cards")}
    text = log.read_text(encoding="utf-8")
    assert "contiguous라는 개념이었다" in text
    log.write_text(text.replace("contiguous라는 개념이었다",
                                "contiguous라는 개념이었다 (다시 정리함)"), encoding="utf-8")
    report = import_logs(store, [log], year=2023)
    assert report.files[0].status == "imported" and report.files[0].days_updated == 1
    backs_after = {r["id"]: r["back"] for r in store.query("SELECT id, back FROM cards")}
    assert backs_after != backs_before  # the edit reached a card...
    assert schedules() == sched_before  # ...and no schedule moved
    assert store.query("SELECT * FROM review_log ORDER BY id") == log_before


def test_editing_a_deck_card_keeps_its_schedule(store, tmp_path):
    from studylog.core.cards.deck_library import add_deck

    deck = tmp_path / "mini.md"
    card = ("## {front}\nname: strides\n\n{back}\n\n```python snippet\n{code}\n```\n")
    deck.write_text("---\ndeck: mini\n---\n\n" + card.format(
        front="Strides", back="How far to step.", code="print(1)"), encoding="utf-8")
    add_deck(store, deck)
    card_id = build_queue(store, deck="mini", now=local(2024, 3, 10)).first().id
    record_review(store, card_id, "good", 800, local(2024, 3, 10))
    record_review(store, card_id, "good", 800, local(2024, 3, 10, 10, 15))
    before = {c: getattr(store.cards.get(card_id), c) for c in SCHEDULE_COLUMNS if c != "tags"}
    log_before = store.query("SELECT * FROM review_log ORDER BY id")
    deck.write_text("---\ndeck: mini\n---\n\n" + card.format(
        front="Strides (edited)", back="How far to step, per dim.", code="print(2)"),
        encoding="utf-8")
    add_deck(store, deck)
    row = store.cards.get(card_id)
    assert (row.front, row.back) == ("Strides (edited)", "How far to step, per dim.")
    assert store.value("SELECT code FROM snippets WHERE id = ?", [row.snippet_id]) \
        == "print(2)\n"
    assert {c: getattr(row, c) for c in before} == before and row.state == "review"
    assert store.query("SELECT * FROM review_log ORDER BY id") == log_before


def test_queue_counts_agree_with_the_queue(store, journal):
    """Today counts the queue in SQL; it must say what build_queue would hold."""
    import random

    from studylog.core.cards.deck_library import sync_bundled_decks
    from studylog.core.review.queue import queue_counts

    sync_bundled_decks(store, enabled=True)
    set_deck_settings(store, "journal", new_per_day=3, reviews_per_day=2)
    rng = random.Random(7)
    ids = [r["id"] for r in store.query("SELECT id FROM cards ORDER BY id")]
    moment = local(2024, 3, 1)
    for _ in range(80):
        record_review(store, rng.choice(ids), rng.choice(["again", "hard", "good", "easy"]),
                      None, moment)
        moment += timedelta(hours=rng.choice([1, 5, 20, 30]))
    suspend(store, ids[0])
    bury(store, ids[1], moment)
    set_deck_settings(store, "ML basics", enabled=False)  # graded above, now off
    checked = 0
    for hours in (0, 0.2, 1, 6, 26, 24 * 5, 24 * 20, 24 * 90):
        now = moment + timedelta(hours=hours)
        expected: dict[str, dict[str, int]] = {}
        for card in build_queue(store, now=now).cards:
            kind = "learning" if card.state in ("learning", "relearning") else card.state
            counts = expected.setdefault(card.deck, {"new": 0, "learning": 0, "review": 0})
            counts[kind] += 1
            checked += 1
        assert {d: c.to_json() for d, c in queue_counts(store, now).items()} == expected, hours
        assert "ML basics" not in expected  # a deck turned off is neither queued nor counted
    assert checked > 50  # the comparison saw every kind of card, not empty queues


def test_the_session_summary_builds_no_queue(store, journal, monkeypatch):
    """The summary needs the study day and a count, not today's whole queue (issue 10,
    item 6): with building a queue made to fail, it still answers."""
    import studylog.core.review.queue as queue_module
    import studylog.core.review.session as session_module

    session = ReviewSession(store, tz=SEOUL)
    t = local(2024, 3, 10, 10)
    session.grade(journal[0], "again", 4_000, t)
    session.grade(journal[1], "good", 6_000, t + timedelta(minutes=1))

    def no_queue(*args: object, **kwargs: object) -> None:
        raise AssertionError("the summary built a queue")

    monkeypatch.setattr(queue_module, "build_queue", no_queue)
    monkeypatch.setattr(session_module, "build_queue", no_queue)
    summary = session.summary(t + timedelta(minutes=2))
    assert (summary.reviews, summary.seconds, summary.again_rate) == (2, 10.0, 0.5)
    assert summary.due_tomorrow == 2  # both in learning, due within minutes
