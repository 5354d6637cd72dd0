"""Plain text skips markdown-it's inline parser (issue 11: ten years' import in 2 s), and
nothing read from a log changes: the tokens, and every day, keyword, passage, candidate
and code block parsed from logs in many styles, are those markdown-it's own inline
parser gives."""

from __future__ import annotations

import random
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from log_styles import styled_logs

from studylog.core.journal import log_parser
from studylog.core.text import markdown_blocks
from studylog.core.text.markdown_blocks import idle_rules, markdown_parser
from studylog.core.text.plain_inline import plain_children

TODAY = date(2026, 11, 27)
# What decides the inline tokens of plain text: line ends, spaces and tabs around them
# (hard and soft breaks), and now and then a character that starts inline markup.
PIECES = ["a", "b", "가", "텐서", " ", "  ", "\t", "\n", " \n", "  \n", "   \n", "\n  ",
          "\n\t", ":", "-", "#", "~", "+", ">", "=", "1.", "ß", "`", "*", "_", "[", "]",
          "!", "<", "&", "\\", "**x**", "`y`", "&amp;", "[l](u)", "\n[r]: /u\n",
          "\n<div>\n", "\\\n", "&#42;"]


def tokens(text: str, plain: bool) -> list[dict[str, object]]:
    """The tokens of ``text``: the fast way (plain inline, idle rules left out) or
    markdown-it's whole way."""
    if plain:
        md = markdown_parser(False, plain_inline=True, idle=idle_rules(text))
    else:
        md = markdown_parser(False, plain_inline=False)
    return [t.as_dict() for t in md.parse(text)]


@settings(max_examples=1500, deadline=None, database=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_plain_inline_gives_markdown_its_own_tokens(text):
    assert tokens(text, plain=True) == tokens(text, plain=False)


def test_most_journal_text_takes_the_plain_path_and_matches():
    rng = random.Random(11)
    plain = 0
    for _ in range(3000):
        text = "".join(rng.choices(PIECES[:15], k=rng.randint(1, 30)))
        if rng.random() < 0.3:
            text += rng.choice(PIECES[22:])
        full = markdown_parser(False, plain_inline=False).parse(text)
        assert tokens(text, plain=True) == [t.as_dict() for t in full], text
        inline = [t.content for t in full if t.type == "inline"]
        plain += bool(inline) and all(plain_children(c) is not None for c in inline)
    assert plain > 1500  # most texts took the plain path: the comparison is about it


def test_markup_goes_to_markdown_it():
    for text in ["**Adam** 옵티마이저", "`view()`", "a_b", "[x](y)", "a &amp; b", "\\*",
                 "<b>", "![i](p)"]:
        assert plain_children(text) is None
    assert [t.type for t in plain_children("텐서 a  \n  b \nc")] == [
        "text", "hardbreak", "text", "softbreak", "text"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_logs_in_many_styles_parse_the_same_without_the_plain_path(seed, monkeypatch):
    logs = styled_logs(seed, 60)
    fast = [log_parser.parse_log(text, name, today=TODAY) for name, text in logs]
    full = markdown_blocks.markdown_parser
    monkeypatch.setattr(markdown_blocks, "markdown_parser",
                        lambda front_matter=True, **_: full(front_matter, plain_inline=False))
    slow = [log_parser.parse_log(text, name, today=TODAY) for name, text in logs]
    assert fast == slow
    days = [d for log in fast for d in log.days]
    # the logs hold what the comparison is about
    assert len(days) > 150
    assert sum(len(d.keywords) for d in days) > 150
    assert sum(len(p) for d in days for p in d.passages.values()) > 100
    assert sum(len(d.candidates) for d in days) > 30
    assert sum(d.body.count("```") for d in days) > 30
    assert any("**" in d.body or "`" in d.body.replace("```", "") for d in days)
    assert any("키워드" in d.body for d in days) and any("Keyword" in d.body for d in days)


def test_passages_match_keywords_in_any_case_each_paragraph_folded_once():
    """A day's paragraphs are casefolded once for all its keywords: any case, German
    ß, a keyword inside a Korean word and a multi-word keyword with words between."""
    text = ("## 2023-11-13\n"
            "TENSOR는 메모리에 놓인다.\n\n"
            "오늘은 Straße 이야기.\n\n"
            "backward라는 method를 불렀다.  \nAUTOGRAD가 graph를 쌓는다.\n\n"
            "아무 관련 없는 문장.\n\n"
            "키워드: Tensor, STRASSE, Backward Method, Autograd, Hook\n")
    [day] = log_parser.parse_log(text, "2023-11-13.md", today=TODAY).days
    assert {k: [p.text.split("\n")[0] for p in v] for k, v in day.passages.items()} == {
        "Tensor": ["TENSOR는 메모리에 놓인다."],
        "STRASSE": ["오늘은 Straße 이야기."],
        "Backward Method": ["backward라는 method를 불렀다.  "],
        "Autograd": ["backward라는 method를 불렀다.  "],
        "Hook": []}
