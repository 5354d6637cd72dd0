"""How cards' scheduling fields read in tables and detail views."""

from __future__ import annotations

from datetime import datetime

from studylog.core.review.scheduling import format_interval
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
