"""The Journal list shows the year (grouped by year, then week) and days written in the
app are titled by their own first line, not by their date twice (issue 17, item 8)."""

from __future__ import annotations

from datetime import date

from tui_helpers import make, options, settle, type_text

from studylog.core.journal.day_editing import save_day_text
from studylog.core.journal.day_title import day_title
from studylog.core.journal.importer import import_logs
from studylog.tui.screens.journal_screen import JournalScreen
from studylog.tui.widgets.day_list import DayList

OLD_YEAR_LOG = """# Week 51 (12/18 ~ 12/22)

## 12/19 Day 3
Tensor 연습을 처음 했다.

+ ##### 키워드: Tensor

## 12/20 Day 4
Broadcasting rules, written in English this time.

+ ##### Keywords: Broadcasting
"""


async def test_the_list_groups_days_by_year_then_week(journal_store, tmp_path):
    log = tmp_path / "2022-week51.md"
    log.write_text(OLD_YEAR_LOG, encoding="utf-8")
    assert not import_logs(journal_store, [log], year=2022).refused
    async with make(journal_store).run_test(size=(100, 32)) as pilot:
        await pilot.press("j")
        await settle(pilot)
        journal = pilot.app.screen
        assert isinstance(journal, JournalScreen)
        listed = [line.split("\n")[0] for line in options(journal.query_one(DayList))]
        assert listed == ["2023", "Week 2 (11/13 ~ 11/17)", "11-14  Day 7 (11/14)",
                          "11-13  Day 6 (11/13)",
                          "2022", "Week 51 (12/18 ~ 12/22)", "12-20  12/20 Day 4",
                          "12-19  12/19 Day 3"]
        # the headings are not days: down from the last 2023 day skips to 2022's first
        await pilot.press("down", "down")
        assert journal.current_day == "2022-12-20"
        assert journal.query_one("#day-view").border_title == "2022-12-20 · 12/20 Day 4"
    assert journal_store.value("SELECT count(*) FROM entries") == 4


async def test_a_day_written_in_the_app_is_titled_by_its_first_line(empty_store):
    async with make(empty_store).run_test(size=(100, 32)) as pilot:
        await pilot.press("w")
        await type_text(pilot, "# Autograd 복습\n\n그래프를 다시 그려 봤다.")
        await pilot.press("ctrl+s", "escape")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        journal = pilot.app.screen
        listed = options(journal.query_one(DayList))
        # no journal week holds it: its calendar week (Today's study week 46)
        assert listed[:3] == ["2023", "Week 46 (11/13 ~ 11/19)", "11-15  Autograd 복습"]
        assert journal.query_one("#day-view").border_title == "2023-11-15 · Autograd 복습"
    assert empty_store.value("SELECT title FROM entries WHERE date = '2023-11-15'") == \
        "Autograd 복습"


def test_a_re_saved_app_day_takes_its_new_first_line_and_imported_days_keep_theirs(
        journal_store):
    save_day_text(journal_store, date(2023, 11, 15), "Loss curve notes\n\n+ 키워드: Loss\n")
    save_day_text(journal_store, date(2023, 11, 15), "**Loss** 곡선 정리\n\n+ 키워드: Loss\n")
    save_day_text(journal_store, date(2023, 11, 14), "고쳐 쓴 첫 줄\n\n+ 키워드: Dataset\n")
    titles = {r["date"]: r["title"]
              for r in journal_store.query("SELECT date, title FROM entries")}
    assert titles["2023-11-15"] == "Loss 곡선 정리"
    assert titles["2023-11-14"] == "Day 7 (11/14)"  # imported: its heading's title stays


def test_day_title_skips_markup_and_the_keyword_line():
    assert day_title("## **Hook** 정리\n\n본문") == "Hook 정리"
    assert day_title("+ ##### 키워드: Hook\n") is None
    assert day_title("Keywords: A, B\n\nFirst real line.") == "First real line."
    assert day_title("```python\nx = 1\n```\n\n코드 다음 줄") == "코드 다음 줄"
    long = day_title("word " * 30)
    assert long is not None and long.endswith("…") and len(long) <= 61


async def test_days_written_in_the_app_are_grouped_by_week_too(empty_store):
    """Found in tmux: a journal written only in the app listed every day under one
    'Other days' heading; each now goes under its calendar week (Monday to Sunday,
    numbered as Today's study week), a year heading above."""
    for day, text in [(date(2024, 1, 2), "새해 첫 복습\n\n+ 키워드: Tensor\n"),
                      (date(2023, 12, 31), "Year-end review of autograd.\n"),
                      (date(2023, 12, 27), "# Hook 정리\n\n+ 키워드: Hook\n"),
                      (date(2023, 12, 25), "크리스마스에도 공부.\n")]:
        save_day_text(empty_store, day, text)
    async with make(empty_store).run_test(size=(100, 32)) as pilot:
        await pilot.press("j")
        await settle(pilot)
        listed = [line.split("\n")[0] for line in options(pilot.app.screen.query_one(DayList))]
        assert listed == ["2024", "Week 1 (01/01 ~ 01/07)", "01-02  새해 첫 복습",
                          "2023", "Week 52 (12/25 ~ 12/31)",
                          "12-31  Year-end review of autograd.", "12-27  Hook 정리",
                          "12-25  크리스마스에도 공부."]
    assert empty_store.value("SELECT count(*) FROM entries WHERE week IS NULL") == 4


def test_a_day_without_a_week_joins_the_journal_week_holding_it_or_its_calendar_week(
        journal_store, tmp_path):
    from studylog.core.journal.entries import list_days

    log = tmp_path / "2022-week51.md"
    log.write_text(OLD_YEAR_LOG, encoding="utf-8")
    assert not import_logs(journal_store, [log], year=2022).refused
    save_day_text(journal_store, date(2023, 11, 18), "토요일 복습\n")  # Week 2's Saturday
    save_day_text(journal_store, date(2023, 11, 20), "Monday after\n")
    save_day_text(journal_store, date(2022, 12, 21), "수요일\n")  # inside Week 51's days
    weeks = {d.date: d.week for d in list_days(journal_store)}
    assert weeks["2023-11-18"] == weeks["2023-11-14"] == "Week 2 (11/13 ~ 11/17)"
    assert weeks["2023-11-20"] == "Week 47 (11/20 ~ 11/26)"
    assert weeks["2022-12-21"] == "Week 51 (12/18 ~ 12/22)"
