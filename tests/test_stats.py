"""Statistics on a synthetic history whose answers are known: review counts per study day
(4 AM local day start, Asia/Seoul), true retention per week and month, the due forecast,
cards by state and the journaling streak."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studylog.core.journal.importer import import_logs
from studylog.core.review.settings import set_day_config, set_deck_settings
from studylog.core.review.study_day import to_iso
from studylog.core.stats import compute_stats, current_run, longest_run, recent_activity
from studylog.core.storage.database import Store

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2023, 11, 13, 22, 0, tzinfo=SEOUL)  # a Monday evening


def seoul(y: int, m: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, m, d, h, mi, tzinfo=SEOUL)


def add_card(store: Store, key: str, state: str = "review", due: datetime | None = None,
             stability: float | None = None, suspended: int = 0) -> int:
    with store.write():
        deck_id = store.decks.ensure("journal", "journal", trusted=True)
        cursor = store.conn.execute(
            "INSERT INTO cards (deck_id, key, front, state, due, stability, suspended, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', '')",
            [deck_id, key, key, state, to_iso(due) if due else None, stability, suspended])
    assert cursor.lastrowid is not None
    return cursor.lastrowid


def add_reviews(store: Store, card_id: int, when: datetime, n: int, *, rating: int = 3,
                state_before: str = "review", duration_ms: int = 10_000) -> None:
    """``n`` grades a second apart starting at ``when``."""
    with store.write():
        for i in range(n):
            at = to_iso(when + timedelta(seconds=i))
            store.review_log.insert({
                "card_id": card_id, "rating": rating, "reviewed_at": at,
                "duration_ms": duration_ms, "state_before": state_before,
                "state_after": "review", "due_after": at, "reps_before": i,
                "lapses_before": 0, "suspended_before": 0, "leech_before": 0})


@pytest.fixture
def history(store: Store) -> Store:
    set_day_config(store, timezone_name="Asia/Seoul")
    card = add_card(store, "a", due=seoul(2023, 11, 10, 9), stability=2.0)  # overdue
    add_card(store, "b", due=seoul(2023, 11, 14, 3), stability=4.0)  # 3 AM: still today
    add_card(store, "c", due=seoul(2023, 11, 14, 10), stability=6.0)  # tomorrow
    add_card(store, "d", due=seoul(2023, 11, 14, 10), stability=100.0, suspended=1)
    add_card(store, "e", state="new")
    add_card(store, "f", state="learning", due=seoul(2023, 11, 13, 23))
    add_card(store, "g", state="relearning", due=seoul(2023, 12, 30, 9))  # past 30 days
    # study day 2023-11-13: 30 grades of review cards, 24 passed. 20 in the morning, 10
    # after midnight (01:00 on the 14th is still the 13th's study day).
    add_reviews(store, card, seoul(2023, 11, 13, 9), 18)
    add_reviews(store, card, seoul(2023, 11, 13, 9, 30), 2, rating=2)
    add_reviews(store, card, seoul(2023, 11, 14, 1), 4, rating=4)
    add_reviews(store, card, seoul(2023, 11, 14, 2), 6, rating=1)
    # 03:59 on the 13th belongs to the 12th: 10 new cards learnt, 2 reviews passed
    add_reviews(store, card, seoul(2023, 11, 13, 3, 59), 10, state_before="new")
    add_reviews(store, card, seoul(2023, 11, 12, 20), 2)
    # October, more than 30 days back: 10 reviews, 9 passed
    add_reviews(store, card, seoul(2023, 10, 5, 12), 9)
    add_reviews(store, card, seoul(2023, 10, 5, 13), 1, rating=1)
    # learning-step grades never count towards true retention
    add_reviews(store, card, seoul(2023, 10, 6, 12), 5, rating=1, state_before="learning")
    return store


def test_today_counts_the_study_day(history):
    stats = compute_stats(history, NOW)
    today = stats.to_json()["today"]
    assert stats.today == date(2023, 11, 13)
    assert today == {"reviews": 30, "again": 6, "new": 0, "minutes": 5.0}
    by_day = {d["date"]: d for d in stats.to_json()["reviews_per_day"]}
    assert by_day["2023-11-12"] == {"date": "2023-11-12", "reviews": 12, "again": 0,
                                    "new": 10}
    assert by_day["2023-10-06"]["again"] == 5
    assert sum(d["reviews"] for d in by_day.values()) == 30 + 12 + 10 + 5


def test_true_retention_by_week_month_and_last_30_days(history):
    retention = compute_stats(history, NOW).to_json()["retention"]
    assert retention["desired"] == 0.9
    assert retention["true_last_30_days"] == round(26 / 32, 4)
    assert retention["reviews_last_30_days"] == 32
    months = {m["period"]: m for m in retention["by_month"]}
    assert len(retention["by_month"]) == 12
    assert retention["by_month"][-1]["period"] == "2023-11"
    assert (months["2023-11"]["reviews"], months["2023-11"]["passed"]) == (32, 26)
    assert months["2023-10"]["retention"] == 0.9
    assert months["2023-09"]["retention"] is None  # no reviews: no rate, not 0
    weeks = {w["period"]: w for w in retention["by_week"]}
    assert (weeks["2023-W46"]["reviews"], weeks["2023-W46"]["passed"]) == (30, 24)
    assert (weeks["2023-W45"]["reviews"], weeks["2023-W45"]["passed"]) == (2, 2)


def test_desired_retention_is_weighted_by_review_cards(history):
    store = history
    set_deck_settings(store, "journal", desired_retention=0.8)
    with store.write():
        other = store.decks.ensure("other", "added", trusted=True)
        store.conn.execute("INSERT INTO cards (deck_id, key, front, state, created_at, "
                         "updated_at) VALUES (?, 'x', 'x', 'review', '', '')", [other])
    set_deck_settings(store, "other", desired_retention=0.95)
    # journal has 4 review cards (one suspended), other has 1
    assert compute_stats(store, NOW).desired_retention == round((0.8 * 4 + 0.95) / 5, 4)


def test_forecast_cards_by_state_and_stability(history):
    out = compute_stats(history, NOW).to_json()
    forecast = out["forecast"]
    assert len(forecast) == 30
    # overdue a, b at 3 AM tomorrow and learning f tonight are today's; c is tomorrow's
    assert forecast[0] == {"date": "2023-11-13", "due": 3}
    assert forecast[1] == {"date": "2023-11-14", "due": 1}
    assert forecast[-1]["date"] == "2023-12-12"
    assert sum(f["due"] for f in forecast) == 4  # not suspended d, new e, or g in December
    assert out["cards_by_state"] == {"new": 1, "learning": 1, "review": 3,
                                     "relearning": 1, "suspended": 1}
    assert out["average_stability"] == 4.0


def test_a_deck_turned_off_leaves_the_forecast(history):
    with history.write():
        other = history.decks.ensure("other", "added", trusted=True)
        history.conn.execute(
            "INSERT INTO cards (deck_id, key, front, state, due, created_at, updated_at) "
            "VALUES (?, 'y', 'y', 'review', ?, '', '')", [other, to_iso(seoul(2023, 11, 14, 12))])
    assert compute_stats(history, NOW).to_json()["forecast"][1]["due"] == 2  # c and y
    set_deck_settings(history, "other", enabled=False)
    assert compute_stats(history, NOW).to_json()["forecast"][1]["due"] == 1  # only c
    set_deck_settings(history, "journal", enabled=False)
    assert sum(f["due"] for f in compute_stats(history, NOW).to_json()["forecast"]) == 0


def test_the_day_start_hour_moves_reviews_between_days(history):
    # days start at midnight: the 01:00-02:00 grades are the 14th's, the 03:59 ones the
    # 13th's
    set_day_config(history, start_hour=0)
    today = compute_stats(history, seoul(2023, 11, 13, 22)).to_json()["today"]
    assert today == {"reviews": 30, "again": 0, "new": 10, "minutes": 5.0}
    later = compute_stats(history, seoul(2023, 11, 14, 22)).to_json()["today"]
    assert later == {"reviews": 10, "again": 6, "new": 0, "minutes": 1.7}


def test_todays_heatmap_counts_grades_per_study_day(history):
    activity = recent_activity(history, 16, NOW)
    assert activity.today == date(2023, 11, 13)
    assert activity.reviews == {date(2023, 11, 13): 30, date(2023, 11, 12): 12,
                                date(2023, 10, 5): 10, date(2023, 10, 6): 5}
    # from the Monday 15 weeks before this week's: October 5 is in, an older day is not
    add_reviews(history, 1, seoul(2023, 7, 30, 12), 3)
    assert date(2023, 7, 30) not in recent_activity(history, 16, NOW).reviews


def test_day_counts_read_the_time_index_alone(history):
    """A year of per-day counts reads only ``review_log_time`` (it carries the counted
    columns): a table-row lookup per review took a second on a million-row log."""
    from studylog.core.stats import _bounds

    run: list[str] = []
    history.conn.set_trace_callback(run.append)  # the statements, values filled in
    history.stats.reviews_per_day(_bounds(date(2023, 11, 1), 3, SEOUL, 4))
    history.conn.set_trace_callback(None)
    (query,) = [q for q in run if "review_log" in q]
    plan = [row[3] for row in history.conn.execute(f"EXPLAIN QUERY PLAN {query}")]
    reads = [step for step in plan if " l " in f" {step} "]
    assert reads and all("COVERING INDEX review_log_time" in step for step in reads), plan


def test_an_empty_database(store):
    out = compute_stats(store, NOW).to_json()
    assert out["today"] == {"reviews": 0, "again": 0, "new": 0, "minutes": 0.0}
    assert out["retention"]["true_last_30_days"] is None
    assert out["streak"] == {"current": 0, "longest": 0, "days_written": 0}
    assert all(f["due"] == 0 for f in out["forecast"])
    json.dumps(out)  # serialisable as it is


LOG_EN = """# November

