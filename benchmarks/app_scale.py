"""The app at ten years: how long each screen takes to open, and the longest freeze.

Drives the real app (``make_app`` + Textual's ``run_test``) on a copy of
``ten_years.database()`` (3,650 days, 20,000 cards, 1,000,000 reviews) and reports:

* per screen (Journal ``j``, Cards ``c``, Search ``/``, Candidates ``p``, Stats ``S``,
  Today ``t``, Review ``r`` from Today): the first open and the returns (``--rounds``),
  p50/p95, each from the key event until the first frame drawn with its data: the mode
  switched and no worker left running (if the screen drew it before the last worker
  ended, one more frame is asked for);
* the Cards filter: each keystroke of a word typed into it (and erased), timed the same
  way until the table shows the filtered rows, p50/p95: typed ``--typing-gap`` apart
  (0.1 s: a fast typist), the target's measure; then sent back to back, each the moment
  the last one is drawn, which also waits for Textual's next frame slot (60 frames a
  second: a frame comes at least 16.7 ms after the one before);
* the longest event-loop stall during the whole run: a task on the app's loop sleeps
  5 ms again and again; the longest it overslept is the longest the app could not
  answer a key; by step (what the app was doing), beside the longest garbage
  collection in that step (a full collection of a big heap is a stall of its own).

Keys go to the app's driver as a terminal sends them and the end is polled every
millisecond: ``Pilot.press`` would add its own waits for the process to go idle (tens
of ms a key) to every number.

Usage: ``python benchmarks/app_scale.py [--rounds 3] [--word tensor] [--db PATH]
[--typing-gap 0.1] [--no-read-ahead] [--profile STEP]`` (``--profile cards``: cProfile
the first timed key of that step, the top functions on stderr).  Prints a table, then
one line of JSON.
Beside the run, ``reference_ms`` times a fixed Rich drawing before and after it
(``machine_reference.py``): a slow reference is a slow machine, and the opens over it
(``longest_open_over_reference``, ``stats_first_over_reference``) stay put.
Targets (issue 11): every open <= 100 ms, keystroke p50 <= 16 ms (typed), longest stall
<= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import importlib.util
import json
import os
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import ten_years  # noqa: E402
from machine_reference import rich_reference_ms  # noqa: E402
from textual import events  # noqa: E402
from textual.worker import WorkerState  # noqa: E402

from studylog.core.storage.database import Store  # noqa: E402
from studylog.tui.app import make_app  # noqa: E402
from studylog.tui.settings import AppSettings  # noqa: E402

SCREENS = [("journal", "j"), ("cards", "c"), ("search", "slash"), ("candidates", "p"),
           ("stats", "S"), ("today", "t")]
SIZE = (120, 40)
TARGETS = {"open_ms": 100, "keystroke_p50_ms": 16, "stall_ms": 100}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class StallWatch:
    """Sleeps ``tick`` s on the loop again and again; keeps the longest oversleep, in
    all and by step (``step`` names what the app is doing meanwhile)."""

    def __init__(self, tick: float = 0.005) -> None:
        self.tick, self.longest, self._task = tick, 0.0, None
        self.step = "start"
        self.by_step: dict[str, float] = {}
        self.gc_by_step: dict[str, float] = {}
        self._gc_start = 0.0

    async def _watch(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(self.tick)
            late = time.perf_counter() - t0 - self.tick
            self.longest = max(self.longest, late)
            self.by_step[self.step] = max(self.by_step.get(self.step, 0.0), late)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())
        gc.callbacks.append(self._collecting)

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
        gc.callbacks.remove(self._collecting)

    def _collecting(self, phase: str, info: dict) -> None:
        # how long each garbage collection held the interpreter, by step
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            took = time.perf_counter() - self._gc_start
            self.gc_by_step[self.step] = max(self.gc_by_step.get(self.step, 0.0), took)


def send_key(app, key: str) -> None:
    """One key event, handed to the app's driver as a terminal sends it."""
    character = {"slash": "/", "backspace": "\x7f", "escape": "\x1b"}.get(key, key)
    event = events.Key(key, character if len(character) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)


def busy(app) -> bool:
    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING)
               for w in app.workers)


WATCH = StallWatch()
PROFILE: dict[str, cProfile.Profile | None] = {}  # step -> its profile (None: to take)
CPU_MS: dict[str, list[float]] = {}  # step -> the process's CPU ms (every thread) per key


