"""Start-up of the app: from process start to the first screen ready for input.

The database is ``ten_years.database()`` (3,650 days of logs ending today, 20,000 cards,
1,000,000 review-log rows; built once a day and cached; ``--rebuild`` builds it again,
``--db PATH`` uses another one).
Then, in fresh processes, alternating, ``--runs`` times each (after one untimed warm-up
of each):

* bare: a minimal Textual ``App`` (one ``Label`` and a ``Footer``);
* studylog: the real ``studylog --db PATH`` entry point (``studylog.cli.main``: click,
  opening the store, syncing the bundled decks, ``make_app`` with default settings) up
  to the Today screen.

Both run the same tiny driver (``python -c``): stdin/stdout/stderr are a pseudo-terminal
(so the CLI opens the app, as in a terminal), ``App.run`` is made headless (``--pty`` keeps
the real terminal driver on the pty instead), and an ``on_ready`` handler installed on
``textual.app.App`` answers Textual's ``Ready`` event ("the DOM is ready and the first
frame has been displayed") by reporting ``time.perf_counter()`` on a pipe and exiting.
The parent takes ``perf_counter()`` just before spawning; both clocks are the system's
monotonic clock, so ready - spawn is the start-up time, interpreter start included.

Usage: ``python benchmarks/tui_start.py [--runs 10] [--db PATH] [--rebuild] [--pty]``.
Prints a table, then one line of JSON. Target: studylog p50 <= 1.5x the bare app's p50
("ok" also wants Today as the first screen and no torch in the app's process).
"""

from __future__ import annotations

import argparse
import fcntl
import importlib.util
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import ten_years  # noqa: E402  (the ten-year database)

TARGET_RATIO = 1.5  # issue 11 (was 2.0)
SIZE = (120, 40)

# Run by the child: ``python -c DRIVER <fd> <bare|studylog> <headless|pty> <db>``.
DRIVER = r"""
import time
T0 = time.perf_counter()
import json, os, sys
fd, which, how, db = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
from textual.app import App
marks = {"start": T0}
_run = App.run
def run(self, *args, **kwargs):
    marks["run"] = time.perf_counter()
    if how == "headless":
        kwargs.update(headless=True, size=(%d, %d))
    return _run(self, *args, **kwargs)
def on_ready(self):
    marks["ready"] = time.perf_counter()
    info = {"marks": marks, "screen": type(self.screen).__name__,
            "torch": "torch" in sys.modules, "numpy": "numpy" in sys.modules,
            "modules": len(sys.modules)}
    os.write(fd, (json.dumps(info) + "\n").encode())
    self.exit()
App.run = run
App.on_ready = on_ready
if which == "bare":
    from textual.widgets import Footer, Label
    class Bare(App):
        def compose(self):
            yield Label("studylog")
            yield Footer()
    Bare().run()
else:
    sys.argv = ["studylog", "--db", db]
    from studylog.cli import main
    sys.exit(main())
""" % SIZE  # noqa: UP031 - the driver is full of braces


