"""A card's visible states beside its FSRS state: buried, suspended, orphaned, leech,
edited. Shown in Cards (and filtered there), in review's header and in
``studylog cards --json`` as ``flags``.

- ``buried``: hidden until the next study day (``buried_until`` later than now);
- ``suspended``: out of review until unsuspended;
- ``orphaned``: its keyword (or deck entry) is gone from every log (or the deck file);
- ``leech``: tagged after too many lapses (and suspended then);
- ``edited``: its back was edited by hand, so imports and deck updates no longer
  rewrite it (``revert_to_automatic_back`` undoes that).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from studylog.core.cards.leech import LEECH_TAG
from studylog.core.review.study_day import to_iso, utc

FLAGS = ("buried", "suspended", "orphaned", "leech", "edited")


def card_flags(*, buried_until: str | None, suspended: bool, orphaned: bool,
               tags: list[str], back_edited: bool, now: datetime | None = None) -> list[str]:
    """The flags of one card at ``now`` (default: the current time), in ``FLAGS`` order."""
    now_iso = to_iso(utc(now))
    found = {"buried": buried_until is not None and buried_until > now_iso,
             "suspended": suspended, "orphaned": orphaned, "leech": LEECH_TAG in tags,
             "edited": back_edited}
    return [flag for flag in FLAGS if found[flag]]


class Flagged(Protocol):
    """A card as the lists read it (``CardListing``, ``CardLine``): what its flags come from."""

    @property
    def buried_until(self) -> str | None: ...
    @property
    def suspended(self) -> bool: ...
    @property
    def orphaned(self) -> bool: ...
    @property
    def tags(self) -> list[str]: ...
    @property
    def back_edited(self) -> bool: ...


def listing_flags(card: Flagged, now: datetime | None = None) -> list[str]:
    """The flags of a card as the card lists read it."""
    return card_flags(buried_until=card.buried_until, suspended=card.suspended,
                      orphaned=card.orphaned, tags=card.tags, back_edited=card.back_edited,
                      now=now)
