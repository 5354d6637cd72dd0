"""The app at ten years: how long each screen takes to open, and the longest freeze.

Drives the real app (``make_app`` + Textual's ``run_test`` Pilot, real key presses) on
``ten_years.database()`` (3,650 days, 20,000 cards, 1,000,000 reviews) and reports:

* per screen (Journal ``j``, Cards ``c``, Search ``/``, Candidates ``p``, Today ``t``):
  the first open and the returns (``--rounds``), from the key press until the app is
  idle again with that screen shown, p50/p95;
* the Cards filter: each keystroke of a word typed into it (and erased), p50/p95;
* the longest event-loop stall during the whole run: a task on the app's loop sleeps
  5 ms again and again; the longest it overslept is the longest the app could not
  answer a key.

Usage: ``python benchmarks/app_scale.py [--rounds 3] [--word tensor]``.  Prints a table,
then one line of JSON.  Targets (issue 11): every open <= 100 ms, keystroke p50 <= 16 ms,
longest stall <= 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import ten_years  # noqa: E402

from studylog.core.storage.database import Store  # noqa: E402
from studylog.tui.app import make_app  # noqa: E402
from studylog.tui.settings import AppSettings  # noqa: E402

SCREENS = [("journal", "j"), ("cards", "c"), ("search", "slash"), ("candidates", "p"),
           ("today", "t")]
SIZE = (120, 40)
TARGETS = {"open_ms": 100, "keystroke_p50_ms": 16, "stall_ms": 100}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class StallWatch:
    """Sleeps ``tick`` s on the loop again and again; keeps the longest oversleep."""

    def __init__(self, tick: float = 0.005) -> None:
        self.tick, self.longest, self._task = tick, 0.0, None

    async def _watch(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(self.tick)
            self.longest = max(self.longest, time.perf_counter() - t0 - self.tick)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._watch())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


async def timed_press(pilot, key: str) -> float:
    t0 = time.perf_counter()
    await pilot.press(key)
    await pilot.app.workers.wait_for_complete()  # a screen that loads in a worker: done
    await pilot.pause()
    return (time.perf_counter() - t0) * 1000


async def drive(db: Path, rounds: int, word: str) -> dict:
    settings = AppSettings(tz=ZoneInfo(ten_years.TZ_NAME), warm_runner=False)
    app = make_app(Store(db), settings)
    opens: dict[str, list[float]] = {name: [] for name, _ in SCREENS}
    keystrokes: list[float] = []
    watch = StallWatch()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        watch.start()
        for _ in range(rounds):
            for name, key in SCREENS:
                took = await timed_press(pilot, key)
                assert app.current_mode == name, (name, app.current_mode)
                opens[name].append(took)
                if name == "search":
                    await pilot.press("escape")  # out of the query box: keys are keys again
            await timed_press(pilot, "c")
            await pilot.press("f")
            for key in [*word, *["backspace"] * len(word)]:
                keystrokes.append(await timed_press(pilot, key))
            await pilot.press("escape")
            await timed_press(pilot, "t")
        watch.stop()
    return {"opens": opens, "keystrokes": keystrokes, "stall_ms": watch.longest * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="opens of each screen")
    parser.add_argument("--word", default="tensor", help="typed into the Cards filter")
    args = parser.parse_args()
    db = ten_years.database()
    data = ten_years.describe(db)
    out = asyncio.run(drive(db, args.rounds, args.word))
    for name, times in out["opens"].items():
        print(name, [round(t, 1) for t in times], file=sys.stderr)

    result: dict = {**data, "rounds": args.rounds}
    print(f"{data['days']} days, {data['cards']} cards, {data['log_rows']} reviews; "
          f"{args.rounds} rounds (ms)")
    print(f"{'screen':<12}{'first':>10}{'return p50':>12}{'return p95':>12}")
    worst = 0.0
    for name, times in out["opens"].items():
        returns = times[1:] or times
        print(f"{name:<12}{times[0]:10.1f}{statistics.median(returns):12.1f}"
              f"{percentile(returns, 0.95):12.1f}")
        result[f"{name}_first_ms"] = round(times[0], 1)
        result[f"{name}_open_p50_ms"] = round(statistics.median(times), 1)
        result[f"{name}_open_p95_ms"] = round(percentile(times, 0.95), 1)
        worst = max(worst, *times)
    keys = out["keystrokes"]
    result.update({
        "keystroke_p50_ms": round(statistics.median(keys), 1),
        "keystroke_p95_ms": round(percentile(keys, 0.95), 1),
        "longest_open_ms": round(worst, 1), "longest_stall_ms": round(out["stall_ms"], 1),
        "targets": TARGETS,
    })
    print(f"filter keystroke p50 {result['keystroke_p50_ms']}, "
          f"p95 {result['keystroke_p95_ms']} ({len(keys)} keys)")
    print(f"longest open {result['longest_open_ms']}, "
          f"longest event-loop stall {result['longest_stall_ms']}")
    result["ok"] = (worst <= TARGETS["open_ms"]
                    and result["keystroke_p50_ms"] <= TARGETS["keystroke_p50_ms"]
                    and result["longest_stall_ms"] <= TARGETS["stall_ms"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
