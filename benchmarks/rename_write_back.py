"""Renaming a keyword with write-back on, on ten years of logs (3,650 days): the most
listed keyword is renamed, so its keyword line changes in every file that lists it, then
the rename is undone, which puts those files' bytes back.

Two layouts of the same days (``journal_scale.generate``): one file per week (522 files)
and one file holding every day (as a jrnl user keeps it). Checks that the files after
the undo are byte for byte the files before. Prints a table, then one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import journal_scale  # noqa: E402

from studylog.core.cards.keyword_rename import rename_keyword  # noqa: E402
from studylog.core.journal.importer import import_logs  # noqa: E402
from studylog.core.journal.journal_settings import set_write_back  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402
from studylog.core.undo.reversal import undo_newest  # noqa: E402

START = date(2015, 1, 5)


def layouts(root: Path, days: int) -> dict[str, Path]:
    """``per week``: the generated week files; ``one file``: all of them in one."""
    weeks = root / "weeks"
    weeks.mkdir()
    journal_scale.generate(weeks, days, random.Random(17), START)
    single = root / "single"
    single.mkdir()
    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(weeks.glob("*.md")))
    # each day headed by its full date: ten years in one file, no year to guess
    text = re.sub(r"^Day (\d+) \(\d\d/\d\d\)$", lambda m: (
        START + timedelta(days=int(m[1]) - 1)).isoformat(), text, flags=re.MULTILINE)
    (single / "journal.md").write_text(text, encoding="utf-8")
    return {"per week": weeks, "one file": single}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.md"))}


def run(name: str, folder: Path, db: Path) -> dict:
    with Store(db) as store:
        import_logs(store, [folder])
        set_write_back(store, True)
    with closing(sqlite3.connect(db)) as conn:  # the keyword listed on the most days
        keyword, days = conn.execute(
            "SELECT k.name, count(*) FROM entry_keywords ek JOIN keywords k ON k.id = "
            "ek.keyword_id GROUP BY k.id ORDER BY 2 DESC LIMIT 1").fetchone()
    with Store(db) as store:
        before = snapshot(folder)
        started = time.perf_counter()
        done = rename_keyword(store, keyword, f"Renamed {keyword}")
        rename_s = time.perf_counter() - started
        written = sum(1 for _, r in done.files if r.written)
        changed = sum(1 for k, v in snapshot(folder).items() if before[k] != v)
        started = time.perf_counter()
        undone = undo_newest(store)
        undo_s = time.perf_counter() - started
        restored = snapshot(folder) == before
    return {"layout": name, "files": len(before), "keyword": keyword, "days": days,
            "days_written": written, "files_changed": changed,
            "rename_s": round(rename_s, 2), "undo_s": round(undo_s, 2),
            "undo_files": len(undone.files), "bytes_restored": restored}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3650)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i, (name, folder) in enumerate(layouts(root, args.days).items()):
            rows.append(run(name, folder, root / f"j{i}.sqlite3"))
    print(f"{'layout':<10} {'files':>6} {'days':>6} {'written':>8} {'changed':>8} "
          f"{'rename s':>9} {'undo s':>7} {'restored':>9}")
    for r in rows:
        print(f"{r['layout']:<10} {r['files']:>6} {r['days']:>6} {r['days_written']:>8} "
              f"{r['files_changed']:>8} {r['rename_s']:>9} {r['undo_s']:>7} "
              f"{str(r['bytes_restored']):>9}")
    print(json.dumps({"benchmark": "rename_write_back", "days": args.days, "rows": rows}))


if __name__ == "__main__":
    main()
