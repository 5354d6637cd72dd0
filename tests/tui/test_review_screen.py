"""The review screen driven with real keys: grading, undo, bury, suspend, predict cards.
Each test checks the screen and the review log in the database."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from tui_helpers import FROZEN_NOW as NOW
from tui_helpers import make, notifications, wait_until

from studylog.core.review.intervals import format_interval
from studylog.core.review.scheduling import preview_intervals
from studylog.core.review.settings import set_deck_settings
from studylog.core.review.study_day import to_iso
from studylog.tui.screens.review_screen import ReviewScreen, predict_front
from studylog.tui.widgets.snippet_panel import SnippetPanel


@pytest.fixture
def review_store(journal_store):
    """The fixture week imported as 2023, with the bundled decks."""
    return journal_store


async def open_review(pilot) -> ReviewScreen:
    await pilot.press("r")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def button_labels(screen) -> dict[str, str]:
    return {b.id: str(b.label) for b in screen.query("#grade-bar Button")}


async def test_grade_with_keys_records_the_log_row_and_the_due_shown(review_store):
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        assert screen.card.front == "Contiguous"  # the first keyword of the first day
        assert not screen.query_one("#grade-bar").display  # buttons after the reveal
        await pilot.press("space")
        labels = button_labels(screen)
        assert labels["grade-good"] == "3 Good · 10m"
        assert labels["grade-again"] == "1 Again · 1m"
        expected_due = screen.session.preview(screen.card.id, NOW)["good"].due
        card_id = screen.card.id
        await pilot.press("3")
        await pilot.pause()
        assert screen.card.id != card_id  # the next card is on screen
    log = review_store.query("SELECT * FROM review_log WHERE card_id = ?", [card_id])
    assert len(log) == 1 and log[0]["rating"] == 3
    assert log[0]["duration_ms"] is not None and 0 <= log[0]["duration_ms"] <= 60_000
    card = review_store.cards.get(card_id)
    assert card.state == "learning" and card.due == expected_due


async def test_grading_needs_the_answer_shown_first(review_store):
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert screen.card.front == "Contiguous"
    assert review_store.value("SELECT count(*) FROM review_log") == 0


async def test_undo_restores_the_card_and_shows_it_again(review_store):
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        card_id = screen.card.id
        before = review_store.cards.get(card_id)
        await pilot.press("space", "1")
        await pilot.pause()
        assert review_store.cards.get(card_id).state == "learning"
        await pilot.press("u")
        await pilot.pause()
        assert screen.card.id == card_id and not screen.revealed
    after = review_store.cards.get(card_id)
    assert review_store.value("SELECT count(*) FROM review_log") == 0
    assert (after.state, after.due, after.stability, after.reps) == \
        (before.state, before.due, before.stability, before.reps)


async def test_u_after_a_bury_unburies_that_card_not_the_older_grade(review_store):
    app = make(review_store, warm_runner=False)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        graded = screen.card.id
        await pilot.press("space", "3")
        await pilot.pause()
        buried, front = screen.card.id, screen.card.front
        await pilot.press("b")
        await pilot.pause()
        assert screen.card.id != buried
        await pilot.press("u")
        await pilot.pause()
        assert screen.card.id == buried
        assert f"Undid bury of “{front}”" in notifications(app)
    assert review_store.cards.get(buried).buried_until is None
    assert review_store.query("SELECT card_id, rating FROM review_log") == [
        {"card_id": graded, "rating": 3}]


async def test_bury_and_suspend_take_the_card_out_of_today(review_store):
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        first = screen.card.id
        await pilot.press("b")
        await pilot.pause()
        second = screen.card.id
        await pilot.press("s")
        await pilot.pause()
        assert screen.card.id not in (first, second)
        queue_ids = [c.id for c in screen.session.queue(NOW).cards]
    assert first not in queue_ids and second not in queue_ids
    assert review_store.cards.get(first).buried_until > NOW.isoformat()
    assert review_store.cards.get(second).suspended


async def test_the_summary_when_nothing_is_left(review_store):
    with review_store.write():  # one card left to study
        review_store.db.execute("UPDATE cards SET suspended = 1 WHERE front != 'Hook'")
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        assert screen.card.front == "Hook"
        await pilot.press("space", "4")
        await pilot.pause()
        assert screen.card is None
        text = screen.query_one("#review-front").source
        assert "**1** review(s) of **1** card(s)" in text
        assert "again rate: **0%**" in text
        assert "due by the end of tomorrow: **0** card(s)" in text  # Easy: days away
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)


async def test_edit_from_review_saves_the_card(review_store):
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        card_id = screen.card.id
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", *" (memory layout)", "ctrl+s")
        await pilot.pause()
        assert screen.card.front == "Contiguous (memory layout)"
    row = review_store.cards.get(card_id)
    assert row.front == "Contiguous (memory layout)" and row.front_edited


def test_predict_front_hides_the_checks():
    code = "x = 1\nprint(x)\n\n# check\nassert x == 1\n"
    assert predict_front(code) == "x = 1\nprint(x)"
    assert predict_front("print(2)") == "print(2)"


async def test_predict_then_run_card_end_to_end(review_store):
    card_id = review_store.value("SELECT c.id FROM cards c JOIN snippets s ON "
                                 "s.id = c.snippet_id WHERE c.kind = 'predict' AND "
                                 "s.name = 'predict-slice-contiguous'")
    with review_store.write():  # make it the only card due
        review_store.db.execute("UPDATE cards SET suspended = 1 WHERE id != ?", [card_id])
    app = make(review_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        assert screen.card.id == card_id
        front = screen.query_one("#review-front").source
        assert "cols.is_contiguous()" in front and "assert" not in front  # checks hidden
        assert app.focused.id == "review-prediction"
        await pilot.press(*"1 True", "enter")
        panel = screen.query_one(SnippetPanel)
        assert screen.revealed and panel.display
        await wait_until(pilot, lambda: panel.result is not None, timeout=60)
        assert panel.result.ok, panel.lines
        assert ("stdout", "1 False") in panel.lines  # what it printed, beside...
        back = screen.query_one("#review-back").source
        assert "**Your prediction:** `1 True`" in back  # ...the prediction
        await pilot.press("2")
        await pilot.pause()
    assert json.loads(json.dumps(review_store.query(
        "SELECT rating FROM review_log WHERE card_id = ?", [card_id]))) == [{"rating": 2}]


async def test_the_grade_buttons_work_with_the_mouse(review_store):
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        card_id = screen.card.id
        await pilot.press("space")
        await pilot.click("#grade-easy")
        await pilot.pause()
        assert screen.card.id != card_id
    assert review_store.query("SELECT rating FROM review_log WHERE card_id = ?",
                              [card_id]) == [{"rating": 4}]


async def test_a_predict_card_keeps_its_answer_until_revealed(review_store):
    card_id = review_store.value("SELECT c.id FROM cards c JOIN snippets s ON "
                                 "s.id = c.snippet_id WHERE c.kind = 'predict' LIMIT 1")
    with review_store.write():
        review_store.db.execute("UPDATE cards SET suspended = 1 WHERE id != ?", [card_id])
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        assert app.focused.id == "review-prediction"
        await pilot.press("escape")  # leaves the box, not the review
        await pilot.pause()
        assert app.screen is screen and app.focused.id == "review-card"
        await pilot.press("r")  # running it now would give the answer away
        await pilot.pause()
        panel = screen.query_one(SnippetPanel)
        assert not panel.display and not panel.running and panel.result is None
        assert any("Predict first" in n for n in notifications(app))


async def test_python_highlighting_is_built_only_when_a_snippet_is_shown(review_store):
    """While the snippet panel is hidden its code box stays plain (no syntax tree
    built); the next card's snippet is shown highlighted as Python."""
    plain = review_store.value("SELECT id FROM cards WHERE front = 'Contiguous'")
    coded = review_store.value("SELECT c.id FROM cards c JOIN snippets s ON "
                               "s.id = c.snippet_id WHERE c.kind != 'predict' LIMIT 1")
    with review_store.write():  # those two alone are due, the journal card first
        review_store.db.execute("UPDATE cards SET suspended = 1 WHERE id NOT IN (?, ?)",
                                [plain, coded])
    app = make(review_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_review(pilot)
        panel = screen.query_one(SnippetPanel)
        area = panel.query_one("#snippet-code")
        assert screen.card.id == plain and not panel.display
        assert area.language is None
        await pilot.press("space", "4")
        await pilot.pause()
        assert screen.card.id == coded and area.text == panel.saved_code != ""
        await pilot.press("m")  # the snippet, maximised: highlighted now
        await pilot.pause()
        assert panel.display and area.language == "python"


async def test_fuzzed_review_buttons_show_what_each_grade_stores(review_store):
    """Issue 18, item 4: a review card with fuzz on (the default). Each of Hard, Good and
    Easy shows the fuzzed interval, not FSRS's plain one, and pressing it stores exactly
    that interval; Hard < Good < Easy."""
    card_id = review_store.value("SELECT id FROM cards WHERE front = 'Contiguous'")
    deck = review_store.value("SELECT d.name FROM decks d JOIN cards c ON c.deck_id = d.id "
                              "WHERE c.id = ?", [card_id])
    with review_store.write():  # a 4-day card answered on its due date
        review_store.cards.set_schedule(card_id, {
            "state": "review", "stability": 6.0, "difficulty": 5.0,
            "last_review": to_iso(NOW - timedelta(days=4)),
            "due": to_iso(NOW - timedelta(hours=1)), "reps": 4})
    set_deck_settings(review_store, deck, enable_fuzzing=False)
    plain = {k: p.label for k, p in preview_intervals(review_store, card_id, NOW).items()}
    set_deck_settings(review_store, deck, enable_fuzzing=True)
    app = make(review_store)
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        assert screen.card.id == card_id
        await pilot.press("space")
        shown = {key: button_labels(screen)[f"grade-{key}"].split(" · ")[1]
                 for key in ("hard", "good", "easy")}
        assert shown != {k: plain[k] for k in shown}, (shown, plain)  # fuzz moved one
        days = [int(shown[k].removesuffix("d")) for k in ("hard", "good", "easy")]
        assert days[0] < days[1] < days[2], shown
        for number, key in ((2, "hard"), (3, "good"), (4, "easy")):
            await pilot.press(str(number))
            await pilot.pause()
            due = datetime.fromisoformat(review_store.cards.get(card_id).due)
            assert format_interval((due - NOW).total_seconds()) == shown[key], key
            await pilot.press("u")
            await pilot.pause()
            assert screen.card.id == card_id
            await pilot.press("space")
            assert button_labels(screen)[f"grade-{key}"].endswith(f" · {shown[key]}")


async def test_answer_time_comes_from_the_apps_clock(review_store):
    """The time a card took is read from AppSettings.monotonic, the injectable clock
    (issue 10, item 5), and capped at 60 s as Anki caps it."""
    ticks = [1000.0]
    app = make(review_store, monotonic=lambda: ticks[0])
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_review(pilot)
        first = screen.card.id
        ticks[0] += 12.5  # 12.5 s on the first card
        await pilot.press("space", "3")
        await wait_until(pilot, lambda: screen.card is not None and screen.card.id != first)
        second = screen.card.id
        ticks[0] += 95  # a long pause on the second card
        await pilot.press("space", "1")
        await wait_until(pilot, lambda: screen.card is None or screen.card.id != second)
    rows = review_store.query("SELECT card_id, duration_ms FROM review_log ORDER BY id")
    assert [(r["card_id"], r["duration_ms"]) for r in rows] == [(first, 12_500),
                                                                (second, 60_000)]
