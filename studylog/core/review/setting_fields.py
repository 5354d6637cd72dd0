"""Settings as a person types them: each field read from text, checked, and saved at
once, or refused in one line with nothing written. The settings screen and its tests
use these; the CLI's ``review-settings`` takes typed options instead.

Per deck: new cards per day, reviews per day, desired retention, learning steps, leech
threshold, on/off. Everywhere: when the study day starts, the time zone, the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studylog.core.preferences import save_editor, saved_editor
from studylog.core.review.settings import (
    DeckSettings,
    ReviewError,
    day_config,
    deck_settings,
    format_steps,
    parse_steps,
    set_day_config,
    set_deck_settings,
)
from studylog.core.storage.database import Store


def _whole(label: str, low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ReviewError(f"{label} must be a whole number, got {text.strip()!r}") from None
        if value < low or (high is not None and value > high):
            limits = f"from {low} to {high}" if high is not None else f"at least {low}"
            raise ReviewError(f"{label} must be {limits}, got {value}")
        return value
    return parse


def _retention(text: str) -> float:
    try:
        value = float(text.strip().rstrip("%")) / (100 if text.strip().endswith("%") else 1)
    except ValueError:
        raise ReviewError(f"desired retention must be a number such as 0.9, "
                          f"got {text.strip()!r}") from None
    return value  # its range is checked with the other settings (DeckSettings.validate)


@dataclass(frozen=True)
class DeckField:
    """One per-deck setting: its label, how text becomes its value and back."""

    name: str  # the DeckSettings attribute
    label: str
    parse: Callable[[str], Any]
    show: Callable[[Any], str] = str


DECK_FIELDS = [
    DeckField("new_per_day", "new cards per day", _whole("new cards per day", 0, 9999)),
    DeckField("reviews_per_day", "reviews per day", _whole("reviews per day", 0, 99999)),
    DeckField("desired_retention", "desired retention", _retention, lambda v: f"{v:g}"),
    DeckField("learning_steps", "learning steps", parse_steps, format_steps),
    DeckField("leech_threshold", "leech threshold", _whole("leech threshold", 1, 99)),
]
DECK_FIELD = {f.name: f for f in DECK_FIELDS}


def deck_field_texts(store: Store, deck: str) -> tuple[DeckSettings, dict[str, str]]:
    """A deck's settings, and each field's value as text."""
    settings = deck_settings(store, deck)
    return settings, {f.name: f.show(getattr(settings, f.name)) for f in DECK_FIELDS}


def set_deck_field(store: Store, deck: str, name: str, text: str) -> str:
    """Read ``text`` as the deck setting ``name`` and save it; returns the value as
    shown. ReviewError (one line, nothing written) when it is not valid."""
    field = DECK_FIELD[name]
    value = field.parse(text)
    if name == "learning_steps" and not value:
        raise ReviewError("learning steps: give at least one step, e.g. '1m 10m'")
    saved = set_deck_settings(store, deck, **{name: value})
    return field.show(getattr(saved, name))


def set_deck_enabled(store: Store, deck: str, enabled: bool) -> None:
    """Turn a deck on or off (off: kept, but not reviewed and not counted)."""
    set_deck_settings(store, deck, enabled=enabled)


GLOBAL_FIELDS = {"day_start": "the study day starts at (hour)",
                 "timezone": "time zone", "editor": "editor"}


def global_field_texts(store: Store) -> dict[str, str]:
    """The global settings as text ('' for the time zone: the system's; for the editor:
    $VISUAL or $EDITOR)."""
    config = day_config(store)
    return {"day_start": str(config.start_hour),
            "timezone": str(config.tz) if config.tz is not None else "",
            "editor": saved_editor(store) or ""}


def set_global_field(store: Store, name: str, text: str) -> str:
    """Read and save one global setting; returns it as shown. A StudylogError (one line,
    nothing written) when it is not valid."""
    text = text.strip()
    if name == "day_start":
        hour = _whole("the hour the study day starts", 0, 23)(text)
        set_day_config(store, start_hour=hour)
        return str(hour)
    if name == "timezone":
        set_day_config(store, timezone_name=text)  # '' is the system's zone
        return text
    if name == "editor":
        save_editor(store, text)  # '' is $VISUAL or $EDITOR again
        return text
    raise ReviewError(f"unknown setting: {name}")