async def timed_key(app, key: str, done, step: str = "") -> float:
    """ms from sending ``key`` until the first frame drawn while ``done()`` holds and no
    worker runs (a frame the screen draws anyway; if none comes, one is asked for)."""
    WATCH.step = step or key
    profile = None
    if PROFILE.get(step or key, False) is None:  # the first key of a step to profile
        profile = PROFILE[step or key] = cProfile.Profile()
        profile.enable()

    def ready() -> bool:
        # the screen mounted too: its mode switches before it is built, and a worker it
        # starts when mounted is not running yet
        return done() and app.screen.is_mounted and not busy(app)

    drawn: list[float] = []  # when the first frame showing it was drawn
    display = app._display

    def displayed(screen, update) -> None:  # each frame the app draws
        display(screen, update)
        # (no update: nothing changed since the last frame, which shows it all)
        if not drawn and ready():
            drawn.append(time.perf_counter())

    app._display = displayed
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        send_key(app, key)
        asked = False
        while not drawn:
            await asyncio.sleep(0.001)
            if not asked and ready():  # done, but drawn before it was: draw it again
                asked = True
                app.screen.refresh()
            if time.perf_counter() - t0 > 300:
                raise TimeoutError(f"{step or key}: not done in 5 minutes")
    finally:
        del app._display  # the class's again
    if profile is not None:
        profile.disable()
    CPU_MS.setdefault(step or key, []).append((time.process_time() - c0) * 1000)
    WATCH.step = "between"  # the untimed keys (escape, f) and what follows them
    return (drawn[0] - t0) * 1000


def matching_counts(db: Path, word: str) -> dict[str, int]:
    """How many cards the Cards filter keeps for each prefix of ``word``: those whose
    front or back holds it, in any case."""
    with sqlite3.connect(db) as conn:
        texts = [f"{front}\n{back}".casefold()
                 for front, back in conn.execute("SELECT front, back FROM cards")]
    prefixes = [word[:n].casefold() for n in range(len(word) + 1)]
    return {p: sum(p in t for t in texts) for p in prefixes}


async def type_word(app, word: str, matches: dict[str, int], gap: float, step: str,
                    times: list[float]) -> None:
    """Type ``word`` into the Cards filter and erase it, a key each ``gap`` s (0: each
    the moment the last one is drawn); each key timed until the table shows the rows
    the box's text keeps."""
    table = app.screen.query_one("#cards-table")
    text_box = app.screen.query_one("#cards-text")
    title = app.screen.query_one("#cards-title")
    for key in [*word, *["backspace"] * len(word)]:
        typed = text_box.value[:-1] if key == "backspace" else text_box.value + key
        rows = matches[typed.casefold().strip()]

        def filtered(typed=typed, rows=rows) -> bool:
            # the box holds the text, the table and its title the rows it keeps
            return text_box.value == typed and table.row_count == rows and \
                f"· {rows} of" in str(title.render())
        await asyncio.sleep(gap)
        times.append(await timed_key(app, key, filtered, step))


