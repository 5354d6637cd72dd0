"""Review from the command line: due, grade, undo, bury, suspend, unsuspend and the
review settings. Thin wrappers over ``studylog.core.review.scheduling*``; bad input is a one-line
error and a non-zero exit, with nothing written."""

from __future__ import annotations

from collections.abc import Callable

import click

from studylog.cli.context import SQLITE_MAX_INT, card_id, emit_json, fail, get_store
from studylog.core.review.queue import build_queue
from studylog.core.review.scheduling import (
    bury,
    parse_rating,
    record_review,
    suspend,
    unsuspend,
)
from studylog.core.review.settings import (
    ReviewError,
    all_deck_settings,
    day_config,
    deck_settings,
    format_steps,
    set_day_config,
    set_deck_settings,
)
from studylog.core.review.study_day import from_iso
from studylog.core.storage.database import Store
from studylog.core.today import decks_off
from studylog.core.undo.reversal import undo_newest

HUMAN_LINES = 50  # `due` without --json lists this many cards


def _card_id(text: str) -> int:
    return card_id(text)


def _local(instant: str | None) -> str:
    """A stored UTC instant as local 'YYYY-MM-DD HH:MM' (the configured zone)."""
    if instant is None:
        return "-"
    tz = day_config(get_store()).tz
    moment = from_iso(instant)
    if moment is None:
        return "-"
    return (moment.astimezone(tz) if tz else moment.astimezone()).strftime("%Y-%m-%d %H:%M")


