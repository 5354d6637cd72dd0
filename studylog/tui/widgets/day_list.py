"""The Journal's list of days: newest first, grouped under their year and week, with
keywords."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from studylog.core.journal.entries import EntryRow
from studylog.tui.errors import ReportsErrors

NO_WEEK = "Other days"


def day_option_id(day: str) -> str:
    return f"day-{day}"


class DayList(ReportsErrors, OptionList):
    """Options are days (id ``day-YYYY-MM-DD``); year and week headings are disabled
    options (a day shows ``MM-DD`` under its year)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[EntryRow] = []  # kept to lay the list out again on a resize
        self._drafts: set[str] = set()
        self._conflicts: set[str] = set()

    def set_days(self, entries: list[EntryRow], drafts: set[str] | None = None,
                 conflicts: set[str] | None = None) -> None:
        drafts, conflicts = drafts or set(), conflicts or set()
        self._entries, self._drafts, self._conflicts = entries, drafts, conflicts
        highlighted = self.highlighted_day
        region = self.scrollable_content_region.width
        width = region - 1 if region > 10 else 40
        self.clear_options()
        options: list[Option] = []
        year, week = "", "\0"
        for entry in sorted(entries, key=lambda e: e.date, reverse=True):
            if entry.date[:4] != year:  # a new year starts its weeks over
                year, week = entry.date[:4], "\0"
                options.append(Option(Text(year, style="bold underline"), disabled=True))
            if (entry.week or "") != week:
                week = entry.week or ""
                options.append(Option(Text(week or NO_WEEK, style="bold"), disabled=True))
            line = Text(entry.date[5:], style="bold")
            line.append(f"  {entry.title}")
            if entry.date in drafts:
                line.append("  (draft)", style="italic")
            if entry.date in conflicts:
                line.append("  (conflict)", style="bold red")
            line.truncate(width, overflow="ellipsis")
            if entry.keywords:
                # one line of keywords, cut to the list's width (wide Korean characters
                # count two columns)
                keywords = Text("       " + ", ".join(entry.keywords), style="dim")
                keywords.truncate(width, overflow="ellipsis")
                line.append("\n").append_text(keywords)
            options.append(Option(line, id=day_option_id(entry.date)))
        self.add_options(options)
        if highlighted and not self.select_day(highlighted):
            self.highlight_first_day()
        elif not highlighted:
            self.highlight_first_day()

    def on_resize(self) -> None:
        if self._entries:
            self.set_days(self._entries, self._drafts, self._conflicts)

    @property
    def highlighted_day(self) -> str | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return option.id.removeprefix("day-") if option.id else None

    def select_day(self, day: str) -> bool:
        """Highlight ``day``; False when the list has no such day."""
        try:
            self.highlighted = self.get_option_index(day_option_id(day))
        except Exception:  # OptionDoesNotExist
            return False
        return True

    def highlight_first_day(self) -> None:
        for index in range(self.option_count):
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return
