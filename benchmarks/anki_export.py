"""``studylog export apkg`` and ``export anki-txt`` of the ten-year journal (3,650 days,
20,000 cards, 1,000,000 review-log rows: ``ten_years.database()``), on a copy so this
branch's migrations never touch the shared cache. Times each export (best of
``--rounds``), then, with ``--check``, imports the package into a fresh Anki collection
(the ``anki`` test dependency) and counts its notes. Prints a table, then one line of
JSON. Target (issue 21): export <= 10 s.
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

from studylog.core.anki.apkg_export import export_apkg  # noqa: E402
from studylog.core.anki.text_export import export_anki_text  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402

TARGET_S = 10.0


def anki_note_count(package: Path, folder: Path) -> int:
    """Notes in a fresh Anki collection after importing ``package``."""
    from anki.collection import Collection, ImportAnkiPackageRequest

    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
        return int(col.note_count())
    finally:
        col.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true",
                        help="also import the package into Anki and count its notes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ten-years-copy.sqlite3"
        with sqlite3.connect(ten_years.database()) as source, sqlite3.connect(path) as target:
            source.backup(target)
        result: dict[str, object] = {"target_s": TARGET_S}
        with Store(path) as store:
            result["cards"] = store.query("SELECT count(*) AS n FROM cards")[0]["n"]
            result["review_log_rows"] = store.query(
                "SELECT count(*) AS n FROM review_log")[0]["n"]
            for name, export, suffix in (("apkg", export_apkg, "apkg"),
                                         ("anki_txt", export_anki_text, "txt")):
                times, cpu = [], []
                for n in range(args.rounds):
                    started, cpu_started = time.perf_counter(), time.process_time()
                    report = export(store, Path(tmp) / f"out-{n}.{suffix}")
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - cpu_started)
                result[f"{name}_s"] = round(min(times), 2)
                result[f"{name}_cpu_s"] = round(min(cpu), 2)
                result[f"{name}_notes"] = report.notes
                result[f"{name}_mb"] = round(report.path.stat().st_size / 1e6, 1)
        if args.check:
            result["anki_imported_notes"] = anki_note_count(Path(tmp) / "out-0.apkg",
                                                            Path(tmp) / "anki")
    result["load_avg_1m"] = round(os.getloadavg()[0], 1)
    print(f"{'what':<24}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<24}{value!s:>12}")
    slowest = max(float(result["apkg_s"]), float(result["anki_txt_s"]))  # type: ignore[arg-type]
    result["ok"] = slowest <= TARGET_S and result["apkg_notes"] == result["cards"] and \
        result.get("anki_imported_notes", result["cards"]) == result["cards"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
