"""Cards: the table and its filters, suspending with s; the card view and its edit
dialog. Each test checks the table or the view against the database."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, Markdown, OptionList, Select, Static, TextArea
from tui_helpers import notifications, options, rendered, settle, table_rows, type_text

from studylog import paths
from studylog.core.cards.deck_parser import parse_deck
from studylog.tui.dialogs.card_edit_dialog import CardEditDialog
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.widgets.lazy_table import LazyTable

SIZE = (100, 32)
# the fixture week's 7 keyword cards plus every card of the bundled decks
ALL_CARDS = 7 + sum(len(parse_deck(p.read_text(encoding="utf-8")).cards)
                    for p in paths.bundled_decks_dir().glob("*.md"))


def review_hook(store) -> None:
    """Give the journal's Hook card a review history: reviewed, due in two days."""
    with store.write():
        store.db.execute(
            "UPDATE cards SET state = 'review', due = '2023-11-17T10:00:00.000000+00:00', "
            "stability = 4.25, lapses = 1, reps = 3 WHERE front = 'Hook'")


def fronts(table: LazyTable) -> list[str]:
    return [row[0] for row in table_rows(table)]


def row_ids(table: LazyTable) -> set[int]:
    """The card ids of the rows shown (each row's key)."""
    return {table.source.key_at(i) for i in range(table.row_count)}


async def open_cards(pilot) -> tuple[CardsScreen, LazyTable]:
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CardsScreen)
    table = screen.query_one("#cards-table", LazyTable)
    assert pilot.app.focused is table
    return screen, table


async def choose(pilot, select: Select, label: str) -> None:
    """Open a focused Select with enter and move down to ``label``, then enter."""
    assert pilot.app.focused is select
    await pilot.press("enter")
    overlay = select.query_one(OptionList)
    labels = options(overlay)
    target = labels.index(label)
    current = overlay.highlighted or 0
    key = "down" if target >= current else "up"
    await pilot.press(*[key] * abs(target - current), "enter")
    await settle(pilot)
    assert select.value is not Select.NULL


