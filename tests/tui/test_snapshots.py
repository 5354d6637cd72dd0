"""Snapshots (SVG, in __snapshots__/) of the main screens at 80x24 and 120x40, with time
frozen at 2023-11-15 10:00 UTC and the fixture week in the database.

Update after an intended change of the layout with ``--snapshot-update``, and look at
the SVGs (the report pytest writes on a failure shows both side by side).
"""

from __future__ import annotations

import pytest
from tui_helpers import settle, type_text

from studylog.tui.screens.search_screen import SearchScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def activity_loaded(pilot):
    """Today's heatmap is counted in a worker after the first frame: wait for it."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_today(snap_compare, app, size):
    assert snap_compare(app(), run_before=activity_loaded, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_journal(snap_compare, app, size):
    assert snap_compare(app(), press=["j"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_search_with_a_query(snap_compare, app, size):
    async def search_contiguous(pilot):
        await pilot.press("slash")
        assert isinstance(pilot.app.screen, SearchScreen)
        await type_text(pilot, "contiguous")
        await settle(pilot)
        # into the results: the first is highlighted, and the query box has no blinking
        # cursor that would make the picture depend on timing
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(app(), run_before=search_contiguous, terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_cards(snap_compare, app, size):
    assert snap_compare(app(), press=["c"], terminal_size=size)


def test_today_in_the_light_theme(snap_compare, app):
    assert snap_compare(app(theme="textual-light"), run_before=activity_loaded,
                        terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
def test_settings_with_a_refused_value(snap_compare, app, size):
    async def refuse_a_value(pilot):
        await pilot.press("comma", "tab", "tab", "home", "ctrl+k")
        await type_text(pilot, "스물")
        # leaving the field tries to save it; the switch has focus then (no blinking
        # cursor in the picture)
        await pilot.press("shift+tab")
        await settle(pilot)

    assert snap_compare(app(), run_before=refuse_a_value, terminal_size=size)
