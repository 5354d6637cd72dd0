"""``studylog import-anki`` of a large package: 20,000 notes whose cards carry
1,000,000 revlog rows (50 each), made by Anki's own library (the ``anki`` test
dependency) and exported in the current format (zstd ``collection.anki21b``, with
scheduling). Times the import into a fresh journal (best of ``--rounds``, each into a
new database) for a collection with Anki's FSRS memory state on every card, and, with
``--sm2``, one without (studylog then replays every card's reviews through fsrs). Prints
a table, then one line of JSON. Target (issue 21): import <= 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))

from studylog.core.anki.anki_import import import_anki  # noqa: E402
from studylog.core.storage.database import Store  # noqa: E402

TARGET_S = 10.0
DAY_MS = 86_400_000


def make_package(folder: Path, notes: int, reviews: int, fsrs_state: bool) -> Path:
    """A real .apkg: ``notes`` Basic notes in two decks, each card reviewed ``reviews``
    times (revlog rows written into Anki's collection, then exported by Anki)."""
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    basic = col.models.by_name("Basic")
    decks = [col.decks.id("Bench::한국어"), col.decks.id("Bench::PyTorch")]
    requests = []
    for i in range(notes):
        note = col.new_note(basic)
        note["Front"] = f"<b>word {i}</b> 단어 {i}"
        note["Back"] = f"meaning {i}<br>example <i>sentence</i> {i}<div>more</div>"
        note.tags = ["bench", f"group{i % 20}"]
        requests.append(AddNoteRequest(note=note, deck_id=decks[i % 2]))
    col.add_notes(requests)
    rng = random.Random(21)
    start = (int(time.time()) - 3 * 365 * 86400) * 1000
    card_ids = col.db.list("SELECT id FROM cards ORDER BY id")
    revlog = []
    cards = []
    for index, cid in enumerate(card_ids):
        interval = 1
        for j in range(reviews):
            ease = 1 if rng.random() < 0.1 else 3
            interval = 1 if ease == 1 else min(interval * 2, 365)
            revlog.append((start + j * 20 * DAY_MS + index, cid, -1, ease, interval,
                           interval, 2500, rng.randint(2000, 20000), 1 if j else 0))
        data = json.dumps({"s": interval * 1.1, "d": 5.2}) if fsrs_state else ""
        cards.append((rng.randint(-30, 300), interval, reviews, 2, data, cid))
    col.db.executemany("INSERT INTO revlog VALUES (?,?,?,?,?,?,?,?,?)", revlog)
    col.db.executemany("UPDATE cards SET type = 2, queue = 2, due = ? + (SELECT "
                       "(strftime('%s','now') - crt) / 86400 FROM col), ivl = ?, reps = ?, "
                       "lapses = ?, data = ? WHERE id = ?", cards)
    package = folder.parent / f"bench-{'fsrs' if fsrs_state else 'sm2'}.apkg"
    col.export_anki_package(out_path=str(package), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False, legacy=False))
    col.close()
    return package


def time_import(package: Path, folder: Path, rounds: int) -> tuple[float, float, dict]:
    times, cpu, report = [], [], None
    for n in range(rounds):
        with Store(folder / f"journal-{package.stem}-{n}.sqlite3") as store:
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_anki(store, package)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    assert report is not None
    return min(times), min(cpu), report.to_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=20_000)
    parser.add_argument("--reviews", type=int, default=50, help="revlog rows per card")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--sm2", action="store_true",
                        help="also a collection without FSRS state (replayed)")
    parser.add_argument("--keep", type=Path,
                        help="keep the packages in this folder and reuse them next time")
    args = parser.parse_args()
    result: dict[str, object] = {"target_s": TARGET_S, "notes": args.notes,
                                 "revlog_rows": args.notes * args.reviews}
    kinds = [True, False] if args.sm2 else [True]
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        for fsrs_state in kinds:
            name = "fsrs" if fsrs_state else "sm2"
            started = time.perf_counter()
            folder = args.keep or Path(tmp)
            package = folder / f"bench-{name}-{args.notes}x{args.reviews}.apkg"
            if not package.exists():
                made = make_package(Path(tmp) / name, args.notes, args.reviews, fsrs_state)
                made.replace(package)
                result[f"{name}_build_s"] = round(time.perf_counter() - started, 1)
            result[f"{name}_apkg_mb"] = round(package.stat().st_size / 1e6, 1)
            wall, cpu, report = time_import(package, Path(tmp), args.rounds)
            result[f"{name}_import_s"] = round(wall, 2)
            result[f"{name}_import_cpu_s"] = round(cpu, 2)
            result[f"{name}_cards"] = report["new"]
            result[f"{name}_reviews"] = report["reviews"]
            ok = ok and wall <= TARGET_S and report["new"] == args.notes and \
                report["reviews"] == args.notes * args.reviews
    result["load_avg_1m"] = round(os.getloadavg()[0], 1)
    print(f"{'what':<24}{'value':>12}")
    for key, value in result.items():
        print(f"{key:<24}{value!s:>12}")
    result["ok"] = ok
    print(json.dumps(result))


if __name__ == "__main__":
    main()
