"""Keys in Korean (2-set, 두벌식) input mode: a jamo key works as its Latin key outside
text boxes and is text inside them (issue 17, item 5)."""

from __future__ import annotations

import re
from pathlib import Path

from textual.widgets import Input, TextArea
from tui_helpers import notifications, screen_text, settle, type_text

from studylog.tui.commands import key_label, screen_bindings
from studylog.tui.hangul_keys import LATIN_FOR_JAMO, TWO_SET_LAYOUT, jamo_for
from studylog.tui.screens.cards_screen import CardsScreen
from studylog.tui.screens.day_editor_screen import DayEditorScreen
from studylog.tui.screens.help_screen import HelpScreen
from studylog.tui.screens.review_screen import ReviewScreen
from studylog.tui.screens.today_screen import TodayScreen

SIZE = (100, 32)
REPO = Path(__file__).resolve().parents[2]


async def test_jamo_keys_start_review_grade_bury_suspend_and_undo(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ㄱ")  # r: review
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, ReviewScreen)
        graded = screen.card.id
        await pilot.press("space", "3")
        await pilot.pause()
        buried = screen.card.id
        await pilot.press("ㅠ")  # b: bury
        await pilot.pause()
        suspended = screen.card.id
        await pilot.press("ㄴ")  # s: suspend
        await pilot.pause()
        assert db("SELECT suspended FROM cards WHERE id = ?", suspended) == [(1,)]
        await pilot.press("ㅕ")  # u: undo the suspend
        await pilot.pause()
        assert screen.card.id == suspended
        assert any(n.startswith("Undid suspend") for n in notifications(pilot.app))
    assert db("SELECT suspended FROM cards WHERE id = ?", suspended) == [(0,)]
    assert db("SELECT buried_until IS NOT NULL FROM cards WHERE id = ?", buried) == [(1,)]
    assert db("SELECT card_id, rating FROM review_log") == [(graded, 3)]


async def test_jamo_typed_in_the_editor_is_text(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ㅈ")  # w: write today
        await settle(pilot)
        editor = pilot.app.screen
        assert isinstance(editor, DayEditorScreen)
        area = editor.query_one(TextArea)
        area.clear()
        await pilot.pause()
        # ㄱ (r), ㅓ (j), ㅊ (c): none of them leaves the editor or reviews
        await type_text(pilot, "오늘 ㄱㅓㅊ 키를 눌러 봄\n\n")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is editor
        assert area.text.startswith("오늘 ㄱㅓㅊ 키를 눌러 봄")
    assert db("SELECT body FROM entries WHERE date = '2023-11-15'")[0][0].startswith(
        "오늘 ㄱㅓㅊ 키를 눌러 봄")


async def test_jamo_in_the_cards_filter_is_text_and_outside_it_a_key(app, db):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ㅊ")  # c: Cards
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CardsScreen)
        await pilot.press("ㄹ")  # f: the filter box
        await pilot.pause()
        box = pilot.app.focused
        assert isinstance(box, Input)
        await pilot.press("ㄴ", "ㅅ")  # s and t outside a text box: here text
        await pilot.pause()
        assert box.value == "ㄴㅅ"
        assert pilot.app.screen is screen
        await pilot.press("escape", "ㅅ")  # t outside the box: Today
        await settle(pilot)
        assert isinstance(pilot.app.screen, TodayScreen)
    assert db("SELECT count(*) FROM cards WHERE suspended = 1") == [(0,)]


def test_the_table_is_one_to_one():
    """Each jamo stands for one key: the reverse table loses nothing."""
    assert len(LATIN_FOR_JAMO) == len(TWO_SET_LAYOUT) == 26 + 7
    assert all("ㄱ" <= jamo <= "ㅣ" for jamo in LATIN_FOR_JAMO)


def every_letter_key() -> set[str]:
    from studylog.tui.app import StudylogApp
    from studylog.tui.dialogs.card_edit_dialog import CardEditDialog
    from studylog.tui.dialogs.confirm_dialog import ConfirmDialog
    from studylog.tui.dialogs.import_dialog import ImportDialog
    from studylog.tui.screens.help_screen import help_sections

    classes = [StudylogApp, *(cls for _, cls in help_sections()), ImportDialog,
               CardEditDialog, ConfirmDialog, HelpScreen]
    return {key_label(b) for cls in classes for b in screen_bindings(cls)
            if len(key_label(b)) == 1 and key_label(b).isalpha()}


def test_docs_list_the_jamo_of_every_letter_key():
    text = (REPO / "docs" / "app.md").read_text(encoding="utf-8")
    note = text[text.index("**Korean input mode.**"):].split("\n\n")[0]
    documented = dict(re.findall(r"`(\S)` ([a-z])\b", note))
    keys = every_letter_key()
    assert {jamo: key for jamo, key in documented.items()} == {
        jamo_for(key): key for key in keys if jamo_for(key)}
    without = sorted(key for key in keys if not jamo_for(key))
    assert without == ["A", "S"]
    assert "`A` and\n`S` have no jamo of their own" in note


async def test_help_lists_the_jamo_keys(app):
    async with app().run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        help_box = pilot.app.screen.query_one("#help")
        help_box.scroll_end(animate=False)
        await pilot.pause()
        text = " ".join(screen_text(pilot.app).split())
        assert "Korean input mode (두벌식)" in text
        assert "ㄱ r" in text and "ㅈ w" in text
        await pilot.press("ㅂ")  # q closes help, as q does
        await pilot.pause()
        assert isinstance(pilot.app.screen, TodayScreen)
