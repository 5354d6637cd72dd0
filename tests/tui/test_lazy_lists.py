"""Lists at ten-year size, without timing anything: the Cards table builds only the rows
it shows, reaches every card by keys and by its filter; the Journal reaches the oldest of
ten years of days; coming back to a screen reloads it only when the database changed."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from test_tui_cards import choose
from textual.widgets import Input, Markdown, Select, Static
from tui_helpers import rendered, screen_text, settle, type_text

import studylog.tui.screens.cards_screen as cards_screen
import studylog.tui.screens.today_screen as today_screen
from studylog.core.storage.cards import CardsRepository
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryFields
from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.screens.today_screen import TodayScreen
from studylog.tui.widgets.lazy_table import LazyTable

SIZE = (100, 30)
MANY = 20_000


def add_many_cards(store: Store, count: int = MANY) -> None:
    """``count`` cards in an added deck, written as a big collection would hold them:
    fronts numbered in order, Korean and English backs; card 19,500 alone says 초록별."""
    with store.write():
        deck_id = store.decks.ensure("Ten years", "added", trusted=False)  # listed last
        store.conn.executemany(
            "INSERT INTO cards (deck_id, key, front, back, position, created_at, updated_at, "
            "tags) VALUES (?, ?, ?, ?, ?, '2023-01-01', '2023-01-01', '[]')",
            [(deck_id, f"k{n}", f"Card {n:05d}",
              "초록별 — the green star" if n == 19_500 else
              (f"텐서 {n}번: 모양과 stride" if n % 2 else f"Tensor {n}: shape and dtype"), n)
             for n in range(count)])


@pytest.fixture
def big_store(journal_store):
    add_many_cards(journal_store)
    return journal_store


async def open_cards(pilot) -> tuple[CardsScreen, LazyTable]:
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CardsScreen)
    return screen, screen.query_one(LazyTable)


def shown_fronts(app) -> list[str]:
    return [line.split()[0] + " " + line.split()[1] for line in screen_text(app).splitlines()
            if line.strip().startswith("Card ")]


async def test_cards_at_twenty_thousand_builds_only_the_rows_on_screen(app, big_store, db):
    total = db("SELECT count(*) FROM cards")[0][0]
    assert total > MANY
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        assert rendered(screen.query_one("#cards-title", Static)) == \
            f"Cards · {total} of {total} shown"
        assert table.row_count == total
        # a screenful of rows (plus what one read fetches ahead), never the whole list
        assert 0 < table.rows_built <= 2 * SIZE[1]

        # the last card, by key: still only a few screens of rows built
        await pilot.press("end")
        await pilot.pause()
        last = db("SELECT c.id, c.front FROM cards c JOIN decks d ON d.id = c.deck_id "
                  "ORDER BY d.kind != 'journal', d.name, c.first_written, c.position, "
                  "c.id")[-1]
        assert table.cursor_key == last[0] and last[1] == "Card 19999"
        assert "Card 19999" in screen_text(pilot.app)
        assert table.rows_built <= 4 * SIZE[1]

        # page up from the end shows the cards just before it, in order
        await pilot.press("pageup")
        await pilot.pause()
        fronts = shown_fronts(pilot.app)
        assert fronts == [f"Card {n:05d}" for n in range(int(fronts[0][5:]),
                                                         int(fronts[0][5:]) + len(fronts))]
        cursor_front = table.get_row_at(table.cursor_row)[0]
        assert str(cursor_front) in fronts and fronts[-1] <= "Card 19999"


async def test_the_text_filter_finds_a_card_far_beyond_the_first_screen(app, big_store, db):
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        await pilot.press("f")
        await type_text(pilot, "초록별")
        await settle(pilot)
        (card_id,) = db("SELECT id FROM cards WHERE back LIKE '%초록별%'")[0]
        assert table.row_count == 1 and table.cursor_key == card_id
        assert "Card 19500" in screen_text(pilot.app)
        assert rendered(screen.query_one("#cards-title", Static)).startswith("Cards · 1 of ")

        # case does not matter, and English words of the back are found too
        await pilot.press(*["backspace"] * 3)
        await type_text(pilot, "GREEN STAR")
        await settle(pilot)
        assert screen.query_one("#cards-text", Input).value == "GREEN STAR"
        assert [table.source.key_at(i) for i in range(table.row_count)] == [card_id]

        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "stride")
        await settle(pilot)
        assert table.row_count == db("SELECT count(*) FROM cards WHERE back LIKE "
                                     "'%stride%' OR front LIKE '%stride%'")[0][0] >= MANY // 2


async def test_a_flag_filter_at_twenty_thousand_reads_ids_only(app, big_store, db,
                                                                 monkeypatch):
    # far down the list: one card buried, one leech with an edited back
    with sqlite3.connect(big_store.path) as connection:
        connection.execute("UPDATE cards SET buried_until = '2999-01-01T00:00:00+00:00' "
                           "WHERE front = 'Card 19500'")
        connection.execute("UPDATE cards SET back_edited = 1, tags = '[\"leech\"]', "
                           "suspended = 1 WHERE front = 'Card 18000'")
    connection.close()

    def every_row(*args, **kwargs):
        raise AssertionError("the Cards screen read every card's row")

    monkeypatch.setattr(CardsRepository, "listing", every_row)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        state = screen.query_one("#cards-state", Select)
        await pilot.press("f", "tab", "tab")
        for flag, front in (("buried", "Card 19500"), ("leech", "Card 18000"),
                            ("edited", "Card 18000")):
            await choose(pilot, state, flag)
            await settle(pilot)
            (card_id,) = db("SELECT id FROM cards WHERE front = ?", front)[0]
            assert table.row_count == 1 and table.source.key_at(0) == card_id
            assert front in screen_text(pilot.app)
        assert str(table.get_row_at(0)[2]) == "new·suspende…"  # its 13 columns
        assert table.rows_built <= 4 * SIZE[1]
        assert rendered(screen.query_one("#cards-title", Static)) == \
            f"Cards · 1 of {db('SELECT count(*) FROM cards')[0][0]} shown"


async def test_coming_back_reloads_only_when_the_database_changed(app, big_store, db,
                                                                   monkeypatch):
    reads = []
    filtered_ids = cards_screen.filtered_ids

    def counted(*args, **kwargs):
        reads.append(1)
        return filtered_ids(*args, **kwargs)

    monkeypatch.setattr(cards_screen, "filtered_ids", counted)
    async with app().run_test(size=SIZE) as pilot:
        screen, table = await open_cards(pilot)
        assert len(reads) == 1
        await pilot.press("t")
        await settle(pilot)
        screen_again, _ = await open_cards(pilot)
        assert screen_again is screen and len(reads) == 1  # nothing changed: no reload

        # another program suspends the first card meanwhile: coming back shows it
        await pilot.press("t")
        await settle(pilot)
        first = table.cursor_key
        connection = sqlite3.connect(big_store.path)
        with connection:
            connection.execute("UPDATE cards SET suspended = 1 WHERE id = ?", [first])
        connection.close()
        await open_cards(pilot)
        assert len(reads) == 2
        assert str(table.get_row_at(0)[2]) == "new·suspended"


# -- the Journal at ten years -----------------------------------------------------------

TEN_YEARS = 3650


def add_ten_years(store: Store) -> list[str]:
    """A day a week-titled entry for ten years before the fixture week (English and
    Korean titles); returns their dates, oldest first."""
    start = date(2013, 11, 15)
    days = [(start + timedelta(days=n)).isoformat() for n in range(TEN_YEARS)]
    with store.write():
        for n, day in enumerate(days):
            week = f"Week {n // 7 + 1}"
            title = f"Day {n}: 텐서 연습" if n % 2 else f"Day {n}: tensor practice"
            store.entries.save(EntryFields(day, title, week, f"{title}\n\n본문 {n}.", [],
                                           "ten-years.md", f"hash-{n}"))
    return days


async def test_the_journal_at_ten_years_reaches_its_oldest_day(app, journal_store, db):
    days = add_ten_years(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("j")
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        total = db("SELECT count(*) FROM entries")[0][0]
        assert rendered(journal.query_one("#journal-title", Static)) == \
            f"Journal · {total} day(s)"
        assert journal.current_day == "2023-11-14"  # the newest

        await pilot.press("end")
        await settle(pilot)
        oldest = days[0]
        assert journal.current_day == oldest
        assert f"{oldest[5:]}  Day 0: tensor practice" in screen_text(pilot.app)
        assert journal.query_one("#day-markdown", Markdown).source == \
            db("SELECT body FROM entries WHERE date = ?", oldest)[0][0]
        await pilot.press("up")
        await settle(pilot)
        assert journal.current_day == days[1]
        assert "본문 1." in journal.query_one("#day-markdown", Markdown).source


async def test_a_day_asked_for_before_the_journal_was_read_is_shown(app, journal_store):
    days = add_ten_years(journal_store)
    async with app().run_test(size=SIZE) as pilot:
        await pilot.app.action_open_day(days[1234])  # the Journal not opened before
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        assert journal.current_day == days[1234]
        assert f"{days[1234][5:]}  Day 1234: tensor practice" in screen_text(pilot.app)
        assert journal.query_one("#day-view").border_title == \
            f"{days[1234]} · Day 1234: tensor practice"


async def test_today_coming_back_recounts_only_after_a_change(app, journal_store,
                                                               monkeypatch):
    counts = []
    today_overview = today_screen.today_overview

    def counted(*args, **kwargs):
        counts.append(1)
        return today_overview(*args, **kwargs)

    monkeypatch.setattr(today_screen, "today_overview", counted)
    heatmaps = []
    load_activity = TodayScreen.load_activity

    def heatmap(self):
        heatmaps.append(1)
        return load_activity(self)

    monkeypatch.setattr(TodayScreen, "load_activity", heatmap)
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(counts) == 1 and len(heatmaps) == 1
        await open_cards(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert len(counts) == 1 and len(heatmaps) == 1  # nothing changed

        # a card suspended on the Cards screen: Today's due counts move
        await open_cards(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        assert len(counts) == 2 and len(heatmaps) == 2
        assert isinstance(pilot.app.screen, TodayScreen)
