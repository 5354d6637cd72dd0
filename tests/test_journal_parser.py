"""The log parser: markdown-it tokens -> weeks, days, keywords, passages."""

from __future__ import annotations

from datetime import date

import pytest

from studylog.core.journal.log_parser import LogError, keywords_in, parse_log

TODAY = date(2026, 11, 27)


def test_fixture_parses_to_two_days(fixture_log):
    log = parse_log(fixture_log.read_text(encoding="utf-8"), fixture_log.name, year=2023)
    assert [d.date for d in log.days] == [date(2023, 11, 13), date(2023, 11, 14)]
    assert [d.keywords for d in log.days] == [
        ["Contiguous", "Backward Method", "Hook"],
        ["Dataset", "DataLoader", "Document", "Source Code"],
    ]
    assert [d.title for d in log.days] == ["Day 6 (11/13)", "Day 7 (11/14)"]
    week = log.weeks[0]
    assert (week.title, week.start, week.end) == ("Week 2 (11/13 ~ 11/17)", date(2023, 11, 13),
                                                  date(2023, 11, 17))
    assert log.days[0].week == week.title
    # The week heading and its summary are not part of any day.
    assert "주간 요약" not in log.days[0].body
    assert log.days[0].body.startswith("이번주는 PyTorch")
    assert log.days[0].body.rstrip().endswith("Hook")
    assert "Day 7" not in log.days[0].body


@pytest.mark.parametrize("heading,expected", [
    ("Day 6 (11/13)", date(2023, 11, 13)),
    ("2023-11-13", date(2023, 11, 13)),
    ("2023.11.13", date(2023, 11, 13)),
    ("23.11.13", date(2023, 11, 13)),
    ("11월 13일", date(2023, 11, 13)),
    ("11/13", date(2023, 11, 13)),
    ("2023년 11월 13일 (월)", date(2023, 11, 13)),
])
@pytest.mark.parametrize("style", ["atx", "setext"])
def test_day_heading_formats(heading, expected, style):
    head = f"## {heading}" if style == "atx" else f"{heading}\n---"
    text = f"{head}\n오늘 tensor를 배웠다.\n\n키워드: Tensor\n"
    log = parse_log(text, "log.md", year=2023, today=TODAY)
    assert [d.date for d in log.days] == [expected]
    assert log.days[0].keywords == ["Tensor"]


@pytest.mark.parametrize("line", [
    "키워드: A, B", "키워드 : A, B", "Keywords: A, B", "Keyword: A, B", "keywords: A、B",
    "**키워드**: A, B", "+ ##### 키워드: A, B", "- 키워드: A, B", "> 키워드: A, B",
    "### Keywords: A, B", "**Keywords:** A, B",
])
def test_keyword_line_variants(line):
    log = parse_log(f"## 2023-01-02\nabout a and b.\n\n{line}\n", "x.md", today=TODAY)
    assert log.days[0].keywords == ["A", "B"]


def test_keywords_in_splits_and_dedupes():
    assert keywords_in("키워드: DataLoader, dataloader, Data Loader、Hook") == \
        ["DataLoader", "Hook"]
    assert keywords_in("no keywords here") is None


def test_hash_line_in_fence_is_not_a_heading():
    text = "## 2023-01-02\nCode:\n```python\n# 2023-01-03 not a day\nx = 1\n```\n"
    log = parse_log(text, "x.md", today=TODAY)
    assert len(log.days) == 1
    assert "# 2023-01-03 not a day" in log.days[0].body


def test_fence_right_after_paragraph_joins_the_passage():
    text = ("## 2023-01-02\ncontiguous는 이렇게 확인한다.\n```python\nx.is_contiguous()\n```\n"
            "\n다른 이야기.\n\n키워드: Contiguous\n")
    day = parse_log(text, "x.md", today=TODAY).days[0]
    [passage] = day.passages["Contiguous"]
    assert "x.is_contiguous()" in passage.text and "다른 이야기" not in passage.text


def test_week_heading_with_range_is_not_a_day():
    text = "# Week 3 (11/20 ~ 11/24)\n\n## 11/20\nhello\n"
    log = parse_log(text, "x.md", year=2023, today=TODAY)
    assert [d.date for d in log.days] == [date(2023, 11, 20)]
    assert log.weeks[0].end == date(2023, 11, 24)


def test_weekly_summary_is_kept_on_the_week():
    text = "Week 1 (1/2 ~ 1/6)\n===\n> ##### 주간 요약\n> 많이 배웠다.\n\nDay 1 (1/2)\n---\nx\n"
    log = parse_log(text, "x.md", year=2024, today=TODAY)
    assert log.weeks[0].summary == "많이 배웠다."
    assert "많이 배웠다" not in log.days[0].body


def test_front_matter_with_blank_line_gives_date_title_tags():
    text = "---\ntitle: My day\n\ndate: 2022-03-04\ntags: [torch, notes]\n---\nI learned hooks.\n"
    log = parse_log(text, "notes.md", today=TODAY)
    [day] = log.days
    assert (day.date, day.title, day.tags) == (date(2022, 3, 4), "My day", ["torch", "notes"])
    assert not day.body.startswith("---")


