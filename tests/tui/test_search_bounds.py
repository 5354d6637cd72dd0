"""A query past the search bounds says so in the search status; the app keeps running
(a thousand words used to end the app with SQLite's "Expression tree is too large")."""

from __future__ import annotations

from textual.widgets import Input, Static
from tui_helpers import rendered, settle, type_text

from studylog.core.search import MAX_TERMS
from studylog.tui.screens.search_screen import SearchScreen

SIZE = (100, 32)


async def test_too_many_words_are_refused_in_the_status_and_the_app_goes_on(app):
    words = " ".join(chr(ord("a") + i) for i in range(MAX_TERMS + 1))  # 한 글자씩 21개
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        screen = pilot.app.screen
        assert isinstance(screen, SearchScreen)
        await type_text(pilot, words)
        await settle(pilot)
        status = rendered(screen.query_one("#search-status", Static))
        assert f"at most {MAX_TERMS} different words" in status
        assert pilot.app.is_running and pilot.app.screen is screen
        await pilot.press("backspace", "backspace")  # one word fewer: searched again
        await settle(pilot)
        assert screen.query_one(Input).value == words[:-2]
        assert rendered(screen.query_one("#search-status", Static)).endswith("card(s)")
