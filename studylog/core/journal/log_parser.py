"""Markdown learning logs -> weeks, days, keywords and the passages about each keyword.

Structure comes from markdown-it tokens (markdown_blocks.py); regexes only classify the
text of a single heading or line (dates.py, keyword_forms.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath
from typing import Any

from markdown_it.token import Token

from studylog.core.journal import dates
from studylog.core.journal.candidate_forms import Candidate, day_candidates
from studylog.core.journal.day_leaves import DayLeaves
from studylog.core.journal.keyword_forms import day_keywords, keywords_in_line
from studylog.core.text.keywords import mentions_folded, normalize
from studylog.core.text.markdown_blocks import (
    Block,
    Document,
    Leaf,
    MarkdownError,
    inline_text,
    leading_bold,
    leaves,
    stream_document,
)
from studylog.errors import StudylogError

# Bumped when the same text would parse to different days, keywords or passages, so a
# re-import of an unchanged file reads it again (old whole-line keywords split, ...).
PARSER_VERSION = 4
SUMMARY_HEADING = re.compile(r"^(?:주간\s*요약|weekly\s+summary|week\s+summary|요약|summary)$",
                             re.IGNORECASE)


class LogError(StudylogError, ValueError):
    """A log that cannot be imported; the message is the one-line reason."""


@dataclass
class Passage:
    """What the writer said about a keyword: a paragraph (Markdown source) and an
    optional code block directly after it."""

    text: str


@dataclass
class Day:
    date: date
    title: str
    body: str
    keywords: list[str]
    passages: dict[str, list[Passage]]
    week: str | None = None
    tags: list[str] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)  # bold-term bullets
    labels: list[str] = field(default_factory=list)  # norms of the day's bold labels
    span: tuple[int, int] = (0, 0)  # the lines [start, end) its body was read from


@dataclass
class Week:
    title: str
    start: date | None
    end: date | None
    summary: str = ""


@dataclass(frozen=True)
class RefusedDay:
    """A day whose date no calendar has (``2/29`` of a common year, ``2023-02-30``)."""

    line: int  # 1-based line of its heading (or of the front matter ``date:``)
    title: str
    reason: str

    def message(self) -> str:
        return f"line {self.line}: {self.title!r}: {self.reason}"


@dataclass
class ParsedLog:
    days: list[Day]
    weeks: list[Week]
    notes: list[str] = field(default_factory=list)  # e.g. which year was assumed
    refused: list[RefusedDay] = field(default_factory=list)

    def __iter__(self) -> Iterator[Day | Week | RefusedDay]:
        """Its weeks, days and refused days, as items to write (see LogStream)."""
        yield from self.weeks
        yield from self.days
        yield from self.refused


def keywords_in(text: str) -> list[str] | None:
    """The keywords of a keyword line (``키워드: A, B``), or None if it is not one."""
    listed = keywords_in_line(text)
    return None if listed is None else [k.name for k in listed]


@dataclass
class _Section:
    heading: str
    when: dates.PartialDate | None
    start: int  # first line after the heading
    blocks: list[Block] = field(default_factory=list)  # plain ones without their tokens
    week: str | None = None
    line: int = 1  # 1-based line of the heading, for messages
    found: DayLeaves = field(default_factory=DayLeaves)  # the blocks' leaves, in order
    after_plain: bool = True  # the last block added was plain (nothing reads past it)

    def add(self, block: Block) -> None:
        self.found.extend(leaves([block]))
        plain = _is_plain(block)
        # a keyword label reads the block after it (``키워드`` then ``A, B``): that one
        # keeps its tokens
        if plain and self.after_plain:
            if self.blocks and self.blocks[-1].tokens[0] is _PLAIN:
                return  # a run of plain blocks leaves one stand-in: no rule counts them
            block = Block([_PLAIN], block.start, block.end)
        self.after_plain = plain
        self.blocks.append(block)

    def clear(self) -> None:
        self.blocks.clear()
        self.found.clear()
        self.after_plain = True


# A plain heading or paragraph (no keyword label, no leading bold, no day number) gives
# the day only its leaf, taken as it is read; its markdown-it tokens (about 1 KB a line)
# are let go, so one long day holds a leaf per paragraph, not every token (issue 13
# item 7: one day of 100,000 headings took 448 MB). In the day's token stream it leaves
# this stand-in, which no keyword or candidate rule reads (a list before it looks for a
# fence there, and finds none, as before).
_PLAIN = Token("hr", "hr", 0)


def _is_plain(block: Block) -> bool:
    toks = block.tokens
    if len(toks) != 3 or toks[0].type not in ("paragraph_open", "heading_open"):
        return False
    text = inline_text(toks[1])
    folded = text.casefold()
    if "키워드" in folded or "keyword" in folded:
        return False
    if toks[0].type == "paragraph_open":
        return leading_bold(toks[1]) is None
    return dates.day_number(text.strip(), heading=True) is None


class _YearResolver:
    """--year wins, then front matter, then the file name, then the last full date in a
    heading above; otherwise infer and say so."""

    def __init__(self, explicit: int | None, front: int | None, from_name: int | None,
                 today: date):
        self.year = explicit or front or from_name
        # With none of those, a date without a year takes the year of the full date above
        # it (``## 2023-11-13`` then ``## 11/14``), and only a log with none is guessed.
        self.from_headings = self.year is None
        self.today = today
        self.assumed: int | None = None
        self._last: date | None = None

    def week(self, start: dates.PartialDate, end: dates.PartialDate) -> tuple[date, date]:
        """A week range: does not move the day sequence; ``12/28 ~ 1/3`` ends next year.
        ImpossibleDate when either end has no date."""
        first = self.resolve(start, track=False)
        last = end.with_year(end.year or first.year)
        if last < first and not end.year:
            last = end.with_year(first.year + 1)
        return first, last

    def resolve(self, value: dates.PartialDate, track: bool = True) -> date:
        """The full date of ``value``; ImpossibleDate when it has none (the sequence of
        days is left as it was, so the next day resolves as if this one were absent)."""
        if value.year is not None:
            result = value.with_year(value.year)
            if track and self.from_headings:
                self.year = value.year
        else:
            if self.year is None:
                # The most recent year in which this date is not in the future (compared
                # as month and day, so Feb 29 never fails while deciding the year).
                not_future = (value.month, value.day) <= (self.today.month, self.today.day)
                self.year = self.today.year if not_future else self.today.year - 1
                self.assumed = self.year
            result = value.with_year(self.year)
            if track and self._last and self._last.month == 12 and result.month == 1:
                if self.year >= 9999:
                    raise dates.ImpossibleDate("the log runs from December 9999 into "
                                               "January: past the year 9999")
                self.year += 1  # a log that runs from December into January
                result = value.with_year(self.year)
        if track:
            self._last = result
        return result


class _NumberedDays:
    """Dates for ``Day N`` headings and ``DayN.md`` files written without a date, counted
    from ``--first-day`` (Day 1); remembers what it assigned so the import can say so."""

    def __init__(self, first_day: date | None, count_weekends: bool):
        self.first_day = first_day
        self.count_weekends = count_weekends
        self.assigned: dict[int, date] = {}

    def date_of(self, text: str, *, heading: bool) -> dates.PartialDate | None:
        if self.first_day is None:
            return None
        number = dates.day_number(text, heading=heading)
        if number is None:
            return None
        when = dates.nth_study_day(self.first_day, number, count_weekends=self.count_weekends)
        self.assigned[number] = when
        return dates.PartialDate(when.year, when.month, when.day)

    def note(self) -> str | None:
        if not self.assigned or self.first_day is None:
            return None
        counted = "every day counted" if self.count_weekends else "weekdays counted"
        listed = ", ".join(f"Day {n} = {d.isoformat()} ({d:%a})"
                           for n, d in sorted(self.assigned.items()))
        return f"dated from --first-day {self.first_day.isoformat()} ({counted}): {listed}"


def _front_matter_year(front: dict[str, Any]) -> int | None:
    raw = front.get("date") or front.get("year")
    if isinstance(raw, date):
        return raw.year
    if isinstance(raw, int) and 1900 <= raw <= 2999:
        return raw
    if isinstance(raw, str):
        found = dates.find_dates(raw)
        if found and found[0][2].year:
            return found[0][2].year
    return None


def _front_matter_date(front: dict[str, Any]) -> dates.PartialDate | None:
    raw = front.get("date")
    if isinstance(raw, date):
        return dates.PartialDate(raw.year, raw.month, raw.day)
    if isinstance(raw, str):
        return dates.day_date(raw)
    return None


def _front_matter_line(doc: Document, key: str) -> int:
    """1-based line of ``key:`` in the front matter (1 if not found)."""
    for number, line in enumerate(doc.lines[:doc.front_matter_lines], 1):
        if re.match(rf"\s*{key}\s*:", line):
            return number
    return 1


def _week_dates(resolver: _YearResolver, heading: str, line: int,
                notes: list[str]) -> tuple[date | None, date | None]:
    """The dates of a week heading; an impossible range keeps the week, undated."""
    rng = dates.week_range(heading)
    if rng is None:
        return None, None
    try:
        return resolver.week(*rng)
    except dates.ImpossibleDate as exc:
        notes.append(f"line {line}: week {heading!r} kept without dates: {exc}")
        return None, None


def _tags(front: dict[str, Any]) -> list[str]:
    raw = front.get("tags") or []
    if isinstance(raw, str):
        raw = [t for t in re.split(r"[,\s]+", raw) if t]
    return [str(t) for t in raw] if isinstance(raw, list) else []


def _summary_heading(block: Block) -> tuple[int, int] | None:
    for tok, text in block.headings():
        if SUMMARY_HEADING.match(text.strip("#* ").strip()) and tok.map is not None:
            return tok.map[0], tok.map[1]
    return None


def _strip_quote(lines: str) -> str:
    return "\n".join(re.sub(r"^\s*>\s?", "", line).rstrip() for line in lines.splitlines()).strip()


def passages_for(keyword: str, found: Sequence[Leaf], doc: Document,
                 keyword_lines: set[int] | frozenset[int],
                 folded: list[str] | None = None) -> list[Passage]:
    """Paragraphs of one day that mention ``keyword``, each with a code block that directly
    follows it. Headings and keyword lines or blocks (``keyword_lines``: their first source
    lines, from keyword_forms.day_keywords) are never passages. ``folded``: the leaves'
    texts casefolded, when the caller has them (once per day, not once per keyword)."""
    out: list[Passage] = []
    texts = folded if folded is not None else [leaf.text.casefold() for leaf in found]
    folded_keyword = keyword.casefold()
    for i, words in enumerate(texts):
        if not mentions_folded(words, folded_keyword):
            continue
        leaf = found[i]
        if leaf.kind != "paragraph" or leaf.start in keyword_lines:
            continue
        text = doc.source(leaf.start, leaf.end).rstrip()
        nxt = found[i + 1] if i + 1 < len(found) else None
        if nxt is not None and nxt.kind == "fence":
            text += "\n" + doc.source(nxt.start, nxt.end).rstrip()
        out.append(Passage(text))
    return out


def _build_day(section: _Section, when: date, doc: Document, end: int, tags: list[str]) -> Day:
    found = section.found
    tokens = [tok for block in section.blocks for tok in block.tokens]
    # every keyword line and block of the day, merged by the one keyword identity rule
    listed = day_keywords(tokens)
    keywords = [k.name for k in listed.keywords]
    body = doc.source(section.start, end).strip("\n")
    bold = day_candidates(tokens, doc.lines, listed.lines)
    # a bold-term bullet about one of the day's keywords joins that keyword's card
    by_norm = {normalize(k): k for k in keywords}
    joined = {c.line: c for c in bold.candidates if c.norm in by_norm}
    # a joined bullet is quoted whole: its sub-items are no passages of their own (they
    # would quote it twice, with the code block it took)
    skip = listed.lines.union(*(range(c.line, c.end) for c in joined.values()))
    folded = found.folded_texts()  # paragraphs' words, casefolded as they were read
    passages = {}
    for keyword in listed.keywords:
        # a note written after the keyword (``Adam (모멘텀 + RMSProp)``) leads its passages
        note = [Passage(f"*{keyword.note}*")] if keyword.note else []
        items = [Passage(c.source) for c in joined.values() if by_norm[c.norm] == keyword.name]
        found_here = passages_for(keyword.name, found, doc, skip, folded)
        passages[keyword.name] = note + items + found_here
    candidates = [c for c in bold.candidates if c.line not in joined]
    return Day(when, section.heading, body, keywords, passages, section.week, tags,
               candidates, sorted(bold.labels), (section.start, end))


def _has_day_numbers(blocks: list[Block], stem: str) -> bool:
    if dates.day_number(stem, heading=False) is not None:
        return True
    return any(dates.day_number(text, heading=True) is not None
               for block in blocks for _, text in block.headings())


def parse_log(text: str, file_name: str = "", *, year: int | None = None,
              today: date | None = None, first_day: date | None = None,
              count_weekends: bool = False) -> ParsedLog:
    """Parse one learning log. Raises LogError when no day can be dated. With
    ``first_day``, ``Day N`` headings and ``DayN.md`` files that carry no date are dated
    by counting weekdays (every day with ``count_weekends``) from Day 1. Days with an
    impossible date are listed in ``refused``; LogError too when the Markdown cannot be
    read to its end."""
    stream = LogStream(text, file_name, year=year, today=today, first_day=first_day,
                       count_weekends=count_weekends)
    parsed = ParsedLog([], [], stream.notes)
    for item in stream:
        if isinstance(item, Day):
            parsed.days.append(item)
        elif isinstance(item, Week):
            parsed.weeks.append(item)
        else:
            parsed.refused.append(item)
    return parsed


LogItem = Day | Week | RefusedDay


class LogStream:
    """``parse_log`` one item at a time, in file order: each day (or refused day) once
    its section ends, each week once its summary is known (at the next week or the end),
    so a caller that writes each item and lets it go holds one day at a time, whatever
    the file's length. ``notes`` is complete once the items are all read. Iterating
    raises LogError as ``parse_log`` does, possibly after some items."""

    def __init__(self, text: str, file_name: str = "", *, year: int | None = None,
                 today: date | None = None, first_day: date | None = None,
                 count_weekends: bool = False) -> None:
        self.text, self.file_name, self.year = text, file_name, year
        self.today, self.first_day, self.count_weekends = today, first_day, count_weekends
        self.notes: list[str] = []

    def __iter__(self) -> Iterator[LogItem]:
        try:
            yield from _items(self.text, self.file_name, self.year,
                              self.today or date.today(), self.first_day,
                              self.count_weekends, self.notes)
        except MarkdownError as exc:
            raise LogError(str(exc)) from exc


def _items(text: str, file_name: str, year: int | None, today: date,
           first_day: date | None, count_weekends: bool,
           notes: list[str]) -> Iterator[LogItem]:
    # Blocks stream in and each day is built when its section closes, so a long file
    # holds one day's tokens at a time (see markdown_blocks).
    doc, blocks = stream_document(text)
    if doc.front_matter_error:
        raise LogError(f"front matter is not valid YAML: {doc.front_matter_error}")
    front = doc.front_matter
    name_date = dates.date_from_file_name(PurePath(file_name).stem) if file_name else \
        dates.FileNameDate(None, None)
    # Day 1's year is the best guess for dates written without one in a "Day N" log.
    resolver = _YearResolver(year, _front_matter_year(front),
                             name_date.year or (first_day.year if first_day else None), today)
    numbered = _NumberedDays(first_day, count_weekends)
    tags = _tags(front)

    any_section = False
    preamble = _Section(str(front.get("title") or PurePath(file_name).stem or "Untitled"),
                        None, 0)
    current: _Section | None = preamble
    week: Week | None = None
    summary_lines: list[str] = []

    def close_section(at: int) -> Day | RefusedDay | None:
        nonlocal current
        closed, current = current, None
        if closed is None or closed is preamble or closed.when is None:
            return None
        try:
            when = resolver.resolve(closed.when)
        except dates.ImpossibleDate as exc:
            return RefusedDay(closed.line, closed.heading, str(exc))
        return _build_day(closed, when, doc, at, tags)

    def flush_summary() -> None:
        if week is not None and summary_lines:
            week.summary = _strip_quote("".join(summary_lines))
        summary_lines.clear()

    for block in blocks:
        if block.first.type == "heading_open":
            heading = block.headings()[0][1]
            if dates.is_week_heading(heading):
                if item := close_section(block.start):
                    yield item
                flush_summary()
                if week is not None:  # its summary can come after its days: done now
                    yield week
                week = Week(heading, *_week_dates(resolver, heading, block.start + 1, notes))
                continue
            when = dates.day_date(heading) or numbered.date_of(heading, heading=True)
            if when is not None:
                if item := close_section(block.start):
                    yield item
                flush_summary()
                current = _Section(heading, when, block.end, week=week.title if week else None,
                                   line=block.start + 1)
                any_section = True
                preamble.clear()  # a file with days: the text before them is no day
                continue
        summary = _summary_heading(block)
        if summary is not None:
            if item := close_section(block.start):
                yield item
            summary_lines.append("".join(
                line for n, line in enumerate(doc.lines[block.start:block.end], block.start)
                if not summary[0] <= n < summary[1]))
            continue
        if current is None:
            if summary_lines:
                summary_lines.append(doc.source(block.start, block.end))
            continue
        if current is not preamble or not any_section:
            current.add(block)
    if item := close_section(len(doc.lines)):
        yield item
    flush_summary()
    if week is not None:
        yield week

    if not any_section and preamble.blocks:
        yield _whole_file_day(preamble, doc, resolver, numbered, file_name, front, tags)

    if note := numbered.note():
        notes.insert(0, note)
    if resolver.assumed is not None:
        notes.append(f"assumed year {resolver.assumed} (no year in the headings, front matter "
                     "or file name; pass --year to choose)")


def _whole_file_day(preamble: _Section, doc: Document, resolver: _YearResolver,
                    numbered: _NumberedDays, file_name: str, front: dict[str, Any],
                    tags: list[str]) -> Day | RefusedDay:
    """The one day of a log without day headings, dated by its front matter, its file
    name or (``DayN.md``) its number; LogError when none dates it."""
    front_date = _front_matter_date(front)
    name_date = dates.date_from_file_name(PurePath(file_name).stem) if file_name else \
        dates.FileNameDate(None, None)
    when = front_date or name_date.date or \
        numbered.date_of(PurePath(file_name).stem, heading=False)
    if when is None:
        hint = ""
        if numbered.first_day is None and _has_day_numbers(preamble.blocks,
                                                           PurePath(file_name).stem):
            hint = "; for 'Day N' logs pass --first-day YYYY-MM-DD (the date of Day 1)"
        raise LogError("no date found: expected day headings such as 'Day 6 (11/13)' or "
                       "'2023-11-13', a front matter 'date:', or a date in the file name"
                       + hint)
    preamble.when = when
    preamble.start = preamble.blocks[0].start
    try:
        return _build_day(preamble, resolver.resolve(when), doc, len(doc.lines), tags)
    except dates.ImpossibleDate as exc:
        line, title = (_front_matter_line(doc, "date"), f"date: {front.get('date')}") \
            if front_date else (1, f"file name {file_name}")
        return RefusedDay(line, title, str(exc))
