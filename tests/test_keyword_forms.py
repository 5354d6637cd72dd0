"""Every keyword form people write (issue 14): lines with other separators and markup,
notes in parentheses, keyword blocks. Each log below is written in the style of a real
learning log; the cards must be exactly the keywords, never a separator, note or label."""

from __future__ import annotations

from datetime import date

import pytest

from studylog.core.journal import log_parser
from studylog.core.journal.importer import import_logs
from studylog.core.journal.keyword_forms import DayKeywords
from studylog.core.text.keywords import Keyword

TODAY = date(2026, 11, 27)


def _import(store, tmp_path, body: str, name: str = "2023-11-13.md") -> list[str]:
    """Import one day written as ``body``; returns the day's keywords, and checks that the
    journal deck holds exactly one card per keyword and nothing else."""
    log = tmp_path / name
    log.write_text(body, encoding="utf-8")
    report = import_logs(store, [log], today=TODAY)
    assert not report.refused, report.files[0].message
    [entry] = store.entries.all()
    fronts = sorted(c.front for c in store.cards.listing("journal"))
    assert fronts == sorted(entry.keywords)
    return entry.keywords


def test_spaced_slash_separates_but_io_stays_whole(store, tmp_path):
    body = ("## Day 3 (11/13)\n오늘은 역전파를 손으로 계산해봤다. 기울기 소실이 왜 생기는지도.\n\n"
            "키워드 : 역전파 / 기울기 소실 / Chain Rule / I/O, TCP/IP\n")
    assert _import(store, tmp_path, body) == ["역전파", "기울기 소실", "Chain Rule", "I/O",
                                              "TCP/IP"]


def test_semicolons_in_an_english_keyword_line(store, tmp_path):
    body = ("# 2023-11-13\nToday I tried dropout on the MLP; it regularizes a lot.\n\n"
            "- Keywords: Dropout; Regularization; Weight Decay\n")
    assert _import(store, tmp_path, body) == ["Dropout", "Regularization", "Weight Decay"]


def test_bold_label_with_a_dash(store, tmp_path):
    body = ("### 11월 13일\nAdam이랑 SGD를 비교했다.\n\n**키워드** - Adam, SGD\n")
    assert _import(store, tmp_path, body) == ["Adam", "SGD"]


def test_hashtag_label_is_not_a_heading(store, tmp_path):
    body = "## 2023.11.13\ntensor 만들기 실습.\n\n#키워드: Tensor\n"
    keywords = _import(store, tmp_path, body)
    assert keywords == ["Tensor"]
    assert "키워드" not in str(keywords)


def test_full_width_colon_and_middle_dot_and_bar(store, tmp_path):
    body = ("## 2023-11-13\nattention을 공부했다.\n\n> 키워드：Attention · Transformer | Softmax"
            "；Positional Encoding\n")
    assert _import(store, tmp_path, body) == ["Attention", "Transformer", "Softmax",
                                              "Positional Encoding"]


def test_note_in_parentheses_is_not_part_of_the_keyword(store, tmp_path):
    body = ("## 2023-11-13\n옵티마이저 정리. view()로 shape을 바꿨다.\n\n"
            "+ ##### 키워드: Adam (모멘텀 + RMSProp, 둘 다), view(), SGD(기본)\n")
    assert _import(store, tmp_path, body) == ["Adam", "view()", "SGD(기본)"]
    adam = next(c for c in store.cards.listing("journal") if c.front == "Adam")
    assert "모멘텀 + RMSProp, 둘 다" in adam.back  # the note is kept on the back


def test_blockquote_label_with_nested_keyword_paragraphs(store, tmp_path):
    body = ("## 2023-11-13\n선형대수 복습.\n\n"
            "> 키워드\n>> Vector와 Vector Space\n>>\n>> Conditional Probability\n>>\n"
            ">> Bayes' Theorem\n\n"
            "오늘은 Conditional Probability를 제대로 이해했다.\n")
    assert _import(store, tmp_path, body) == ["Vector와 Vector Space",
                                              "Conditional Probability", "Bayes' Theorem"]
    card = next(c for c in store.cards.listing("journal")
                if c.front == "Conditional Probability")
    assert "제대로 이해했다" in card.back
    assert ">> Bayes" not in card.back  # the keyword block itself is not a passage


def test_heading_label_then_a_list_until_the_list_ends(store, tmp_path):
    body = ("## 2023-11-13\nBackpropagation을 직접 구현했다.\n\n### Keywords\n"
            "- Gradient Descent\n- Backpropagation (chain rule)\n  - 하위 설명은 키워드가 아님\n"
            "- **Bias and Variance**: 둘 사이의 tradeoff\n\n- Learning Rate\n\n"
            "그 다음 문단.\n\n- 다른 목록\n")
    # a blank line then a bullet is still the same list; the paragraph ends the block
    assert _import(store, tmp_path, body) == ["Gradient Descent", "Backpropagation",
                                              "Bias and Variance", "Learning Rate"]


