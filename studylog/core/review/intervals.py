"""Intervals as people read them on an answer button or Today's "next due in".

Its own module so that showing one (Today, the card screen) does not import the
scheduler and the fsrs package.
"""

from __future__ import annotations


def format_interval(seconds: float) -> str:
    """A short label for an answer button: '<1m', '10m', '3h', '4d', '3.2mo', '1.5y'."""
    def short(value: float, unit: str) -> str:
        text = f"{value:.1f}".removesuffix(".0") if value < 10 else f"{round(value)}"
        return text + unit

    minutes, days = seconds / 60, seconds / 86400
    if minutes < 1:
        return "<1m"
    if minutes < 59.5:
        return f"{round(minutes)}m"
    if days < 1:
        return short(minutes / 60, "h")
    if days < 29.5:
        return f"{round(days)}d"
    if days < 365:
        return short(days / 30, "mo")
    return short(days / 365, "y")
