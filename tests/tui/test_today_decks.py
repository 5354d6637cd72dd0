"""Today lists the decks with cards due; one is picked with the arrows and `r` reviews
only it (issue 17, item 1). Decks turned off are named, not listed or counted."""

from __future__ import annotations

from tui_helpers import FIXTURE_LOG, make, screen_text, settle

from studylog.core.cards.deck_library import sync_bundled_decks
from studylog.core.journal.importer import import_logs
from studylog.core.review.settings import set_deck_settings
from studylog.core.storage.database import Store
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.screens.today_screen import TodayScreen


def listed(app) -> list[str]:
    """The deck list's rows by id ('' is All decks)."""
    decks = app.screen.query_one("#today-decks")
    return [decks.get_option_at_index(i).id for i in range(decks.option_count)]


async def test_pick_the_journal_deck_and_review_only_it(journal_store, db):
    app = make(journal_store)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)  # Today's figures are read right after its first frame
        decks = app.screen.query_one("#today-decks")
        assert app.focused is decks  # the arrows pick a deck at once
        assert listed(app) == ["", "ML basics", "PyTorch fundamentals", "journal"]
        # the counts beside each deck (the fixture week: 7 keyword cards, new)
        assert " ".join(["journal", "7", "0", "0"]) in " ".join(screen_text(app).split())
        await pilot.press("down", "down", "down", "r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.session.deck == "journal"
        assert "Review · journal" in screen_text(app)
        graded = []
        for _ in range(7):  # the fixture week's seven keyword cards, then the summary
            assert screen.card is not None and screen.card.deck == "journal"
            graded.append(screen.card.id)
            await pilot.press("space", "4")
        assert screen.card is None  # done: no PyTorch card came up
        await pilot.press("escape")
        assert isinstance(app.screen, TodayScreen)
        # the journal's row is gone from the list; All decks still holds the bundled decks'
        await pilot.pause()
        assert listed(app) == ["", "ML basics", "PyTorch fundamentals"]
    decks = db("SELECT DISTINCT d.name FROM review_log r JOIN cards c ON c.id = r.card_id "
               "JOIN decks d ON d.id = c.deck_id")
    assert decks == [("journal",)]
    assert sorted(r[0] for r in db("SELECT card_id FROM review_log")) == sorted(graded)


async def test_a_deck_turned_off_is_named_not_listed(journal_store):
    set_deck_settings(journal_store, "PyTorch fundamentals", enabled=False)
    app = make(journal_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert listed(app) == ["", "ML basics", "journal"]
        assert "Off: PyTorch fundamentals (" in screen_text(app)
        await pilot.press("r")  # all decks: never a card of the deck that is off
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert "PyTorch" not in {c.deck for c in screen.session.queue(app.settings.now())
                                 .cards}


async def test_the_first_run_says_why_the_bundled_decks_are_not_due(tmp_path):
    store = Store(tmp_path / "new.sqlite3")  # a new personal journal, as `studylog` makes
    assert sync_bundled_decks(store) == []
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Nothing due." in text
        assert "New here?" in text
        shown = app.screen.query_one("#today-markdown").source
        assert "the bundled decks (ML basics, 2 cards, PyTorch fundamentals, 56 cards) are " \
            "off until you turn them on" in shown
        assert not app.screen.query_one("#today-decks").display
        # the journal written, its cards are due and the note stays
        import_logs(store, [FIXTURE_LOG], year=2023)
        app.screen.refresh_data()
        await pilot.pause()
        assert listed(app) == ["", "journal"]
    store.close()


def test_a_deck_row_is_drawn_once_per_width_and_as_its_grid_draws_it():
    """The option list renders a row for every height, width and line it asks about
    (hundreds of grid renders at start-up): each row is rendered once per width now,
    with the grid's own segments."""
    from rich.console import Console

    from studylog.tui.widgets.deck_picker import RenderedOnce, deck_row

    class Counting:
        def __init__(self, inner):
            self.inner, self.calls = inner, 0

        def __rich_console__(self, console, options):
            self.calls += 1
            yield from console.render(self.inner, options)

        def __rich_measure__(self, console, options):
            return console.measure(self.inner, options=options)

    row = deck_row("파이토치 기초 — a deck name too long for a narrow column", 12, 3, 12345)
    counting = Counting(row)
    once = RenderedOnce(counting)
    console = Console(width=100, force_terminal=True, color_system="truecolor")
    for width in (20, 44, 44, 80, 20, 44):
        options = console.options.update_width(width)
        assert list(console.render(once, options)) == list(console.render(row, options))
        assert console.measure(once, options=options) == console.measure(row,
                                                                         options=options)
    assert counting.calls == 3  # widths 20, 44 and 80