@click.command("due")
@click.option("--deck", help="Only this deck.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def due_command(deck: str | None, as_json: bool) -> None:
    """Today's review queue, in study order, within the daily limits."""
    try:
        queue = build_queue(get_store(), deck)
    except ReviewError as exc:
        fail(str(exc))
    if as_json:
        emit_json({"counts": queue.counts.to_json(),
                   "cards": [{"id": c.id, "front": c.front, "deck": c.deck,
                              "state": c.state, "due": c.due} for c in queue.cards]})
        return
    counts = queue.counts
    click.echo(f"new {counts.new} · learning {counts.learning} · review {counts.review}")
    off = [d.deck for d in decks_off(get_store()) if deck in (None, d.deck)]
    if off:
        click.echo(f"off (not reviewed): {', '.join(off)} — turn on with "
                   "studylog review-settings --deck NAME --enabled")
    for c in queue.cards[:HUMAN_LINES]:
        when = f"  due {_local(c.due)}" if c.due else ""
        click.echo(f"{c.id:>6}  {c.deck:<20} {c.state:<10} {c.front}{when}")
    if len(queue.cards) > HUMAN_LINES:
        click.echo(f"... and {len(queue.cards) - HUMAN_LINES} more (--json lists all)")


@click.command("grade")
@click.argument("card_id")
@click.argument("rating")
@click.option("--duration-ms", type=click.IntRange(min=0, max=SQLITE_MAX_INT),
              help="Time spent on the card.")
@click.option("--json", "as_json", is_flag=True, help="Print the new schedule as JSON.")
def grade_command(card_id: str, rating: str, duration_ms: int | None, as_json: bool) -> None:
    """Grade a card: again, hard, good or easy."""
    try:
        result = record_review(get_store(), _card_id(card_id), parse_rating(rating),
                               duration_ms)
    except ReviewError as exc:
        fail(str(exc))
    if as_json:
        emit_json(result.to_json())
        return
    line = (f"card {result.card_id}: {result.rating} -> {result.state}, due in "
            f"{result.interval} ({_local(result.due)})")
    if result.leech:
        line += "; leech: tagged 'leech' and suspended"
    click.echo(line)


@click.command("undo")
@click.option("--json", "as_json", is_flag=True, help="Print what was undone as JSON.")
def undo_command(as_json: bool) -> None:
    """Undo the most recent action of the study day (a grade, bury, suspend, unsuspend,
    card edit, or a delete, rename or merge; in the app or here); repeat to go further
    back."""
    try:
        undone = undo_newest(get_store())
    except ReviewError as exc:
        fail(str(exc))
    if as_json:
        emit_json(undone.to_json())
        return
    click.echo(undone.message + (f", due {_local(undone.due)}" if undone.due else ""))


def _card_command(name: str, action: Callable[[Store, int], str | None], done: str,
                  doc: str) -> click.Command:
    @click.command(name, help=doc)
    @click.argument("card_id")
    def command(card_id: str) -> None:
        card = _card_id(card_id)
        try:
            until = action(get_store(), card)
        except ReviewError as exc:
            fail(str(exc))
        click.echo(f"card {card} {done}" + (f" until {_local(until)}" if until else ""))

    return command


def _suspend_command(name: str, action: Callable[[Store, int], bool], done: str,
                     already: str, doc: str) -> click.Command:
    @click.command(name, help=doc)
    @click.argument("card_id")
    def command(card_id: str) -> None:
        card = _card_id(card_id)
        try:
            changed = action(get_store(), card)
        except ReviewError as exc:
            fail(str(exc))
        click.echo(f"card {card} {done}" if changed else f"card {card} {already}")

    return command


@click.command("review-settings")
@click.option("--deck", help="The deck to show or change (default: show every deck).")
@click.option("--retention", type=float, help="Desired retention, e.g. 0.9.")
@click.option("--learning-steps", help="e.g. '1m 10m'.")
@click.option("--relearning-steps", help="e.g. '10m'.")
@click.option("--max-interval", type=int, help="Maximum interval in days.")
@click.option("--fuzz/--no-fuzz", default=None, help="Spread review intervals a little.")
@click.option("--new-per-day", type=int, help="New cards per day.")
@click.option("--reviews-per-day", type=int, help="Maximum reviews per day.")
@click.option("--leech-threshold", type=int, help="Lapses that make a card a leech.")
@click.option("--enabled/--disabled", "enabled", default=None,
              help="Turn the deck on, or off (kept, but not reviewed and not counted).")
@click.option("--day-starts-at", type=int, help="Hour (0-23) the study day starts, all decks.")
@click.option("--timezone", "tz_name", help="IANA zone for 'today' ('' = the system's).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def settings_command(deck: str | None, retention: float | None, learning_steps: str | None,
                     relearning_steps: str | None, max_interval: int | None,
                     fuzz: bool | None, new_per_day: int | None, reviews_per_day: int | None,
                     leech_threshold: int | None, enabled: bool | None,
                     day_starts_at: int | None, tz_name: str | None,
                     as_json: bool) -> None:
    """Show or change review settings."""
    store = get_store()
    changes = {k: v for k, v in {
        "desired_retention": retention, "learning_steps": learning_steps,
        "relearning_steps": relearning_steps, "maximum_interval": max_interval,
        "enable_fuzzing": fuzz, "new_per_day": new_per_day,
        "reviews_per_day": reviews_per_day, "leech_threshold": leech_threshold,
        "enabled": enabled,
    }.items() if v is not None}
    try:
        if changes and deck is None:
            fail("give --deck NAME to change a deck's settings")
        if day_starts_at is not None or tz_name is not None:
            set_day_config(store, start_hour=day_starts_at, timezone_name=tz_name)
        if changes and deck is not None:
            set_deck_settings(store, deck, **changes)
        decks = {deck: deck_settings(store, deck)} if deck else all_deck_settings(store)
    except ReviewError as exc:
        fail(str(exc))
    config = day_config(store)
    zone = str(config.tz) if config.tz else "system"
    if as_json:
        emit_json({"day_starts_at": config.start_hour, "timezone": zone, "decks": {
            name: {**s.__dict__, "learning_steps": format_steps(s.learning_steps),
                   "relearning_steps": format_steps(s.relearning_steps)}
            for name, s in decks.items()}})
        return
    click.echo(f"study day starts at {config.start_hour:02d}:00 ({zone} time)")
    for name, s in decks.items():
        click.echo(f"{name}{'' if s.enabled else ' (off)'}: retention "
                   f"{s.desired_retention:g}, steps "
                   f"{format_steps(s.learning_steps) or '-'} / "
                   f"{format_steps(s.relearning_steps) or '-'}, max {s.maximum_interval}d, "
                   f"fuzz {'on' if s.enable_fuzzing else 'off'}, {s.new_per_day} new and "
                   f"{s.reviews_per_day} reviews a day, leech at {s.leech_threshold} lapses")


COMMANDS = [
    due_command, grade_command, undo_command,
    _card_command("bury", lambda store, card: bury(store, card), "buried",
                  "Hide a card until the next study day."),
    _suspend_command("suspend", suspend, "suspended",
                     "was already suspended: nothing changed",
                     "Take a card out of review until unsuspended."),
    _suspend_command("unsuspend", unsuspend, "unsuspended",
                     "was not suspended: nothing changed",
                     "Put a suspended card back into review."),
    settings_command,
]

__all__ = ["COMMANDS"]
