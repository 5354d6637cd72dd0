"""Search lands on the match (issue 17, item 7): a day or a card opened from the results
is scrolled to the first match, which is highlighted; the excerpts are plain text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import Markdown, OptionList, Static
from tui_helpers import make, options, settle, type_text, wait_until

from studylog.core.cards.card_editing import edit_card
from studylog.core.journal.day_editing import save_day_text
from studylog.core.storage.database import Store
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.screens.search_screen import SearchScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
FILLER = "\n\n".join(f"{n}번째 문단: 오늘은 optimizer 설정을 이것저것 바꿔 보며 loss 곡선을 봤다."
                     for n in range(1, 31))
DAY = f"""# **Cosine** 실험 정리

{FILLER}

마지막으로 **CosineAnnealingLR**을 붙였더니 warm restart 없이도 잘 수렴했다.

+ ##### 키워드: CosineAnnealingLR
"""


def landing_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "landing.sqlite3")
    save_day_text(store, date(2023, 11, 20), DAY)
    return store


def marked(widget: Static) -> list[str]:
    """The spans of a block drawn with the search highlight."""
    content = widget.content
    assert isinstance(content, Content)
    return [content.plain[s.start:s.end] for s in content.spans
            if "reverse" in str(s.style)]


async def search_and_open(pilot, query: str, index: int = 0) -> None:
    await pilot.press("slash")
    await type_text(pilot, query)
    await settle(pilot)
    await pilot.press("down")
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
async def test_a_day_from_search_opens_at_the_match_highlighted(tmp_path, size):
    store = landing_store(tmp_path)
    async with make(store).run_test(size=size) as pilot:
        await pilot.press("slash")
        await type_text(pilot, "annealing")
        await settle(pilot)
        results = pilot.app.screen.query_one(OptionList)
        # the excerpt is plain text: no ** around the word, the hit marked
        [day, card] = options(results)
        assert "**" not in day and "마지막으로 CosineAnnealing" in day
        await pilot.press("down", "enter")
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen) and journal.current_day == "2023-11-20"
        view = journal.query_one("#day-view")
        block = next(b for b in journal.query_one(Markdown).query(Static) if marked(b))
        await wait_until(pilot, lambda: view.scroll_y > 0)
        await pilot.pause()
        assert marked(block) == ["Annealing"]
        assert "마지막으로" in block.content.plain
        # the block is inside the visible part of the view
        assert view.content_region.contains_region(block.region)

        # another day picked in the list opens at its top, with no highlight
        await pilot.press("escape", "slash")
        assert isinstance(pilot.app.screen, SearchScreen)
    assert store.value("SELECT count(*) FROM entries") == 1


@pytest.mark.parametrize("size", SIZES)
async def test_a_card_from_search_opens_at_the_match_highlighted(tmp_path, size):
    store = landing_store(tmp_path)
    card_id = int(store.value("SELECT id FROM cards WHERE front = 'CosineAnnealingLR'"))
    edit_card(store, card_id, "CosineAnnealingLR", FILLER + "\n\n끝에서 `eta_min`까지 "
              "cosine 곡선으로 lr을 내린다.")
    async with make(store).run_test(size=size) as pilot:
        await search_and_open(pilot, "eta_min")
        screen = pilot.app.screen
        assert isinstance(screen, CardScreen) and screen.card_id == card_id
        view = screen.query_one("#card-back")
        await wait_until(pilot, lambda: view.scroll_y > 0)
        await pilot.pause()
        block = next(b for b in screen.query_one(Markdown).query(Static) if marked(b))
        assert marked(block) == ["eta_min"]
        assert view.content_region.contains_region(block.region)
    assert store.value("SELECT count(*) FROM cards WHERE id = ?", [card_id]) == 1


async def test_the_match_in_a_cards_front_is_highlighted_there(tmp_path):
    store = landing_store(tmp_path)
    async with make(store).run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, "cosineanneal", index=1)  # the card, after the day
        screen = pilot.app.screen
        assert isinstance(screen, CardScreen)
        title = screen.query_one("#card-title", Static)
        await wait_until(pilot, lambda: bool(marked(title)))
        assert marked(title) == ["CosineAnneal"]


async def test_browsing_the_journal_after_landing_shows_days_plain(tmp_path):
    store = landing_store(tmp_path)
    save_day_text(store, date(2023, 11, 21), "annealing을 다시 읽었다.\n")
    async with make(store).run_test(size=(80, 24)) as pilot:
        await search_and_open(pilot, "annealing", index=1)  # the older day, 11-20
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen) and journal.current_day == "2023-11-20"
        await wait_until(pilot, lambda: journal.query_one("#day-view").scroll_y > 0)
        await pilot.press("up")  # the newer day: shown from its top, nothing marked
        await settle(pilot)
        assert journal.current_day == "2023-11-21"
        assert journal.query_one("#day-view").scroll_y == 0
        assert not any(marked(b) for b in journal.query_one(Markdown).query(Static))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_search_lands_on_the_match(snap_compare, tmp_path, size):
    async def land(pilot) -> None:
        await search_and_open(pilot, "annealing")
        view = pilot.app.screen.query_one("#day-view")
        await wait_until(pilot, lambda: view.scroll_y > 0)
        # the landing centres again once the layout counts the scrollbar: wait until
        # the view stops moving, or the snapshot would catch the first of two positions
        settled_at = None
        while settled_at != view.scroll_y:
            settled_at = view.scroll_y
            await pilot.pause(0.05)

    assert snap_compare(make(landing_store(tmp_path)), run_before=land, terminal_size=size)
