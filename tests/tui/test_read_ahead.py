"""The Journal's days and the Cards' ids read ahead while Today shows: the first j or c
shows them without reading them again, and reads again when anything committed since
(here, or another process) — never a list older than the database."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static
from tui_helpers import rendered, settle, wait_until

from studylog.core.journal.day_editing import save_day_text
from studylog.core.review.scheduling import suspend
from studylog.tui.screens import cards_screen, journal_screen
from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.widgets.day_list import DayList
from studylog.tui.widgets.lazy_table import LazyTable

SIZE = (100, 30)


async def read_ahead(pilot) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: app.days_ahead is not None and app.cards_ahead is not None
                     and app.days_ahead.value is not None
                     and app.cards_ahead.value is not None)


def counting(monkeypatch, module, name: str) -> list[int]:
    """Calls of the screen's own read (the read ahead is done before it is counted)."""
    calls: list[int] = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args: calls.append(1) or real(*args))
    return calls


async def open_journal(pilot) -> DayList:
    await pilot.press("j")
    await settle(pilot)
    assert isinstance(pilot.app.screen, JournalScreen)
    return pilot.app.screen.query_one(DayList)


async def open_cards(pilot) -> LazyTable:
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CardsScreen)
    return pilot.app.screen.query_one(LazyTable)


async def test_the_first_journal_and_cards_show_what_was_read_ahead(app, db, monkeypatch):
    async with app(read_ahead=True).run_test(size=SIZE) as pilot:
        await read_ahead(pilot)
        day_reads = counting(monkeypatch, journal_screen, "read_days")
        card_reads = counting(monkeypatch, cards_screen, "read_cards")

        days = await open_journal(pilot)
        assert days.day_count == db("SELECT count(*) FROM entries")[0][0] == 2
        assert days.highlighted_day == "2023-11-14"
        assert rendered(pilot.app.screen.query_one("#journal-title", Static)) == \
            "Journal · 2 day(s)"

        table = await open_cards(pilot)
        total = db("SELECT count(*) FROM cards")[0][0]
        assert table.row_count == total > 7
        assert rendered(pilot.app.screen.query_one("#cards-title", Static)) == \
            f"Cards · {total} of {total} shown"

        assert day_reads == [] and card_reads == []  # nothing read again
        assert pilot.app.days_ahead is None and pilot.app.cards_ahead is None  # taken once


async def test_a_change_after_the_read_ahead_is_read_again(app, journal_store, db,
                                                          monkeypatch):
    async with app(read_ahead=True).run_test(size=SIZE) as pilot:
        await read_ahead(pilot)
        day_reads = counting(monkeypatch, journal_screen, "read_days")
        card_reads = counting(monkeypatch, cards_screen, "read_cards")
        # written since (here, or by the CLI in another shell): a day with a keyword
        save_day_text(journal_store, date(2023, 11, 15), "Strides today.\n\n"
                      "+ ##### 키워드: Stride", write_back=False)

        days = await open_journal(pilot)
        assert day_reads == [1]
        assert days.day_count == 3 and days.highlighted_day == "2023-11-15"

        table = await open_cards(pilot)
        assert card_reads == [1]
        assert table.row_count == db("SELECT count(*) FROM cards")[0][0]
        assert "Stride" in {str(table.get_row_at(i)[0]) for i in range(table.row_count)}


async def test_a_card_suspended_elsewhere_after_the_read_ahead_is_read_again(
        app, journal_store, db, monkeypatch):
    async with app(read_ahead=True).run_test(size=SIZE) as pilot:
        await read_ahead(pilot)
        card_reads = counting(monkeypatch, cards_screen, "read_cards")
        (card_id,) = db("SELECT id FROM cards WHERE front = 'Hook'")[0]
        other = journal_store.__class__(journal_store.path)  # another connection
        try:
            assert suspend(other, card_id)
        finally:
            other.close()
        table = await open_cards(pilot)
        assert card_reads == [1]
        index = table.source.index_of(card_id)
        assert index is not None
        assert str(table.get_row_at(index)[3]) == "—"  # the suspended card's due
