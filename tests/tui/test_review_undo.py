"""Undo in review takes back the study day's actions newest first, whatever they were —
an edit, a suspend, a grade — and each message names the card's front (issue 17,
item 3). Real keys; the database is checked after each step."""

from __future__ import annotations

from tui_helpers import make, notifications, settle

from studylog.tui.screens.review_screen import ReviewScreen


async def test_u_takes_back_an_edit_a_suspend_and_a_grade_in_that_order(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        graded = screen.card.id
        await pilot.press("space", "3")  # Contiguous: Good
        await settle(pilot)
        suspended, suspended_front = screen.card.id, screen.card.front
        await pilot.press("s")  # Backward Method: suspended
        await settle(pilot)
        edited, edited_back = screen.card.id, screen.card.back
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", *"요약: ", "ctrl+s")  # Hook: its back edited
        await settle(pilot)
        assert db("SELECT back_edited FROM cards WHERE id = ?", edited) == [(1,)]

        await pilot.press("u")
        await settle(pilot)
        assert notifications(app)[-1] == "Undid edit of “Hook”"
        assert db("SELECT back, back_edited FROM cards WHERE id = ?", edited) == \
            [(edited_back, 0)]
        await pilot.press("u")
        await settle(pilot)
        assert notifications(app)[-1] == f"Undid suspend of “{suspended_front}”"
        assert db("SELECT suspended FROM cards WHERE id = ?", suspended) == [(0,)]
        assert db("SELECT count(*) FROM review_log") == [(1,)]  # the grade is still there
        await pilot.press("u")
        await settle(pilot)
        assert notifications(app)[-1] == "Undid good of “Contiguous”: back to new"
        assert screen.card.id == graded
        await pilot.press("u")
        await settle(pilot)
        assert notifications(app)[-1] == "nothing to undo today"
    assert db("SELECT count(*) FROM review_log") == [(0,)]
    assert db("SELECT state FROM cards WHERE id = ?", graded) == [("new",)]