# -- one start -----------------------------------------------------------------------------
def start_once(which: str, db: Path, how: str, timeout: float = 60.0) -> dict:
    """Spawn the driver, wait for its ready report; times in ms from the spawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    r, w = os.pipe()
    screen_out = bytearray()

    def drain() -> None:  # keep the pty from filling up; kept for error messages
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            screen_out.extend(chunk)

    # Bytecode as on a normal install: with PYTHONDONTWRITEBYTECODE set (as in some
    # sandboxes) an editable studylog would be compiled from source on every start, while
    # Textual's .pyc files came with its wheel. The untimed warm-up run writes them.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(TERM=os.environ.get("TERM", "xterm-256color"), COLUMNS=str(SIZE[0]),
               LINES=str(SIZE[1]))
    t_spawn = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(w), which, how, str(db)],
                            stdin=slave, stdout=slave, stderr=slave, pass_fds=(w,), env=env,
                            close_fds=True, start_new_session=True)
    os.close(slave)
    os.close(w)
    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    line = b""
    deadline = time.monotonic() + timeout
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([r], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(r, 65536) if ready else b""
        if not chunk:
            break
        line += chunk
    t_seen = time.perf_counter()
    os.close(r)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    os.close(master)
    reader.join(timeout=2)
    if not line.endswith(b"\n"):
        tail = bytes(screen_out[-3000:]).decode("utf-8", "replace")
        raise RuntimeError(f"{which}: no ready report (exit {proc.returncode}):\n{tail}")
    info = json.loads(line)
    m = info["marks"]
    return {"ready_ms": (m["ready"] - t_spawn) * 1000,
            "seen_ms": (t_seen - t_spawn) * 1000,  # incl. the pipe: a sanity check
            "interp_ms": (m["start"] - t_spawn) * 1000,  # python up, driver's first line
            "to_run_ms": (m["run"] - m["start"]) * 1000,  # imports, store, app built
            "run_to_ready_ms": (m["ready"] - m["run"]) * 1000,  # Textual start, mount, 1st frame
            "screen": info["screen"], "torch": info["torch"], "numpy": info["numpy"],
            "modules": info["modules"]}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(samples: list[dict]) -> dict:
    ready = [s["ready_ms"] for s in samples]
    return {"p50": statistics.median(ready), "p95": percentile(ready, 0.95), "min": min(ready),
            **{k: statistics.median(s[k] for s in samples)
               for k in ("interp_ms", "to_run_ms", "run_to_ready_ms")}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--db", type=Path, default=None,
                        help="another database (default: ten_years.database())")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument("--pty", action="store_true",
                        help="run the real terminal driver on the pty instead of headless")
    args = parser.parse_args()

    started = time.perf_counter()
    db = (args.db.expanduser().resolve() if args.db
          else ten_years.database(rebuild=args.rebuild))
    build_s = round(time.perf_counter() - started, 1)
    data = ten_years.describe(db)
    how = "pty" if args.pty else "headless"

    for which in ("bare", "studylog"):  # warm-up: page cache, .pyc files
        start_once(which, db, how)
    samples: dict[str, list[dict]] = {"bare": [], "studylog": []}
    for i in range(args.runs):
        order = ("bare", "studylog") if i % 2 == 0 else ("studylog", "bare")
        for which in order:
            samples[which].append(start_once(which, db, how))

    screens = {s["screen"] for s in samples["studylog"]}
    torch_loaded = any(s["torch"] for s in samples["studylog"])
    b, s = summary(samples["bare"]), summary(samples["studylog"])
    ratio = s["p50"] / b["p50"]

    print(f"database: {db}")
    print(f"  {data['days']} days (to {data['last_day']}), {data['cards']} cards in "
          f"{data['decks']} decks, {data['log_rows']} review-log rows, {data['db_mb']} MB"
          + (f"; ready in {build_s} s" if build_s >= 1 else " (cached)"))
    print(f"process start -> Textual Ready ({how}), {args.runs} runs each, alternating (ms)")
    print(f"{'':10}{'p50':>9}{'p95':>9}{'min':>9}   {'python':>8}{'→run()':>9}{'→ready':>9}")
    for name, x in (("bare", b), ("studylog", s)):
        print(f"{name:10}{x['p50']:9.1f}{x['p95']:9.1f}{x['min']:9.1f}   "
              f"{x['interp_ms']:8.1f}{x['to_run_ms']:9.1f}{x['run_to_ready_ms']:9.1f}")
    print("  (python: spawn to the driver's first line; →run(): imports, store, deck sync, "
          "app built; →ready: Textual start-up, mount, first frame; medians)")
    print(f"ratio studylog/bare (p50): {ratio:.2f}  (target <= {TARGET_RATIO})")
    print(f"first screen: {', '.join(sorted(screens))}; torch imported: {torch_loaded}; "
          f"modules loaded: bare {samples['bare'][0]['modules']}, "
          f"studylog {samples['studylog'][0]['modules']}")
    print(json.dumps({
        **data, "driver": how, "runs": args.runs,
        "bare_p50_ms": round(b["p50"], 1), "bare_p95_ms": round(b["p95"], 1),
        "bare_min_ms": round(b["min"], 1),
        "studylog_p50_ms": round(s["p50"], 1), "studylog_p95_ms": round(s["p95"], 1),
        "studylog_min_ms": round(s["min"], 1),
        "studylog_to_run_p50_ms": round(s["to_run_ms"], 1),
        "studylog_run_to_ready_p50_ms": round(s["run_to_ready_ms"], 1),
        "bare_to_run_p50_ms": round(b["to_run_ms"], 1),
        "bare_run_to_ready_p50_ms": round(b["run_to_ready_ms"], 1),
        "ratio_p50": round(ratio, 2), "first_screen": sorted(screens),
        "torch_imported": torch_loaded, "target_ratio": TARGET_RATIO,
        "ok": ratio <= TARGET_RATIO and screens == {"TodayScreen"} and not torch_loaded,
    }))


if __name__ == "__main__":
    main()
