"""Property-based: generated logs (dated headings with impossible dates among them,
keyword lines, code fences, deep nesting, Korean text, front matter, stray and random
bytes) never make the decoder, parser or importer raise anything but their documented
one-line refusals (DecodeError, LogError), and importing never raises at all.

9,000 documents are decoded and parsed, and 1,000 more are imported into one database:
10,000 documents per run."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studylog.core.journal.day_title import day_title
from studylog.core.journal.importer import import_file, refresh_dirty_cards
from studylog.core.journal.log_parser import LogError, parse_log
from studylog.core.storage.database import Store
from studylog.core.text.decoding import DecodeError, decode_log
from studylog.core.text.markdown_blocks import parse_document

TODAY = date(2026, 11, 27)
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
# Words from a vocabulary (cheap to draw), with now and then random Hangul syllables.
VOCABULARY = ["오늘은", "텐서", "contiguous라는", "개념을", "배웠다", "autograd", "DataLoader",
              "stride", "메모리", "Hook은", "backward", "역전파", "모델", "학습률", "view()",
              "2/29", "11/13", "Day", "키워드", "Week", "#", "*강조*", "`code`", "→"]
WORD = st.one_of(st.sampled_from(VOCABULARY), st.text(HANGUL, min_size=1, max_size=3))
LINE = st.lists(WORD, min_size=1, max_size=10).map(" ".join)

# Months and days around the edges: 0, 13, Feb 29/30, Dec 31 -> Jan 1, 31st of short months.
MONTH = st.one_of(st.integers(1, 12), st.sampled_from([0, 2, 12, 13]))
DAY = st.one_of(st.integers(1, 31), st.sampled_from([0, 29, 30, 31, 32]))
YEAR = st.one_of(st.integers(1900, 2100), st.sampled_from([1, 999, 2023, 2024, 9999]))


@st.composite
def dated_heading(draw) -> str:
    m, d, y = draw(MONTH), draw(DAY), draw(YEAR)
    text = draw(st.sampled_from([
        f"Day {d} ({m}/{d})", f"{y:04d}-{m:02d}-{d:02d}", f"{m}월 {d}일", f"{y}.{m}.{d}",
        f"{y}년 {m}월 {d}일 (월)", f"{m}/{d}", f"Week 1 ({m}/{d} ~ {m}/{d})"]))
    if draw(st.booleans()):
        return f"## {text}"
    return f"{text}\n{'-' * draw(st.integers(3, 5))}"


keyword_line = st.builds(
    lambda label, words, prefix: f"{prefix}{label} {', '.join(words)}",
    st.sampled_from(["키워드:", "키워드 :", "Keywords:", "Keyword:", "# 키워드 -", "키워드："]),
    st.lists(WORD, min_size=0, max_size=6),
    st.sampled_from(["", "+ ##### ", "- ", "> ", "**", "### "]))

code_fence = st.builds(
    lambda body, closed, info: f"```{info}\n{body}\n" + ("```" if closed else ""),
    st.lists(st.text(max_size=30), max_size=5).map("\n".join), st.booleans(),
    st.sampled_from(["", "python", "python snippet"]))


@st.composite
def deep_nesting(draw) -> str:
    # mostly shallow; sometimes around the list limit (59) or the quote limit (120)
    depth = draw(st.one_of(st.integers(1, 12), st.sampled_from([58, 59, 60, 119, 120, 121])))
    if draw(st.booleans()):
        return "".join("  " * i + f"- {draw(WORD)}\n" for i in range(depth))
    return "> " * depth + draw(LINE)


front_matter = st.builds(
    lambda value: f"---\ndate: {value}\ntitle: 기록\n---",
    st.one_of(st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", YEAR, MONTH, DAY),
              st.text(max_size=12), st.just("[unclosed"), st.just("2023-02-30")))

PART = st.one_of(dated_heading(), keyword_line, code_fence, deep_nesting(), LINE,
                 st.text(max_size=40))


@st.composite
def document(draw) -> bytes:
    parts = draw(st.lists(PART, max_size=14))
    if draw(st.integers(0, 9)) == 0:
        parts.insert(0, draw(front_matter))
    text = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n"])).join(parts)
    how = draw(st.integers(0, 9))
    if how == 0:  # random bytes spliced in somewhere
        data = text.encode()
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    if how == 1:
        return draw(st.binary(max_size=200))
    if how == 2:
        try:
            return text.encode("cp949")
        except UnicodeEncodeError:
            return text.encode()
    if how == 3:
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode()


def _parse(data: bytes, name: str) -> None:
    try:
        text, _ = decode_log(data)
    except DecodeError as exc:
        assert "\n" not in str(exc)
        return
    try:
        log = parse_log(text, name, today=TODAY)
    except LogError as exc:
        assert "\n" not in str(exc)
        return
    lines = text.count("\n") + text.count("\r") + 1
    for day in log.days:
        assert isinstance(day.date, date)
    for refused in log.refused:
        assert 1 <= refused.line <= lines and "\n" not in refused.message()


# Three runs of 3,000 rather than one of 9,000: Hypothesis keeps what it explored for the
# length of a run (about 500 MB for 9,000 of these documents).
@pytest.mark.parametrize("name", ["log.md", "2024-02-28.md", "9999-12-30.md"])
@settings(max_examples=3000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=document())
def test_decoding_and_parsing_raise_only_their_refusals(name, data):
    _parse(data, name)


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.lists(PART, max_size=30).map("\n\n".join), size=st.integers(1, 9))
def test_chunked_parsing_sees_the_same_blocks(text, size):
    whole = parse_document_or_error(text, 10**9)
    assert parse_document_or_error(text, size) == whole


def _whole_parse_title(body: str) -> str | None:
    """day_title as it was: the body parsed whole (the oracle for the streamed one)."""
    from studylog.core.journal.day_title import _first_words
    from studylog.core.text.markdown_blocks import markdown_parser

    return _first_words(iter(markdown_parser(front_matter=False).parse(body)))


@settings(max_examples=500, deadline=None, database=None)
@given(body=st.lists(st.one_of(PART, st.sampled_from(
    ["---", "---\ntitle: x\n---", "\n" * 300, "```\n" + "x\n" * 300 + "```", "[a]: http://x"])),
    max_size=12).map("\n\n".join))
def test_a_day_is_named_as_if_its_text_were_parsed_whole(body):
    # day_title parses a chunk at a time up to the first words (a day of 100,000
    # headings was parsed whole a second time to name it: 300 MB)
    assert day_title(body) == _whole_parse_title(body)


def parse_document_or_error(text: str, chunk_lines: int):
    from studylog.core.text.markdown_blocks import MarkdownError

    try:
        doc = parse_document(text, chunk_lines=chunk_lines)
    except MarkdownError as exc:
        return str(exc)
    return ([(b.start, b.end, [(t.type, t.map, t.content) for t in b.tokens])
             for b in doc.blocks], doc.front_matter, doc.front_matter_error)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("prop") / "prop.sqlite3")
    yield store
    refresh_dirty_cards(store)
    assert store.integrity_check() == "ok"
    assert store.value("SELECT count(*) FROM dirty_keywords") == 0
    store.close()


@settings(max_examples=1000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=document(), name=st.sampled_from(["a.md", "2023-11-13.md", "9999-12-30.md"]),
       year=st.one_of(st.none(), st.integers(1900, 2999)))
def test_importing_never_raises(shared_store, tmp_path_factory, data, name, year):
    folder = tmp_path_factory.getbasetemp() / "prop-logs"
    folder.mkdir(exist_ok=True)
    path = Path(folder, name)
    path.write_bytes(data)
    result = import_file(shared_store, path, year=year, today=TODAY)
    assert result.status in {"imported", "unchanged", "empty", "refused"}
    assert "\n" not in result.message
    assert not shared_store.db.conn.in_transaction
    assert isinstance(shared_store.db.conn, sqlite3.Connection)
