"""``studylog export md`` of the ten-year journal (3,650 days, 20,000 cards, 1,000,000
review-log rows: ``ten_years.database()``), on a copy so this branch's migrations never
touch the shared cache. Times ``export_markdown`` per week and per day (best of
``--rounds``), then imports the weekly export into an empty database and checks it gives
the same days. Prints a table (wall and CPU seconds, and the load average: the machine is
shared), then one line of JSON. Target: export <= 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import ten_years  # noqa: E402

from studylog.core.journal.export_md import export_markdown  # noqa: E402
from studylog.core.journal.importer import import_logs  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402

TARGET_S = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten-years-copy.sqlite3"
        source = sqlite3.connect(ten_years.database())
        target = sqlite3.connect(path)
        source.backup(target)
        source.close()
        target.close()
        result: dict[str, object] = {"target_s": TARGET_S}
        with Store(path) as store:
            days = len(store.entries.all())
            for per in ("week", "day"):
                times, cpu = [], []
                for n in range(args.rounds):
                    out = Path(tmp) / f"md-{per}-{n}"
                    started, cpu_started = time.perf_counter(), time.process_time()
                    report = export_markdown(store, out, per)  # type: ignore[arg-type]
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - cpu_started)
                result[f"export_{per}_s"] = round(min(times), 3)
                # on a shared machine the wall time also counts waiting for a core
                result[f"export_{per}_cpu_s"] = round(min(cpu), 3)
                result[f"files_{per}"] = report.files
            started = time.perf_counter()
            with Store(Path(tmp) / "back.sqlite3") as back:
                import_logs(back, [Path(tmp) / "md-week-0"])
                same = [(e.date, e.body, e.keywords) for e in back.entries.all()] == \
                    [(e.date, e.body, e.keywords) for e in store.entries.all()]
            result["reimport_s"] = round(time.perf_counter() - started, 2)
        result.update(days=days, round_trip_same=same,
                      load_average=round(os.getloadavg()[0], 1))
    print(f"{'what':<24}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<24}{value!s:>12}")
    result["ok"] = bool(same) and max(float(result["export_week_s"]),  # type: ignore[arg-type]
                                      float(result["export_day_s"])) <= TARGET_S  # type: ignore[arg-type]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
