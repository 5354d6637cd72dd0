"""``studylog export json FILE``: the whole journal as one JSON file, for scripts and
for moving to another machine (``studylog import-json`` reads it back).

Everything of the user's, as the tables hold it: days with their keywords and passages,
cards with their hand edits and schedules, snippets (edited code included), pending and
rejected candidates, decks, settings, drafts and the whole review log, read in one
snapshot. Never trust: whether a deck's snippets may run is decided again on the
machine that imports it. The layout (``docs/backup.md``)::

    {"format": "studylog-json", "version": 1, "exported_at": "...",
     "schema": ["0001_initial", ...],
     "tables": {"entries": {"id": [1, 2, ...], "date": ["2023-11-13", ...], ...}, ...}}

Each table is its columns, each column the array of its values in primary-key order (a
table's arrays have one length; ``pandas.DataFrame(tables["review_log"])`` reads one).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from studylog.core.backup.backup_file import BackupError, same_file
from studylog.core.storage.database import Store
from studylog.core.storage.database_copies import CopyError
from studylog.core.storage.table_dump import (
    TABLES,
    applied_migrations,
    count_rows,
    dump_table,
    read_snapshot,
)

FORMAT = "studylog-json"
VERSION = 1


@dataclass(frozen=True, slots=True)
class ExportReport:
    """Where the export went and how much it holds."""

    path: Path
    rows: dict[str, int]  # table -> rows written
    bytes: int
    seconds: float

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "format": FORMAT, "version": VERSION,
                "rows": self.rows, "bytes": self.bytes, "seconds": round(self.seconds, 3)}


def export_json(store: Store, dest: Path, now: datetime | None = None) -> ExportReport:
    """Write the whole journal to ``dest`` as JSON (replaced whole, or not at all)."""
    started = time.perf_counter()
    dest = Path(dest).expanduser()
    if same_file(dest, store.path):
        raise BackupError(f"{dest} is the journal itself: give the export another file")
    if dest.is_dir() or not dest.parent.is_dir():
        raise BackupError(f"cannot write {dest}: give a file in an existing folder")
    partial = dest.with_name(f".{dest.name}.{os.getpid()}.partial")
    exported_at = (now or datetime.now(UTC)).isoformat()
    rows: dict[str, int] = {}
    try:
        with read_snapshot(store):
            schema = applied_migrations(store)
            with open(partial, "w", encoding="utf-8") as out:
                out.write(f'{{"format": "{FORMAT}", "version": {VERSION}, '
                          f'"exported_at": {json.dumps(exported_at)},\n'
                          f'"schema": {json.dumps(schema)},\n"tables": {{')
                for n, table in enumerate(TABLES):
                    columns = dump_table(store, table)
                    rows[table] = count_rows(store, table)
                    out.write(f'{"," if n else ""}\n{json.dumps(table)}: {{')
                    out.write(",".join(f"\n  {json.dumps(name)}: {values}"
                                        for name, values in columns))
                    out.write("}")
                out.write("\n}}\n")
        os.replace(partial, dest)
    except CopyError as exc:
        raise BackupError(f"export not written: {exc}") from exc
    except OSError as exc:
        raise BackupError(f"export not written to {dest}: {exc.strerror or exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return ExportReport(dest, rows, dest.stat().st_size, time.perf_counter() - started)
