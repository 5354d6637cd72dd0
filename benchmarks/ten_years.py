"""The ten-year database every big benchmark uses, built once and cached on disk.

3,650 days of daily logs (``journal_scale.generate``: weekly Markdown files, Korean and
English, ending today) imported as the CLI imports them, the bundled decks synced, then
cards from ``review_scale.make_card`` up to 20,000 in all, with 1,000,000 review-log rows
between them (``review_scale.log_rows``), some due today.  The same seed builds the same
collection, so numbers compare across issues (its dates follow today: the logs end today
and cards fall due relative to now, which the app's clock reads).

Cached as ``<tmp>/studylog-bench/ten-years-v<GENERATOR_VERSION>-<today>-<schema>.sqlite3``;
bump ``GENERATOR_VERSION`` when what ``build`` writes changes.  ``<schema>`` names the
newest migration this code knows: opening the file migrates it, and a file migrated by a
branch with a newer schema is refused by the others, so each schema has its own file
(several branches share the cache directory).  Benchmarks call ``database()``;
``python benchmarks/ten_years.py [--rebuild]`` builds it and describes it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sqlite3
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(BENCH_DIR.parent))
sys.path.insert(0, str(BENCH_DIR))

import journal_scale  # noqa: E402  (the logs)
import review_scale  # noqa: E402  (the cards and their review history)

from studylog.core.cards.deck_library import sync_bundled_decks  # noqa: E402
from studylog.core.journal.importer import import_logs  # noqa: E402
from studylog.core.review.settings import set_day_config  # noqa: E402
from studylog.core.review.study_day import study_day  # noqa: E402
from studylog.core.storage.database import Store, StoreError  # noqa: E402

GENERATOR_VERSION = 2  # 2: the lean review-log rows
DAYS = 3650
CARDS = 20_000
REVIEWS = 1_000_000
SEED = 17
TZ_NAME = "Asia/Seoul"
EXTRA_DECKS = [("journal", "journal", 0.6), ("Linear algebra", "added", 0.2),
               ("Python internals", "added", 0.2)]
CACHE_DIR = Path(tempfile.gettempdir()) / "studylog-bench"


def today() -> str:
    """The study day (in ``TZ_NAME``) the database is built for."""
    return study_day(datetime.now(UTC), ZoneInfo(TZ_NAME)).date.isoformat()


def schema() -> str:
    """The newest migration this code knows (its number and name)."""
    from studylog.core.storage.migrations import migrations

    return migrations._migrations[-1].name


def database(rebuild: bool = False) -> Path:
    """The path of today's ten-year database at this code's schema, built first if it is
    not cached yet."""
    day = today()
    path = CACHE_DIR / f"ten-years-v{GENERATOR_VERSION}-{day}-{schema()}.sqlite3"
    today_prefix = f"ten-years-v{GENERATOR_VERSION}-{day}"
    if rebuild or not path.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for old in CACHE_DIR.glob("ten-years-v*.sqlite3"):
            # other days and generator versions; today's at other schemas are other
            # branches' and stay
            if old != path and not old.name.startswith(today_prefix):
                old.unlink(missing_ok=True)
        if rebuild or not migrated_copy(sorted(CACHE_DIR.glob(f"{today_prefix}*.sqlite3")),
                                        path):
            build(path)
    return path


def migrated_copy(sources: list[Path], path: Path) -> bool:
    """Today's database at another schema, copied to ``path`` and migrated to this
    code's (the same collection, and seconds instead of minutes); False when none of
    ``sources`` is one this code can open (a newer branch's)."""
    partial = path.with_name(path.name + ".partial")
    for source in sources:
        partial.unlink(missing_ok=True)
        try:
            with closing(sqlite3.connect(source)) as src, \
                    closing(sqlite3.connect(partial)) as dst:
                src.backup(dst)  # consistent even while another process has it open
            store = Store(partial)  # migrates it
            store.db.execute("ANALYZE")  # as build() leaves it
            store.close()
        except (StoreError, sqlite3.Error):
            continue
        partial.replace(path)
        return True
    partial.unlink(missing_ok=True)
    return False


def build(path: Path) -> dict:
    """Logs imported as the CLI imports them, bundled decks synced as the CLI syncs them,
    then review_scale's cards (states, stabilities, review log) up to CARDS cards."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    day = study_day(now, ZoneInfo(TZ_NAME)).date
    started = time.perf_counter()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        logs = Path(tmp) / "logs"
        logs.mkdir()
        journal_scale.generate(logs, DAYS, rng, start=day - timedelta(days=DAYS - 1))
        store = Store(partial)
        set_day_config(store, timezone_name=TZ_NAME)
        report = import_logs(store, [logs])
        assert not report.refused, report.refused[:1]
    sync_bundled_decks(store)
    missing = CARDS - store.value("SELECT count(*) FROM cards")
    # review_scale's generators, with "now" moved to the real now (the app uses the clock).
    review_scale.NOW, review_scale.TZ = now, ZoneInfo(TZ_NAME)
    with store.write():
        cards = []
        for name, kind, share in EXTRA_DECKS:
            deck_id = store.decks.ensure(name, kind, trusted=True)
            # Keys "<deck>-<i>", unlike any keyword's: no clash with the journal's cards.
            cards += [review_scale.make_card(rng, deck_id, name, i)
                      for i in range(round(missing * share))]
        review_scale.spread_reps(cards, REVIEWS)
        first = (store.value("SELECT max(id) FROM cards") or 0) + 1
        store.db["cards"].insert_all(cards, batch_size=1000)
        ids = list(range(first, first + len(cards)))
        store.db["review_log"].insert_all(review_scale.log_rows(rng, cards, ids),
                                          batch_size=1000)
    store.db.execute("ANALYZE")
    store.close()
    partial.replace(path)
    return {"built": day.isoformat(), "build_s": round(time.perf_counter() - started, 1)}


def describe(path: Path) -> dict:
    """What the database holds (days, cards, decks, review-log rows, size)."""
    store = Store(path)
    try:
        return {"days": store.value("SELECT count(*) FROM entries"),
                "last_day": store.value("SELECT max(date) FROM entries"),
                "cards": store.value("SELECT count(*) FROM cards"),
                "decks": store.value("SELECT count(*) FROM decks"),
                "log_rows": store.value("SELECT count(*) FROM review_log"),
                "db_mb": round(path.stat().st_size / 1e6, 1)}
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build it again")
    args = parser.parse_args()
    started = time.perf_counter()
    path = database(rebuild=args.rebuild)
    info = {"path": str(path), "generator_version": GENERATOR_VERSION, **describe(path),
            "ready_s": round(time.perf_counter() - started, 1)}
    for key, value in info.items():
        print(f"{key:<18}{value}")
    print(json.dumps(info))


if __name__ == "__main__":
    main()
