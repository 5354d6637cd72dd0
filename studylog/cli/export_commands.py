"""``studylog export``: the journal written out. ``export md`` writes Markdown that
studylog imports back (the same days, keywords and cards); ``export json`` writes
everything, and ``import-json`` reads it back."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.backup.backup_file import BackupError, same_file
from studylog.core.backup.json_export import export_json
from studylog.core.backup.json_import import import_json
from studylog.core.backup.restore import describe_contents
from studylog.core.journal.export_md import ExportError, export_markdown

STDOUT = "-"
FORCE_HELP = "Replace the file if it exists (without it an existing file is refused)."


def _target(file: Path, force: bool, stdout_ok: bool = False) -> Path:
    """``file`` checked before anything is written: every export refuses to replace an
    existing file unless --force (as ``export md`` refuses a folder holding files), and
    ``-`` names standard output only where the format is text."""
    if str(file) == STDOUT and not stdout_ok:
        fail("this export cannot go to standard output (-): give a file name")
    path = file.expanduser()
    # the journal itself gets its own refusal from the export, --force or not
    if (not force and path.exists() and not path.is_dir()
            and not same_file(path, get_store().path)):
        fail(f"{path} exists: give --force to replace it, or another file name")
    return path


@click.group("export")
def export_group() -> None:
    """Write the journal out: Markdown that studylog imports back, everything as JSON, or
    the cards for Anki."""


@export_group.command("md")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--per", type=click.Choice(["week", "day"]), default="week", show_default=True,
              help="One file per ISO week (2023-W46.md) or per day (2023-11-13.md).")
@click.option("--force", is_flag=True,
              help="Write into a folder that holds files (files of the same name are "
                   "replaced; others are left alone).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def export_md_command(folder: Path, per: str, force: bool, as_json: bool) -> None:
    """Write every day as Markdown into FOLDER (new or empty, unless --force).

    Each day keeps its text exactly, keyword line included, under a heading with its
    date: importing FOLDER into an empty journal gives the same days, keywords and cards.
    """
    try:
        report = export_markdown(get_store(), folder, "day" if per == "day" else "week",
                                 force=force)
    except ExportError as exc:
        fail(str(exc))
    if as_json:
        emit_json({"folder": report.folder, "files": report.files, "days": report.days})
        return
    click.echo(f"{report.days} day(s) written to {report.files} file(s) in {report.folder}")


@export_group.command("json")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def export_json_command(file: Path, force: bool, as_json: bool) -> None:
    """Everything (days, cards with your edits, candidates, decks, settings, the whole
    review log; never trust) as one JSON file that import-json reads back."""
    file = _target(file, force)
    try:
        report = export_json(get_store(), file)
    except BackupError as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.to_json())
    else:
        rows = report.rows
        click.echo(f"exported to {report.path}: {rows['entries']} days, {rows['cards']} "
                   f"cards, {rows['review_log']} reviews, {rows['candidates']} candidates "
                   f"({report.bytes / 1e6:,.1f} MB, {report.seconds:.1f} s)")


@export_group.command("apkg")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--deck", help="Only this deck's cards (default: every deck).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def export_apkg_command(file: Path, deck: str | None, force: bool, as_json: bool) -> None:
    """The cards as an Anki package (.apkg): front, back and snippet as HTML, source
    dates and tags; importing a later export updates the notes instead of adding them
    again. Each deck goes to the Anki deck studylog::DECK."""
    from studylog.core.anki.apkg_export import AnkiExportError, export_apkg

    file = _target(file, force)
    try:
        report = export_apkg(get_store(), file, deck)
    except AnkiExportError as exc:
        fail(str(exc))
    if as_json:
        emit_json({"path": str(report.path), "notes": report.notes, "decks": report.decks,
                   "seconds": round(report.seconds, 3)})
        return
    click.echo(f"{report.notes} card(s) written to {report.path} "
               f"(Anki decks: {', '.join(report.decks)})")


@export_group.command("anki-txt")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--deck", help="Only this deck's cards (default: every deck).")
@click.option("--force", is_flag=True, help=FORCE_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def export_anki_txt_command(file: Path, deck: str | None, force: bool, as_json: bool) -> None:
    """The cards in Anki's tab-separated text format (Basic note type; the back carries
    the snippet and source dates), for Anki's File > Import. FILE - writes them to
    standard output."""
    from studylog.core.anki.text_export import (
        AnkiExportError,
        export_anki_text,
        write_anki_text,
    )

    if str(file) == STDOUT:
        if as_json:
            fail("--json prints the report on standard output, where - writes the cards: "
                 "give a file name")
        try:
            write_anki_text(get_store(), sys.stdout, deck)
        except AnkiExportError as exc:
            fail(str(exc))
        return
    file = _target(file, force)
    try:
        report = export_anki_text(get_store(), file, deck)
    except AnkiExportError as exc:
        fail(str(exc))
    if as_json:
        emit_json({"path": str(report.path), "notes": report.notes,
                   "seconds": round(report.seconds, 3)})
        return
    click.echo(f"{report.notes} card(s) written to {report.path}")


@click.command("import-json")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace a journal that holds something (it is copied aside first).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_json_command(file: Path, replace: bool, as_json: bool) -> None:
    """Make a JSON export (studylog export json) your journal, whole or not at all;
    its added decks arrive untrusted."""
    try:
        report = import_json(get_store(), file, replace=replace)
    except BackupError as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(f"imported {report.source}: {describe_contents(report.imported)}")
    if report.untrusted_decks:
        click.echo(f"  untrusted until you trust them: {', '.join(report.untrusted_decks)}")
    if report.safety_copy is not None:
        click.echo(f"  the journal it replaced is kept in {report.safety_copy.path}")


COMMANDS = [export_group, import_json_command]
