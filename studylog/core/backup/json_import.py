"""``studylog import-json FILE``: a JSON export (``json_export``) becomes the journal.

The export is checked whole before anything changes (its format and version, the
schema it came from, every table and column known, every row the right length), loaded
into a staging database of the schema it was written from, migrated to this one, and
copied over the journal in one transaction, as a restore is. Into an empty journal, or
over one that holds something with ``--replace`` (after a safety copy). Trust is never
imported: added decks arrive untrusted (``studylog trust`` them again).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studylog.core.backup.backup_file import BackupError
from studylog.core.backup.json_export import FORMAT, VERSION
from studylog.core.backup.restore import refuse_unless_empty
from studylog.core.backup.safety_copies import SafetyCopy, take_safety_copy
from studylog.core.storage.database import Store, StoreError
from studylog.core.storage.database_copies import (
    Contents,
    CopyError,
    contents,
    copy_in,
    match_page_size,
    page_size,
    remove_database_file,
)
from studylog.core.storage.migrations import migrations
from studylog.core.storage.table_dump import (
    NEVER_DUMPED,
    TABLES,
    Rows,
    create_staging,
    load_tables,
    staging_columns,
)


@dataclass(frozen=True, slots=True)
class ImportJsonReport:
    """What was imported, what it needed, and the copy of the journal it replaced."""

    source: Path
    migrated: list[str]
    safety_copy: SafetyCopy | None
    imported: Contents
    untrusted_decks: list[str]  # added decks: run their snippets only after `trust`
    seconds: float

    def to_json(self) -> dict[str, object]:
        return {"source": str(self.source), "migrated": self.migrated,
                "safety_copy": None if self.safety_copy is None else str(self.safety_copy.path),
                "entries": self.imported.entries, "cards": self.imported.cards,
                "reviews": self.imported.reviews, "candidates": self.imported.candidates,
                "untrusted_decks": self.untrusted_decks, "seconds": round(self.seconds, 3)}


def _read(source: Path) -> dict[str, Any]:
    try:
        with open(source, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BackupError(f"no export file {source}") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{source} not imported: not valid JSON (line {exc.lineno}, "
                          f"column {exc.colno}: {exc.msg}); the journal is unchanged") from exc
    except UnicodeDecodeError as exc:
        raise BackupError(f"{source} not imported: not UTF-8 text (byte {exc.start}); "
                          "the journal is unchanged") from exc
    except OSError as exc:
        raise BackupError(f"cannot read {source}: {exc.strerror or exc}") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{source} not imported: not a studylog JSON export (no "
                          f'"format": "{FORMAT}"); the journal is unchanged')
    return data


def _checked_schema(data: dict[str, Any], refused: str) -> list[str]:
    version, schema = data.get("version"), data.get("schema")
    if not isinstance(version, int) or version > VERSION or version < 1:
        raise BackupError(f"{refused}: export format version {version!r} is not one this "
                          f"studylog reads (1 to {VERSION}): upgrade studylog")
    known = [m.name for m in migrations._migrations]
    if not (isinstance(schema, list) and schema and schema == known[:len(schema)]):
        raise BackupError(f"{refused}: it was written by a newer or different studylog "
                          "(its schema is not one this version knows): upgrade studylog")
    return schema


def _checked_tables(data: dict[str, Any], fitting: dict[str, list[str]], refused: str
                    ) -> list[tuple[str, list[str], Rows]]:
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise BackupError(f'{refused}: no "tables" object')
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise BackupError(f"{refused}: unknown table {unknown[0]!r} (a newer studylog's?)")
    loaded = []
    for table in TABLES:
        part = tables.get(table, {})
        if not isinstance(part, dict) or not all(isinstance(v, list) for v in part.values()):
            raise BackupError(f"{refused}: table {table!r} must map each column to a list")
        extra = [c for c in part if c not in fitting.get(table, [])]
        if extra:
            raise BackupError(f"{refused}: table {table!r} has no column {extra[0]!r}")
        lengths = {len(values) for values in part.values()}
        if len(lengths) > 1:
            raise BackupError(f"{refused}: the columns of {table!r} differ in length")
        # trust is never imported, even when an export carries it
        columns: list[str] = [c for c in part if (table, c) not in NEVER_DUMPED]
        if columns and lengths != {0}:
            rows: Rows = list(zip(*(part[c] for c in columns)))
            loaded.append((table, columns, rows))
    return loaded


def import_json(store: Store, source: Path, *, replace: bool = False) -> ImportJsonReport:
    """Make the JSON export ``source`` the journal of ``store``, whole or not at all."""
    started = time.perf_counter()
    source = Path(source).expanduser()
    refused = f"{source} not imported"
    held = refuse_unless_empty(store, replace, "imported")
    data = _read(source)
    schema = _checked_schema(data, refused)
    staged = store.path.with_name(f".{store.path.stem}.importing-{os.getpid()}.sqlite3")
    remove_database_file(staged)
    try:
        try:
            create_staging(staged, schema)
            tables = _checked_tables(data, staging_columns(staged), refused)
            del data  # the rows live on in ``tables``; the parsed file can go
            problems = load_tables(staged, tables)
        except CopyError as exc:
            raise BackupError(f"{refused}: {exc}; the journal is unchanged") from exc
        if problems:
            raise BackupError(f"{refused}: {problems[0]} ({len(problems)} such problem(s)); "
                              "the journal is unchanged")
        try:
            Store(staged).close()  # the migrations after the export's schema
            match_page_size(staged, page_size(store))
        except (StoreError, CopyError) as exc:
            raise BackupError(f"{refused}: {exc}; the journal is unchanged") from exc
        added = sorted(str(row[columns.index("name")]) for table, columns, rows in tables
                       if table == "decks" for row in rows
                       if row[columns.index("kind")] == "added")
        copy = None if held.empty else take_safety_copy(store, "before-import-json")
        try:
            copy_in(store, staged)
        except CopyError as exc:
            raise BackupError(f"{refused} (the journal is unchanged): {exc}") from exc
    finally:
        remove_database_file(staged)
    known = [m.name for m in migrations._migrations]
    return ImportJsonReport(source, known[len(schema):], copy, contents(store), added,
                            time.perf_counter() - started)
