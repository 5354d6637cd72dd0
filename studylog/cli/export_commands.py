"""``studylog export``: the journal written out. ``export md`` writes Markdown that
studylog imports back (the same days, keywords and cards)."""

from __future__ import annotations

from pathlib import Path

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.journal.export_md import ExportError, export_markdown


@click.group("export")
def export_group() -> None:
    """Write the journal out (Markdown that studylog imports back)."""


@export_group.command("md")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--per", type=click.Choice(["week", "day"]), default="week", show_default=True,
              help="One file per ISO week (2023-W46.md) or per day (2023-11-13.md).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def export_md_command(folder: Path, per: str, as_json: bool) -> None:
    """Write every day as Markdown into FOLDER (new or empty).

    Each day keeps its text exactly, keyword line included, under a heading with its
    date: importing FOLDER into an empty journal gives the same days, keywords and cards.
    """
    try:
        report = export_markdown(get_store(), folder, "day" if per == "day" else "week")
    except ExportError as exc:
        fail(str(exc))
    if as_json:
        emit_json({"folder": report.folder, "files": report.files, "days": report.days})
        return
    click.echo(f"{report.days} day(s) written to {report.files} file(s) in {report.folder}")


COMMANDS = [export_group]