async def test_the_table_lists_every_card_of_the_database(app, journal_store, db):
    review_hook(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        total = db("SELECT count(*) FROM cards")[0][0]
        assert total == ALL_CARDS
        assert table.row_count == total
        assert rendered(screen.query_one("#cards-title", Static)) == \
            f"Cards · {total} of {total} shown"
        rows = {row[0]: row for row in table_rows(table)}
        assert rows["Hook"][1:] == ["journal", "review", "in 2d", "4.2d", "1"]
        assert rows["Contiguous"][1:] == ["journal", "new", "new", "—", "0"]
        assert set(fronts(table)) >= {front for (front,) in db(
            "SELECT front FROM cards WHERE length(front) < 20")}


async def test_filters_by_text_state_and_deck_narrow_the_table(app, journal_store, db):
    review_hook(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)

        await pilot.press("f")
        assert pilot.app.focused is screen.query_one("#cards-text", Input)
        await type_text(pilot, "data")
        expected = {card_id for (card_id,) in db(
            "SELECT id FROM cards WHERE front LIKE '%data%' OR back LIKE '%data%'")}
        assert row_ids(table) == expected
        assert 2 < table.row_count < ALL_CARDS
        assert "Dataset" in fronts(table) and "DataLoader" in fronts(table)

        await pilot.press("tab")  # the deck filter
        await choose(pilot, screen.query_one("#cards-deck", Select), "journal")
        journal_data = db("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                          "WHERE d.name = 'journal' AND (c.front LIKE '%data%' "
                          "OR c.back LIKE '%data%')")
        assert row_ids(table) == {card_id for (card_id,) in journal_data}
        assert table.row_count < len(expected)
        assert {row[1] for row in table_rows(table)} == {"journal"}

        # clear the text: every journal card
        await pilot.press("shift+tab")
        await pilot.press(*["backspace"] * 4)
        await settle(pilot)
        journal_cards = db("SELECT count(*) FROM cards c JOIN decks d ON d.id = c.deck_id "
                           "WHERE d.name = 'journal'")[0][0]
        assert table.row_count == journal_cards == 7

        await pilot.press("tab", "tab")  # the state filter
        await choose(pilot, screen.query_one("#cards-state", Select), "review")
        assert fronts(table) == [front for (front,) in db(
            "SELECT front FROM cards WHERE state = 'review'")] == ["Hook"]
        assert rendered(screen.query_one("#cards-title", Static)) == \
            f"Cards · 1 of {ALL_CARDS} shown"


async def test_a_keystroke_draws_the_filter_and_its_rows_in_one_frame(app, journal_store,
                                                                       db):
    # Seen at ten years: each key in the filter took two frames, the box's new text
    # first and the rows it keeps one frame (16.7 ms) later.
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        await pilot.press("f")
        await settle(pilot)  # every card's words are read
        box = screen.query_one("#cards-text", Input)
        frames: list[tuple[str, int]] = []  # (the box's text, rows) of each frame drawn
        draw = screen._compositor_refresh

        def drawn() -> None:
            frames.append((box.value, table.row_count))
            draw()

        screen._compositor_refresh = drawn  # type: ignore[method-assign]
        before = table.row_count
        for typed in ("d", "da", "dat", "data"):
            await asyncio.sleep(0.05)  # long after the last frame: the next one is at once
            await type_text(pilot, typed[-1])
            await settle(pilot)
            rows = db("SELECT count(*) FROM cards WHERE front LIKE ? OR back LIKE ?",
                      f"%{typed}%", f"%{typed}%")[0][0]
            assert table.row_count == rows <= before
            # the first frame that shows the text shows its rows
            assert next(f for f in frames if f[0] == typed) == (typed, rows)
            before = rows
        assert rows < ALL_CARDS  # (the rows changed on the way)


async def test_s_suspends_and_unsuspends_the_highlighted_card(app, db):
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        await pilot.press("down", "down")
        row = table_rows(table)[2]
        front = row[0]
        card_id = db("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                     "WHERE c.front = ? AND d.name = ?", front, row[1])[0][0]
        assert db("SELECT suspended FROM cards WHERE id = ?", card_id) == [(0,)]

        await pilot.press("s")
        await settle(pilot)
        assert db("SELECT suspended FROM cards WHERE id = ?", card_id) == [(1,)]
        assert table.cursor_row == 2  # the cursor stays on the card
        assert table_rows(table)[2][0] == front
        assert table_rows(table)[2][2:4] == ["new·suspended", "—"]  # state, then flags
        assert f"Suspended: {front}" in notifications(pilot.app)

        assert pilot.app.focused is table
        await pilot.press("s")
        await settle(pilot)
        assert db("SELECT suspended FROM cards WHERE id = ?", card_id) == [(0,)]
        assert table_rows(table)[2][3] == "new"
        assert f"Unsuspended: {front}" in notifications(pilot.app)


async def test_the_suspended_state_filter_shows_what_s_suspended(app, db):
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        await pilot.press("s")  # the first card
        await settle(pilot)
        suspended = db("SELECT front FROM cards WHERE suspended = 1")
        assert len(suspended) == 1
        await pilot.press("f", "tab", "tab")
        await choose(pilot, screen.query_one("#cards-state", Select), "suspended")
        assert fronts(table) == [suspended[0][0]]


# -- the card view ----------------------------------------------------------------------

async def open_card(pilot, front: str) -> CardScreen:
    screen, table = await open_cards(pilot)
    await pilot.press("f")
    await type_text(pilot, front)
    await pilot.press("enter")  # back to the table
    assert pilot.app.focused is table
    index = fronts(table).index(front)
    await pilot.press(*["down"] * index, "enter")
    await settle(pilot)
    card = pilot.app.screen
    assert isinstance(card, CardScreen)
    return card


async def test_enter_opens_the_card_with_its_back_and_source_days(app, db):
    async with app().run_test(size=SIZE) as pilot:
        card = await open_card(pilot, "Backward Method")
        card_id, back = db("SELECT c.id, c.back FROM cards c JOIN decks d ON "
                           "d.id = c.deck_id WHERE d.name = 'journal' AND "
                           "c.front = 'Backward Method'")[0]
        assert card.card_id == card_id
        assert rendered(card.query_one("#card-title", Static)) == "Backward Method"
        facts = rendered(card.query_one("#card-facts", Static))
        assert facts == ("deck journal  ·  basic  ·  new  ·  due new  ·  stability —  ·  "
                         "lapses 0")
        assert card.query_one("#card-markdown", Markdown).source == back
        assert "backward라는 method" in back
        sources = options(card.query_one("#card-sources", OptionList))
        assert sources == ["2023-11-13  Day 6 (11/13)"]

        # Enter on a source day opens it in the Journal
        await pilot.press("tab")
        assert pilot.app.focused is card.query_one("#card-sources", OptionList)
        await pilot.press("enter")
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        assert journal.current_day == "2023-11-13"


async def test_the_edit_dialog_saves_front_and_back(app, db):
    async with app().run_test(size=SIZE) as pilot:
        card = await open_card(pilot, "Hook")
        card_id = card.card_id
        assert db("SELECT front_edited, back_edited FROM cards WHERE id = ?",
                  card_id) == [(0, 0)]
        await pilot.press("e")
        dialog = pilot.app.screen
        assert isinstance(dialog, CardEditDialog)
        front = dialog.query_one("#edit-front", Input)
        assert pilot.app.focused is front and front.value == "Hook"
        await pilot.press("end")
        await type_text(pilot, " (PyTorch)")
        await pilot.press("tab")
        back = dialog.query_one("#edit-back", TextArea)
        assert pilot.app.focused is back
        await type_text(pilot, "내 정리: 모듈에 끼워 넣는 callback.\n\n")
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert pilot.app.screen is card
        assert rendered(card.query_one("#card-title", Static)) == "Hook (PyTorch)"
        assert "Saved: front and back" in notifications(pilot.app)
        assert card.query_one("#card-markdown", Markdown).source.startswith(
            "내 정리: 모듈에 끼워 넣는 callback.")

    front_value, back_value, edited = db(
        "SELECT front, back, front_edited + back_edited FROM cards WHERE id = ?", card_id)[0]
    assert front_value == "Hook (PyTorch)"
    assert back_value.startswith("내 정리: 모듈에 끼워 넣는 callback.\n\n")
    assert db("SELECT front_edited, back_edited FROM cards WHERE id = ?", card_id) == [(1, 1)]
    assert edited == 2


async def test_escape_in_the_edit_dialog_changes_nothing(app, db):
    before = db("SELECT * FROM cards WHERE front = 'Dataset'")
    async with app().run_test(size=SIZE) as pilot:
        card = await open_card(pilot, "Dataset")
        await pilot.press("e")
        await type_text(pilot, "XYZ")
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is card
        assert rendered(card.query_one("#card-title", Static)) == "Dataset"
    assert db("SELECT * FROM cards WHERE front = 'Dataset'") == before


async def test_s_in_the_card_view_suspends_it(app, db):
    async with app().run_test(size=SIZE) as pilot:
        card = await open_card(pilot, "Document")
        await pilot.press("s")
        await settle(pilot)
        assert db("SELECT suspended FROM cards WHERE id = ?", card.card_id) == [(1,)]
        assert "due suspended" in rendered(card.query_one("#card-facts", Static))
        await pilot.press("escape")  # back to the table, which shows it suspended
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CardsScreen)
        rows = table_rows(screen.query_one(LazyTable))
        assert [row[2] for row in rows if row[0] == "Document"] == ["new·suspended"]
