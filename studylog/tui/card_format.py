"""How cards' scheduling fields read in tables and detail views."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from studylog.core.review.intervals import format_interval
from studylog.core.review.study_day import from_iso


def due_label(due: str | None, now: datetime, suspended: bool = False) -> str:
    if suspended:
        return "suspended"
    moment = from_iso(due)
    if moment is None:
        return "new"
    seconds = (moment - now).total_seconds()
    return "now" if seconds <= 0 else f"in {format_interval(seconds)}"


def stability_label(stability: float | None) -> str:
    return "—" if stability is None else f"{stability:.1f}d"


# a flag's colour where it is shown: the ones that keep a card from review stand out
FLAG_STYLES = {"buried": "yellow", "suspended": "bold yellow", "orphaned": "magenta",
               "leech": "bold red", "edited": "cyan"}


def flag_marks(flags: list[str]) -> Text:
    """``  ·  leech  ·  edited``: a card's flags after its state, each in its colour."""
    marks = Text()
    for flag in flags:
        marks.append("  ·  ", style="dim")
        marks.append(flag, style=FLAG_STYLES[flag])
    return marks


def state_with_flags(state: str, flags: list[str]) -> str:
    """A card's state and flags in one table cell: ``new·buried``."""
    return "·".join([state, *flags])
