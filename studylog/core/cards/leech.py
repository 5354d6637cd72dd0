"""The leech tag: a card that keeps lapsing is tagged ``leech`` (and suspended) by the
review core, and the tag stays, whatever a deck update says about the card's tags."""

from __future__ import annotations

LEECH_TAG = "leech"


def with_leech(tags: list[str]) -> list[str]:
    """``tags`` with the leech tag added (once)."""
    return tags if LEECH_TAG in tags else [*tags, LEECH_TAG]


def keep_leech(stored: list[str], new: list[str]) -> list[str]:
    """The tags a deck update writes: ``new``, keeping the leech tag of ``stored``."""
    return with_leech(new) if LEECH_TAG in stored else new
