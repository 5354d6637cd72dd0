"""Key press to first output line on screen, in the app (warm runner), via run_test.

The app opens the card of a bundled PyTorch snippet (``contiguity-and-strides``),
waits for the warm process, runs the snippet once untimed, then times ``r`` (the key
press through Textual's input handling) until the snippet's first line is rendered in
the output log widget, for ``--runs`` runs. Target (issue 6): at most 50 ms p50.

Usage: ``python benchmarks/snippet_key.py [--runs 20]``. Prints a table, and as the
last line a JSON object with the numbers (milliseconds).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studylog.core.cards.deck_library import sync_bundled_decks  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402
from studylog.tui.app import make_app  # noqa: E402
from studylog.tui.settings import AppSettings  # noqa: E402
from studylog.tui.widgets.snippet_panel import SnippetPanel  # noqa: E402

SNIPPET = "contiguity-and-strides"
TARGET_MS = 50.0


async def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("gave up waiting")
        await asyncio.sleep(0.0005)


async def measure(runs: int) -> list[float]:
    folder = Path(tempfile.mkdtemp(prefix="studylog-bench-"))
    store = Store(folder / "bench.sqlite3")
    sync_bundled_decks(store)
    card_id = store.value("SELECT c.id FROM cards c JOIN snippets s ON s.id = c.snippet_id "
                          "WHERE s.name = ?", [SNIPPET])
    app = make_app(store, AppSettings(catch_errors=False))
    times: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(lambda: app.runner_ready)
        app.action_open_card(card_id)
        await pilot.pause()
        panel = app.screen.query_one(SnippetPanel)
        log = panel.query_one("#snippet-output")
        for index in range(runs + 1):
            previous = panel.result
            start = time.perf_counter()
            # pilot.press returns only once the app is idle, i.e. after the whole
            # run: press in a task and watch the log widget meanwhile. The key clears
            # the log; a fast run may show its lines and finish in the same loop step.
            press = asyncio.create_task(pilot.press("r"))
            await wait_for(lambda previous=previous: len(log.lines) > 0 and
                           (panel.result is None or panel.result is not previous))
            took = (time.perf_counter() - start) * 1000
            await press
            await wait_for(lambda: panel.result is not None)
            assert panel.result.ok, panel.lines
            if index:  # the first run warms the path; it is not timed
                times.append(took)
    store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    times = asyncio.run(measure(args.runs))
    ordered = sorted(times)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(f"key r -> first output line in the app, warm runner, {args.runs} runs (ms)")
    print(f"{'median':>9} {'p95':>9} {'min':>9} {'max':>9}")
    print(f"{p50:9.1f} {p95:9.1f} {ordered[0]:9.1f} {ordered[-1]:9.1f}")
    print(json.dumps({"key_to_first_line_p50_ms": round(p50, 1),
                      "key_to_first_line_p95_ms": round(p95, 1),
                      "min_ms": round(ordered[0], 1), "max_ms": round(ordered[-1], 1),
                      "runs": args.runs, "target_p50_ms": TARGET_MS,
                      "ok": p50 <= TARGET_MS}))


if __name__ == "__main__":
    main()
