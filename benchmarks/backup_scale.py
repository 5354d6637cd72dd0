"""Backup, restore and the doctor's check of the ten-year journal (3,650 days, 20,000
cards, 1,000,000 review-log rows: ``ten_years.database()``).

Works on a copy of the shared cached database (so this branch's migrations never touch
the cache other benchmarks read). Times ``studylog backup``'s core (``backup_journal``,
best and worst of 3), ``restore`` of that backup into an empty journal, and the
doctor's integrity check. Prints a table, then one line of JSON. Target: backup <= 3 s.
"""

from __future__ import annotations

import json
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
        empty = Store(Path(tmp) / "restored.sqlite3")
        restore_s, _ = _timed(lambda: restore_journal(empty, Path(tmp) / "b0.sqlite3"))
        restored_rows = empty.value("SELECT count(*) FROM review_log")
        doctor_s, doctor = _timed(lambda: check_journal(store))
        store.close()
        empty.close()
    result = {"review_log_rows": rows, "backup_mb": round(size / 1e6, 1),
              "backup_s_best": round(min(backups), 2), "backup_s_worst": round(max(backups), 2),
              "backup_s_median": round(statistics.median(backups), 2),
              "restore_s": round(restore_s, 2), "restored_rows": restored_rows,
              "doctor_s": round(doctor_s, 2), "doctor_ok": doctor.ok,  # type: ignore[attr-defined]
              "target_s": TARGET_S, "backup_within_target": max(backups) <= TARGET_S}
    print(f"{'what':<22}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<22}{value!s:>12}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
