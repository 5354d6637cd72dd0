"""What the Pilot tests share: the frozen settings and the fixture database, typing,
and reading what is on screen."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from textual import events
from textual.app import App
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, OptionList

from studylog.core.cards.deck_library import sync_bundled_decks
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.widgets.day_list import DayList
from studylog.tui.widgets.lazy_table import LazyTable

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_LOG = FIXTURES / "week2-pytorch.md"
FROZEN_NOW = datetime(2023, 11, 15, 10, tzinfo=UTC)
# An editor that fails: a test that opens $EDITOR by accident must not start vi.
NO_EDITOR = [sys.executable, "-c", "import sys; sys.exit(7)"]


def frozen_settings(**overrides):
    from studylog.tui.settings import AppSettings

    # runner_preload_when_idle=(): no 2-4 s torch._dynamo import competing for
    # the CPU with the timing-sensitive panel tests (test_runner.py covers it);
    # read_ahead=False: no reading thread in every test (test_stats_screen and
    # test_read_ahead cover it)
    values = dict(clock=lambda: FROZEN_NOW, tz=UTC, catch_errors=False,
                  draft_delay=0.05, editor=NO_EDITOR, warm_runner=False,
                  runner_preload_when_idle=(), read_ahead=False)
    values.update(overrides)
    return AppSettings(**values)


def make(store: Store, **overrides):
    """The real app on ``store`` with ``frozen_settings(**overrides)``."""
    from studylog.tui.app import make_app

    return make_app(store, frozen_settings(**overrides))


def new_store(path: Path, *, journal: bool = True) -> Store:
    """Bundled decks, and (``journal``) the fixture week imported as 2023."""
    store = Store(path)
    assert sync_bundled_decks(store, enabled=True) == []  # on, as in the demo
    if journal:
        report = import_logs(store, [FIXTURE_LOG], year=2023)
        assert not report.refused
    return store


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text``: one key event per character (a newline is enter), sent through the
    app's driver as a terminal sends them, then wait until every one is handled.

    ``pilot.press`` waits for the process to go idle after each key (about 0.1 s);
    typing whole sentences that way would make each test several seconds slower.
    """
    post_keys(pilot, text)
    # the app forwards the keys to the focused widget: one wait for the app's queue,
    # another for the widget's, a third for the messages the widget posted
    for _ in range(3):
        await pilot.pause()


def post_keys(pilot: Pilot, text: str) -> None:
    """Hand ``text`` to the app's driver as key events, as a terminal does, and return at
    once (``pilot.press`` first waits for the app to be idle)."""
    driver = pilot.app._driver
    for ch in text:
        if ch == "\n":
            event = events.Key("enter", "\r")
        else:
            event = events.Key(ch if ch.isalnum() else _character_to_key(ch), ch)
        event.set_sender(pilot.app)
        driver.send_message(event)


async def settle(pilot: Pilot) -> None:
    """Let workers finish and the messages they posted be handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot: Pilot, condition, timeout: float = 20.0) -> None:
    """Poll until ``condition()`` holds (timers, other processes); fail after ``timeout``.

    Plain sleeps, not ``pilot.pause``: a pause waits for the app to go idle, which a
    snippet's flood of output delays by seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"not true within {timeout} s: {condition}")
        await asyncio.sleep(0.005)


def screen_text(app: App) -> str:
    """The text of the current screen as drawn (all layers, one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def rendered(widget: Widget) -> str:
    """What a ``Static``-like widget shows, as plain text."""
    return str(widget.render())


def notifications(app: App) -> list[str]:
    return [n.message for n in app._notifications]


def options(option_list: OptionList | DayList) -> list[str]:
    """Every option's prompt as text (the Journal's DayList: its headings and days)."""
    if isinstance(option_list, DayList):
        return option_list.listed()
    return [str(option_list.get_option_at_index(i).prompt)
            for i in range(option_list.option_count)]


def table_rows(table: DataTable | LazyTable) -> list[list[str]]:
    """Every row's cells as text (a ``LazyTable`` reads them all: small tables only)."""
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
