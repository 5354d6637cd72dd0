"""Deeply nested lists and quotes never cut a file short: what markdown-it can follow is
read to the end, what it cannot is refused with the line, never dropped silently."""

from __future__ import annotations

from datetime import date

import pytest

from studylog.core.cards.deck_parser import DeckError, parse_deck
from studylog.core.journal.importer import import_logs
from studylog.core.journal.log_parser import LogError, parse_log
from studylog.core.text.markdown_blocks import MAX_LIST_DEPTH, MAX_NESTING


def nested_list(levels: int) -> str:
    return "".join("  " * i + f"- 단계 {i} level\n" for i in range(levels))


def deep_log(levels: int) -> str:
    return ("## 2023-11-13\n오늘은 재귀를 공부했다.\n\n" + nested_list(levels)
            + "\n키워드: Recursion, 재귀\n\n## 2023-11-14\n다음 날.\n\nKeywords: Stack\n")


@pytest.mark.parametrize("levels", [10, 12, 30, MAX_LIST_DEPTH])
def test_nested_lists_keep_the_keyword_line_and_later_days(levels):
    log = parse_log(deep_log(levels), "deep.md")
    assert [d.date for d in log.days] == [date(2023, 11, 13), date(2023, 11, 14)]
    assert log.days[0].keywords == ["Recursion", "재귀"]
    assert log.days[1].keywords == ["Stack"]
    assert f"단계 {levels - 1} level" in log.days[0].body


def test_too_deep_is_refused_with_its_line_and_nothing_half_imported(tmp_path, cli, store):
    logs = tmp_path / "logs"
    logs.mkdir()
    quotes = "## 2023-11-13\nok\n\n" + "> " * (MAX_NESTING + 30) + "깊은 인용\n\n## 2023-11-14\nlost?\n"
    (logs / "quotes.md").write_text(quotes, encoding="utf-8")
    (logs / "lists.md").write_text(deep_log(MAX_LIST_DEPTH + 10), encoding="utf-8")
    (logs / "fine.md").write_text(deep_log(12).replace("2023-11-1", "2023-12-1"),
                                  encoding="utf-8")
    result = cli("import", str(logs))
    assert result.exit_code == 1
    assert "quotes.md: refused: line 4: lists or quotes nested too deep" in result.output
    # the list starts on line 4 with level 1: level MAX_LIST_DEPTH + 1 is the first too deep
    assert f"lists.md: refused: line {4 + MAX_LIST_DEPTH}:" in result.output
    assert [e.date for e in store.entries.all()] == ["2023-12-13", "2023-12-14"]
    with pytest.raises(LogError, match="line 4"):
        parse_log(quotes, "quotes.md")


def test_a_deck_nested_too_deep_is_a_deck_error():
    deck = "## Card\n" + nested_list(MAX_NESTING)
    with pytest.raises(DeckError, match="nested too deep"):
        parse_deck(deck)


def test_import_of_deep_nesting_reports_every_day(tmp_path, store):
    path = tmp_path / "deep.md"
    path.write_text(deep_log(15), encoding="utf-8")
    report = import_logs(store, [path])
    assert report.files[0].days_new == 2
    assert {c.front for c in store.cards.listing("journal")} == {"Recursion", "재귀", "Stack"}
