"""The snippet panel's parts (its code box and output log) are made only for a card that
has a snippet, or when one is written: review and a card without code open without
them, and the right card's code still shows after real key presses."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea
from tui_helpers import make, settle, type_text

from studylog.core.cards.card_editing import card_detail
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
from studylog.tui.screens.card_screen import CardScreen
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.widgets.snippet_panel import SnippetPanel

# written before the fixture week, so review shows it first; no code block: no snippet
PLAIN_DAY = """\
## 2023-11-10 (금)
Label smoothing 은 정답 클래스의 확률 1을 조금 덜어 나머지 클래스에 나눠 준다.
No code today, only the idea.

키워드: Label smoothing
"""


def add_plain_card(store: Store, tmp_path: Path) -> int:
    log = tmp_path / "plain.md"
    log.write_text(PLAIN_DAY, encoding="utf-8")
    assert not import_logs(store, [log]).refused
    card: int = store.value("SELECT id FROM cards WHERE front = 'Label smoothing'")
    assert card_detail(store, card).snippets == []
    return card


async def test_review_makes_the_panel_only_for_a_card_with_a_snippet(journal_store,
                                                                      tmp_path):
    plain = add_plain_card(journal_store, tmp_path)
    coded = journal_store.value("SELECT id FROM cards WHERE front = 'Contiguous'")
    code = card_detail(journal_store, coded).snippets[0].code
    with journal_store.write():  # those two alone are due, the plain one first
        journal_store.db.execute("UPDATE cards SET suspended = 1 WHERE id NOT IN (?, ?)",
                                 [plain, coded])
    async with make(journal_store).run_test(size=(120, 40)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen) and screen.card.id == plain
        panel = screen.query_one(SnippetPanel)
        assert not panel.built and not screen.query(TextArea)

        await pilot.press("space", "4")
        await pilot.pause()
        assert screen.card.id == coded and panel.built
        area = screen.query_one("#snippet-code", TextArea)
        assert area.text == code != "" and not panel.display
        await pilot.press("m")  # the snippet, maximised: shown, highlighted
        await pilot.pause()
        assert panel.display and area.language == "python" and panel.code == code
    assert journal_store.query("SELECT rating FROM review_log WHERE card_id = ?",
                               [plain]) == [{"rating": 4}]


async def test_a_card_without_code_makes_the_panel_when_a_snippet_is_written(
        journal_store, tmp_path):
    plain = add_plain_card(journal_store, tmp_path)
    async with make(journal_store).run_test(size=(160, 40)) as pilot:
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("f")
        await type_text(pilot, "label smooth\n")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CardScreen) and screen.card_id == plain
        panel = screen.query_one(SnippetPanel)
        assert not panel.built and not panel.display and not screen.query(TextArea)

        await pilot.press("w")
        await pilot.pause()
        assert panel.built and panel.display and pilot.app.focused.id == "snippet-code"
        await pilot.press(*'print("평활", 0.1 / 9)', "ctrl+s")
        await pilot.pause()
        assert panel.code == 'print("평활", 0.1 / 9)' == panel.saved_code
    assert journal_store.value("SELECT code FROM card_code WHERE card_id = ?",
                               [plain]) == 'print("평활", 0.1 / 9)'
