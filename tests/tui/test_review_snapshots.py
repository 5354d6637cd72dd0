"""Layout snapshots of the review screen: the front, the revealed answer, and a snippet
running beside the card, at 80x24 and 120x40, with time frozen (the clock for due dates
and the elapsed-time display both)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tui_helpers import FIXTURE_LOG, make, wait_until

from studylog.core.cards.card_editing import edit_card, list_cards
from studylog.core.cards.deck_library import add_deck, trust_deck
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.widgets.snippet_panel import SnippetPanel

SIZES = [(80, 24), (120, 40)]

RUNNING_DECK = '''---
deck: Snapshot deck
---
## Strides of a transpose
What does the stride of a transposed 2x3 tensor look like?
```python snippet
import time
print("x.stride()     = (3, 1)", flush=True)
print("x.t().stride() = (1, 3)", flush=True)
print("x.t().is_contiguous() = False", flush=True)
time.sleep(30)
```
'''


def journal_app(tmp_path: Path):
    store = Store(tmp_path / "snap.sqlite3")
    import_logs(store, [FIXTURE_LOG], year=2023)
    return make(store, monotonic=lambda: 0.0)


def flagged_app(tmp_path: Path):
    """The first card, Contiguous, edited by hand and then orphaned (its keyword gone
    from the log): review's header shows both flags."""
    store = Store(tmp_path / "snap.sqlite3")
    log = tmp_path / "week2.md"
    log.write_text(FIXTURE_LOG.read_text(encoding="utf-8"), encoding="utf-8")
    import_logs(store, [log], year=2023)
    card = next(c for c in list_cards(store) if c.front == "Contiguous")
    edit_card(store, card.id, "Contiguous", "메모리에 **연속으로** 놓인 텐서: `is_contiguous()`")
    log.write_text(log.read_text(encoding="utf-8").replace("키워드: Contiguous, ", "키워드: "),
                   encoding="utf-8")
    import_logs(store, [log], year=2023)
    return make(store, monotonic=lambda: 0.0)


def running_app(tmp_path: Path):
    store = Store(tmp_path / "snap.sqlite3")
    deck = tmp_path / "snapshot-deck.md"
    deck.write_text(RUNNING_DECK, encoding="utf-8")
    add_deck(store, deck)
    trust_deck(store, "Snapshot deck")
    return make(store, runner_preload=(), warm_runner=True, monotonic=lambda: 0.0)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_front(snap_compare, tmp_path, size):
    assert snap_compare(journal_app(tmp_path), press=["r"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_revealed(snap_compare, tmp_path, size):
    assert snap_compare(journal_app(tmp_path), press=["r", "space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_header_with_flags(snap_compare, tmp_path, size):
    assert snap_compare(flagged_app(tmp_path), press=["r", "space"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_review_snippet_running(snap_compare, tmp_path, size):
    async def run_snippet(pilot) -> None:
        await pilot.press("r", "space", "r")
        panel = pilot.app.screen.query_one(SnippetPanel)
        await wait_until(pilot, lambda: len(panel.lines) >= 3 and panel.running)
        await asyncio.sleep(0.25)  # the elapsed-time ticker has run (frozen at 0.0 s)
        await pilot.pause()

    assert snap_compare(running_app(tmp_path), run_before=run_snippet, terminal_size=size)
