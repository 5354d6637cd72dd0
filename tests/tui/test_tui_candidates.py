"""The candidates inbox: Today counts them; a accepts, d rejects, e edits then accepts,
A accepts a whole day. Each step is checked on screen and in the database."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Input, Markdown, Static
from tui_helpers import rendered, settle, table_rows, type_text

from studylog.core.journal.importer import import_logs
from studylog.tui.dialogs.card_edit_dialog import CardEditDialog
from studylog.tui.screens.candidates_screen import CandidatesScreen
from studylog.tui.widgets.lazy_table import LazyTable

SIZE = (100, 32)
NOTES = """## 2023-11-09
- **Dropout**: 학습 중 뉴런을 무작위로 끈다
- **Weight Decay**
  - L2 penalty on the weights

## 2023-11-10
* **Bootstrapping** : 복원 추출로 표본을 만든다
* **Bagging** - bootstrap 표본마다 모델을 학습해 평균
"""


def _import_notes(store, tmp_path) -> None:
    log = tmp_path / "2023-notes.md"
    log.write_text(NOTES, encoding="utf-8")
    assert not import_logs(store, [log]).refused


async def test_inbox_accept_reject_edit_and_accept_a_day(app, journal_store, tmp_path, db):
    _import_notes(journal_store, tmp_path)
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "4 candidates waiting" in rendered(pilot.app.screen.query_one(
            "#today-candidates", Static))
        await pilot.press("p")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CandidatesScreen)
        table = screen.query_one(LazyTable)
        assert [r[1] for r in table_rows(table)] == ["Dropout", "Weight Decay",
                                                     "Bootstrapping", "Bagging"]
        assert "뉴런을 무작위로 끈다" in screen.query_one(Markdown)._markdown

        await pilot.press("a")  # Dropout becomes a card
        await settle(pilot)
        assert db("SELECT front, back FROM cards WHERE front = 'Dropout'") == [
            ("Dropout", "학습 중 뉴런을 무작위로 끈다")]
        assert [r[1] for r in table_rows(table)] == ["Weight Decay", "Bootstrapping", "Bagging"]

        await pilot.press("d")  # Weight Decay rejected for good
        await settle(pilot)
        assert db("SELECT status FROM candidates WHERE front = 'Weight Decay'") == [
            ("rejected",)]
        assert db("SELECT count(*) FROM cards WHERE front = 'Weight Decay'") == [(0,)]

        await pilot.press("e")  # edit Bootstrapping, then accept
        await settle(pilot)
        assert isinstance(pilot.app.screen, CardEditDialog)
        assert pilot.app.focused is pilot.app.screen.query_one("#edit-front", Input)
        await pilot.press("end")
        await type_text(pilot, " (bagging)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert db("SELECT front FROM cards WHERE front LIKE 'Bootstrapping%'") == [
            ("Bootstrapping (bagging)",)]
        assert [r[1] for r in table_rows(table)] == ["Bagging"]

        await pilot.press("A")  # the rest of 2023-11-10
        await settle(pilot)
        assert table.row_count == 0
        assert db("SELECT c.front, e.date FROM cards c JOIN card_sources s ON s.card_id = c.id "
                  "JOIN entries e ON e.id = s.entry_id WHERE c.front = 'Bagging'") == [
            ("Bagging", "2023-11-10")]
        assert "none waiting" in rendered(screen.query_one("#candidates-title", Static))

        await pilot.press("t")
        await settle(pilot)
        assert not pilot.app.screen.query_one("#today-candidates", Static).display


async def test_today_shows_no_candidate_panel_when_none_wait(app):
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not pilot.app.screen.query_one("#today-candidates", Static).display


async def test_help_lists_the_inbox_keys(app):
    from tui_helpers import screen_text

    from studylog.tui.screens.help_screen import HelpScreen

    async with app().run_test(size=(100, 60)) as pilot:
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        assert pilot.app.screen.current is CandidatesScreen
        text = screen_text(pilot.app)
        assert "d          Reject" in text and "A          Accept the day" in text


def _many_notes(days: int) -> str:
    """``days`` days of logs, each proposing two bold-term candidates (Korean, English)."""
    out = []
    for n in range(days):
        day = date(2019, 1, 1) + timedelta(days=n)
        out.append(f"## {day.isoformat()}\n- **용어{n:04d}**: {n}번째 날의 정의\n"
                   f"- **Term {n:04d}** - what day {n} taught\n")
    return "\n".join(out)


async def test_thousands_of_candidates_draw_only_the_rows_shown(app, journal_store, tmp_path,
                                                              db):
    log = tmp_path / "2019-notes.md"
    log.write_text(_many_notes(1500), encoding="utf-8")
    assert not import_logs(journal_store, [log]).refused
    waiting = db("SELECT count(*) FROM candidates WHERE status = 'pending'")[0][0]
    assert waiting >= 3000
    async with app().run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one(LazyTable)
        assert table.row_count == waiting
        assert f"{waiting} waiting" in rendered(screen.query_one("#candidates-title", Static))
        # a screenful of rows (and what one read fetches ahead), not three thousand
        assert 0 < table.rows_built <= 2 * SIZE[1]

        await pilot.press("end")  # the newest day's last candidate, its back beside it
        await settle(pilot)
        assert table.get_row_at(table.cursor_row)[1].plain == "Term 1499"
        assert "what day 1499 taught" in screen.query_one(Markdown)._markdown
        assert table.rows_built <= 4 * SIZE[1]

        await pilot.press("a")  # accepted: a card, and the cursor on the row above it
        await settle(pilot)
        assert db("SELECT back FROM cards WHERE front = 'Term 1499'") == [
            ("what day 1499 taught",)]
        assert table.row_count == waiting - 1
        assert table.get_row_at(table.cursor_row)[1].plain == "용어1499"
