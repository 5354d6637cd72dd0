"""Card commands: give a card its own snippet, turn one of its blocks into a predict
question, revert a hand-edited back to the automatic one (undo puts the edit back)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from studylog.cli.context import card_id, emit_json, fail, get_store
from studylog.errors import StudylogError


@click.group("card")
def card_group() -> None:
    """One card: its own snippet, its predict question, its automatic back."""


def _read_code(source: str) -> str:
    """The code in file SOURCE (``-``: standard input), decoded as a log is (UTF-8,
    UTF-16 with a byte-order mark, CP949), with Unix line ends."""
    from studylog.core.text.decoding import DecodeError, decode_log

    try:
        data = (sys.stdin.buffer.read() if source == "-"
                else Path(source).read_bytes())
        text, _encoding = decode_log(data)
    except OSError as exc:
        fail(f"{source}: {exc.strerror or exc}")
    except DecodeError as exc:
        fail(f"{'standard input' if source == '-' else source}: {exc}")
    return text.replace("\r\n", "\n").replace("\r", "\n")


@card_group.command("snippet")
@click.argument("card")
@click.argument("source", required=False)
@click.option("--remove", is_flag=True, help="Remove the card's own snippet.")
def card_snippet_command(card: str, source: str | None, remove: bool) -> None:
    """Give CARD its own snippet: the code in file SOURCE (- reads standard input).

    It is your code: it runs as yours (never asking for trust, never confined), is
    offered first (studylog run CARD), and stays when the logs are imported again or the
    card's back is rebuilt. Undo with: studylog undo.
    """
    from studylog.core.cards.card_snippet import save_card_snippet

    if remove == (source is not None):
        fail("give a FILE (or - for standard input), or --remove")
    target = card_id(card)
    code = "" if remove else _read_code(source or "-")
    if not remove and not code.strip():
        fail("the snippet is empty: to remove the card's snippet use --remove")
    try:
        outcome = save_card_snippet(get_store(), target, code)
    except StudylogError as exc:
        fail(str(exc))
    lines = len(code.splitlines())
    click.echo({"saved": f"card {target}: snippet saved ({lines} line(s)); run it: "
                         f"studylog run {target}",
                "removed": f"card {target}: its own snippet removed",
                "unchanged": f"card {target}: nothing changed"}[outcome])


@card_group.command("predict")
@click.argument("card")
@click.option("--block", type=click.IntRange(min=1), default=1, show_default=True,
              help="Which runnable block (the order of cards --json's snippets).")
@click.option("--off", is_flag=True, help="Ask no prediction any more (the code stays).")
def card_predict_command(card: str, block: int, off: bool) -> None:
    """Make CARD a predict-then-run question about one of your own blocks: review
    shows the code and asks what it prints; revealing runs it."""
    from studylog.core.cards.card_snippet import predict_block, stop_predicting

    target = card_id(card)
    store = get_store()
    try:
        if off:
            done = stop_predicting(store, target)
            click.echo(f"card {target}: " + ("asks no prediction any more" if done
                                             else "asked no prediction"))
            return
        name = predict_block(store, target, block)
    except StudylogError as exc:
        fail(str(exc))
    click.echo(f"card {target}: review asks what {name} prints")


@card_group.command("revert")
@click.argument("card_ref", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the card's new back as JSON.")
def revert_command(card_ref: str, as_json: bool) -> None:
    """Drop your edit of the card's back: it follows the journal (or its deck) again."""
    from studylog.core.cards.automatic_back import revert_to_automatic_back
    from studylog.core.cards.card_editing import card_detail

    store = get_store()
    number = card_id(card_ref)
    try:
        back = revert_to_automatic_back(store, number)
        front = card_detail(store, number).front
    except StudylogError as exc:
        fail(str(exc))
    if as_json:
        emit_json({"id": number, "front": front, "back": back})
        return
    click.echo(f"card {number} “{front}”: back to the automatic back "
               "(studylog undo puts your edit back)")


COMMANDS = [card_group]
