"""The Stats screen: the real key, figures from the database, and snapshots of the
heatmap and the forecast at 80x24 and 120x40 (time frozen at 2023-11-15 10:00 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tui_helpers import rendered, screen_text, wait_until

from studylog.core.review.study_day import to_iso
from studylog.core.storage.database import Store

NOW = datetime(2023, 11, 15, 10, tzinfo=UTC)


def add_history(store: Store) -> None:
    """A year of grades (a weekly rhythm, idle Sundays), due dates over the next weeks
    and today's 30 grades of which 24 passed."""
    card_ids = [r[0] for r in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    rows = []
    for back in range(1, 365):
        day = NOW - timedelta(days=back)
        if day.weekday() == 6:
            continue
        for i in range((back * 7) % 13):
            rows.append((card_ids[i % len(card_ids)], 1 if i % 5 == 4 else 3,
                         to_iso(day + timedelta(minutes=i)), "review"))
    for i in range(30):
        rows.append((card_ids[0], 1 if i < 6 else 3,
                     to_iso(NOW - timedelta(hours=2) + timedelta(minutes=i)), "review"))
    with store.write():
        for card_id, rating, at, state in rows:
            store.review_log.insert({
                "card_id": card_id, "rating": rating, "reviewed_at": at,
                "duration_ms": 8000, "state_before": state, "state_after": "review",
                "due_after": at, "reps_before": 0, "lapses_before": 0,
                "suspended_before": 0, "leech_before": 0})
        for n, card_id in enumerate(card_ids[:40]):
            store.conn.execute(
                "UPDATE cards SET state = 'review', stability = ?, last_review = ?, due = ? "
                "WHERE id = ?", [2.0 + n, to_iso(NOW - timedelta(days=1)),
                                 to_iso(NOW + timedelta(days=(n * 3) % 29)), card_id])


@pytest.fixture
def history(journal_store: Store) -> Store:
    add_history(journal_store)
    return journal_store


async def open_stats(pilot) -> None:
    from studylog.tui.screens.stats_screen import StatsScreen

    await pilot.press("S")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, StatsScreen)
                     and pilot.app.screen.stats is not None)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_stats_key_shows_the_figures_of_the_database(app, history, db):
    async with app(history).run_test(size=(120, 40)) as pilot:
        await open_stats(pilot)
        text = screen_text(pilot.app)
        total = db("SELECT count(*) FROM review_log WHERE reviewed_at >= ?",
                   to_iso(NOW - timedelta(days=364)).replace("10:00:00", "00:00:00"))[0][0]
        days = db("SELECT count(DISTINCT substr(reviewed_at, 1, 10)) FROM review_log")[0][0]
        assert f"{total} reviews on {days} days" in text
        assert "today 30 (6 again" in text
        due_today = db("SELECT count(*) FROM cards WHERE state = 'review' AND due < ?",
                       "2023-11-16")[0][0]
        assert f"today {due_today}" in text
        assert "Stats  ·  2023-11-15" in text
        await pilot.press("t")
        assert "Stats  ·" not in screen_text(pilot.app)


async def counted_ahead(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.stats_ahead is not None
                     and pilot.app.stats_ahead.value is not None)


def counting(monkeypatch) -> list[int]:
    """Calls of the Stats screen's own count (the figures counted ahead are not)."""
    from studylog.tui.screens import stats_screen

    calls: list[int] = []
    real = stats_screen.compute_stats
    monkeypatch.setattr(stats_screen, "compute_stats",
                        lambda *args: calls.append(1) or real(*args))
    return calls


async def test_figures_counted_while_today_shows_are_on_the_first_frame_of_stats(
        app, history, monkeypatch):
    from studylog.tui.screens.stats_screen import StatsScreen

    async with app(history, read_ahead=True).run_test(size=(120, 40)) as pilot:
        await counted_ahead(pilot)
        calls = counting(monkeypatch)
        await pilot.press("S")
        await pilot.pause()
        assert isinstance(pilot.app.screen, StatsScreen)
        assert "today 30 (6 again" in screen_text(pilot.app)  # no "Counting…" first
        await pilot.app.workers.wait_for_complete()
        assert calls == []  # shown from what was counted ahead
        assert pilot.app.stats_ahead is None  # taken once


async def test_a_review_after_the_figures_were_counted_ahead_is_counted(
        app, history, monkeypatch):
    async with app(history, read_ahead=True).run_test(size=(120, 40)) as pilot:
        await counted_ahead(pilot)
        calls = counting(monkeypatch)
        card_id = history.conn.execute("SELECT min(id) FROM cards").fetchone()[0]
        with history.write():  # a grade given since (here, or by the CLI)
            history.review_log.insert({
                "card_id": card_id, "rating": 1, "reviewed_at": to_iso(NOW),
                "duration_ms": 8000, "state_before": "review", "state_after": "review",
                "due_after": to_iso(NOW), "reps_before": 0, "lapses_before": 0,
                "suspended_before": 0, "leech_before": 0})
        await open_stats(pilot)
        assert calls == [1]
        assert "today 31 (7 again" in screen_text(pilot.app)


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_stats_heatmap_and_forecast(snap_compare, app, history, size):
    assert snap_compare(app(history), run_before=open_stats, terminal_size=size)


