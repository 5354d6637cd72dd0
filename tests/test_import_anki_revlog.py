"""import-anki's review-log copy (one SQL statement over the attached collection)
against a plain Python reading of Anki's revlog, row by row, on a collection whose
revlog has every kind of row: learn, review, relearn, filtered, manual and rescheduled
rows, ease 0, intervals in days and in seconds, negative times, cards of the second
template (not imported), and cards without reviews. The revlog is read by a second
thread while the fields are converted: a conversion that fails stops it, and the journal
is left as it was."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

from studylog.core.anki import anki_import
from studylog.core.anki.anki_import import import_anki
from studylog.core.storage.database import Store

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _graded(row: tuple[int, ...]) -> bool:
    _, _, ease, _, _, kind = row
    return 1 <= ease <= 4 and kind not in (4, 5)


def expected_log(revlog: list[tuple[int, ...]]) -> list[tuple]:
    """What each graded row of one card becomes: Anki's revlog read by hand."""
    rows = sorted((r for r in revlog if _graded(r)), key=lambda r: r[0])
    out, lapses, previous = [], 0, None
    for n, (rid, _, ease, ivl, duration, kind) in enumerate(rows):
        first = n == 0
        due_after = rid * 1000 + (ivl * 86_400_000_000 if ivl > 0 else -ivl * 1_000_000)
        state_before = ("new" if first else "review" if kind in (1, 3)
                        else "relearning" if kind == 2 else "learning")
        state_after = ("review" if ivl > 0 else "learning" if first
                       else "relearning" if kind in (1, 2, 3) else "learning")
        at = (_EPOCH + timedelta(milliseconds=rid)).isoformat(timespec="microseconds")
        out.append((ease, at, max(0, duration), state_before,
                    previous[1] if previous else None, state_after, due_after,
                    previous[0] * 1000 if previous else None, n, lapses))
        if not first and kind in (1, 3) and ease == 1:
            lapses += 1
        previous = (rid, due_after)
    return out


def make_package(folder: Path, notes: int, seed: int) -> tuple[Path, dict[str, list]]:
    """A package of ``notes`` reversed notes whose first cards have random revlogs;
    returns it and, per front, the revlog rows of its first card."""
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    reversed_type = col.models.by_name("Basic (and reversed card)")
    deck = col.decks.id("Revlog::모든 종류")
    requests = []
    for i in range(notes):
        note = col.new_note(reversed_type)
        note["Front"], note["Back"] = f"front {i} 앞", f"<b>back</b> {i}"
        requests.append(AddNoteRequest(note=note, deck_id=deck))
    col.add_notes(requests)
    rng = random.Random(seed)
    at = 1_500_000_000_000  # revlog ids in the future are refused by Anki
    by_front: dict[str, list] = {}
    rows = []
    for nid in col.find_notes(""):
        front = col.get_note(nid)["Front"]
        first, second = sorted(col.card_ids_of_note(nid),
                               key=lambda c: col.get_card(c).ord)
        by_front[front] = []
        for card, mine in ((first, True), (second, False)):
            for _ in range(rng.choice([0, 1, 2, 5, 12, 30])):
                at += rng.randint(1, 86_400_000)
                row = (at, card, rng.choice([0, 1, 1, 2, 3, 3, 4]),
                       rng.choice([1, 3, 10, 200, -600, -60, 0]),
                       rng.choice([0, 1500, 30000, -5]), rng.choice([0, 1, 1, 2, 3, 4, 5]))
                rows.append(row)
                if mine:
                    by_front[front].append(row)
    col.db.executemany("INSERT INTO revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, "
                       "type) VALUES (?, ?, -1, ?, ?, 0, 2500, ?, ?)", rows)
    package = folder / "revlog.apkg"
    col.export_anki_package(out_path=str(package), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False, legacy=False))
    col.close()
    return package, by_front


def test_every_kind_of_revlog_row_is_copied_as_anki_wrote_it(tmp_path: Path,
                                                             store: Store) -> None:
    package, by_front = make_package(tmp_path / "col", notes=60, seed=21)
    report = import_anki(store, package)
    expected = {f: expected_log(rows) for f, rows in by_front.items()}
    assert report.reviews == sum(map(len, expected.values())) > 150
    assert any(r[9] > 1 for log in expected.values() for r in log)  # lapses counted
    for front, log in expected.items():
        got = store.query(
            "SELECT rating, reviewed_at, duration_ms, state_before, due_before, state_after, "
            "due_after, last_review_before, reps_before, lapses_before FROM review_log "
            "WHERE card_id = (SELECT id FROM cards WHERE front = ?) ORDER BY reviewed_at",
            [front])
        assert [tuple(r.values()) for r in got] == log, front


def scratch(store: Store) -> tuple[list[str], list[str]]:
    """The attached databases and the temporary tables of the store's connection."""
    return ([r["name"] for r in store.query("PRAGMA database_list")],
            [r["name"] for r in store.query("SELECT name FROM temp.sqlite_master")])


def test_a_failed_conversion_stops_the_reading_and_writes_nothing(
        tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    package, _ = make_package(tmp_path / "col", notes=40, seed=5)
    conn = sqlite3.connect(store.path)
    before = list(conn.iterdump())

    def failing(*args: object) -> None:
        raise KeyboardInterrupt  # the user pressed ctrl+c while fields were converted

    monkeypatch.setattr(anki_import, "incoming_notes", failing)
    with pytest.raises(KeyboardInterrupt):
        import_anki(store, package)
    assert list(conn.iterdump()) == before
    assert scratch(store) == (["main", "temp"], [])
    monkeypatch.undo()
    assert import_anki(store, package).new_cards == 40  # the connection is usable
    assert scratch(store)[0] == ["main", "temp"]
    assert "anki_import_grades" not in scratch(store)[1]
