"""The snippet panel, reached from a card: live output, stop, floods, edits, trust, quit.

The deck here is an *added* (untrusted) deck; most tests trust it first. The warm process
preloads nothing (these snippets need no torch), so each test starts fast.
"""

from __future__ import annotations

import os
import time

import pytest
from textual.widget import Widget
from tui_helpers import make as make_app_on
from tui_helpers import notifications, post_keys, screen_text, wait_until

from studylog.core.cards.deck_library import add_deck, trust_deck
from studylog.core.storage.database import Store
from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

DECK = '''---
deck: Panel tests
---
## Sleeper
```python snippet
import time
print("first", flush=True)
time.sleep(3.0)  # long enough that a loaded machine still shows "first" alone first
print("second", flush=True)
```

## Long sleeper
```python snippet
import time
print("sleeping", flush=True)
time.sleep(60)
```

## Forker
A parent with a worker process, as a DataLoader with workers has.
```python snippet
import multiprocessing as mp, os, time
def work():
    time.sleep(60)
if __name__ == "__main__" or True:
    p = mp.get_context("fork").Process(target=work)
    p.start()
    print(f"pids {os.getpid()} {p.pid}", flush=True)
    time.sleep(60)
```

## Flood
```python snippet
import time
start, i = time.monotonic(), 0
while time.monotonic() - start < 6:
    print(i)
    i += 1
print("done", i)
```

## Colours
```python snippet
import sys
print("\\x1b[31mred text\\x1b[0m")
print("oops", file=sys.stderr)
```
'''


@pytest.fixture
def deck_store(tmp_path):
    path = tmp_path / "panel-deck.md"
    path.write_text(DECK, encoding="utf-8")
    store = Store(tmp_path / "panel.sqlite3")
    add_deck(store, path)
    yield store
    store.close()


def card_id(store: Store, front: str) -> int:
    return store.value("SELECT id FROM cards WHERE front = ?", [front])


def panel_app(store: Store):
    """The warm process starts with the app, preloading nothing (no torch needed)."""
    return make_app_on(store, runner_preload=(), warm_runner=True)


async def open_card(pilot, store: Store, front: str) -> SnippetPanel:
    pilot.app.action_open_card(card_id(store, front))
    await pilot.pause()
    assert isinstance(pilot.app.screen, CardScreen)
    return pilot.app.screen.query_one(SnippetPanel)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


async def test_lines_appear_before_the_snippet_ends(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        panel = await open_card(pilot, deck_store, "Sleeper")
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.lines)
        assert panel.lines == [("stdout", "first")] and panel.running
        status = str(panel.query_one("#snippet-status").render())
        assert "running" in status or "starting" in status
        await wait_until(pilot, lambda: panel.result is not None)
        assert panel.lines == [("stdout", "first"), ("stdout", "second")]
        assert str(panel.query_one("#snippet-status").render()).startswith("ok · ")


async def test_stop_ends_a_sleeping_snippet_and_its_workers_within_a_second(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        panel = await open_card(pilot, deck_store, "Forker")
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.lines)
        pids = [int(p) for p in panel.lines[0][1].split()[1:]]
        assert all(alive(p) for p in pids)
        started = time.monotonic()
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: panel.result is not None, timeout=5)
        took = time.monotonic() - started
        assert panel.result.stopped and took < 1.0
        await wait_until(pilot, lambda: not any(alive(p) for p in pids), timeout=1)
        assert "stopped" in str(panel.query_one("#snippet-status").render())


async def test_a_flood_of_output_keeps_the_app_responsive(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, deck_store, "Flood")
        await pilot.press("r")
        await wait_until(pilot, lambda: len(panel.lines) > 100)
        assert panel.running
        # the card's edit dialog opens while lines still pour in (the flood lasts 6 s).
        # The key goes to the driver as a terminal sends it (pilot.press would first
        # wait for the app to be idle, i.e. for the flood to end). Not a timed
        # assertion: under load it may take a while, but not the whole flood.
        post_keys(pilot, "e")
        running_when_opened: list[bool] = []

        def dialog_open() -> bool:
            if isinstance(app.screen, CardScreen):
                return False
            running_when_opened.append(panel.running)
            return True

        await wait_until(pilot, dialog_open, timeout=10)
        assert running_when_opened == [True]
        await pilot.press("escape")
        await wait_until(pilot, lambda: panel.result is not None, timeout=60)
        assert panel.result.ok
        shown = [int(text) for stream, text in panel.lines if text.isdigit()]
        assert shown == sorted(shown) and shown[0] == 0  # in order; floods are thinned
        assert panel.result.tail[-1].text.startswith("done ")
        printed = int(panel.result.tail[-1].text.split()[1])
        # more than was drawn live: the flood was thinned (how much depends on the load)
        assert printed > len(panel.lines)
        await pilot.pause()
        shown = [strip.text for strip in panel.query_one("#snippet-output").lines]
        assert shown[-1] == f"done {printed}"  # the end of the output, once it ended


