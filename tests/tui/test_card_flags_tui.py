"""Card flags in the app (issue 17, item 4): a buried card reads `new·buried` in Cards,
not `new`; the state filter takes each flag; review's header shows a card's flags; a card
with an edited back goes back to the automatic one with `v`, and `u` undoes that."""

from __future__ import annotations

from test_tui_cards import choose, open_cards, table_rows
from textual.widgets import Select, Static
from tui_helpers import make, notifications, rendered, settle

from studylog.core.cards.card_editing import edit_card, list_cards
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.review_screen import ReviewScreen

SIZE = (100, 32)


async def test_a_card_buried_in_review_reads_buried_in_cards(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.card.front == "Contiguous"
        await pilot.press("b", "escape")
        screen, table = await open_cards(pilot)
        rows = {row[0]: row for row in table_rows(table)}
        assert rows["Contiguous"][2] == "new·buried"
        assert rows["Hook"][2] == "new"
        await pilot.press("f", "tab", "tab")  # the state filter
        await choose(pilot, screen.query_one("#cards-state", Select), "buried")
        assert [row[0] for row in table_rows(table)] == ["Contiguous"]
        assert rendered(screen.query_one("#cards-title", Static)).startswith(
            "Cards · 1 of ")
    assert db("SELECT front FROM cards WHERE buried_until IS NOT NULL") == [("Contiguous",)]


async def test_review_header_shows_the_flags(journal_store):
    hook = next(c for c in list_cards(journal_store) if c.front == "Contiguous")
    edit_card(journal_store, hook.id, "Contiguous", "메모리에 연속으로 놓인 텐서")
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        meta = rendered(app.screen.query_one("#review-meta", Static))
        assert meta.splitlines()[0] == "journal  ·  new  ·  edited  ·  first written 2023-11-13"


async def test_revert_to_the_automatic_back_with_v(journal_store, db):
    card = next(c for c in list_cards(journal_store) if c.front == "Hook")
    automatic = card.back
    app = make(journal_store)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open_card(card.id)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CardScreen)
        assert "v" not in app.active_bindings  # only an edited back has one
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("tab", *"내 말로: ", "ctrl+s")  # typed before the back
        await settle(pilot)
        assert db("SELECT back, back_edited FROM cards WHERE id = ?", card.id) == \
            [("내 말로: " + automatic, 1)]
        assert "v" in app.active_bindings
        assert "edited" in rendered(screen.query_one("#card-facts", Static))
        await pilot.press("v")  # (a asks a prediction on a card)
        await settle(pilot)
        assert db("SELECT back, back_edited FROM cards WHERE id = ?", card.id) == \
            [(automatic, 0)]
        assert "edited" not in rendered(screen.query_one("#card-facts", Static))
        assert notifications(app)[-1].startswith("Back to the automatic back: Hook")
        await pilot.press("u")  # undo puts the hand-written back back
        await settle(pilot)
        assert db("SELECT back, back_edited FROM cards WHERE id = ?", card.id) == \
            [("내 말로: " + automatic, 1)]
        assert "edited" in rendered(screen.query_one("#card-facts", Static))
