"""What a screen would read on its first open, read ahead in a thread once Today is
filled in: Stats' figures (a year of reviews at ten years takes ~150 ms to count), the
Journal's days and the Cards' first ids (30-45 ms each at ten years, which a first open
otherwise waited for while it drew its first frame). A screen takes them once, only
while nothing has committed since (the data version) and, for what moves with the
clock, they are no older than it allows; else it reads them as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from studylog.core.changes import Version

T = TypeVar("T")


@dataclass
class ReadAhead(Generic[T]):
    version: Version  # the database's data version when reading began
    at: datetime  # the app's clock then: what was read is of this moment
    value: T | None = None  # set by the reading thread when it is done

    def fresh(self, version: Version, now: datetime | None = None,
              stale_after: timedelta | None = None) -> T | None:
        """What was read, if it is done and still true: nothing committed since, and
        (given ``stale_after``) read no longer than that before ``now``."""
        if self.value is None or version != self.version:
            return None
        if stale_after is not None and now is not None and \
                not timedelta(0) <= now - self.at <= stale_after:
            return None
        return self.value


__all__ = ["ReadAhead"]
