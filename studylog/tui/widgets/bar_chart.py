"""A vertical bar chart in block characters (eighths of a cell), one column per value,
with the largest value and the first, middle and last labels under it: the due
forecast."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

EIGHTHS = " ▁▂▃▄▅▆▇█"


class BarChart:
    """``values`` as bars ``height`` rows high, each ``bar_width`` cells wide."""

    def __init__(self, values: Sequence[int], labels: Sequence[str], height: int = 4,
                 style: str = "green"):
        self.values = list(values)
        self.labels = list(labels)
        self.height = height
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        top = max(self.values, default=0)
        axis = len(str(top)) + 1
        count = max(1, len(self.values))
        bar = max(1, min(3, (options.max_width - axis) // count))
        for row in range(self.height, 0, -1):
            line = Text(f"{top if row == self.height else '':>{axis - 1}} ", style="dim")
            for value in self.values:
                eighths = round(value / top * self.height * 8) if top else 0
                if value and not eighths:
                    eighths = 1  # a day with cards never looks empty
                filled = max(0, min(8, eighths - (row - 1) * 8))
                line.append((EIGHTHS[filled] * bar).ljust(bar), style=self.style)
            yield line
        width = bar * len(self.values)
        under = [" "] * width
        if self.labels:
            picks = {0: self.labels[0], len(self.labels) // 2: self.labels[len(self.labels) // 2]}
            last = self.labels[-1]
            for index, label in picks.items():
                for k, ch in enumerate(label):
                    if index * bar + k < width:
                        under[index * bar + k] = ch
            start = max(0, width - len(last))
            under[start:] = list(last)[: width - start]
        yield Text(" " * axis + "".join(under), style="dim")


__all__ = ["BarChart"]