async def test_optimize_key_says_how_much_more_history_is_needed(app, journal_store, db):
    import sys as _sys

    from optimizer_history import simulate

    simulate(journal_store, 200)
    async with app(journal_store).run_test(size=(100, 30)) as pilot:
        await open_stats(pilot)
        await pilot.press("o")
        report = pilot.app.screen.query_one("#stats-optimize-text")
        await wait_until(pilot, lambda: "more" in rendered(report), timeout=60)
        # grades on a later study day (Seoul, 4 AM: UTC + 5 h) than the card's previous one
        counted = db("SELECT count(*) FROM review_log l WHERE date(l.reviewed_at, '+5 hours') "
                     "> (SELECT date(p.reviewed_at, '+5 hours') FROM review_log p WHERE "
                     "p.card_id = l.card_id AND p.id < l.id ORDER BY p.id DESC LIMIT 1)")[0][0]
        assert 0 < counted < 512
        assert rendered(report) == (
            f"not enough history to optimize: {counted} review(s) on a later day than the "
            f"card's previous one, the optimizer needs 512; review {512 - counted} more")
        assert "Optimize FSRS parameters" in screen_text(pilot.app)
        assert "torch" not in _sys.modules  # the fit never runs in the app's process
    assert db("SELECT parameters FROM deck_settings WHERE parameters IS NOT NULL") == []


async def test_one_grade_reads_one_review_on_one_day(app, journal_store, db):
    card_id = db("SELECT min(id) FROM cards")[0][0]
    at = to_iso(NOW - timedelta(hours=1))
    with journal_store.write():
        journal_store.review_log.insert({
            "card_id": card_id, "rating": 3, "reviewed_at": at, "duration_ms": 5000,
            "state_before": "new", "state_after": "learning", "due_after": at,
            "reps_before": 0, "lapses_before": 0, "suspended_before": 0, "leech_before": 0})
    async with app().run_test(size=(120, 40)) as pilot:
        await open_stats(pilot)
        text = screen_text(pilot.app)
        assert "1 review on 1 day · today 1" in text
        assert "1 reviews" not in text and "1 days" not in text


async def test_optimize_key_fits_in_another_process_with_progress_and_saves_if_better(
        app, journal_store, db, monkeypatch):
    """The whole `o` action on enough history: the progress bar moves while the worker
    process fits (its messages, not only the end), the report compares default, current
    and fitted log loss, suggests a retention without applying it, and what it says about
    saving is what the database holds."""
    import sys as _sys

    from optimizer_history import simulate

    from studylog.tui.screens.stats_screen import StatsScreen

    simulate(journal_store, 1300)  # just over the optimizer's 512 counted grades
    steps: list[int] = []
    real = StatsScreen._progress
    monkeypatch.setattr(StatsScreen, "_progress",
                        lambda self, n: steps.append(n) or real(self, n))
    loaded = set(_sys.modules)
    async with app(journal_store).run_test(size=(80, 24)) as pilot:
        await open_stats(pilot)
        await pilot.press("o")
        report = pilot.app.screen.query_one("#stats-optimize-text")
        await wait_until(pilot, lambda: "grades · log loss" in rendered(report), timeout=600)
        text = rendered(report)
        assert text.startswith("1300 grades · log loss default ")
        default, current, fitted = (float(text.split(f"{name} ")[1].split()[0])
                                    for name in ("default", "current", "fitted"))
        assert current == default  # never fitted before
        assert "Suggested desired retention 0." in text and "(now 0.90; not applied)" in text
        # progress came from the fitting process while it ran, in order
        assert any(0 < n < 7 for n in steps) and steps == sorted(steps)
        assert pilot.app.screen.query_one("#stats-progress").percentage == 1
        assert "Optimize FSRS parameters" in screen_text(pilot.app)  # on screen at 80x24
        assert not {"torch", "fsrs.optimizer"} & (set(_sys.modules) - loaded)
    saved = db("SELECT parameters FROM deck_settings d JOIN decks k ON k.id = d.deck_id "
               "WHERE k.name = 'journal' AND parameters IS NOT NULL")
    assert ("Saved:" in text) == (fitted < default) == bool(saved)
    retention = db("SELECT desired_retention FROM deck_settings d JOIN decks k "
                   "ON k.id = d.deck_id WHERE k.name = 'journal'")
    assert retention in ([], [(0.9,)])  # the suggestion is not applied
