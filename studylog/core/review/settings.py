"""Review settings: per deck (scheduler parameters, daily limits, leech threshold) and
global (when the study day starts, the time zone).

Per-deck settings live in the ``deck_settings`` table; a deck without a row uses
``DeckSettings()`` defaults. Global settings live in ``meta``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from studylog.core.review.study_day import DEFAULT_DAY_START_HOUR, StudyDay, study_day
from studylog.core.storage.database import Store
from studylog.core.storage.settings import DeckSettingsRow
from studylog.errors import StudylogError

if TYPE_CHECKING:  # fsrs loads when a scheduler is made: Today's counts need none
    import fsrs

META_DAY_START = "review.day_start_hour"
META_TIMEZONE = "review.timezone"


class ReviewError(StudylogError, ValueError):
    """A review request that cannot be done (unknown card, deck or rating, suspended
    card, bad setting...). The message is one line and nothing was written."""


# FSRS schedules sensibly in this range; Anki's own is the same
MIN_RETENTION, MAX_RETENTION = 0.70, 0.99
MAX_STEP = 365 * 86400  # seconds: a learning step of a year at most
# (setting, lowest, highest): Anki caps the maximum interval at 36500 days too
WHOLE_LIMITS = (("maximum_interval", 1, 36500), ("leech_threshold", 1, 99),
                ("new_per_day", 0, 9999), ("reviews_per_day", 0, 99999))


@dataclass(frozen=True)
class DeckSettings:
    """How one deck is scheduled. Steps are in seconds."""

    desired_retention: float = 0.90
    learning_steps: tuple[int, ...] = (60, 600)
    relearning_steps: tuple[int, ...] = (600,)
    maximum_interval: int = 36500  # days
    enable_fuzzing: bool = True
    new_per_day: int = 20
    reviews_per_day: int = 200
    leech_threshold: int = 8  # lapses
    # FSRS parameters fitted to this deck's history (``studylog optimize``); None: the
    # fsrs package's defaults
    parameters: tuple[float, ...] | None = None
    # off: the deck is kept but not reviewed and not counted (bundled decks start off
    # in a personal journal)
    enabled: bool = True

    def scheduler(self) -> fsrs.Scheduler:
        """The ``fsrs.Scheduler`` for these settings (cached; schedulers are stateless)."""
        return _scheduler(self.desired_retention, self.learning_steps, self.relearning_steps,
                          self.maximum_interval, self.enable_fuzzing, self.parameters)

    def validate(self) -> DeckSettings:
        """Return self, or raise ReviewError naming the bad setting."""
        # one set of limits for the app and the CLI; Anki's own ranges where it has them
        if not MIN_RETENTION <= self.desired_retention <= MAX_RETENTION:
            raise ReviewError(f"desired retention must be from {MIN_RETENTION:.2f} to "
                              f"{MAX_RETENTION:.2f}, got {self.desired_retention:g}")
        for name, low, high in WHOLE_LIMITS:
            value = getattr(self, name)
            if not low <= value <= high:
                raise ReviewError(f"{name.replace('_', ' ')} must be from {low} to {high}, "
                                  f"got {value}")
        for name in ("learning_steps", "relearning_steps"):
            if any(step <= 0 for step in getattr(self, name)):
                raise ReviewError(f"{name.replace('_', ' ')} must be positive")
            if any(step > MAX_STEP for step in getattr(self, name)):
                # a step of years would overflow the scheduler's dates
                raise ReviewError(f"{name.replace('_', ' ')}: a step can be at most "
                                  f"{MAX_STEP // 86400}d")
        if self.parameters is not None:
            import fsrs

            expected = len(fsrs.scheduler.DEFAULT_PARAMETERS)
            if len(self.parameters) != expected:
                raise ReviewError(f"FSRS parameters must be {expected} numbers, "
                                  f"got {len(self.parameters)}")
        return self


@lru_cache(maxsize=64)
def _scheduler(retention: float, learning: tuple[int, ...], relearning: tuple[int, ...],
               maximum_interval: int, fuzz: bool,
               parameters: tuple[float, ...] | None) -> fsrs.Scheduler:
    import fsrs

    return fsrs.Scheduler(parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
                          desired_retention=retention,
                          learning_steps=[timedelta(seconds=s) for s in learning],
                          relearning_steps=[timedelta(seconds=s) for s in relearning],
                          maximum_interval=maximum_interval, enable_fuzzing=fuzz)


_STEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_steps(text: str) -> tuple[int, ...]:
    """``"1m 10m"`` -> ``(60, 600)``. Units s, m, h, d; an empty string means no steps."""
    steps = []
    for word in text.replace(",", " ").split():
        m = _STEP.match(word.lower())
        if not m:
            raise ReviewError(f"bad step {word!r}: use a number and a unit s, m, h or d "
                              "(e.g. '1m 10m')")
        steps.append(round(float(m.group(1)) * _UNIT_SECONDS[m.group(2)]))
    return tuple(steps)


def format_steps(steps: tuple[int, ...]) -> str:
    """``(60, 600)`` -> ``"1m 10m"``."""
    out = []
    for seconds in steps:
        for unit in ("d", "h", "m", "s"):
            if seconds % _UNIT_SECONDS[unit] == 0:
                out.append(f"{seconds // _UNIT_SECONDS[unit]}{unit}")
                break
    return " ".join(out)


def resolve_deck(store: Store, deck: str) -> int:
    """The id of the deck named ``deck``; ReviewError when there is none."""
    row = store.decks.get(deck)
    if row is None:
        raise ReviewError(f"no deck named '{deck}'")
    return row.id


def _from_row(row: DeckSettingsRow | None) -> DeckSettings:
    if row is None:
        return DeckSettings()
    return DeckSettings(**{f.name: getattr(row, f.name) for f in fields(DeckSettings)})


def settings_for_deck_id(store: Store, deck_id: int) -> DeckSettings:
    """The settings of the deck with id ``deck_id``."""
    return _from_row(store.settings.deck_settings(deck_id))


def deck_settings(store: Store, deck: str) -> DeckSettings:
    """The settings of the deck named ``deck`` (defaults when never changed)."""
    return _from_row(store.settings.deck_settings(resolve_deck(store, deck)))


def settings_by_deck_id(store: Store) -> dict[int, DeckSettings]:
    """Settings of every deck, by deck id."""
    rows = {r.deck_id: r for r in store.settings.all_deck_settings()}
    return {deck_id: _from_row(rows.get(deck_id)) for deck_id in store.decks.names_by_id()}


def enabled_deck_ids(store: Store) -> list[int]:
    """The decks turned on (a deck turned off is neither reviewed nor counted)."""
    return [deck_id for deck_id, s in settings_by_deck_id(store).items() if s.enabled]


def all_deck_settings(store: Store) -> dict[str, DeckSettings]:
    """Settings of every deck, by deck name (journal decks first)."""
    by_id = settings_by_deck_id(store)
    return {name: by_id[deck_id] for deck_id, name in store.decks.names_by_id().items()}


def set_deck_settings(store: Store, deck: str, **changes: object) -> DeckSettings:
    """Change some settings of one deck (keyword names as in ``DeckSettings``); returns
    the new settings. Steps may be given as text (``"1m 10m"``)."""
    deck_id = resolve_deck(store, deck)
    for name in ("learning_steps", "relearning_steps"):
        value = changes.get(name)
        if isinstance(value, str):
            changes[name] = parse_steps(value)
        elif name in changes:
            changes[name] = tuple(int(s) for s in cast(Iterable[Any], value))
    for name in ("enable_fuzzing", "enabled"):
        if name in changes:
            changes[name] = bool(changes[name])
    unknown = set(changes) - {f.name for f in fields(DeckSettings)}
    if unknown:
        raise ReviewError(f"unknown setting: {', '.join(sorted(unknown))}")
    with store.write():
        new = replace(_from_row(store.settings.deck_settings(deck_id)),
                      **changes).validate()  # type: ignore[arg-type]
        store.settings.save_deck_settings(DeckSettingsRow(deck_id=deck_id, **asdict(new)))
    return new


@dataclass(frozen=True)
class DayConfig:
    """When study days start and in which zone (``tz=None``: the system's zone)."""

    start_hour: int = DEFAULT_DAY_START_HOUR
    tz: tzinfo | None = field(default=None)


def day_config(store: Store, tz: tzinfo | None = None) -> DayConfig:
    """The global day settings; an explicit ``tz`` (tests, the TUI) wins over the
    ``review.timezone`` meta key, which wins over the system zone."""
    hour = int(store.settings.get_meta(META_DAY_START) or DEFAULT_DAY_START_HOUR)
    if tz is None:
        name = store.settings.get_meta(META_TIMEZONE)
        if name:
            try:
                tz = ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                tz = None  # a zone removed from tzdata: fall back to the system zone
    return DayConfig(hour, tz)


def current_study_day(store: Store, now: datetime | None = None,
                      tz: tzinfo | None = None) -> StudyDay:
    """The study day holding ``now`` (default: the current time) under the configured
    day start and zone (``tz`` wins over the configured zone)."""
    config = day_config(store, tz)
    return study_day(now, config.tz, config.start_hour)


def set_day_config(store: Store, *, start_hour: int | None = None,
                   timezone_name: str | None = None) -> None:
    """Set when study days start (hour 0-23) and/or the IANA zone name ('' = system)."""
    if start_hour is not None and not 0 <= start_hour <= 23:
        raise ReviewError(f"the study day must start at an hour 0-23, got {start_hour}")
    if timezone_name:
        try:
            ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ReviewError(f"unknown time zone '{timezone_name}'") from None
    with store.write():
        if start_hour is not None:
            store.settings.set_meta(META_DAY_START, str(start_hour))
        if timezone_name is not None:
            store.settings.set_meta(META_TIMEZONE, timezone_name)