async def test_stderr_is_marked_and_ansi_colours_render(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        panel = await open_card(pilot, deck_store, "Colours")
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.result is not None)
        assert ("stderr", "oops") in panel.lines
        assert ("stdout", "\x1b[31mred text\x1b[0m") in panel.lines
        log = panel.query_one("#snippet-output")
        rendered = [strip.text for strip in log.lines]
        assert "red text" in rendered and "▌oops" in rendered
        red = [seg for strip in log.lines for seg in strip if seg.text == "red text"]
        assert red and red[0].style.color.number == 1  # ANSI red


async def test_edit_the_code_run_it_and_save_it_to_the_card(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        panel = await open_card(pilot, deck_store, "Colours")
        panel.query_one("#snippet-code").focus()
        await pilot.press(*["down"] * 6, "end", "enter", *'print("edited")')
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: panel.result is not None)
        assert ("stdout", "edited") in panel.lines
        await pilot.press("ctrl+s")
        await pilot.pause()
    row = deck_store.query("SELECT code, edited FROM snippets WHERE name = 'colours'")[0]
    assert row["code"].rstrip().endswith('print("edited")') and row["edited"] == 1


async def test_an_untrusted_deck_asks_before_running(deck_store):
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, deck_store, "Sleeper")
        assert "untrusted" in panel.border_title
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and not panel.running
        await pilot.press("tab", "enter")  # Cancel
        await pilot.pause()
        assert not panel.running and panel.result is None
        assert not deck_store.decks.get("Panel tests").trusted
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("enter")  # Trust deck and run
        await wait_until(pilot, lambda: panel.lines)
        assert deck_store.decks.get("Panel tests").trusted


async def test_quitting_while_a_snippet_runs_stops_it(deck_store):
    trust_deck(deck_store, "Panel tests")
    app = panel_app(deck_store)
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_card(pilot, deck_store, "Long sleeper")
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.lines)
        pid = panel._run.pid
        assert alive(pid)
        await pilot.press("q")
        await pilot.pause()
    deadline = time.monotonic() + 2
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(pid)


async def test_leaving_a_card_with_an_edited_snippet_asks(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, deck_store, "Colours")
        panel.query_one("#snippet-code").focus()
        await pilot.press(*["down"] * 6, "end", "enter", *'print("kept")')
        app.screen.query_one("#card-back").focus()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # Save to card
        await pilot.pause()
        assert not isinstance(app.screen, (ConfirmDialog, CardScreen))
    code = deck_store.value("SELECT code FROM snippets WHERE name = 'colours'")
    assert code.rstrip().endswith('print("kept")')


STRIPES = """---
deck: Stripes
---
## Zebra stripes
aliases: Zebra

```python snippet
print("stripes")
```
"""


@pytest.mark.parametrize("where", ["card view", "review"])
async def test_a_journal_card_linked_to_an_untrusted_decks_snippet_asks_first(tmp_path, where):
    """The journal deck is trusted, the deck owning the snippet is not: asking is
    about the owning deck, in the card view as in the review panel."""
    from studylog.core.journal.importer import import_logs

    deck, log = tmp_path / "stripes.md", tmp_path / "march.md"
    deck.write_text(STRIPES, encoding="utf-8")
    log.write_text("## 2024-03-04\nzebra stripes, drawn in code\n\n키워드: Zebra\n",
                   encoding="utf-8")
    store = Store(tmp_path / "zebra.sqlite3")
    add_deck(store, deck)
    import_logs(store, [log])
    journal_card = store.value("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                               "WHERE d.kind = 'journal' AND c.key = 'zebra'")
    trusted = "SELECT trusted FROM decks WHERE name = ?"
    try:
        async with panel_app(store).run_test(size=(120, 40)) as pilot:
            if where == "card view":
                pilot.app.action_open_card(journal_card)
            else:  # the journal card is the first new card of the queue
                pilot.app.action_review()
            await pilot.pause()
            if where == "review":
                assert pilot.app.screen.card.id == journal_card
            panel = pilot.app.screen.query_one(SnippetPanel)
            assert "untrusted" in panel.border_title
            await pilot.press("r")
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmDialog) and not panel.running
            assert "Deck 'Stripes'" in pilot.app.screen.question
            await pilot.press("enter")  # Trust deck and run
            await wait_until(pilot, lambda: ("stdout", "stripes") in panel.lines)
        assert store.value(trusted, ["Stripes"]) == 1
    finally:
        store.close()


PREDICT = """---
deck: Predictions
---
## What does it print?

```python predict
print("ran", 6 * 7)
# check
assert True
```
"""


