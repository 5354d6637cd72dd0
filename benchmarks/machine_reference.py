"""A fixed piece of the app's kind of work, timed beside a benchmark: this 2-core VM
shares its host, and the same code can take twice as long for minutes at a time. When a
benchmark's numbers and this reference move together, the machine was slow, not the app.

``rich_reference_ms``: drawing a fixed Rich table (60 rows, 4 columns of Korean and
English text) and a year's calendar heatmap to text, what Textual does for a screen's
first frame (~10 ms on this machine at its usual speed). ``fork_reference_ms``: forking
a child that exits at once and waiting for it, what a snippet run starts with."""

from __future__ import annotations

import io
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta

WORDS = ["tensor", "stride", "gradient", "hook", "개념을", "정리했다", "실습에서", "이해가"]


def _rich_work() -> None:
    from rich.console import Console
    from rich.table import Table

    from studylog.tui.widgets.calendar_heatmap import Heatmap

    rng = random.Random(7)
    table = Table("id", "front", "back", "due")
    for i in range(60):
        table.add_row(str(i), " ".join(rng.choices(WORDS, k=2)),
                      " ".join(rng.choices(WORDS, k=12)), "2026-12-01")
    end = date(2026, 12, 1)
    heatmap = Heatmap({end - timedelta(days=d): rng.randint(0, 40) for d in range(365)}, end)
    console = Console(file=io.StringIO(), width=120, color_system="truecolor")
    console.print(table)
    console.print(heatmap)


def median_ms(work: Callable[[], object], times: int) -> float:
    """The median wall time of ``times`` runs of ``work``, in ms."""
    took = []
    for _ in range(times):
        started = time.perf_counter()
        work()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


def rich_reference_ms(times: int = 15) -> float:
    """Median ms of ``times`` draws of the fixed table and heatmap (after one untimed)."""
    _rich_work()
    return median_ms(_rich_work, times)


def _fork_and_wait() -> None:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def fork_reference_ms(times: int = 30) -> float:
    """Median ms of ``times`` forks of a child that exits at once, waited for."""
    return median_ms(_fork_and_wait, times)


__all__ = ["fork_reference_ms", "median_ms", "rich_reference_ms"]