@pytest.mark.parametrize("name,expected", [
    ("0802-Day1.md", date(2022, 8, 2)),  # MMDD: year inferred (not in the future)
    ("220118_Diary.md", date(2022, 1, 18)),  # YYMMDD
    ("2021-05-06.md", date(2021, 5, 6)),
])
def test_date_only_in_file_name(name, expected):
    log = parse_log("Learned about tensors today.\n", name, today=date(2022, 12, 1))
    assert [d.date for d in log.days] == [expected]


def test_year_precedence_flag_then_front_matter_then_file_name():
    body = "## 11/13\nx\n"
    fm = "---\ndate: 2021-01-01\n---\n" + body
    assert parse_log(fm, "2020-log.md", year=2019, today=TODAY).days[0].date.year == 2019
    assert parse_log(fm, "2020-log.md", today=TODAY).days[0].date.year == 2021
    assert parse_log(body, "2020-log.md", today=TODAY).days[0].date.year == 2020


def test_inferred_year_is_reported():
    log = parse_log("## 12/25\nx\n", "log.md", today=date(2026, 11, 27))
    assert log.days[0].date == date(2025, 12, 25)  # the most recent 12/25 not in the future
    assert any("assumed year 2025" in n for n in log.notes)


def test_log_crossing_new_year_rolls_the_year():
    log = parse_log("## 12/31\na\n\n## 1/1\nb\n", "x.md", year=2023, today=TODAY)
    assert [d.date for d in log.days] == [date(2023, 12, 31), date(2024, 1, 1)]


@pytest.mark.parametrize(("text", "expected"), [
    ("## 2023년 11월 13일 (월)\n텐서를 배웠다\n\n## 11월 14일\nstride\n",
     [date(2023, 11, 13), date(2023, 11, 14)]),
    ("## 2023-12-30\nlast notes\n\n## 1/2\nnew year\n", [date(2023, 12, 30), date(2024, 1, 2)]),
    ("## 12/30\n복습\n\n## 2024-01-02\nx\n\n## 1/3\ny\n",
     [date(2025, 12, 30), date(2024, 1, 2), date(2024, 1, 3)]),
])
def test_a_date_without_a_year_follows_the_full_date_above_it(text, expected):
    # Found in the issue 13 audit: the year was assumed from today as if no heading had
    # one, so 11/14 after 2023-11-13 landed in 2026 (and 1/2 after 2023-12-30 in 2027).
    log = parse_log(text, "log.md", today=TODAY)
    assert [d.date for d in log.days] == expected
    assert (not any("assumed year" in n for n in log.notes)) == text.startswith("## 2023")


def test_a_rollover_from_a_full_date_in_december_9999_is_refused():
    log = parse_log("## 9999-12-31\nlast\n\n## 1/1\nafter\n", "log.md", today=TODAY)
    assert [d.date for d in log.days] == [date(9999, 12, 31)]
    assert [r.line for r in log.refused] == [4]


def test_a_long_plain_day_keeps_its_keywords_passages_and_candidates():
    # Plain paragraphs and headings let go of their tokens as they are read (memory of
    # one long day); what reads past a block still sees the block after it: a label
    # paragraph then its keywords, a candidate list then its code.
    filler = "".join(f"### 메모 {i}\nline {i} about tensors\n\n" for i in range(300))
    text = ("## 2023-11-13\n" + filler + "Stride는 오늘 배운 것.\n\n"
            "- **Contiguous**: 메모리에 연속\n\n```python\nx.is_contiguous()\n```\n\n"
            + filler + "키워드\n\nStride, View\n")
    day = parse_log(text, "log.md", today=TODAY).days[0]
    assert day.keywords == ["Stride", "View"]
    assert [p.text for p in day.passages["Stride"]] == ["Stride는 오늘 배운 것."]
    [candidate] = day.candidates
    assert candidate.front == "Contiguous" and "x.is_contiguous()" in candidate.source


def test_no_date_anywhere_is_refused():
    with pytest.raises(LogError, match="no date found"):
        parse_log("just some notes\n", "notes.md", today=TODAY)


def test_malformed_markdown_still_parses():
    text = "## 2023-01-02\n**unclosed *emphasis\n```\nunclosed fence\n# not heading\n"
    log = parse_log(text, "x.md", today=TODAY)
    assert len(log.days) == 1


def test_week_across_new_year_does_not_shift_its_days():
    text = "# Week 1 (12/28 ~ 1/3)\n\n## 12/28\na\n\n## 1/2\nb\n"
    log = parse_log(text, "x.md", year=2015, today=TODAY)
    assert (log.weeks[0].start, log.weeks[0].end) == (date(2015, 12, 28), date(2016, 1, 3))
    assert [d.date for d in log.days] == [date(2015, 12, 28), date(2016, 1, 2)]


def test_two_keyword_lines_in_a_day_merge_by_keyword_identity():
    text = "## 2023-01-02\nDataLoader 공부.\n\n키워드: DataLoader\n\nKeywords: data loader, Hook\n"
    assert parse_log(text, "x.md", today=TODAY).days[0].keywords == ["DataLoader", "Hook"]
