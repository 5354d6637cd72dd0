"""Counts in words: "1 review on 1 day", "3 reviews on 2 days" (the CLI and the app say
them the same way)."""

from __future__ import annotations

__all__ = ["counted"]


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and the noun in the number it takes: ``counted(1, "day")`` is "1 day",
    ``counted(2, "day")`` "2 days"; ``plural`` for nouns not made with an s."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"
