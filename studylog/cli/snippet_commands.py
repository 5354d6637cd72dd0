"""Snippet and deck commands: snippets, run, deck add, trust."""

from __future__ import annotations

import signal
import sys
from typing import TYPE_CHECKING

import click

from studylog.cli.context import card_id, emit_json, fail, get_store
from studylog.core.cards.deck_library import add_deck, trust_deck
from studylog.core.cards.deck_parser import DeckError
from studylog.core.cards.snippet_trust import (
    list_own_code,
    list_snippets,
    runs_confined,
    snippet_to_run,
)
from studylog.errors import StudylogError

if TYPE_CHECKING:
    from studylog.runner.events import RunEvent, RunResult

DEFAULT_TIMEOUT_S = 60.0


@click.command("snippets")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def snippets_command(as_json: bool) -> None:
    """List runnable snippets with their card, deck and whether the deck is trusted,
    then the cards whose back quotes code you wrote (run them: studylog run CARD_ID)."""
    store = get_store()
    rows = list_snippets(store)
    own = list_own_code(store)
    if as_json:
        emit_json([{"name": r.snippet.name, "card": r.card, "card_id": r.card_id,
                    "deck": r.snippet.deck, "trusted": r.snippet.trusted, "kind": "deck"}
                   for r in rows]
                  + [{"name": c.name, "card": c.front, "card_id": c.card_id,
                      "deck": c.deck, "trusted": True, "kind": c.kind,
                      "blocks": c.blocks, "first_line": c.first_line} for c in own])
        return
    for r in rows:
        s = r.snippet
        mark = "" if s.trusted else "  (untrusted: studylog trust " + s.deck + ")"
        click.echo(f"{s.name:<36} {s.deck}{mark}")
    if own:
        click.echo("\nyour own code (studylog run CARD_ID [--block N]):")
    for c in own:
        more = f"  (+{c.blocks - 1} more)" if c.blocks > 1 else ""
        click.echo(f"{c.card_id:>5}  {c.front:<28} {c.first_line}{more}")


def _exit_status(result: RunResult) -> int:
    if result.stopped:
        return 130
    if result.timed_out:
        return 124
    if result.signal_name:
        return 128 + int(getattr(signal, result.signal_name, signal.SIGKILL))
    return result.exit_code if result.exit_code is not None else 1


@click.command("run")
@click.argument("target")
@click.option("--timeout", "timeout_s", type=click.FloatRange(min=0, min_open=True),
              help="Seconds before the run is killed (default: the card's, else 60).")
@click.option("--block", type=click.IntRange(min=1), default=1, show_default=True,
              help="With CARD_ID: which of its runnable blocks (the order of cards --json's "
                   "snippets: your own code first, then a linked deck snippet).")
def run_command(target: str, timeout_s: float | None, block: int) -> None:
    """Run a snippet by NAME or by the CARD_ID of a card that has one.

    A card whose back quotes Python you wrote runs your first block (--block N picks
    another); your own code runs as yours, never asking for trust.

    Output streams live, all of it; the exit status is the snippet's. Ctrl+C stops it
    (and any processes it started). A snippet from an added deck runs confined.
    """
    store = get_store()
    try:
        if not target.isdigit() and block != 1:
            fail("--block goes with a CARD_ID, not a snippet name")
        snippet = (snippet_to_run(store, card_id=card_id(target), block=block)
                   if target.isdigit() else snippet_to_run(store, name=target))
    except StudylogError as exc:
        fail(str(exc))
    from studylog.runner import SnippetRunner

    timeout = timeout_s or snippet.timeout or DEFAULT_TIMEOUT_S
    progress = {"stdout": False, "stderr": False}

    def show(event: RunEvent) -> None:
        err = event.stream == "stderr"
        if event.kind == "progress":
            click.echo("\r" + event.text, nl=False, err=err)
            progress[event.stream] = True
            return
        prefix = "\r" if progress[event.stream] else ""
        progress[event.stream] = False
        click.echo(prefix + event.text, err=err)

    # Every line live: a terminal keeps up by slowing the snippet down, so nothing is
    # thinned out and the last lines (the result) always show.
    with SnippetRunner(live_lines_per_s=None) as runner:
        handle = runner.launch(snippet.code, name=snippet.name, timeout_s=timeout,
                               confined=runs_confined(snippet))
        try:
            result = handle.wait(show)
        except KeyboardInterrupt:  # wait() has stopped the run and its process group
            click.echo(f"\n[{snippet.name}] stopped", err=True)
            sys.exit(130)
    click.echo(f"[{snippet.name}] {result.outcome()} ({result.elapsed_s:.2f} s)", err=True)
    sys.exit(_exit_status(result))


@click.group("deck")
def deck_group() -> None:
    """Decks from elsewhere: add a deck file someone else wrote."""


@deck_group.command("add")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def deck_add_command(path: str) -> None:
    """Add or update a deck from a Markdown file (see docs/decks.md).

    Re-adding an edited file updates its cards and keeps their review history. An added
    deck's snippets do not run until you trust the deck (studylog trust DECK).
    """
    from pathlib import Path

    try:
        report = add_deck(get_store(), Path(path))
    except DeckError as exc:
        fail(f"{Path(path).name}: {exc}")
    click.echo(f"deck '{report.deck}': {len(report.new_cards)} new, "
               f"{report.updated_cards} updated, {report.orphaned_cards} no longer in the file")
    click.echo(f"its snippets are untrusted until: studylog trust '{report.deck}'")


@click.command("trust")
@click.argument("deck")
def trust_command(deck: str) -> None:
    """Trust DECK: allow its snippets to run (read them first: studylog snippets)."""
    try:
        trust_deck(get_store(), deck)
    except DeckError as exc:
        fail(str(exc))
    click.echo(f"deck '{deck}' is trusted: its snippets may run")
    from studylog.runner import available_confinement

    warning = available_confinement().warning()
    if warning:
        click.echo(f"note: {warning}", err=True)


COMMANDS = [snippets_command, run_command, deck_group, trust_command]
