"""Dates as people write them in learning logs: headings, week ranges and file names.

These regexes run over the text of one heading (or one file name), never over raw
lines of a file: the Markdown structure comes from markdown-it tokens in journal.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

# Each pattern yields (year or None, month, day). Order matters: the most specific first.
_DATE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?<!\d)(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "ymd"),
    (re.compile(r"(?<!\d)(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?!\d)"), "ymd"),
    (re.compile(r"(?<![\d.])(\d{2})\.(\d{1,2})\.(\d{1,2})(?![\d])"), "yy"),
    (re.compile(r"(?<!\d)(\d{1,2})\s*월\s*(\d{1,2})\s*일"), "md"),
    (re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/])"), "md"),
]
_RANGE_SEPARATOR = re.compile(r"^\s*(?:~|-|–|—|to|부터)\s*$")
_WEEK_WORD = re.compile(r"\bweek\b|주차|\bwk\b", re.IGNORECASE)


@dataclass(frozen=True)
class PartialDate:
    """A date as written: the year may be missing (``11/13``)."""

    year: int | None
    month: int
    day: int

    def with_year(self, year: int) -> date:
        """The date in ``year`` (or its own year). ImpossibleDate when there is none."""
        full_year = self.year if self.year is not None else year
        try:
            return date(full_year, self.month, self.day)
        except ValueError:
            raise ImpossibleDate(impossible_reason(full_year, self.month, self.day)) from None

    def is_valid(self) -> bool:
        try:
            date(self.year or 2000, self.month, self.day)  # 2000: a leap year
        except ValueError:
            return False
        return True

    def is_plausible(self) -> bool:
        """Written like a date (month 1-12, day 1-31), even if no calendar has it:
        ``2/30`` is a mistyped date, ``14/45`` is not a date at all."""
        return 1 <= self.month <= 12 and 1 <= self.day <= 31


class ImpossibleDate(ValueError):
    """A date as written that no calendar has; the message says why."""


def impossible_reason(year: int, month: int, day: int) -> str:
    """Why ``year-month-day`` is not a date, in words."""
    if not 1 <= year <= 9999:
        return f"the year {year} is outside 1-9999"
    if month == 2 and day == 29:
        return f"{year} is not a leap year: it has no February 29"
    return f"no such date: {year:04d}-{month:02d}-{day:02d}"


def _from_match(kind: str, groups: tuple[str, ...]) -> PartialDate:
    if kind == "ymd":
        return PartialDate(int(groups[0]), int(groups[1]), int(groups[2]))
    if kind == "yy":
        return PartialDate(2000 + int(groups[0]), int(groups[1]), int(groups[2]))
    return PartialDate(None, int(groups[0]), int(groups[1]))


def find_dates(text: str) -> list[tuple[int, int, PartialDate]]:
    """Every date in ``text`` as (start, end, date), left to right, non-overlapping.
    Impossible dates written like dates (``2/30``) are found too: the caller refuses them
    rather than read the heading as text."""
    found: list[tuple[int, int, PartialDate]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            value = _from_match(kind, m.groups())
            if value.is_plausible():
                found.append((m.start(), m.end(), value))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda item: item[0])


def week_range(text: str) -> tuple[PartialDate, PartialDate] | None:
    """``(start, end)`` if the heading is a week heading with a date range."""
    dates = find_dates(text)
    for (_, end_a, a), (start_b, _, b) in zip(dates, dates[1:]):
        if _RANGE_SEPARATOR.match(text[end_a:start_b]):
            return a, b
    return None


def is_week_heading(text: str) -> bool:
    """Week headings are classified before day headings: they contain dates too."""
    return week_range(text) is not None or bool(_WEEK_WORD.search(text))


def day_date(text: str) -> PartialDate | None:
    """The date of a day heading (``Day 6 (11/13)``, ``2023-11-13``, ``11월 13일``...)."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


@dataclass(frozen=True)
class FileNameDate:
    year: int | None
    date: PartialDate | None


_NAME_FULL = re.compile(r"(?<!\d)(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)")
_NAME_YYMMDD = re.compile(r"^(\d{2})(\d{2})(\d{2})(?!\d)")
_NAME_FOUR = re.compile(r"^(\d{2})(\d{2})(?!\d)")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def date_from_file_name(stem: str) -> FileNameDate:
    """What a file name says: ``2023-11-13``, ``220118_Diary`` (YYMMDD), ``0802-Day1`` (MMDD),
    or just a year (``2023-week2``)."""
    for pattern, has_full_year in ((_NAME_FULL, True), (_NAME_YYMMDD, False)):
        m = pattern.search(stem)
        if m:
            year = int(m.group(1)) if has_full_year else 2000 + int(m.group(1))
            value = PartialDate(year, int(m.group(2)), int(m.group(3)))
            if value.is_valid():
                return FileNameDate(year, value)
    m = _NAME_FOUR.search(stem)
    if m:
        value = PartialDate(None, int(m.group(1)), int(m.group(2)))
        if value.is_valid():
            return FileNameDate(None, value)
    m = _NAME_YEAR.search(stem)
    return FileNameDate(int(m.group(1)) if m else None, None)



# "Day 6", "day_6", "Day6 - Tensor", "6일차": a bootcamp day number without a date.
_DAY_NUMBER = re.compile(r"(?:^|(?<=[^a-z]))day[\s_-]*(\d{1,4})(?!\d)|(?<!\d)(\d{1,4})\s*일차",
                         re.IGNORECASE)
_HEADING_DAY_NUMBER = re.compile(r"^\s*(?:day[\s_-]*(\d{1,4})(?!\d)|(\d{1,4})\s*일차)",
                                 re.IGNORECASE)


def day_number(text: str, *, heading: bool) -> int | None:
    """The N of ``Day N`` (or ``N일차``): a heading must start with it, a file name may hold
    it anywhere (``Day6.md``, ``week2_day6.md``). Day 0 is not a day."""
    m = (_HEADING_DAY_NUMBER.match if heading else _DAY_NUMBER.search)(text)
    if not m:
        return None
    number = int(m.group(1) or m.group(2))
    return number if number >= 1 else None


def nth_study_day(first: date, number: int, *, count_weekends: bool = False) -> date:
    """The date of Day ``number`` when Day 1 is ``first``: bootcamp days count weekdays
    (Day 5 on a Friday, Day 6 on the Monday after), or every day with ``count_weekends``."""
    if count_weekends:
        return first + timedelta(days=number - 1)
    when, rest = first, number - 1
    if first.weekday() < 5:  # from a weekday, each 7 days hold 5 weekdays
        weeks, rest = divmod(rest, 5)
        when += timedelta(weeks=weeks)
    while rest:
        when += timedelta(days=1)
        if when.weekday() < 5:
            rest -= 1
    return when
