"""What an imported file's stored hash records: its bytes, the dating options it was
imported with and the parser version, so an unchanged file is skipped and a file read
by an older parser is read again with the same dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Dating:
    """The options that decide a file's dates: ``--year``, ``--first-day``,
    ``--count-weekends``."""

    year: int | None = None
    first_day: date | None = None
    count_weekends: bool = False

    def given(self) -> bool:
        return self.year is not None or self.first_day is not None


@dataclass(frozen=True)
class SourceKey:
    digest: str
    dating: Dating
    parser_version: int

    def dump(self) -> str:
        d = self.dating
        return (f"{self.digest}|{d.year}|{self.parser_version}|"
                f"{d.first_day.isoformat() if d.first_day else None}|{int(d.count_weekends)}")

    @classmethod
    def load(cls, stored: str | None) -> SourceKey:
        """``digest|year|version|first_day|weekends``; older rows hold ``digest|year``
        (parser version 1) or ``digest|year|version``."""
        parts = (stored or "").split("|") + [""] * 5
        year = int(parts[1]) if parts[1].isdigit() else None
        version = int(parts[2]) if parts[2].isdigit() else 1
        try:
            first_day = date.fromisoformat(parts[3]) if parts[3] not in ("", "None") else None
        except ValueError:
            first_day = None
        return cls(parts[0], Dating(year, first_day, parts[4] == "1"), version)
