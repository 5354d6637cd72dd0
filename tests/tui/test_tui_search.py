"""Search as you type: results from the database's full-text index, highlighted excerpts,
Enter opens the day (in the Journal) or the card."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Input, Markdown, OptionList, Static
from tui_helpers import options, rendered, settle, type_text

from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.screens.search_screen import SearchScreen

SIZE = (100, 32)


def highlighted_words(option_list: OptionList, index: int) -> list[str]:
    """The parts of a result's prompt drawn reversed (the matches)."""
    prompt = option_list.get_option_at_index(index).prompt
    return [prompt.plain[span.start:span.end] for span in prompt.spans
            if "reverse" in str(span.style)]


async def search_for(pilot, query: str) -> SearchScreen:
    await pilot.press("slash")
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    assert pilot.app.focused is screen.query_one(Input)
    await type_text(pilot, query)
    await settle(pilot)
    return screen


async def test_contiguous_finds_the_day_and_enter_opens_it_in_the_journal(app, db):
    stored = db("SELECT date FROM entries WHERE body LIKE '%contiguous%' ORDER BY date DESC")
    assert stored == [("2023-11-14",), ("2023-11-13",)]
    async with app().run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "contiguous")
        results = screen.query_one("#search-results", OptionList)
        listed = options(results)
        days = [line for line in listed if line.startswith("day ")]
        assert [line.split()[1] for line in days] == ["2023-11-14", "2023-11-13"]
        assert days[1].startswith("day  2023-11-13  Day 6 (11/13)\n")
        assert "첫 번째는 contiguous라는" in days[1]  # the excerpt, cut to the width
        index = listed.index(days[1])
        assert highlighted_words(results, index) and all(
            word.casefold() == "contiguous" for word in highlighted_words(results, index))
        cards = [line for line in listed if line.startswith("card")]
        assert any(line.startswith("card Contiguous\n") for line in cards)
        status = rendered(screen.query_one("#search-status", Static))
        assert status == f"2 day(s), {len(cards)} card(s)"
        card_hits = db("SELECT count(*) FROM cards WHERE front LIKE '%contiguous%' "
                       "OR back LIKE '%contiguous%'")[0][0]
        assert len(cards) == card_hits

        await pilot.press("enter")  # from the query to the results
        assert pilot.app.focused is results and results.highlighted == 0
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        assert journal.current_day == "2023-11-13"
        assert journal.query_one("#day-markdown", Markdown).source == db(
            "SELECT body FROM entries WHERE date = '2023-11-13'")[0][0]


async def test_a_two_character_korean_query_still_finds_the_days(app, db):
    # 개념 is shorter than a trigram: the search falls back to scanning the tables
    stored = db("SELECT date FROM entries WHERE body LIKE '%개념%' ORDER BY date DESC")
    assert stored == [("2023-11-14",), ("2023-11-13",)]
    async with app().run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "개념")
        results = screen.query_one("#search-results", OptionList)
        listed = options(results)
        days = [line.split()[1] for line in listed if line.startswith("day ")]
        assert days == [date for (date,) in stored]
        assert listed[1].startswith("day  2023-11-13  Day 6 (11/13)")
        for index in (0, 1):
            assert set(highlighted_words(results, index)) == {"개념"}
        assert rendered(screen.query_one("#search-status", Static)).startswith("2 day(s), ")


async def test_the_results_follow_the_query_as_it_is_typed_and_erased(app):
    async with app().run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "dataloader")
        results = screen.query_one("#search-results", OptionList)
        assert [line.split()[1] for line in options(results) if line.startswith("day")] == [
            "2023-11-14"]
        await pilot.press(*["backspace"] * len("dataloader"))
        await settle(pilot)
        assert results.option_count == 0
        assert rendered(screen.query_one("#search-status", Static)).startswith("Type to search")
        await type_text(pilot, "nosuchwordanywhere")
        await settle(pilot)
        assert results.option_count == 0
        assert rendered(screen.query_one("#search-status", Static)) == "0 day(s), 0 card(s)"


async def test_enter_on_a_card_result_opens_the_card(app, db):
    async with app().run_test(size=SIZE) as pilot:
        screen = await search_for(pilot, "Backward Method")
        listed = options(screen.query_one("#search-results", OptionList))
        index = next(i for i, line in enumerate(listed)
                     if line.startswith("card Backward Method\n"))
        await pilot.press("enter", *["down"] * index, "enter")
        await settle(pilot)
        card_screen = pilot.app.screen
        assert isinstance(card_screen, CardScreen)
        card_id = db("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                     "WHERE d.name = 'journal' AND c.front = 'Backward Method'")[0][0]
        assert card_screen.card_id == card_id
        assert rendered(card_screen.query_one("#card-title", Static)) == "Backward Method"


def test_a_match_far_into_a_korean_excerpt_stays_on_screen():
    from studylog.core.search import Hit
    from studylog.tui.screens.search_screen import hit_prompt

    excerpt = "…해 논의했는데, 위처럼 transpose 형태로 만들어야 메모리 접근이 contiguous하게 이뤄져서"
    start = excerpt.index("contiguous")
    for width in (40, 60, 100):
        prompt = hit_prompt(Hit("entry", "2023-11-14", "Day 7", excerpt,
                                [(start, start + 10)]), width)
        shown = [prompt.plain[s.start:s.end] for s in prompt.spans if "reverse" in str(s.style)]
        assert shown == ["contiguous"], width
        assert all(cell_len(line) <= width for line in prompt.plain.splitlines())
