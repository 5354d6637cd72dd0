"""Backup, JSON export, restore, import-json and the doctor's check of the ten-year
journal (3,650 days, 20,000 cards, 1,000,000 review-log rows: ``ten_years.database()``).

Works on a copy of the shared cached database (so this branch's migrations never touch
the cache other benchmarks read). Times ``studylog backup``'s core (``backup_journal``,
best and worst of 3), ``export json`` (the same), ``restore`` of that backup and
``import-json`` of that export into empty journals, and the doctor's integrity check.
Prints a table, then one line of JSON. Targets: backup and export json <= 3 s each.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import ten_years  # noqa: E402

from studylog.core.backup.backup_file import backup_journal  # noqa: E402
from studylog.core.backup.doctor import check_journal  # noqa: E402
from studylog.core.backup.json_export import export_json  # noqa: E402
from studylog.core.backup.json_import import import_json  # noqa: E402
from studylog.core.backup.restore import restore_journal  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402

TARGET_S = 3.0
RUNS = 3


def _timed(work) -> tuple[float, object]:
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        journal = Path(tmp) / "studylog.sqlite3"
        with closing(sqlite3.connect(ten_years.database())) as source, \
                closing(sqlite3.connect(journal)) as copy:
            source.backup(copy)
        store = Store(journal)
        rows = store.value("SELECT count(*) FROM review_log")
        backups = []
        size = 0
        for run in range(RUNS):
            started = time.perf_counter()
            size = backup_journal(store, Path(tmp) / f"b{run}.sqlite3").bytes
            backups.append(time.perf_counter() - started)
        exports = []
        export_size = 0
        export_cpu = []
        for run in range(RUNS):
            started, cpu = time.perf_counter(), time.process_time()
            export_size = export_json(store, Path(tmp) / f"e{run}.json").bytes
            exports.append(time.perf_counter() - started)
            export_cpu.append(time.process_time() - cpu)
        empty = Store(Path(tmp) / "restored.sqlite3")
        restore_s, _ = _timed(lambda: restore_journal(empty, Path(tmp) / "b0.sqlite3"))
        restored_rows = empty.value("SELECT count(*) FROM review_log")
        imported = Store(Path(tmp) / "imported.sqlite3")
        import_s, _ = _timed(lambda: import_json(imported, Path(tmp) / "e0.json"))
        imported_rows = imported.value("SELECT count(*) FROM review_log")
        doctor_s, doctor = _timed(lambda: check_journal(store))
        for opened in (store, empty, imported):
            opened.close()
    result = {"review_log_rows": rows, "backup_mb": round(size / 1e6, 1),
              "backup_s_best": round(min(backups), 2), "backup_s_worst": round(max(backups), 2),
              "backup_s_median": round(statistics.median(backups), 2),
              "export_json_mb": round(export_size / 1e6, 1),
              "export_json_s_best": round(min(exports), 2),
              "export_json_s_worst": round(max(exports), 2),
              # CPU seconds of this process: what the export costs apart from waiting
              # for a core on a shared machine (see load_avg_1m)
              "export_json_cpu_s_best": round(min(export_cpu), 2),
              "restore_s": round(restore_s, 2), "restored_rows": restored_rows,
              "import_json_s": round(import_s, 2), "imported_rows": imported_rows,
              "doctor_s": round(doctor_s, 2), "doctor_ok": doctor.ok,  # type: ignore[attr-defined]
              "load_avg_1m": round(os.getloadavg()[0], 1), "target_s": TARGET_S,
              "backup_within_target": max(backups) <= TARGET_S,
              "export_within_target": max(exports) <= TARGET_S}
    print(f"{'what':<22}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<22}{value!s:>12}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
