"""The whole journal as Markdown files that studylog imports back unchanged.

``export_markdown`` writes one file per ISO week (``2023-W46.md``) or per day
(``2023-11-13.md``). Each day is a ``##`` heading and its body exactly as stored, so the
keyword line stays in the form the day used; re-importing the folder into an empty
database gives the same days, bodies, keywords and keyword cards (tests/test_export_md.py
proves it). The heading is the day's own title where it names the day's date unambiguously
(``Day 6 (11/13)``), else the ISO date. A week file carries the days' week headings and
summaries when every day in it has one, and the tags its days share; a day file carries
its day's tags. Hand-edited card backs, reviews and accepted candidates are not Markdown:
``studylog export json`` carries those.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from studylog.core.journal import dates
from studylog.core.storage.database import Store
from studylog.core.storage.entries import EntryRow, WeekRow
from studylog.errors import StudylogError

Per = Literal["week", "day"]
_HANGUL = re.compile("[\uac00-\ud7a3]")

__all__ = ["DayHeadings", "ExportError", "ExportReport", "Per", "export_markdown",
           "day_heading", "render_days"]


class ExportError(StudylogError, ValueError):
    """The export cannot be written where asked; the message is one line."""


@dataclass(slots=True)
class ExportReport:
    folder: str
    files: int
    days: int


class DayHeadings:
    """Headings for the days of one file, oldest first, as the parser will read them back:
    a date without a year takes the file's year, and moves to the next year where the
    days run from December into January (log_parser's year resolver)."""

    def __init__(self, year: int):
        self.year = year
        self.last: date | None = None

    def heading(self, entry: EntryRow) -> str:
        """The day's title when it reads back as the day's date; otherwise the ISO date."""
        when = date.fromisoformat(entry.date)
        title = entry.title.strip()
        chosen = entry.date
        if title and "\n" not in title and not dates.is_week_heading(title):
            found = dates.day_date(title)
            if found is not None and (found.month, found.day) == (when.month, when.day):
                year = found.year
                if year is None:
                    rolls = self.last is not None and self.last.month == 12 and when.month == 1
                    year = self.year + 1 if rolls else self.year
                if year == when.year:
                    chosen = title
                    if found.year is None:
                        self.year = year
        self.last = when
        return chosen


def day_heading(entry: EntryRow, year: int) -> str:
    """The heading of ``entry`` alone in a file of ``year``."""
    return DayHeadings(year).heading(entry)


def _front_matter(fields: dict[str, object]) -> list[str]:
    # JSON values are YAML: quoted strings and lists read back exactly
    return ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in fields.items()),
            "---", ""]


def _summary(week: WeekRow) -> list[str]:
    label = "주간 요약" if _HANGUL.search(week.summary) else "Weekly summary"
    return [f"> ##### {label}", *(f"> {line}".rstrip() for line in week.summary.split("\n")),
            ""]


def _week_of(title: str, day: str, weeks: dict[str, list[WeekRow]]) -> WeekRow | None:
    found = weeks.get(title, [])
    for week in found:
        if week.start_date and week.end_date and week.start_date <= day <= week.end_date:
            return week
    return found[0] if len(found) == 1 else None


def render_days(entries: list[EntryRow], weeks: dict[str, list[WeekRow]],
                per: Per) -> str:
    """One file's text: front matter, then each day (oldest first) under its heading."""
    first = date.fromisoformat(entries[0].date)
    fields: dict[str, object] = {"date": entries[0].date} if per == "day" \
        else {"year": first.year}
    tags = entries[0].tags
    if tags and all(e.tags == tags for e in entries):
        fields["tags"] = tags
    lines = _front_matter(fields)
    # a week heading gives every day after it that week: only when all days have one
    with_weeks = per == "week" and all(e.week for e in entries)
    week: str | None = None
    headings = DayHeadings(first.year)
    for entry in entries:
        if with_weeks and entry.week and entry.week != week:
            week = entry.week
            lines += [f"# {week}", ""]
            found = _week_of(week, entry.date, weeks)
            if found is not None and found.summary:
                lines += _summary(found)
        lines += [f"## {headings.heading(entry)}", "", entry.body, ""]
    return "\n".join(lines)


def _groups(entries: list[EntryRow], per: Per) -> Iterator[tuple[str, list[EntryRow]]]:
    group: list[EntryRow] = []
    name = ""
    for entry in entries:
        when = date.fromisoformat(entry.date)
        if per == "day":
            key = entry.date
        else:
            iso = when.isocalendar()
            key = f"{iso.year}-W{iso.week:02d}"
        if key != name and group:
            yield name, group
            group = []
        name = key
        group.append(entry)
    if group:
        yield name, group


def export_markdown(store: Store, folder: Path, per: Per = "week",
                    force: bool = False) -> ExportReport:
    """Write every day of the journal under ``folder`` (created; it must be empty unless
    ``force``, which replaces files of the same name), one file per ISO week or per day.
    ExportError when ``folder`` is a file or, without ``force``, holds files."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file: give a folder to export into")
    if not force and folder.is_dir() and any(folder.iterdir()):
        raise ExportError(f"{folder} is not empty: export into a new or empty folder, or "
                          "give --force to replace its files of the same name")
    entries = store.entries.all()
    weeks: dict[str, list[WeekRow]] = {}
    for row in store.entries.weeks():
        weeks.setdefault(row.title, []).append(row)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files = 0
        for name, group in _groups(entries, per):
            (folder / f"{name}.md").write_text(render_days(group, weeks, per),
                                               encoding="utf-8")
            files += 1
    except OSError as exc:
        raise ExportError(f"cannot write to {folder}: {exc.strerror or exc}") from exc
    return ExportReport(str(folder), files, len(entries))
