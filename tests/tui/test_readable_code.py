"""Code you can read (issue 17, item 6): code blocks wrap instead of being cut at the
pane's edge in the journal, a card's back and the snippet panel; the snippet panel takes
the width its code wants (capped) and ``m`` maximises it, at 80x24 and 120x40."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import TextArea
from textual.widgets._markdown import MarkdownFence
from tui_helpers import make, screen_text, settle

from studylog.core.cards.deck_library import add_deck
from studylog.core.journal.day_editing import save_day_text
from studylog.core.storage.database import Store
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LONG_LINE = ("scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, "
             "gamma=0.5)  # halve the lr")
DAY = f"""스케줄러를 붙여 봤다. 5 epoch마다 lr을 반으로.

```python
{LONG_LINE}
```

+ ##### 키워드: StepLR
"""
DECK = f"""---
deck: Readable deck
---
## Learning-rate schedules
What does StepLR do to the learning rate?

It multiplies it by gamma every step_size epochs:

```python
{LONG_LINE}
```

```python snippet
import torch
optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
{LONG_LINE}
for epoch in range(10):
    optimizer.step(); scheduler.step()
print(scheduler.get_last_lr())  # after ten epochs: two halvings of 0.1, so 0.025
```
"""


def squeezed(text: str) -> str:
    """Screen text with the spaces, borders and line breaks wrapping made taken out."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│▎▊▌▐┃║")


def widget_text(widget: Widget) -> str:
    """The lines a widget draws, as text."""
    strips = widget.render_lines(Region(0, 0, *widget.outer_size))
    return "\n".join(strip.text for strip in strips)


def code_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "code.sqlite3")
    save_day_text(store, date(2023, 11, 15), DAY)
    deck = tmp_path / "readable-deck.md"
    deck.write_text(DECK, encoding="utf-8")
    add_deck(store, deck)
    return store


def deck_card_id(store: Store) -> int:
    return int(store.value("SELECT id FROM cards WHERE front = 'Learning-rate schedules'"))


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_code_line_in_the_journal_wraps_whole(tmp_path, size):
    store = code_store(tmp_path)
    async with make(store).run_test(size=size) as pilot:
        await pilot.press("j")
        await settle(pilot)
        fence = pilot.app.screen.query_one("#day-view").query_one(MarkdownFence)
        assert fence.virtual_size.width <= fence.size.width  # nothing off to the right
        assert squeezed(LONG_LINE) in squeezed(widget_text(fence.query_one("#code-content")))
    assert store.value("SELECT count(*) FROM entries WHERE date = '2023-11-15'") == 1


@pytest.mark.parametrize("size", SIZES)
async def test_a_card_back_and_its_snippet_show_the_whole_line(tmp_path, size):
    store = code_store(tmp_path)
    app = make(store)
    async with app.run_test(size=size) as pilot:
        app.action_open_card(deck_card_id(store))
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CardScreen)
        back = screen.query_one("#card-back")
        panel = screen.query_one(SnippetPanel)
        # the back's code block shows the line whole, wrapped inside the pane
        fence = back.query_one(MarkdownFence)
        assert fence.virtual_size.width <= fence.size.width
        assert squeezed(LONG_LINE) in squeezed(widget_text(fence.query_one("#code-content")))
        # the snippet's column took the width its code wants, up to about 62%, and its
        # code wraps instead of running off the edge
        assert panel.outer_size.width >= min(panel.wanted_width(), int(size[0] * 0.6))
        assert back.outer_size.width >= size[0] * 0.35
        code = screen.query_one("#snippet-code", TextArea)
        assert code.virtual_size.width <= code.scrollable_content_region.width
        assert code.wrapped_document.height > code.document.line_count

        await pilot.press("m")
        await pilot.pause()
        assert screen.maximized is panel
        assert panel.outer_size.width == size[0]
        await pilot.press("escape")  # back to its place, still on the card
        await pilot.pause()
        assert screen.maximized is None and pilot.app.screen is screen
        await pilot.press("m", "m")
        await pilot.pause()
        assert screen.maximized is None
    assert store.value("SELECT count(*) FROM cards WHERE front = 'Learning-rate schedules'"
                       ) == 1


async def test_m_in_review_shows_the_snippet_maximised_and_grading_goes_on(tmp_path):
    store = code_store(tmp_path)
    card_id = deck_card_id(store)
    app = make(store)
    async with app.run_test(size=(80, 24)) as pilot:
        pilot.app.action_review("Readable deck")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.card is not None
        assert screen.card.id == card_id
        panel = screen.query_one(SnippetPanel)
        assert not panel.display
        await pilot.press("m")
        await pilot.pause()
        assert panel.display and screen.maximized is panel
        assert squeezed(LONG_LINE) in squeezed(screen_text(pilot.app))
        await pilot.press("m", "space", "3")
        await pilot.pause()
        assert screen.maximized is None
    assert store.query("SELECT card_id, rating FROM review_log") == [
        {"card_id": card_id, "rating": 3}]


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_journal_with_wrapped_code(snap_compare, tmp_path, size):
    assert snap_compare(make(code_store(tmp_path)), press=["j"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_card_with_wrapped_snippet(snap_compare, tmp_path, size):
    store = code_store(tmp_path)

    async def open_card(pilot) -> None:
        pilot.app.action_open_card(deck_card_id(store))
        await settle(pilot)

    assert snap_compare(make(store), run_before=open_card, terminal_size=size)
