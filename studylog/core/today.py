"""What the home screen shows: today, its entry, what is due, the writing streak."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from studylog.core.review.queue import QueueCounts, queue_counts
from studylog.core.review.settings import (
    current_study_day,
    enabled_deck_ids,
    settings_by_deck_id,
)
from studylog.core.review.study_day import from_iso, to_iso
from studylog.core.storage.database import Store
from studylog.core.storage.entries import DayRef, EntryRow


@dataclass(slots=True, kw_only=True)
class DeckDue(QueueCounts):
    """What one deck has due now: the queue's counts, by kind, for ``deck``."""

    deck: str


@dataclass(frozen=True, slots=True)
class DeckOff:
    """A deck turned off: kept, not reviewed, not counted."""

    deck: str
    kind: str  # journal | bundled | added
    cards: int


@dataclass(slots=True)
class TodayOverview:
    """The home screen's facts for one study day."""

    day: date
    iso_week: int
    week_title: str | None  # the journal week whose range holds today, if any
    entry: EntryRow | None
    has_draft: bool
    due: list[DeckDue] = field(default_factory=list)
    streak: int = 0
    recent_keywords: list[str] = field(default_factory=list)
    last_entry: DayRef | None = None  # the newest day before today
    reviewed_today: int = 0  # grades given this study day
    next_due: datetime | None = None  # when the next card not due yet falls due
    off: list[DeckOff] = field(default_factory=list)  # decks turned off, by name


def writing_streak(store: Store, today: date, written_today: bool) -> int:
    """Consecutive days with an entry, ending today (or yesterday while today is still
    unwritten: a streak is not broken before the day is over)."""
    last = today if written_today else today - timedelta(days=1)
    return store.entries.days_in_a_row(last.isoformat())


def today_overview(store: Store, now: datetime | None = None,
                   tz: tzinfo | None = None) -> TodayOverview:
    """Everything the home screen shows for the study day holding ``now``."""
    study_day = current_study_day(store, now, tz)
    day = study_day.date
    key = day.isoformat()
    overview = TodayOverview(day, day.isocalendar().week, store.entries.week_title_of(key),
                             store.entries.get(key), store.drafts.get(key) is not None)
    overview.due = [DeckDue(deck=deck, new=c.new, learning=c.learning, review=c.review)
                    for deck, c in sorted(queue_counts(store, now, tz).items())]
    overview.reviewed_today = store.review_log.count_between(study_day.start_iso,
                                                             study_day.end_iso)
    overview.next_due = from_iso(store.queue.next_due_after(  # decks that are on
        to_iso(now or datetime.now(UTC)), enabled_deck_ids(store)))
    overview.off = decks_off(store)
    overview.streak = writing_streak(store, day, overview.entry is not None)
    overview.last_entry = store.entries.last_before(key)
    # newest first, each once
    overview.recent_keywords = list(dict.fromkeys(store.keywords.names_up_to(key, 200)))[:12]
    return overview


def decks_off(store: Store) -> list[DeckOff]:
    """The decks turned off, with their card counts (a new personal journal's bundled
    decks until you turn them on)."""
    settings = settings_by_deck_id(store)
    off = [deck_id for deck_id, s in settings.items() if not s.enabled]
    if not off:
        return []
    counts = store.decks.card_counts()
    kinds = store.decks.kinds_by_id()
    names = store.decks.names_by_id()
    return sorted((DeckOff(names[d], kinds[d], counts.get(d, 0)) for d in off),
                  key=lambda deck: deck.deck)
