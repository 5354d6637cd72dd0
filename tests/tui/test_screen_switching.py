"""Switching screens does only the work that changed, without timing anything: a footer
is worked out again only when the keys it shows change (and then shows the new ones), it
is one widget, not one a key, and a click on a key presses it; and a CSS source is
parsed once, not once for every screen opened (a new theme still restyles)."""

from __future__ import annotations

import textual.css.stylesheet as textual_stylesheet
from textual.widgets import Input
from tui_helpers import screen_text, settle

from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.widgets.key_footer import KeyFooter

SIZE = (120, 30)


def footer(screen) -> KeyFooter:
    return screen.query_one(KeyFooter)


def footer_labels(screen) -> list[str]:
    return [entry.description for entry in footer(screen).entries]


async def test_coming_back_keeps_the_footer_and_a_changed_key_set_rebuilds_it(app):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await settle(pilot)
        cards = pilot.app.screen
        labels = footer_labels(cards)
        assert "Suspend/unsuspend" in labels and "Quit" in labels
        rebuilds = footer(cards).rebuilds

        for key in ("j", "c", "t", "c"):  # away and back, twice
            await pilot.press(key)
            await settle(pilot)
        assert pilot.app.screen is cards
        # the same keys: nothing was worked out again
        assert footer(cards).rebuilds == rebuilds

        # typing in the filter hides the app's one-letter keys: the footer follows
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(pilot.app.focused, Input)
        typing = footer_labels(cards)
        assert "Quit" not in typing and "Journal" not in typing
        assert footer(cards).rebuilds == rebuilds + 1
        assert "Suspend/unsuspend" not in screen_text(pilot.app).splitlines()[-1]
        await pilot.press("escape")
        await settle(pilot)
        assert footer_labels(cards) == labels
        assert " s Suspend/unsuspend " in screen_text(pilot.app).splitlines()[-1]


async def test_the_footer_is_one_widget_and_a_click_on_a_key_presses_it(app):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = footer(pilot.app.screen)
        assert not bar.children  # no widget a key: the line is drawn by the footer
        line = screen_text(pilot.app).splitlines()[-1]
        assert line.startswith(" w Write today ") and "▏^p palette" in line

        # a click on " j Journal " opens the Journal, as pressing j does
        x = line.index(" j Journal ") + 3
        await pilot.hover(KeyFooter, offset=(x, 0))
        await settle(pilot)
        assert bar._hover is not None and bar._hover.key == "j"
        await pilot.click(KeyFooter, offset=(x, 0))
        await settle(pilot)
        assert isinstance(pilot.app.screen, JournalScreen)

        # and on " c Cards " in the Journal's footer, the Cards
        line = screen_text(pilot.app).splitlines()[-1]
        await pilot.click(KeyFooter, offset=(line.index(" c Cards ") + 1, 0))
        await settle(pilot)
        assert isinstance(pilot.app.screen, CardsScreen)


async def test_a_css_source_is_parsed_once_while_the_theme_stays(app, monkeypatch):
    parsed: list[tuple[object, ...]] = []
    real_parse = textual_stylesheet.parse

    def counting_parse(scope, css, read_from, *args, **kwargs):
        # a source is its text, where it is from, its scope and its priority (a widget
        # class's CSS met again through a subclass may come with a higher one)
        parsed.append((read_from, css, scope, kwargs.get("tie_breaker")))
        return real_parse(scope, css, read_from, *args, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting_parse)
    async with app().run_test(size=SIZE) as pilot:
        for key in ("j", "c", "slash", "escape", "p", "S", "t"):
            await pilot.press(key)
            await settle(pilot)
        assert len(parsed) == len(set(parsed)), "a CSS source was parsed twice"
        assert any("app.tcss" in str(source[0]) for source in parsed)

        # a new theme changes the variables: the sources are parsed again, and the
        # screen takes the new colours
        title = pilot.app.screen
        before, count = title.styles.background, len(parsed)
        pilot.app.theme = "textual-light" if pilot.app.current_theme.dark else "textual-dark"
        await settle(pilot)
        assert len(parsed) > count
        assert title.styles.background != before


PRELOAD_CHECK = """
import asyncio, sys
sys.path.insert(0, {helpers!r})
from tui_helpers import make, new_store
from pathlib import Path

async def main():
    store = new_store(Path({db!r}))
    app = make(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        print(",".join(m for m in sys.modules if m.startswith("studylog.tui.screens.")))
        print("torch" in sys.modules)
asyncio.run(main())
"""


def test_other_screens_are_imported_in_the_background_after_the_first_frame(tmp_path):
    """A fresh process: once the app's workers are done, the other screens' modules are
    imported (no screen opened), and still no torch."""
    import subprocess
    import sys
    from pathlib import Path

    helpers = str(Path(__file__).resolve().parent)
    script = PRELOAD_CHECK.format(helpers=helpers, db=str(tmp_path / "x.sqlite3"))
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=120).stdout.splitlines()
    after = out[0].split(",")
    for screen in ("journal_screen", "cards_screen", "review_screen", "search_screen",
                   "stats_screen"):
        assert f"studylog.tui.screens.{screen}" in after
    assert out[1] == "False"


async def test_the_footer_under_the_command_palette_hides_the_letter_keys(app):
    """Found walking the one-widget footer: with the command palette open (typing goes to
    it), Today's footer still offered j, c, / and the other letter keys: it read the
    screen's keys when the bindings signal came, before the palette's input had focus.
    It reads them after the refresh, as Textual's footer does."""
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        today = pilot.app.screen
        assert "Journal" in footer_labels(today)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert pilot.app.screen is not today
        assert "Journal" not in footer_labels(today)
        assert "Journal" not in screen_text(pilot.app).splitlines()[-1]


async def test_a_hovered_key_keeps_its_colours_and_the_palette_key_says_what_it_does(app):
    """Found walking the one-widget footer: under the mouse a key's description took the
    key's colour (Textual's footer changes only the background), and the palette key had
    lost its tooltip."""
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = footer(pilot.app.screen)
        line = screen_text(pilot.app).splitlines()[-1]
        x = line.index(" j Journal ") + 4
        description = bar.get_component_rich_style("footer-key--description")
        hover = bar.get_component_rich_style("footer-key--hover")
        await pilot.hover(KeyFooter, offset=(x, 0))
        await settle(pilot)
        drawn = bar.render()
        start = drawn.plain.index("Journal")
        styles = [span.style for span in drawn.spans if span.start <= start < span.end]
        assert styles and all(style.color == description.color for style in styles)
        assert any(style.bgcolor == hover.bgcolor for style in styles)
        await pilot.hover(KeyFooter, offset=(line.index("^p palette") + 1, 0))
        await settle(pilot)
        assert bar.tooltip == "Open the command palette"


async def test_a_footer_narrower_than_its_palette_key_is_cut_not_wrapped(app):
    async with app().run_test(size=(9, 20)) as pilot:
        await settle(pilot)
        assert screen_text(pilot.app).splitlines()[-1] == "▏^p palet"
