"""The Journal's list of days: newest first, grouped under their year and week, with
keywords (a day shows ``MM-DD`` under its year).

Ten years are 3,650 days under 520 week headings; an ``OptionList`` measures every
option before it draws one (seconds). ``DayList`` lays the days out as cheap line
references and draws only the lines on screen (Textual's Line API)."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from studylog.core.journal.entries import DaySummary
from studylog.tui.errors import ReportsErrors

NO_WEEK = "Other days"
YEAR, HEADING, TITLE, KEYWORDS = 0, 1, 2, 3  # what a line of the list shows
HEADINGS = (YEAR, HEADING)


class DayList(ReportsErrors, ScrollView, can_focus=True):
    """Days under week headings; the highlight moves over days only."""

    DEFAULT_CSS = """
    DayList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .day-list--highlighted {
            color: $block-cursor-blurred-foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .day-list--highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .day-list--heading { text-style: bold; color: $text-disabled; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "day-list--highlighted", "day-list--heading"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    highlighted: reactive[int | None] = reactive(None, always_update=True)

    class _DayMessage(Message):
        """Something happened to ``day`` (``YYYY-MM-DD``) in ``day_list``."""

        def __init__(self, day_list: DayList, day: str) -> None:
            super().__init__()
            self.day_list, self.day = day_list, day

        @property
        def control(self) -> DayList:
            return self.day_list

    class DayHighlighted(_DayMessage):
        """The highlight moved onto ``day``."""

    class DaySelected(_DayMessage):
        """Enter (or a click on the highlighted day) on ``day``."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._days: list[DaySummary] = []  # newest first
        self._drafts: set[str] = set()
        self._conflicts: set[str] = set()
        self._headings: list[str] = []
        self._lines: list[tuple[int, int]] = []  # (what it shows, index)
        self._first_line: list[int] = []  # day index -> its title line
        self._index: dict[str, int] = {}  # date -> day index

    # -- data ------------------------------------------------------------------------
    def set_days(self, days: list[DaySummary], drafts: set[str] | None = None,
                 conflicts: set[str] | None = None) -> None:
        """Show ``days`` (any order; shown newest first), marking ``drafts`` and
        ``conflicts``; the highlight stays on its day when it is still listed, else goes
        to the newest day."""
        kept = self.highlighted_day
        self._days = sorted(days, key=lambda d: d.date, reverse=True)
        self._drafts, self._conflicts = drafts or set(), conflicts or set()
        self._headings, self._lines, self._first_line = [], [], []
        year, week = "", "\0"
        for index, day in enumerate(self._days):
            if day.date[:4] != year:  # a new year starts its weeks over
                year, week = day.date[:4], "\0"
                self._lines.append((YEAR, len(self._headings)))
                self._headings.append(year)
            if (day.week or "") != week:
                week = day.week or ""
                self._lines.append((HEADING, len(self._headings)))
                self._headings.append(week or NO_WEEK)
            self._first_line.append(len(self._lines))
            self._lines.append((TITLE, index))
            if day.keywords:
                self._lines.append((KEYWORDS, index))
        self._index = {day.date: i for i, day in enumerate(self._days)}
        self.virtual_size = Size(self.size.width, len(self._lines))
        if not (kept and self.select_day(kept)):
            self.highlighted = 0 if self._days else None
        self.refresh()

    @property
    def day_count(self) -> int:
        return len(self._days)

    @property
    def highlighted_day(self) -> str | None:
        if self.highlighted is None or not self._days:
            return None
        return self._days[self.highlighted].date

    def select_day(self, day: str) -> bool:
        """Highlight ``day``; False when the list has no such day."""
        index = self._index.get(day)
        if index is None:
            return False
        self.highlighted = index
        return True

    def highlight_first_day(self) -> None:
        self.highlighted = 0 if self._days else None

    def listed(self) -> list[str]:
        """Every heading and day as plain text (a day with its keyword line), in order;
        for tests and small lists (it lays out every line)."""
        items: list[str] = []
        for kind, index in self._lines:
            text = self._line_text(kind, index, max(10, self.size.width - 2)).plain
            if kind == KEYWORDS:
                items[-1] += "\n" + text
            else:
                items.append(text)
        return items

    # -- the highlight ---------------------------------------------------------------
    def validate_highlighted(self, index: int | None) -> int | None:
        if index is None or not self._days:
            return None
        return max(0, min(index, len(self._days) - 1))

    def watch_highlighted(self, index: int | None) -> None:
        if index is None:
            return
        self._scroll_to_day(index)
        if not self.scrollable_content_region.height:  # not laid out yet: after that
            self.call_after_refresh(self._scroll_to_day, index)
        self.refresh()
        self.post_message(self.DayHighlighted(self, self._days[index].date))

    def _scroll_to_day(self, index: int) -> None:
        if index >= len(self._first_line):
            return  # (the days changed since this was asked)
        first = self._first_line[index]
        last = first + (1 if self._days[index].keywords else 0)
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if first < top or (index == 0 and top > 0):
            # scrolling up shows the headings just above the day (the newest: the top)
            head = first
            while head and self._lines[head - 1][0] in HEADINGS:
                head -= 1
            self.scroll_to(y=head, animate=False, immediate=True, force=True)
        elif last >= top + height:
            self.scroll_to(y=last - height + 1, animate=False, immediate=True, force=True)

    def _move(self, by: int) -> None:
        if self.highlighted is not None:
            self.highlighted = self.highlighted + by

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height // 2))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height // 2))

    def action_first(self) -> None:
        self.highlight_first_day()

    def action_last(self) -> None:
        if self._days:
            self.highlighted = len(self._days) - 1

    def action_select(self) -> None:
        day = self.highlighted_day
        if day is not None:
            self.post_message(self.DaySelected(self, day))

    def on_click(self, event: events.Click) -> None:
        line = round(self.scroll_y) + event.y
        if not 0 <= line < len(self._lines) or self._lines[line][0] in HEADINGS:
            return
        index = self._lines[line][1]
        if index == self.highlighted:
            self.action_select()
        else:
            self.highlighted = index

    # -- drawing ---------------------------------------------------------------------
    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._lines))
        if self.highlighted is not None and self._days:
            self._scroll_to_day(self.highlighted)

    def _line_text(self, kind: int, index: int, width: int) -> Text:
        if kind == YEAR:
            text = Text(self._headings[index], style="bold underline")
        elif kind == HEADING:
            text = Text(self._headings[index])
        elif kind == TITLE:
            day = self._days[index]
            text = Text(day.date[5:], style="bold")
            text.append(f"  {day.title}")
            if day.date in self._drafts:
                text.append("  (draft)", style="italic")
            if day.date in self._conflicts:
                text.append("  (conflict)", style="bold red")
        else:
            # one line of keywords, cut to the list's width (wide Korean characters
            # count two columns)
            text = Text("       " + ", ".join(self._days[index].keywords), style="dim")
        text.truncate(width, overflow="ellipsis")
        return text

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        line = round(self.scroll_y) + y
        if not 0 <= line < len(self._lines):
            return Strip.blank(width, base)
        kind, index = self._lines[line]
        style: Style = base
        if kind in HEADINGS:
            style += self.get_component_rich_style("day-list--heading")
        elif index == self.highlighted:
            style += self.get_component_rich_style("day-list--highlighted")
        text = self._line_text(kind, index, max(1, width - 2))
        text.pad(1)
        return Strip(text.render(self.app.console)).apply_style(style).crop_extend(
            0, width, style)
