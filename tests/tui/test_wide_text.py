"""Korean (wide) characters take two terminal columns: tables and lists that mix them
with Latin text must still line up on screen."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console

from studylog.core.cards.card_editing import edit_card


def screen_lines(app) -> list[str]:
    """The screen as text, the way a terminal would show it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True,
                      color_system=None, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text().splitlines()


def column_of(line: str, text: str) -> int:
    """The terminal column where ``text`` starts in ``line``."""
    return cell_len(line[:line.index(text)])


async def test_cards_table_columns_line_up_with_korean_fronts(app, journal_store):
    ids = [r["id"] for r in journal_store.query(
        "SELECT id FROM cards WHERE deck_id = (SELECT id FROM decks WHERE name = 'journal') "
        "ORDER BY id LIMIT 3")]
    fronts = ["텐서의 메모리 연속성", "Hook", "역전파 backward 메서드"]
    for card_id, front in zip(ids, fronts):
        edit_card(journal_store, card_id, front, "back")
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        lines = screen_lines(pilot.app)
    rows = [next(line for line in lines if front in line) for front in fronts]
    assert len({column_of(row, "journal") for row in rows}) == 1, "\n".join(rows)
    assert len({cell_len(row.rstrip()) for row in rows}) == 1, "\n".join(rows)


async def test_journal_list_keeps_korean_titles_inside_the_list(app, journal_store):
    with journal_store.write():
        journal_store.db.execute("UPDATE entries SET title = '텐서 메모리와 역전파를 정리한 "
                                 "아주 긴 제목의 하루' WHERE date = '2023-11-13'")
    async with app().run_test(size=(80, 24)) as pilot:
        await pilot.press("j")
        await pilot.pause()
        lines = screen_lines(pilot.app)
    row = next(line for line in lines if "11-13  텐서 메모리" in line)
    # the list's right border is where it is on a line with only Latin text
    latin = next(line for line in lines if "11-14  Day 7 (11/14)" in line)
    assert column_of(row, "││") == column_of(latin, "││"), f"{row}\n{latin}"
    # cut by terminal columns to one line with an ellipsis, its keywords right below
    index = lines.index(row)
    assert "…" in row and "Contiguous" in lines[index + 1], "\n".join(lines[index:index + 2])
