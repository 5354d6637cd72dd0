"""``studylog import-anki``: Anki decks in (export to Anki is ``export apkg``)."""

from __future__ import annotations

from pathlib import Path

import click

from studylog.cli.context import emit_json, fail, get_store


@click.command("import-anki")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--into", metavar="DECK",
              help="Put every note in this deck (default: each note's Anki deck).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_anki_command(file: Path, into: str | None, as_json: bool) -> None:
    """Bring an Anki deck in: a package (.apkg, .colpkg) or Anki's text export (.txt).

    Each note becomes a card (first field the front, the others the back, HTML as
    Markdown, tags kept) in a deck named after its Anki deck (A::B stays A::B), with
    its review history. Importing the same file again updates those cards instead of
    adding them again. All or nothing: a file that cannot be read changes nothing.
    """
    from studylog.core.anki.anki_import import AnkiImportError, import_anki

    try:
        report = import_anki(get_store(), file, into)
    except AnkiImportError as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(f"imported {report.source.name} into {', '.join(report.decks)}: "
               f"{report.new_cards} new, {report.updated_cards} updated, "
               f"{report.unchanged_cards} unchanged card(s), {report.reviews} review(s)"
               + (f"; {report.skipped_notes} note(s) skipped" if report.skipped_notes else ""))


COMMANDS = [import_anki_command]
