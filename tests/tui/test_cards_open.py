"""Cards at 20,000 cards does no work it does not show, without timing anything: opening
it focuses the table and reads no card's words (the filter reads them when it is
used); typing a filter never lays the screen out again, and the table's scrollbar
still follows its rows; the deck and state drop-downs are built after the first rows are
drawn; a screen opened the first time restyles no other screen (a new
theme still reaches it); what lives as long as the app is kept out of the garbage
collector's full passes and the young generation is collected less often, both undone
when the app ends."""

from __future__ import annotations

import gc

from test_lazy_lists import MANY, SIZE, add_many_cards, open_cards, shown_fronts
from textual.widgets import OptionList, Select, Static
from tui_helpers import options, rendered, screen_text, settle, type_text

import studylog.tui.app as app_module
from studylog.core.cards import card_list
from studylog.tui.long_lived import YOUNG_OBJECTS
from studylog.tui.widgets.filter_box import FilterBox
from studylog.tui.widgets.lazy_table import LazyTable


def count_calls(monkeypatch, owner, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (still calling it)."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


async def test_opening_cards_focuses_the_table_and_reads_no_card_words(app, journal_store,
                                                                       db, monkeypatch):
    add_many_cards(journal_store)
    reads = count_calls(monkeypatch, card_list.CardTexts, "__init__")
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        assert pilot.app.focused is table
        assert screen.texts is None and reads == []
        assert table.row_count == db("SELECT count(*) FROM cards")[0][0] > MANY

        # the filter reads every card's words once, when it is used
        await pilot.press("f")
        assert isinstance(pilot.app.focused, FilterBox)
        await type_text(pilot, "초록별")
        await settle(pilot)
        (card_id,) = db("SELECT id FROM cards WHERE back LIKE '%초록별%'")[0]
        assert reads == [1] and table.row_count == 1 and table.cursor_key == card_id
        assert shown_fronts(pilot.app) == ["Card 19500"]


async def test_the_drop_downs_mount_after_the_first_rows_in_their_places(app, journal_store,
                                                                       monkeypatch):
    add_many_cards(journal_store)
    selects_at_first_rows: list[int] = []
    real_set_rows = LazyTable.set_rows

    def set_rows(table, *args, **kwargs):
        if not selects_at_first_rows:
            selects_at_first_rows.append(len(table.screen.query(Select)))
        return real_set_rows(table, *args, **kwargs)

    monkeypatch.setattr(LazyTable, "set_rows", set_rows)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        # the first rows were drawn before any drop-down was built (~40 ms of CPU)
        assert selects_at_first_rows == [0]
        deck = screen.query_one("#cards-deck", Select)
        state = screen.query_one("#cards-state", Select)
        assert not screen.query(".select-slot")  # the placeholders are gone
        assert deck.value is Select.NULL and state.value == "any"
        assert deck.region.width == 28 and state.region.width == 20  # the places they held
        decks = [d for (d,) in journal_store.db.execute(
            "SELECT DISTINCT d.name FROM cards c JOIN decks d ON d.id = c.deck_id "
            "ORDER BY d.name")]
        assert options(deck.query_one(OptionList))[1:] == decks  # after "any deck"


async def test_typing_a_filter_never_lays_the_screen_out(app, journal_store, db):
    add_many_cards(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        await pilot.press("f")
        await settle(pilot)
        layouts: list[int] = []
        real_layout = screen._refresh_layout
        screen._refresh_layout = lambda *a, **k: (layouts.append(1), real_layout(*a, **k))
        for key in "Tensor":
            await pilot.press(key)
        await settle(pilot)
        tensors = db("SELECT count(*) FROM cards WHERE front LIKE '%tensor%' "
                     "OR back LIKE '%tensor%'")[0][0]
        assert table.row_count == tensors >= MANY // 2
        assert rendered(screen.query_one("#cards-title", Static)).startswith(
            f"Cards · {tensors} of ")
        assert "Tensor" in screen_text(pilot.app)
        await pilot.press(*["backspace"] * 3)  # "Ten"
        await settle(pilot)
        assert table.row_count == db("SELECT count(*) FROM cards WHERE front LIKE '%ten%' "
                                     "OR back LIKE '%ten%'")[0][0] >= tensors
        assert layouts == [], "a keystroke laid the screen out again"


async def test_a_filter_draws_again_no_row_it_drew_before_until_the_data_changes(
        app, journal_store, db):
    add_many_cards(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        await pilot.press("f")
        for _ in range(2):
            await type_text(pilot, "green star")
            await settle(pilot)
            assert shown_fronts(pilot.app) == ["Card 19500"]
            await pilot.press(*["backspace"] * len("green star"))
            await settle(pilot)
            if _ == 0:  # every card again, around the cursor's card
                built, around = table.rows_built, shown_fronts(pilot.app)
        # the second time, every row on screen was drawn before: none is read again
        assert "Card 19500" in around and shown_fronts(pilot.app) == around
        assert table.rows_built == built

        # the data changed (a suspend reloads): the rows are read and drawn again
        await pilot.press("escape", "s")
        await settle(pilot)
        assert table.rows_built > built
        assert "suspended" in table.get_row_at(table.cursor_row)[2].plain
        assert db("SELECT suspended FROM cards WHERE id = ?", table.cursor_key)[0][0]


async def test_the_scrollbar_follows_the_rows_a_filter_keeps(app, journal_store, db):
    add_many_cards(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        total = table.row_count
        await pilot.press("end")
        await pilot.pause()
        assert table.show_vertical_scrollbar and table.scroll_y > total - SIZE[1]
        assert table.vertical_scrollbar.window_virtual_size == total + 1  # + the header

        # one card left: no scrollbar, the view back at the top, the card drawn
        await pilot.press("f")
        await type_text(pilot, "green star")
        await settle(pilot)
        assert table.row_count == 1
        assert not table.show_vertical_scrollbar and table.scroll_y == 0
        assert shown_fronts(pilot.app) == ["Card 19500"]

        # every card again: the scrollbar is back, sized for all of them
        await pilot.press(*["backspace"] * len("green star"))
        await settle(pilot)
        assert table.row_count == total and table.show_vertical_scrollbar
        assert table.vertical_scrollbar.window_virtual_size == total + 1
        assert table.max_scroll_y == total + 1 - table.scrollable_content_region.height


async def test_a_screen_opened_first_restyles_no_other_and_takes_the_theme(app,
                                                                           monkeypatch):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        restyles = count_calls(monkeypatch, pilot.app, "refresh_css")
        for key in ("j", "c"):
            await pilot.press(key)
            await settle(pilot)
        assert restyles == [], "opening a screen restyled the screens built before it"
        cards = pilot.app.screen
        before = cards.styles.background

        # a theme chosen meanwhile reaches a screen first opened after it
        pilot.app.theme = "textual-light" if pilot.app.current_theme.dark else "textual-dark"
        await settle(pilot)
        assert cards.styles.background != before
        await pilot.press("S")
        await settle(pilot)
        stats = pilot.app.screen
        assert stats is not cards and stats.styles.background == cards.styles.background
        assert stats.query_one(".screen-title", Static).styles.background == \
            cards.query_one(".screen-title", Static).styles.background


async def test_long_lived_objects_are_frozen_once_each_and_thawed_at_the_end(app,
                                                                             monkeypatch):
    freezes = count_calls(monkeypatch, app_module, "freeze_long_lived")
    thresholds = gc.get_threshold()
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert freezes == [1]  # start-up, once the other screens' modules are imported
        assert gc.get_freeze_count() > 0
        # rendering's short-lived objects die young instead of filling the old generation
        assert gc.get_threshold() == (YOUNG_OBJECTS, *thresholds[1:])
        assert YOUNG_OBJECTS > thresholds[0]
        await pilot.press("c")
        await settle(pilot)
        assert len(freezes) == 2  # the Cards screen, built once
        await pilot.press("enter")  # a card: pushed, gone when closed, never frozen
        await settle(pilot)
        await pilot.press("escape", "t", "c")
        await settle(pilot)
        assert len(freezes) == 2
        await pilot.press("j")
        await settle(pilot)
        assert len(freezes) == 3
    assert gc.get_freeze_count() == 0  # the app's objects can be collected again
    assert gc.get_threshold() == thresholds
