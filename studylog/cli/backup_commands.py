"""Backups and their checks: ``backup``, ``restore``, ``doctor``, ``safety-copies``."""

from __future__ import annotations

from pathlib import Path

import click

from studylog.cli.context import cli_context, emit_json, fail, get_store
from studylog.core.backup.backup_file import BackupError, backup_journal
from studylog.core.backup.doctor import (
    DoctorReport,
    check_journal,
    check_unopenable,
    damage,
    set_aside_damaged,
)
from studylog.core.backup.restore import describe_contents, restore_journal
from studylog.core.backup.safety_copies import (
    copies_dir,
    keep_count,
    list_safety_copies,
    set_keep_count,
)
from studylog.core.storage.database import Store, StoreError


def _megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


@click.command("backup")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def backup_command(file: Path, as_json: bool) -> None:
    """Copy the journal to FILE (or a dated file in the folder FILE), consistently,
    even while the app is open or another studylog writes."""
    try:
        report = backup_journal(get_store(), file)
    except BackupError as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(f"backed up to {report.path} ({_megabytes(report.bytes)}, "
                   f"{report.seconds:.1f} s)")


def _store_for_restore(replace: bool) -> Store:
    """The journal to restore into; a journal too damaged to open is moved aside (with
    --replace) so the backup can take its place."""
    context = cli_context()
    try:
        return context.store
    except StoreError as exc:
        problem = damage(context.db_path)
        if problem is None:
            raise
        if not replace:
            fail(f"{exc}; to put the backup in its place: studylog restore --replace FILE")
    aside = set_aside_damaged(context.db_path)
    click.echo(f"moved the damaged journal aside to {aside}", err=True)
    return context.store


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace a journal that holds something (it is copied aside first).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def restore_command(file: Path, replace: bool, as_json: bool) -> None:
    """Make the backup FILE your journal: checked, migrated if older, whole or not at all."""
    try:
        report = restore_journal(_store_for_restore(replace), file, replace=replace)
    except BackupError as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(f"restored {report.source}: {describe_contents(report.restored)}")
    if report.migrated:
        click.echo(f"  upgraded from an older studylog ({len(report.migrated)} step(s))")
    if report.safety_copy is not None:
        click.echo(f"  the journal it replaced is kept in {report.safety_copy.path}")


def _render_doctor(report: DoctorReport) -> str:
    lines = [f"journal: {report.path}"]
    if report.opened:
        lines.append(f"schema version {report.schema_version}")
    if report.contents is not None:
        lines.append(f"holds {describe_contents(report.contents)}")
    lines.append("integrity: ok" if report.ok else "integrity: DAMAGED")
    lines += [f"  {problem}" for problem in report.problems]
    lines.append(f"safety copies ({len(report.copies)}, newest first, the last "
                 f"{report.keep} kept) in {copies_dir(report.path)}:")
    lines += [f"  {c.taken_at:%Y-%m-%d %H:%M} UTC  {c.reason:<28} {_megabytes(c.bytes):>10}  "
              f"{c.path.name}{'  DAMAGED' if c.path in report.copy_damage else ''}"
              for c in report.copies] or ["  (none yet)"]
    return "\n".join(lines + [""] + report.advice())


@click.command("doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def doctor_command(as_json: bool) -> None:
    """Check the journal (SQLite's integrity check), list its safety copies and say how
    to roll back to one. Exit status 1 when the journal is damaged."""
    context = cli_context()
    try:
        # no day's copy here: copying a damaged journal would only push a sound copy
        # out of the kept ones
        report = check_journal(context.open_store(daily_copy=False))
    except StoreError as exc:
        report = check_unopenable(context.db_path, str(exc))
    if as_json:
        emit_json(report.to_json())
    else:
        click.echo(_render_doctor(report))
    if not report.ok:
        raise SystemExit(1)


@click.command("safety-copies")
@click.option("--keep", type=int, help="Keep this many copies (0: take none).")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def safety_copies_command(keep: int | None, as_json: bool) -> None:
    """List the journal's safety copies; --keep N sets how many are kept (default 7)."""
    store = get_store()
    if keep is not None:
        try:
            set_keep_count(store, keep)
        except BackupError as exc:
            fail(str(exc))
    copies = list_safety_copies(store.path)
    if as_json:
        emit_json({"dir": str(copies_dir(store.path)), "keep": keep_count(store),
                   "copies": [c.to_json() for c in copies]})
        return
    click.echo(f"{len(copies)} safety cop{'y' if len(copies) == 1 else 'ies'} in "
               f"{copies_dir(store.path)} (the last {keep_count(store)} kept)")
    for c in copies:
        click.echo(f"  {c.taken_at:%Y-%m-%d %H:%M} UTC  {c.reason:<28} {c.path}")


COMMANDS = [backup_command, restore_command, doctor_command, safety_copies_command]