async def drive(db: Path, rounds: int, word: str, typing_gap: float,
                read_ahead: bool) -> dict:
    matches = matching_counts(db, word)
    settings = AppSettings(tz=ZoneInfo(ten_years.TZ_NAME), warm_runner=False,
                           read_ahead=read_ahead)
    app = make_app(Store(db), settings)
    opens: dict[str, list[float]] = {name: [] for name, _ in [*SCREENS, ("review", "r")]}
    keystrokes: list[float] = []  # typed
    burst: list[float] = []  # back to back
    watch = WATCH

    def shown(mode: str):
        return lambda: app.current_mode == mode

    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        watch.start()
        for _ in range(rounds):
            for name, key in SCREENS:
                opens[name].append(await timed_key(app, key, shown(name), name))
                if name == "search":
                    await pilot.press("escape")  # out of the query box: keys are keys again
            today = app.screen
            opens["review"].append(await timed_key(
                app, "r", lambda today=today: app.screen is not today, "review"))
            await pilot.press("escape")
            await timed_key(app, "c", shown("cards"), "cards")
            await pilot.press("f")
            # as typed (``gap`` apart), then sent back to back
            await type_word(app, word, matches, typing_gap, "filter", keystrokes)
            await type_word(app, word, matches, 0.0, "burst", burst)
            await pilot.press("escape")
            await timed_key(app, "t", shown("today"), "today")
        watch.stop()
    return {"opens": opens, "keystrokes": keystrokes, "burst": burst,
            "stall_ms": watch.longest * 1000,
            "stalls": {step: round(late * 1000, 1) for step, late in watch.by_step.items()},
            "gc": {step: round(took * 1000, 1) for step, took in watch.gc_by_step.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="opens of each screen")
    parser.add_argument("--word", default="tensor", help="typed into the Cards filter")
    parser.add_argument("--typing-gap", type=float, default=0.1, help="seconds between "
                        "the keys typed into the filter (0.1: 10 keys a second, a fast "
                        "typist); they are also sent back to back")
    parser.add_argument("--no-read-ahead", action="store_true", help="the app reads "
                        "nothing ahead while Today shows (read_ahead.py): the first opens "
                        "of Stats, Journal and Cards read their data themselves")
    parser.add_argument("--profile", metavar="STEP", help="cProfile the first timed key "
                        "of STEP (journal, cards, review, filter...): top 40 on stderr")
    parser.add_argument("--db", type=Path, help="copy this database instead of the shared "
                        "ten-year one (an older studylog cannot open a newer file)")
    args = parser.parse_args()
    if args.profile:
        PROFILE[args.profile] = None
    shared = args.db or ten_years.database()
    data = ten_years.describe(shared)
    with tempfile.TemporaryDirectory() as tmp:  # the app may write (settings, theme)
        db = Path(tmp) / "ten-years-copy.sqlite3"
        shutil.copyfile(shared, db)
        reference_before = rich_reference_ms()
        out = asyncio.run(drive(db, args.rounds, args.word, args.typing_gap,
                                not args.no_read_ahead))
        reference_after = rich_reference_ms()
    for name, times in out["opens"].items():
        print(name, [round(t, 1) for t in times], file=sys.stderr)
    if (profile := PROFILE.get(args.profile or "")) is not None:
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(40)

    result: dict = {**data, "rounds": args.rounds, "read_ahead": not args.no_read_ahead,
                    "load_average": round(os.getloadavg()[0], 1)}
    print(f"{data['days']} days, {data['cards']} cards, {data['log_rows']} reviews; "
          f"{args.rounds} rounds (ms); load average {result['load_average']}")
    # CPU ms: what the app's process computed meanwhile, all threads (the wall-clock
    # times stretch with whatever else the machine runs; these do not, or far less)
    print(f"{'screen':<12}{'first':>10}{'return p50':>12}{'return p95':>12}"
          f"{'CPU p50':>10}")
    worst = 0.0
    for name, times in out["opens"].items():
        returns = times[1:] or times
        cpu = statistics.median(CPU_MS[name])
        print(f"{name:<12}{times[0]:10.1f}{statistics.median(returns):12.1f}"
              f"{percentile(returns, 0.95):12.1f}{cpu:10.1f}")
        result[f"{name}_cpu_p50_ms"] = round(cpu, 1)
        result[f"{name}_first_ms"] = round(times[0], 1)
        result[f"{name}_open_p50_ms"] = round(statistics.median(times), 1)
        result[f"{name}_open_p95_ms"] = round(percentile(times, 0.95), 1)
        worst = max(worst, *times)
    keys, burst = out["keystrokes"], out["burst"]
    result["keystroke_cpu_p50_ms"] = round(statistics.median(CPU_MS["filter"]), 1)
    result.update({
        "typing_gap_s": args.typing_gap,
        "keystroke_p50_ms": round(statistics.median(keys), 1),
        "keystroke_p95_ms": round(percentile(keys, 0.95), 1),
        "burst_keystroke_p50_ms": round(statistics.median(burst), 1),
        "burst_keystroke_p95_ms": round(percentile(burst, 0.95), 1),
        "longest_open_ms": round(worst, 1), "longest_stall_ms": round(out["stall_ms"], 1),
        "targets": TARGETS,
    })
    reference = (reference_before + reference_after) / 2
    result.update({
        "reference_ms": round(reference, 2),
        "reference_before_after_ms": [round(reference_before, 2), round(reference_after, 2)],
        "longest_open_over_reference": round(worst / reference, 2),
        "stats_first_over_reference": round(result["stats_first_ms"] / reference, 2),
    })
    print(f"filter keystroke p50 {result['keystroke_p50_ms']}, "
          f"p95 {result['keystroke_p95_ms']} ({len(keys)} keys {args.typing_gap} s apart; "
          f"CPU p50 {result['keystroke_cpu_p50_ms']}); back to back p50 "
          f"{result['burst_keystroke_p50_ms']}, p95 {result['burst_keystroke_p95_ms']} "
          "(each waits for Textual's next frame, 60 a second)")
    result["stall_by_step_ms"] = out["stalls"]
    result["gc_by_step_ms"] = out["gc"]
    print("longest stall by step (longest garbage collection in it):", ", ".join(
        f"{k} {v} ({out['gc'].get(k, 0.0)})" for k, v in out["stalls"].items()))
    print(f"longest open {result['longest_open_ms']}, "
          f"longest event-loop stall {result['longest_stall_ms']}")
    print(f"reference (machine_reference.rich_reference_ms, before / after): "
          f"{reference_before:.1f} / {reference_after:.1f} ms; longest open over it "
          f"{result['longest_open_over_reference']}")
    result["ok"] = (worst <= TARGETS["open_ms"]
                    and result["keystroke_p50_ms"] <= TARGETS["keystroke_p50_ms"]
                    and result["longest_stall_ms"] <= TARGETS["stall_ms"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
