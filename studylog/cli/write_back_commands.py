"""Your Markdown files and the app's saves: ``write-back`` (saving a day rewrites it in
its file) and ``journal-folder`` (where days written in the app get a file)."""

from __future__ import annotations

import click

from studylog.cli.context import emit_json, fail, get_store
from studylog.core.journal.journal_settings import (
    JournalSettingsError,
    folder_path,
    journal_settings,
    set_journal_folder,
    set_write_back,
)


def _status() -> dict[str, object]:
    settings = journal_settings(get_store())
    return {"write_back": settings.write_back, "folder": settings.folder,
            "per": settings.per}


@click.command("write-back")
@click.argument("state", required=False, type=click.Choice(["on", "off"]))
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def write_back_command(state: str | None, as_json: bool) -> None:
    """Show, or turn on or off, writing saved days back to their files.

    On: saving a day in the app rewrites that day's section of the file it came from
    (every other byte stays), and a day written in the app gets a file in the journal
    folder (studylog journal-folder). A file changed since its last import is left
    alone. Off by default.
    """
    if state is not None:
        set_write_back(get_store(), state == "on")
    status = _status()
    if as_json:
        emit_json(status)
        return
    folder = status["folder"] or "not set (studylog journal-folder DIR)"
    click.echo(f"write-back: {'on' if status['write_back'] else 'off'}; journal folder: "
               f"{folder}, one file per {status['per']}")


@click.command("journal-folder")
@click.argument("folder", required=False)
@click.option("--per", type=click.Choice(["week", "day"]), default="week", show_default=True,
              help="New days go to a week file (Day N (MM/DD) sections) or a day file "
                   "(front matter date).")
@click.option("--off", "off", is_flag=True, help="Days written in the app get no file.")
def journal_folder_command(folder: str | None, per: str, off: bool) -> None:
    """Set the folder where days written in the app get a file (with write-back on)."""
    if folder is None and not off:
        fail("give a folder, or --off")
    try:
        # the text as typed: Path("") is ".", which would quietly name the current folder
        path = None if off or folder is None else folder_path(folder)
        set_journal_folder(get_store(), path, "day" if per == "day" else "week")
    except JournalSettingsError as exc:
        empty = folder is not None and not folder.strip()
        fail(f"{exc}" + ("; to turn the journal folder off: studylog journal-folder --off"
                         if empty else ""))
    status = _status()
    click.echo(f"journal folder: {status['folder'] or 'none'}, one file per {status['per']}"
               + ("" if status["write_back"] else " (write-back is off: studylog "
                  "write-back on)"))


COMMANDS = [write_back_command, journal_folder_command]
