"""Upgrading a database from before the lean review log (migration 0005).

Builds the old schema (the migrations before the lean log) with 20,000 cards and
200,000 review-log rows in the old form, each carrying the whole card row as JSON, as
``review_scale`` builds them; then opens it with ``Store`` — the migration rewrites every
row in one transaction and VACUUM reclaims the space — and reports the file size before
and after, the time, and that every review is still there. Prints a table, then one line
of JSON. ROWS on the command line overrides the number of reviews.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import review_scale  # noqa: E402

from studylog.core.storage.database import Store  # noqa: E402
from studylog.core.storage.migrations import LEAN_LOG_MIGRATION, migrations  # noqa: E402
from studylog.core.storage.sqlite_lib import Database  # noqa: E402

CARDS = 20_000


def old_rows(rng: random.Random, cards: list[dict], ids: list[int]):
    """``review_scale``'s rows in the old form: ISO due dates and the card row as JSON."""
    by_id = dict(zip(ids, cards))
    for row in review_scale.log_rows(rng, cards, ids):
        card = by_id[row["card_id"]]
        yield {k: row[k] for k in ("card_id", "rating", "reviewed_at", "duration_ms",
                                   "state_before", "stability_before", "difficulty_before",
                                   "state_after", "stability_after", "difficulty_after")} | {
            "due_before": card["due"], "due_after": card["due"],
            "card_before": json.dumps({**card, "id": row["card_id"], "tags": []},
                                      ensure_ascii=False)}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    rng = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "old.sqlite3"
        db = Database(str(path))
        db.execute("PRAGMA journal_mode=WAL")
        migrations.apply(db, stop_before=LEAN_LOG_MIGRATION)
        with db.conn:
            db.execute("INSERT INTO decks (name, kind, created_at) VALUES "
                       "('journal', 'journal', '2024-01-01T00:00:00.000000+00:00')")
            cards = [review_scale.make_card(rng, 1, "journal", i) for i in range(CARDS)]
            review_scale.spread_reps(cards, rows)
            db["cards"].insert_all(cards, batch_size=1000)
            ids = list(range(1, CARDS + 1))
            db["review_log"].insert_all(old_rows(rng, cards, ids), batch_size=1000)
        db.conn.close()
        before = path.stat().st_size
        started = time.perf_counter()
        lines: list[str] = []
        with Store(path, progress=lines.append) as store:
            seconds = time.perf_counter() - started
            kept = store.value("SELECT count(*) FROM review_log")
            ok = store.integrity_check()
        after = path.stat().st_size
    result = {"cards": CARDS, "log_rows": rows, "kept_rows": kept, "integrity": ok,
              "before_mb": round(before / 1e6, 1), "after_mb": round(after / 1e6, 1),
              "migrate_and_vacuum_s": round(seconds, 1),
              "rows_per_s": round(rows / seconds), "progress_lines": len(lines)}
    print(f"{'metric':<22}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<22}{value!s:>12}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