async def test_revealing_an_untrusted_decks_predict_card_asks_before_running(tmp_path):
    """Issue 13 item 1 names the predict reveal among the paths that must ask: revealing
    runs the question's code, so it goes through the same trust question as r."""
    deck = tmp_path / "predict.md"
    deck.write_text(PREDICT, encoding="utf-8")
    store = Store(tmp_path / "predict.sqlite3")
    add_deck(store, deck)
    trusted = "SELECT trusted FROM decks WHERE name = ?"
    try:
        async with panel_app(store).run_test(size=(120, 40)) as pilot:
            pilot.app.action_review()
            await pilot.pause()
            screen = pilot.app.screen
            assert screen.card.predict_index is not None
            panel = screen.query_one(SnippetPanel)
            await pilot.press(*"42", "enter")  # the prediction; enter reveals
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmDialog) and not panel.running
            assert "Deck 'Predictions'" in pilot.app.screen.question
            await pilot.press("escape")  # not trusted: nothing runs
            await pilot.pause()
            assert screen.revealed and not panel.running and not panel.lines
            assert store.value(trusted, ["Predictions"]) == 0
            await pilot.press("r")  # asks again
            await pilot.pause()
            assert isinstance(pilot.app.screen, ConfirmDialog)
            await pilot.press("enter")  # Trust deck and run
            await wait_until(pilot, lambda: ("stdout", "ran 42") in panel.lines)
        assert store.value(trusted, ["Predictions"]) == 1
    finally:
        store.close()


async def run_from_the_code(pilot, store: Store) -> tuple[SnippetPanel, Widget]:
    """Open the "Long sleeper" card, focus its code and run it with ctrl+r until its first
    line shows; the panel and its code box."""
    panel = await open_card(pilot, store, "Long sleeper")
    code = panel.query_one("#snippet-code")
    code.focus()
    await pilot.press("ctrl+r")
    await wait_until(pilot, lambda: panel.lines)
    return panel, code


async def test_ctrl_g_stops_a_run_from_inside_the_code(deck_store):
    """Issue 13, item 14: the footer said x stops, but in the code x is typed (and the
    run went on). ctrl+g, which no widget takes, stops from every focus."""
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        panel, code = await run_from_the_code(pilot, deck_store)
        assert "ctrl+g stops" in str(panel.query_one("#snippet-status").render())
        assert "^g Stop" in screen_text(app)  # the footer shows the same key
        before = panel.code
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: panel.result is not None, timeout=5)
        assert panel.result.stopped and app.focused is code and panel.code == before


async def test_ctrl_c_in_the_code_copies_a_selection_else_stops_the_run(deck_store):
    # What docs/app.md says of ctrl+c in the code box (tried in tmux in the issue 13
    # audit: with nothing selected it stopped the run, where the table said it copies).
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        panel, code = await run_from_the_code(pilot, deck_store)
        await pilot.press("shift+end")  # select the first line
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard == "import time" and panel.running
        await pilot.press("right")  # no selection
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: panel.result is not None, timeout=5)
        assert panel.result.stopped and app.focused is code


async def test_ctrl_c_outside_text_boxes_stops_a_run_else_says_how_to_quit(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        panel = await open_card(pilot, deck_store, "Long sleeper")
        assert app.focused.id == "card-back"
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.lines)
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: panel.result is not None, timeout=5)
        assert panel.result.stopped and not notifications(app)
        await pilot.press("ctrl+c")  # nothing running: Textual's hint, as anywhere else
        await pilot.pause()
        assert any("to quit the app" in n for n in notifications(app))
        assert isinstance(app.screen, CardScreen) and app.return_code is None


async def test_ctrl_g_stops_a_review_run_from_the_code(deck_store):
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        app = pilot.app
        app.action_review()
        await pilot.pause()
        screen = app.screen
        panel = screen.query_one(SnippetPanel)
        while screen.card.front != "Long sleeper":  # the deck's cards in order
            await pilot.press("b")
        await pilot.press("r")
        await wait_until(pilot, lambda: panel.lines)
        panel.query_one("#snippet-code").focus()
        await pilot.press("x")  # typed into the code, as in any editor...
        assert panel.running and "x" in panel.code
        await pilot.press("ctrl+g")  # ...and ctrl+g stops the run
        await wait_until(pilot, lambda: panel.result is not None, timeout=5)
        assert panel.result.stopped and app.screen is screen


async def test_a_panel_left_behind_is_out_of_the_tree(deck_store):
    """Leaving the card removes its panel from the DOM as Textual removes any widget: the
    panel no longer names a parent (it used to define its own ``_detach``, a name
    Textual's removal calls to cut the widget from its parent, so it kept the screen)."""
    trust_deck(deck_store, "Panel tests")
    async with panel_app(deck_store).run_test(size=(120, 40)) as pilot:
        panel = await open_card(pilot, deck_store, "Colours")
        screen = pilot.app.screen
        assert panel.parent is not None
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(pilot.app.screen, CardScreen))
        await wait_until(pilot, lambda: not screen.is_attached)
        assert panel.parent is None
