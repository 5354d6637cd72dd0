"""``--first-day``: dates for "Day N" logs written without any date (issue 14)."""

from __future__ import annotations

import json
import re
from datetime import date

from studylog.core.journal.dates import nth_study_day


def _bootcamp_folder(tmp_path, count: int = 10):
    folder = tmp_path / "bootcamp"
    folder.mkdir()
    for n in range(1, count + 1):
        # Korean and English days, most with a keyword line, none with a date
        body = (f"# Day {n}\n\n오늘은 {n}일차. tensor 연습.\n\n키워드: Tensor{n}\n" if n % 2
                else f"Day {n} notes\n\nWe looked at autograd.\n\n- Keywords: Autograd{n}\n")
        (folder / f"Day{n}.md").write_text(body, encoding="utf-8")
    return folder


def _dates_by_day(store) -> dict[int, str]:
    """Day number -> date; odd days are titled by their '# Day N' heading, even days by
    their file name (no heading)."""
    return {int(re.search(r"\d+", e.title).group()): e.date for e in store.entries.all()}


def test_day_six_lands_on_the_monday_after_day_five(tmp_path, cli, store):
    folder = _bootcamp_folder(tmp_path)
    result = cli("import", str(folder), "--first-day", "2023-11-06")  # a Monday
    assert result.exit_code == 0, result.output
    dates = _dates_by_day(store)
    assert dates[5] == "2023-11-10"  # Friday
    assert dates[6] == "2023-11-13"  # the Monday after
    assert dates[10] == "2023-11-17"
    assert len(dates) == 10
    # the import says which dates it assigned
    assert "Day 6 = 2023-11-13 (Mon)" in result.output
    assert "weekdays counted" in result.output
    # and importing again without the option keeps those dates and changes nothing
    again = cli("import", str(folder))
    assert "nothing changed" in again.output
    assert _dates_by_day(store) == dates


def test_count_weekends_counts_every_day(tmp_path, cli, store):
    folder = _bootcamp_folder(tmp_path, 7)
    result = cli("import", str(folder), "--first-day", "2023-11-06", "--count-weekends",
                 "--json")
    report = json.loads(result.output)
    assert any("every day counted" in n for f in report["files"] for n in f["notes"])
    dates = _dates_by_day(store)
    assert dates[6] == "2023-11-11" and dates[7] == "2023-11-12"


def test_day_headings_in_one_file_and_days_that_carry_a_date(tmp_path, cli, store):
    log = tmp_path / "week1.md"
    log.write_text("## Day 1\nfirst\n\n## Day 2 (11/20)\ndated by hand\n\n## Day 6 - Tensor\n"
                   "sixth\n\n## 7일차\n일곱째 날\n", encoding="utf-8")
    result = cli("import", str(log), "--first-day", "2023-11-06")
    assert result.exit_code == 0, result.output
    assert [(e.title, e.date) for e in store.entries.all()] == [
        ("Day 1", "2023-11-06"), ("Day 6 - Tensor", "2023-11-13"),
        ("7일차", "2023-11-14"), ("Day 2 (11/20)", "2023-11-20")]
    # Day 2 carries its own date (its year taken from Day 1): it keeps it
    assert "Day 2 =" not in result.output


def test_without_first_day_the_refusal_says_how(tmp_path, cli):
    folder = _bootcamp_folder(tmp_path, 2)
    result = cli("import", str(folder))
    assert result.exit_code == 1
    assert "--first-day" in result.output


def test_count_weekends_needs_first_day(tmp_path, cli):
    folder = _bootcamp_folder(tmp_path, 1)
    result = cli("import", str(folder), "--count-weekends")
    assert result.exit_code == 1 and "needs --first-day" in result.output


def test_nth_study_day_from_a_weekend_day_one():
    saturday = date(2023, 11, 4)
    assert [nth_study_day(saturday, n) for n in (1, 2, 6, 7)] == [
        saturday, date(2023, 11, 6), date(2023, 11, 10), date(2023, 11, 13)]


def test_an_edited_day_file_keeps_its_dates_without_the_option(tmp_path, cli, store):
    # Found by hand: a Day N folder imported with --first-day, then one file edited and
    # the folder imported again as usual (no option): every changed file was refused
    # ("no date found ... pass --first-day"), though the README says later imports keep
    # the dates.
    folder = _bootcamp_folder(tmp_path, 6)
    assert cli("import", str(folder), "--first-day", "2023-11-06").exit_code == 0
    dates = _dates_by_day(store)
    day6 = folder / "Day6.md"
    day6.write_text(day6.read_text(encoding="utf-8") + "\nMore autograd practice.\n",
                    encoding="utf-8")
    result = cli("import", str(folder))
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output and "refused" not in result.output
    assert _dates_by_day(store) == dates
    assert "More autograd practice." in store.entries.get("2023-11-13").body


def test_an_edited_file_keeps_the_year_it_was_imported_with(tmp_path, cli, store):
    # The same with --year: an edited file re-imported without it moved its days to a
    # guessed year (2023-11-13 deleted, the current year's 11/13 made).
    log = tmp_path / "log.md"
    log.write_text("## 11/13\nhook을 배웠다.\n\n키워드: Hook\n", encoding="utf-8")
    assert cli("import", str(log), "--year", "2022").exit_code == 0
    log.write_text(log.read_text(encoding="utf-8") + "\n더 배웠다.\n", encoding="utf-8")
    result = cli("import", str(log))
    assert result.exit_code == 0 and "assumed year" not in result.output
    assert [(e.date, "더 배웠다." in e.body) for e in store.entries.all()] == [
        ("2022-11-13", True)]
    # an explicit option still re-dates it
    assert cli("import", str(log), "--year", "2021").exit_code == 0
    assert [e.date for e in store.entries.all()] == ["2021-11-13"]
