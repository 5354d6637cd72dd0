"""Statistics over ten years of reviewing: 20,000 cards, 1,000,000 review-log rows.

By default on a copy of the shared ten-year database (``ten_years.database()``: copied,
so this branch's migrations never touch the cache other benchmarks read). With
``--generate`` it bulk-inserts its own instead: a collection studied daily for 3,650 days
(~274 grades a day, each row in the lean form: the review and the card fields undo
restores), 20,000 cards in every state and a journal of ~3,000 days; ``--db PATH`` keeps
that one for the next run. Then times ``compute_stats`` (everything ``studylog stats``
and the Stats screen show) and Today's heatmap (``recent_activity``). Prints a table,
then one line of JSON. Target: stats p50 <= 300 ms (wall clock; the CPU time is printed
too, since on a shared machine the wall clock also counts waiting for a core).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studylog.core.review.settings import set_day_config  # noqa: E402
from studylog.core.review.study_day import to_iso  # noqa: E402
from studylog.core.stats import compute_stats, recent_activity  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402
from studylog.core.storage.review_log import instant_to_us  # noqa: E402

DAYS = 3650
CARDS = 20_000
LOG_ROWS = 1_000_000
TZ = ZoneInfo("Asia/Seoul")
NOW = datetime(2026, 5, 20, 21, 30, tzinfo=TZ).astimezone(UTC)
TARGET_P50_MS = 300


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def build(store: Store, rng: random.Random) -> dict:
    started = time.perf_counter()
    with store.write():
        deck_id = store.decks.ensure("journal", "journal", trusted=True)
    states = ["new"] * 20 + ["learning", "relearning"] + ["review"] * 78
    created = to_iso(NOW - timedelta(days=DAYS))
    cards = []
    for i in range(CARDS):
        state = rng.choice(states)
        due = None if state == "new" else to_iso(NOW + timedelta(days=rng.uniform(-5, 60)))
        cards.append((deck_id, f"k{i}", f"keyword {i}", state, due,
                      None if state == "new" else rng.lognormvariate(3, 1.2),
                      int(rng.random() < 0.02), created, created))
    with store.write():
        store.conn.executemany(
            "INSERT INTO cards (deck_id, key, front, state, due, stability, suspended, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", cards)
        first = store.value("SELECT min(id) FROM cards")
        start = NOW - timedelta(days=DAYS)
        step = DAYS * 86400 / LOG_ROWS
        due_us = instant_to_us(to_iso(NOW))  # the log keeps due dates as microseconds
        rows = ((first + rng.randrange(CARDS), rng.choice([1, 2, 3, 3, 3, 3, 4]),
                 to_iso(start + timedelta(seconds=n * step)), rng.randint(1500, 30000),
                 rng.choice(["new", "learning"] + ["review"] * 8), due_us, due_us)
                for n in range(LOG_ROWS))
        store.conn.executemany(
            "INSERT INTO review_log (card_id, rating, reviewed_at, duration_ms, "
            "state_before, state_after, due_after, last_review_before, reps_before, "
            "lapses_before, suspended_before, leech_before) "
            "VALUES (?, ?, ?, ?, ?, 'review', ?, ?, 9, 1, 0, 0)", rows)
        days = [(NOW - timedelta(days=n)).date().isoformat() for n in range(DAYS)
                if rng.random() < 0.82]
        store.conn.executemany(
            "INSERT INTO entries (date, title, body, content_hash, created_at, updated_at) "
            "VALUES (?, 'day', 'notes', '', ?, ?)", [(d, created, created) for d in days])
    set_day_config(store, timezone_name="Asia/Seoul")
    store.conn.execute("ANALYZE")
    return {"build_s": round(time.perf_counter() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generate", action="store_true",
                        help="generate a database instead of copying the ten-year one")
    parser.add_argument("--db", type=Path, help="with --generate: build here (or reuse it)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        now = NOW
        if args.generate:
            path = args.db or Path(tmp) / "stats.sqlite3"
            existed = path.exists()
            store = Store(path)
            result = {"source": "generated", "build_s": 0.0} if existed else \
                {"source": "generated", **build(store, random.Random(20))}
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            import ten_years

            started = time.perf_counter()
            path = Path(tmp) / "ten-years-copy.sqlite3"
            source = sqlite3.connect(ten_years.database())
            target = sqlite3.connect(path)
            source.backup(target)
            source.close()
            target.close()
            store = Store(path)
            now = datetime.now(UTC)  # its dates follow today
            result = {"source": "ten_years", "build_s": round(time.perf_counter() - started, 1)}
        result["log_rows"] = store.value("SELECT count(*) FROM review_log")
        result["cards"] = store.value("SELECT count(*) FROM cards")
        result["entries"] = store.value("SELECT count(*) FROM entries")
        times, cpu = [], []
        for i in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            stats = compute_stats(store, now + timedelta(seconds=i))
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        today_ms = []
        for i in range(args.runs):
            t0 = time.perf_counter()
            recent_activity(store, 16, now + timedelta(seconds=i))
            today_ms.append((time.perf_counter() - t0) * 1000)
        out = stats.to_json()
        result["reviews_last_year"] = sum(d["reviews"] for d in out["reviews_per_day"])
        result["reviews_today"] = out["today"]["reviews"]
        store.close()
    result.update({"stats_p50_ms": round(statistics.median(times), 1),
                   "stats_p95_ms": round(percentile(times, 0.95), 1),
                   "stats_min_ms": round(min(times), 1),
                   # CPU time of this process: what the machine's other work cannot inflate
                   "stats_cpu_p50_ms": round(statistics.median(cpu), 1),
                   "today_heatmap_p50_ms": round(statistics.median(today_ms), 1),
                   "runs": args.runs,
                   "target_p50_ms": TARGET_P50_MS})
    print(f"{'metric':<20}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<20}{value:>12}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
