"""The small items of issue 17 (item 9): the reveal hint goes after the reveal, the
summary lists no review keys, messages name the card and agree with the buttons, the
import dialog's footer names no letter keys while you type, and Today counts today's
reviews and says when the next card falls due."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Input, Static
from tui_helpers import make, notifications, rendered, screen_text, settle, type_text

from studylog.core.cards.deck_library import add_deck
from studylog.core.storage.database import Store
from studylog.tui.dialogs.import_dialog import ImportDialog
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.screens.today_screen import TodayScreen

SIZE = (100, 32)
ONE_CARD_DECK = """---
deck: 한 장
---
## 브로드캐스팅 규칙
두 텐서의 shape을 뒤에서부터 맞춰 본다.

크기가 같거나 한쪽이 1이면 맞는다.
"""


def one_card_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "one.sqlite3")
    deck = tmp_path / "one-card.md"
    deck.write_text(ONE_CARD_DECK, encoding="utf-8")
    add_deck(store, deck)
    return store


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_hint_goes_after_the_reveal_and_the_summary_lists_no_review_keys(
        tmp_path):
    store = one_card_store(tmp_path)
    async with make(store).run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        meta = screen.query_one("#review-meta", Static)
        assert "space shows the answer" in rendered(meta)
        await pilot.press("space")
        await pilot.pause()
        assert "space shows the answer" not in rendered(meta)
        assert "한 장" in rendered(meta)  # the deck and state stay
        await pilot.press("4")  # Easy: a review card, due in days: nothing left today
        await pilot.pause()
        assert screen.card is None  # the summary
        footer = footer_line(pilot.app)
        for key in ("Show answer", "Bury", "Suspend", "Edit", "Run snippet", "Maximise"):
            assert key not in footer, footer
        assert "Back" in footer
    assert store.value("SELECT rating FROM review_log") == 4


async def test_the_grade_message_says_the_interval_its_button_showed_and_undo_names_it(
        journal_store):
    async with make(journal_store).run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        front, card_id = screen.card.front, screen.card.id
        await pilot.press("space")
        await pilot.pause()
        label = str(screen.query_one("#grade-easy", Button).label)  # "4 Easy · 8d"
        interval = label.rsplit("· ", 1)[1]
        await pilot.press("4")
        await pilot.pause()
        assert f"{front}: Easy · next in {interval}" in notifications(pilot.app)
        await pilot.press("u")
        await pilot.pause()
        undone = notifications(pilot.app)[-1]
        assert front in undone and f"card {card_id}" not in undone
    assert journal_store.value("SELECT count(*) FROM review_log") == 0


async def test_the_import_dialog_footer_names_no_letter_keys_while_you_type(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "w Write today" in footer_line(pilot.app)  # Today's own footer
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ImportDialog)
        await type_text(pilot, "~/notes/wq")
        assert pilot.app.screen.query_one("#import-path", Input).value == "~/notes/wq"
        footer = footer_line(pilot.app)
        assert "Close / cancel" in footer
        for key in ("w Write today", "r Review", "q Quit", "t Today"):
            assert key not in footer, footer
    assert db("SELECT count(*) FROM entries") == [(2,)]  # nothing imported


async def test_today_counts_todays_reviews_and_says_when_the_next_is_due(journal_store):
    async with make(journal_store).run_test(size=SIZE) as pilot:
        await settle(pilot)
        due = pilot.app.screen.query_one("#today-due")
        assert "0 reviewed today" in screen_text(pilot.app)
        assert "next due" not in screen_text(pilot.app)  # every card is new
        await pilot.press("r", "space", "3")  # Good on a new card: learning, due in 10m
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, TodayScreen)
        assert "1 reviewed today · next due in 10m" in screen_text(pilot.app)
        assert due.is_mounted
    assert journal_store.value("SELECT count(*) FROM review_log") == 1


async def test_the_footer_drops_show_answer_once_the_answer_shows(tmp_path):
    """Found in tmux: after the reveal the footer still offered 'space Show answer'
    (space does nothing then) and pushed the snippet keys off an 80-column footer."""
    store = one_card_store(tmp_path)
    async with make(store).run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await settle(pilot)
        assert "space Show answer" in footer_line(pilot.app)
        await pilot.press("space")
        await pilot.pause()
        footer = footer_line(pilot.app)
        assert "Show answer" not in footer, footer
        assert "u Undo" in footer and "b Bury" in footer
        await pilot.press("3")
        await pilot.pause()
    assert store.value("SELECT rating FROM review_log") == 3
