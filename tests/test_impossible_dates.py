"""A day with an impossible date is refused alone: its line and reason are reported, the
file's other days and every other file import, the cards are built, exit status 1."""

from __future__ import annotations

import json
from datetime import date

from studylog.core.journal.importer import import_logs
from studylog.core.journal.log_parser import parse_log

LEAP_LOG = """# 2월 기록

## Day 4 (2/28)
오늘은 tensor의 stride를 배웠다.

키워드: Stride

## Day 5 (2/29)
윤일이 아닌 해에는 없는 날이다. autograd 복습.

키워드: Autograd

## Day 6 (3/1)
DataLoader의 num_workers를 정리했다.

키워드: DataLoader
"""

GOOD_LOG = "## 2023-11-13\nHook은 forward 뒤에 불린다.\n\nKeywords: Hook\n"


def test_parser_refuses_feb_29_of_a_common_year_and_keeps_the_others():
    log = parse_log(LEAP_LOG, "feb.md", year=2023)
    assert [d.date for d in log.days] == [date(2023, 2, 28), date(2023, 3, 1)]
    [refused] = log.refused
    assert refused.line == 8 and refused.title == "Day 5 (2/29)"
    assert "2023" in refused.reason and "leap year" in refused.reason
    assert "line 8" in refused.message()


def test_impossible_month_day_is_refused_not_merged_into_the_previous_day():
    log = parse_log("## 2023-02-27\nfirst\n\n## 2023-02-30\nsecond\n", "x.md")
    assert [d.date for d in log.days] == [date(2023, 2, 27)]
    assert "second" not in log.days[0].body
    assert log.refused[0].line == 4 and "no such date" in log.refused[0].reason


def test_year_rollover_past_9999_is_refused():
    text = "## 12/30\nalmost\n\n## 12/31\nlast\n\n## 1/1\nbeyond\n"
    log = parse_log(text, "9999-12-30.md")
    assert [d.date for d in log.days] == [date(9999, 12, 30), date(9999, 12, 31)]
    assert log.refused[0].line == 7 and "9999" in log.refused[0].reason


def test_folder_with_bad_dates_imports_everything_else(tmp_path, cli, store):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2023-feb.md").write_text(LEAP_LOG, encoding="utf-8")
    (logs / "b-front.md").write_text("---\ndate: 2023-02-30\ntitle: 잘못된 날\n---\n"
                                     "내용\n\n키워드: Broken\n", encoding="utf-8")
    (logs / "c-rollover.md").write_text("---\ndate: 9999-12-31\n---\n## 12/31\nok\n\n"
                                        "## 1/1\nbeyond\n\nKeywords: Beyond\n", encoding="utf-8")
    (logs / "d-good.md").write_text(GOOD_LOG, encoding="utf-8")
    result = cli("import", str(logs))
    assert result.exit_code == 1
    assert "line 8" in result.output and "Day 5 (2/29)" in result.output
    assert "b-front.md: refused" in result.output and "2023-02-30" in result.output
    assert "beyond 9999" in result.output or "past the year 9999" in result.output
    dates = [e.date for e in store.entries.all()]
    assert dates == ["2023-02-28", "2023-03-01", "2023-11-13", "9999-12-31"]
    fronts = {c.front for c in store.cards.listing("journal")}
    assert fronts == {"Stride", "DataLoader", "Hook"}  # cards were built
    # The next import says it again (nothing is hidden as "unchanged") and still exits 1.
    again = cli("import", str(logs), "--json")
    assert again.exit_code == 1
    report = json.loads(again.stdout)
    feb = next(f for f in report["files"] if f["path"].endswith("2023-feb.md"))
    assert feb["refused_days"] and "line 8" in feb["refused_days"][0]


def test_a_day_imported_earlier_keeps_its_version_when_its_date_turns_impossible(tmp_path,
                                                                                store):
    log = tmp_path / "feb.md"
    log.write_text(LEAP_LOG, encoding="utf-8")
    first = import_logs(store, [log], year=2024)  # a leap year: all three days exist
    assert first.files[0].days_new == 3
    assert import_logs(store, [log], year=2023).files[0].refused_days
    # 2023 re-dates the file: the 2024 days move, but the day whose heading has no
    # 2023 date keeps its previous (2024) version instead of being deleted.
    assert store.entries.get("2024-02-29").body.startswith("윤일이 아닌")
    assert store.entries.get("2024-02-28") is None and store.entries.get("2023-02-28") is not None
    autograd = next(c for c in store.cards.listing("journal") if c.front == "Autograd")
    assert autograd.source_dates == ["2024-02-29"] and not autograd.orphaned
