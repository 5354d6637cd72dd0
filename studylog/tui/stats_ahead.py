"""Stats' figures counted ahead, in a thread once Today is filled in: a year of reviews
at ten years takes ~150 ms to count, so the first press of S would otherwise wait for it.
The screen takes them only while nothing has committed since (the data version) and they
are no older than the screen's own ``STALE_AFTER``; else it counts them as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studylog.core.changes import Version
    from studylog.core.stats import Stats


@dataclass
class StatsAhead:
    version: Version  # the database's data version when counting began
    at: datetime  # the app's clock then: the figures are of this moment
    stats: Stats | None = None  # set by the counting thread when it is done

    def fresh(self, version: Version, now: datetime, stale_after: timedelta) -> Stats | None:
        """The figures, if they are done and still true at ``now``."""
        if self.stats is None or version != self.version:
            return None
        return self.stats if timedelta(0) <= now - self.at <= stale_after else None


__all__ = ["StatsAhead"]
