"""Memory and time of importing one very large log file.

Each case writes one file, then imports it into a fresh database in a child process
(so the peak resident memory, ``VmHWM``, is that import's alone). Cases: 100,000
dated day headings (one line of text each) and one day with 100,000 undated headings.
Prints a table, then one line of JSON. Usage: ``python benchmarks/import_memory.py [N]``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time

def peak_kb():  # VmHWM: this process's peak resident memory (ru_maxrss counts the fork's)
    return int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])

from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store
started = time.perf_counter()
with Store(sys.argv[2]) as store:
    report = import_logs(store, [sys.argv[1]])
elapsed = time.perf_counter() - started
result = report.files[0]
print(json.dumps({"seconds": round(elapsed, 2), "status": result.status,
                  "days": result.days_new, "message": result.message,
                  "peak_mb": round(peak_kb() / 1024)}))
"""


def dated_days(n: int) -> str:
    start = date(1800, 1, 1)
    return "".join(f"## {start + timedelta(days=i)}\n오늘 배운 것 {i}: tensor\n\n"
                   for i in range(n))


def undated_headings(n: int) -> str:
    return "## 2023-11-13\n\n" + "".join(f"### 메모 {i}\nline {i}\n\n" for i in range(n))


def run_case(name: str, text: str, folder: Path) -> dict:
    log = folder / f"{name}.md"
    log.write_text(text, encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", CHILD, str(log), str(folder / f"{name}.db")],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return {"case": name, "file_mb": round(log.stat().st_size / 1e6, 1),
            **json.loads(out.stdout.strip().splitlines()[-1])}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        rows = [run_case("dated_days", dated_days(n), Path(tmp)),
                run_case("undated_headings", undated_headings(n), Path(tmp))]
    print(f"{'case':<18} {'file MB':>8} {'seconds':>8} {'peak MB':>8} {'days':>7}  status")
    for r in rows:
        print(f"{r['case']:<18} {r['file_mb']:>8} {r['seconds']:>8} {r['peak_mb']:>8} "
              f"{r['days']:>7}  {r['status']} {r['message']}")
    print(json.dumps({"headings": n, "cases": rows}))


if __name__ == "__main__":
    main()