## 2023-11-01
Tensors and strides.
Keywords: Stride, Contiguous

## 2023-11-02
Autograd again.
Keywords: Autograd, Contiguous

## 2023-11-03
Hooks.
Keywords: Hook

## 2023-11-04
Rest day notes.

## 2023-11-05
Keywords: DataLoader
"""

LOG_KO = """2023년 11월 11일
---
오늘은 텐서를 복습했다.

+ ##### 키워드: Contiguous, View

2023년 11월 12일
---
autograd 정리.

+ ##### 키워드: Backward Method

2023년 11월 13일
---
hook 실습.

+ ##### 키워드: Hook, Contiguous
"""


def test_journaling_streak_and_keywords_per_week(store, tmp_path: Path):
    (tmp_path / "nov.md").write_text(LOG_EN, encoding="utf-8")
    (tmp_path / "ko.md").write_text(LOG_KO, encoding="utf-8")
    import_logs(store, [tmp_path / "nov.md", tmp_path / "ko.md"])
    set_day_config(store, timezone_name="Asia/Seoul")
    out = compute_stats(store, NOW).to_json()
    assert out["streak"] == {"current": 3, "longest": 5, "days_written": 8}
    assert out["days_written_last_year"][0] == "2023-11-01"
    weeks = {w["week"]: w for w in out["keywords_by_week"]}
    assert weeks["2023-W44"]["keywords"] == 5  # Stride Contiguous Autograd Hook DataLoader
    assert weeks["2023-W44"]["top"][0] == "Contiguous"
    assert weeks["2023-W45"]["keywords"] == 3
    assert weeks["2023-W46"] == {"week": "2023-W46", "start": "2023-11-13",
                                 "keywords": 2, "top": ["Hook", "Contiguous"]}
    # the next evening, today unwritten: the streak stands until the day is over
    assert compute_stats(store, NOW + timedelta(days=1)).streak_current == 3
    assert compute_stats(store, NOW + timedelta(days=2)).streak_current == 0


def test_runs():
    days = [date(2024, 1, d) for d in (1, 2, 3, 7, 8, 9, 10, 20)]
    assert longest_run(days) == 4
    assert longest_run([]) == 0
    assert current_run(set(days), date(2024, 1, 10)) == 4
    assert current_run(set(days), date(2024, 1, 11)) == 4
    assert current_run(set(days), date(2024, 1, 12)) == 0


def test_stats_command_tables_and_json(store, cli):
    """The real command on today's study day (its own clock): 30 grades, 24 passed."""
    from studylog.core.review.settings import current_study_day

    set_day_config(store, timezone_name="UTC", start_hour=4)
    day = current_study_day(store)
    card = add_card(store, "a", due=day.start + timedelta(days=2, hours=1), stability=3.0)
    add_reviews(store, card, day.start + timedelta(minutes=1), 24)
    add_reviews(store, card, day.start + timedelta(minutes=2), 6, rating=1)
    out = json.loads(cli("stats", "--json").output)
    assert out["today"] == {"reviews": 30, "again": 6, "new": 0, "minutes": 5.0}
    assert out["retention"]["true_last_30_days"] == 0.8
    assert out["forecast"][2] == {"date": (day.date + timedelta(days=2)).isoformat(),
                                  "due": 1}
    assert out["cards_by_state"]["review"] == 1
    text = cli("stats").output
    assert f"Today {day.date}: 30 reviews · 6 again · 0 new · 5.0 min" in text
    assert "true, last 30 days 80.0% of 30 reviews" in text
    assert f"{day.date.year}-{day.date.month:02d}        30      24     80.0%" in text
