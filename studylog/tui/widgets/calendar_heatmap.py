"""A calendar heatmap: one cell per day, a column per week (Monday on top), the colour
saying how much was done, as on GitHub's contribution calendar. Drawn with Rich text so it
reads in any terminal; a day can also be marked (●) — Today marks the days written."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

LEVELS = ["grey37", "green4", "green3", "green1", "bold bright_green"]
ROW_LABELS = ["Mon", "", "Wed", "", "Fri", "", "Sun"]


def level(count: int, top: int) -> int:
    """0 for nothing, else 1-4 by the share of the busiest day."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, 1 + (4 * count - 1) // top)


class Heatmap:
    """A Rich renderable of up to ``weeks`` weeks ending with the week of ``end``: as
    many of the newest weeks as fit the width, two cells a day when there is room."""

    def __init__(self, counts: Mapping[date, int], end: date, weeks: int = 53,
                 marked: set[date] | None = None, labels: bool = True):
        self.counts = counts
        self.end = end
        self.weeks = weeks
        self.marked = marked or set()
        self.labels = labels

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        gutter = 4 if self.labels else 0
        room = options.max_width - gutter
        cell = 2 if room >= 2 * self.weeks else 1
        weeks = max(1, min(self.weeks, room // cell))
        first = self.end - timedelta(days=self.end.weekday(), weeks=weeks - 1)
        top = max((n for d, n in self.counts.items() if first <= d <= self.end), default=0)
        yield Text(" " * gutter + self._months(first, weeks, cell), style="dim")
        for weekday in range(7):
            row = Text(f"{ROW_LABELS[weekday]:<4}" if self.labels else "", style="dim")
            for w in range(weeks):
                day = first + timedelta(weeks=w, days=weekday)
                if day > self.end:
                    break
                count = self.counts.get(day, 0)
                glyph = "●" if day in self.marked else ("■" if count else "·")
                style = "cyan" if day in self.marked and not count else \
                    LEVELS[level(count, top)]
                row.append(glyph.ljust(cell), style=style)
            yield row

    @staticmethod
    def _months(first: date, weeks: int, cell: int) -> str:
        """Month names above the first week that starts in each month."""
        line = [" "] * (weeks * cell)
        for w in range(weeks):
            monday = first + timedelta(weeks=w)
            at = w * cell
            if monday.day <= 7 and at + 3 <= len(line) and \
                    all(c == " " for c in line[max(0, at - 1):at + 3]):
                line[at:at + 3] = monday.strftime("%b")
        return "".join(line).rstrip()


__all__ = ["Heatmap", "level"]
