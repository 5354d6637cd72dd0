"""Delete, rename and merge on ten years of journal: 3,650 days, 20,000 cards,
1,000,000 review-log rows (a copy of ``ten_years.database()``, so this branch's
migrations never touch the shared cache).

Times each action and its undo (``undo_newest``), on the heaviest case the database
holds: the keyword listed on the most days is renamed; the two keyword cards with the
most days are merged; the card with the longest review history is deleted; a day in the
middle of the journal is deleted; every orphan is suspended. Also the size of each
action's undo-journal entry (the before-images it keeps for the day). Prints a table,
then one line of JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import ten_years  # noqa: E402

from studylog.core.cards.card_deletion import delete_cards, suspend_orphans  # noqa: E402
from studylog.core.cards.card_merge import merge_cards  # noqa: E402
from studylog.core.cards.keyword_rename import rename_keyword  # noqa: E402
from studylog.core.journal.day_deletion import delete_day  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402
from studylog.core.undo.reversal import undo_newest  # noqa: E402


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def journal_bytes(store: Store) -> int:
    return int(store.value("SELECT coalesce(max(length(data)), 0) FROM undo_journal "
                           "WHERE id = (SELECT max(id) FROM undo_journal)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database to copy instead of ten years")
    args = parser.parse_args()
    source = args.db or ten_years.database()
    work = Path(tempfile.mkdtemp(prefix="studylog-cleanup-")) / "journal.sqlite3"
    shutil.copy(source, work)
    store = Store(work)
    try:
        days = int(store.value("SELECT count(*) FROM entries"))
        rows = run(store)
    finally:
        store.close()
        shutil.rmtree(work.parent, ignore_errors=True)
    print(f"{'action':<44} {'ms':>9} {'undo ms':>9} {'undo KB':>9}")
    for row in rows:
        print(f"{row['action']:<44} {row['ms']:>9.1f} {row['undo_ms']:>9.1f} "
              f"{row['undo_kb']:>9.1f}")
    print(json.dumps({"benchmark": "cleanup_scale", "days": days, "actions": rows}))


def run(store: Store) -> list[dict]:
    top = store.query(
        "SELECT k.id, k.name, count(*) AS days FROM entry_keywords ek "
        "JOIN keywords k ON k.id = ek.keyword_id JOIN cards c ON c.keyword_id = k.id "
        "GROUP BY k.id ORDER BY days DESC LIMIT 2")
    cards = {r["name"]: store.value("SELECT id FROM cards WHERE keyword_id = ?", [r["id"]])
             for r in top}
    (first, first_days), (second, second_days) = [(r["name"], r["days"]) for r in top]
    longest = store.query("SELECT card_id, count(*) AS n FROM review_log "
                          "GROUP BY card_id ORDER BY n DESC LIMIT 1")[0]
    middle = store.value("SELECT date FROM entries ORDER BY date "
                         "LIMIT 1 OFFSET (SELECT count(*) / 2 FROM entries)")
    actions: list[tuple[str, Callable[[], object]]] = [
        (f"delete day {middle}", lambda: delete_day(store, middle)),
        (f"delete card ({longest['n']} reviews)",
         lambda: delete_cards(store, [longest["card_id"]])),
        (f"rename “{first}” ({first_days} days)",
         lambda: rename_keyword(store, first, first + " renamed")),
        (f"merge “{second}” into “{first}” ({first_days}+{second_days} d)",
         lambda: merge_cards(store, cards[first], cards[second])),
        (f"suspend every orphan ({len(store.cards.orphaned_ids())})",
         lambda: suspend_orphans(store)),
    ]
    rows = []
    for name, action in actions:
        entries = store.value("SELECT count(*) FROM undo_journal")
        ms = timed(action)
        if store.value("SELECT count(*) FROM undo_journal") == entries:
            continue  # nothing to do (no orphans), so nothing to undo
        size = journal_bytes(store) / 1024
        undo_ms = timed(lambda: undo_newest(store))
        rows.append({"action": name, "ms": round(ms, 1), "undo_ms": round(undo_ms, 1),
                     "undo_kb": round(size, 1)})
    return rows


if __name__ == "__main__":
    main()
