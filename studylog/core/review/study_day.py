"""Instants and study days.

Every instant studylog stores is UTC ISO 8601 with microseconds (``...+00:00``), so
instants compare correctly as text in SQL. "Today" is a *study day* in the user's local
zone that starts at 4 AM by default, as in Anki: reviewing at 01:30 still counts for the
day before. The zone is injectable (``tz``); ``None`` means the system's local zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

DEFAULT_DAY_START_HOUR = 4


def utc(now: datetime | None = None) -> datetime:
    """``now`` as an aware UTC datetime (the current time when None). Naive datetimes
    are refused: they would be read in an unknown zone."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return now.astimezone(UTC)


def to_iso(moment: datetime) -> str:
    """The stored form of an instant: UTC, microseconds, ``+00:00``."""
    return utc(moment).isoformat(timespec="microseconds")


def from_iso(text: str | None) -> datetime | None:
    """Parse a stored instant back to an aware UTC datetime."""
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is UTC else utc(moment)


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


def add_local_days(moment: datetime, days: int, tz: tzinfo | None) -> datetime:
    """The instant ``days`` calendar days after ``moment`` at the same local wall time
    (UTC), so a review interval of N days lands N study days later even across a
    daylight-saving change (when 24-hour steps would shift it by an hour)."""
    local = _local(utc(moment), tz).replace(tzinfo=None) + timedelta(days=days)
    aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
    return aware.astimezone(UTC)


def _local_to_utc(day: date, hour: int, tz: tzinfo | None) -> datetime:
    naive = datetime.combine(day, time(hour))
    aware = naive.replace(tzinfo=tz) if tz is not None else naive.astimezone()
    return aware.astimezone(UTC)


@dataclass(frozen=True)
class StudyDay:
    """One study day: its local date and its bounds as UTC instants ``[start, end)``."""

    date: date
    start: datetime
    end: datetime

    @property
    def start_iso(self) -> str:
        return to_iso(self.start)

    @property
    def end_iso(self) -> str:
        return to_iso(self.end)


def study_date(moment: datetime | None, tz: tzinfo | None, start_hour: int) -> date:
    """The local date of the study day holding ``moment`` (``study_day(...).date``
    without working out the day's bounds)."""
    return (_local(utc(moment), tz) - timedelta(hours=start_hour)).date()


def study_day(now: datetime | None = None, tz: tzinfo | None = None,
              start_hour: int = DEFAULT_DAY_START_HOUR) -> StudyDay:
    """The study day containing ``now`` in zone ``tz`` when days start at ``start_hour``
    local time. Daylight-saving changes are handled by the zone (a day may last 23 or
    25 hours)."""
    if not 0 <= start_hour <= 23:
        raise ValueError(f"the study day must start at an hour 0-23, got {start_hour}")
    day = study_date(now, tz, start_hour)
    return StudyDay(day, _local_to_utc(day, start_hour, tz),
                    _local_to_utc(day + timedelta(days=1), start_hour, tz))


def study_day_of(day: date, tz: tzinfo | None = None,
                 start_hour: int = DEFAULT_DAY_START_HOUR) -> StudyDay:
    """The study day whose local date is ``day``, with its UTC bounds."""
    return StudyDay(day, _local_to_utc(day, start_hour, tz),
                    _local_to_utc(day + timedelta(days=1), start_hour, tz))