def test_bold_label_then_a_numbered_list(store, tmp_path):
    body = ("## 2023-11-13\nI built a tensor and watched autograd work.\n\n**Keywords:**\n\n"
            "1. Tensor\n2. Autograd\n\nAfterwards: notes, thoughts.\n\n- not a keyword\n")
    assert _import(store, tmp_path, body) == ["Tensor", "Autograd"]


def test_label_in_a_list_item_with_nested_keywords(store, tmp_path):
    body = ("## 2023-11-13\n오늘 배운 것.\n\n- 키워드\n  - Hook\n  - Contiguous\n"
            "- 느낀 점: 어려웠다\n")
    assert _import(store, tmp_path, body) == ["Hook", "Contiguous"]


def test_a_sentence_after_a_label_is_not_a_keyword(store, tmp_path):
    body = ("## 2023-11-13\n공부함.\n\n## 키워드\n- Tensor\n- 오늘은 정말 많은 것을 배웠고 내일은 "
            "데이터로더와 데이터셋을 더 깊이 공부해 보려고 한다는 다짐\n")
    assert _import(store, tmp_path, body) == ["Tensor"]


def test_reimport_splits_an_old_whole_line_card_and_says_so(store, tmp_path, monkeypatch,
                                                            cli):
    log = tmp_path / "2023-11-13.md"
    log.write_text("## Day 3 (11/13)\n역전파를 배웠다.\n\n키워드 : 역전파 / 기울기 소실 / Chain Rule\n",
                   encoding="utf-8")
    # The first import is done by a version-1 parser, which read the line as one keyword.
    monkeypatch.setattr(log_parser, "PARSER_VERSION", 1)
    monkeypatch.setattr("studylog.core.journal.day_saving.PARSER_VERSION", 1)
    monkeypatch.setattr("studylog.core.journal.log_reads.PARSER_VERSION", 1)
    monkeypatch.setattr(log_parser, "day_keywords", lambda toks: DayKeywords(
        [Keyword("역전파 / 기울기 소실 / Chain Rule")], set()))
    cli("import", str(log))
    [old] = store.cards.listing("journal")
    assert old.front == "역전파 / 기울기 소실 / Chain Rule"
    with store.write():
        store.review_log.insert({
            "card_id": old.id, "rating": 3, "reviewed_at": "2023-11-20T00:00:00+00:00",
            "state_before": "new", "state_after": "learning",
            "due_after": "2023-11-20T00:10:00+00:00", "reps_before": 0, "lapses_before": 0,
            "suspended_before": 0, "leech_before": 0})
    monkeypatch.undo()

    result = cli("import", str(log))  # the file is unchanged; the parser is new
    assert "1 card(s) orphaned" in result.output and "역전파 / 기울기 소실" in result.output
    cards = {c.front: c for c in store.cards.listing("journal")}
    assert sorted(cards) == sorted(["역전파", "기울기 소실", "Chain Rule",
                                    "역전파 / 기울기 소실 / Chain Rule"])
    assert cards["역전파 / 기울기 소실 / Chain Rule"].orphaned == 1
    assert store.value("SELECT count(*) FROM review_log WHERE card_id = ?", [old.id]) == 1
    assert cards["역전파"].source_dates == [entry.date for entry in store.entries.all()]
    # ...and importing it again is idempotent.
    again = cli("import", str(log))
    assert "nothing changed" in again.output


@pytest.mark.parametrize("line", ["키워드 - A, B", "Keywords — A; B", "#Keywords: A | B"])
def test_more_line_variants(line):
    log = log_parser.parse_log(f"## 2023-01-02\nabout a.\n\n{line}\n", "x.md", today=TODAY)
    assert log.days[0].keywords == ["A", "B"]


def test_prose_mentioning_keywords_is_not_a_keyword_line():
    text = "## 2023-01-02\nKeywords are hard to choose - really.\n\n키워드를 정리하는 법: 없다\n"
    assert log_parser.parse_log(text, "x.md", today=TODAY).days[0].keywords == []


def test_a_table_under_a_keywords_heading_makes_no_junk_card(store, tmp_path):
    body = ("## 2023-11-13\nAdam 정리.\n\n## Keywords\n| Keyword | 설명 |\n|---|---|\n"
            "| Adam | 모멘텀 |\n\n- **Generalization**: 일반화\n")
    assert _import(store, tmp_path, body) == []
