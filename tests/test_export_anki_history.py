"""``export apkg`` carries each card's schedule and review log into Anki (issue 21,
deliverable 4, export side), with the ``anki`` package as the oracle: imported with
scheduling into a collection with FSRS on, Anki sees every grade in its revlog, the
card's due day and studylog's stability and difficulty. And back: ``import-anki`` of
Anki's own export of that collection gives the same review log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)

from studylog.core.anki.anki_import import import_anki
from studylog.core.anki.apkg_export import export_apkg
from studylog.core.anki.note_fields import note_guid
from studylog.core.journal.importer import import_logs
from studylog.core.review.scheduling import record_review, suspend
from studylog.core.review.study_day import from_iso
from studylog.core.storage.database import Store

LOG = """# 2026-10-02

오늘은 **autograd** 를 복습했다. `requires_grad` 가 켜진 텐서만 그래프에 남는다.

Keywords: Autograd, Requires grad, No grad
"""


@pytest.fixture
def graded(tmp_path: Path):
    """A journal whose Autograd card was graded four times over three weeks (one
    lapse) and whose No grad card is suspended."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2026-10-02.md").write_text(LOG, encoding="utf-8")
    with Store(tmp_path / "studylog.sqlite3") as store:
        import_logs(store, [logs])
        ids = {r["front"]: r["id"] for r in store.query("SELECT id, front FROM cards")}
        start = datetime.now(UTC) - timedelta(days=30)
        card = ids["Autograd"]
        for days, rating in ((0, "good"), (1, "good"), (6, "again"), (6.01, "good"),
                             (9, "good")):
            record_review(store, card, rating, duration_ms=4200,
                          now=start + timedelta(days=days))
        suspend(store, ids["No grad"])
        yield store, ids


def anki_with(package: Path, folder: Path) -> Collection:
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    col.set_config("fsrs", True)
    col.import_anki_package(ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True)))
    return col


def anki_card(col: Collection, store: Store, card_id: int):
    key, deck = store.query("SELECT c.key, d.name FROM cards c JOIN decks d "
                            "ON d.id = c.deck_id WHERE c.id = ?", [card_id])[0].values()
    note_id = col.db.scalar("SELECT id FROM notes WHERE guid = ?", note_guid(deck, key))
    (card,) = col.get_note(note_id).cards()
    return card


def test_anki_sees_every_grade_the_due_day_and_the_memory_state(graded, tmp_path: Path
                                                                ) -> None:
    store, ids = graded
    report = export_apkg(store, tmp_path / "cards.apkg")
    assert report.reviews == 5
    col = anki_with(report.path, tmp_path / "anki")
    card = anki_card(col, store, ids["Autograd"])
    row = store.query("SELECT * FROM cards WHERE id = ?", [ids["Autograd"]])[0]
    log = store.query("SELECT rating, reviewed_at, state_before FROM review_log "
                      "WHERE card_id = ? ORDER BY id", [ids["Autograd"]])
    revlog = col.db.all("SELECT id, ease, time, type FROM revlog WHERE cid = ? ORDER BY id",
                        card.id)
    assert [e for _, e, _, _ in revlog] == [r["rating"] for r in log] == [3, 3, 1, 3, 3]
    assert [i for i, _, _, _ in revlog] == [
        int(from_iso(r["reviewed_at"]).timestamp() * 1000) for r in log]
    assert {t for _, _, t, _ in revlog} == {4200}
    kinds = {"new": 0, "learning": 0, "review": 1, "relearning": 2}
    assert [k for _, _, _, k in revlog] == [kinds[r["state_before"]] for r in log]
    assert [r["state_before"] for r in log][2:] == ["review", "relearning", "review"]
    assert (card.type, card.queue, card.reps, card.lapses) == (2, 2, 5, 1)
    anki_due = datetime.fromtimestamp(
        col.sched.day_cutoff + (card.due - col.sched.today - 1) * 86400, UTC)
    assert abs(anki_due - from_iso(row["due"])) < timedelta(days=1)
    assert card.memory_state is not None
    assert card.memory_state.stability == pytest.approx(row["stability"], abs=1e-3)
    assert card.memory_state.difficulty == pytest.approx(row["difficulty"], abs=1e-3)
    assert anki_card(col, store, ids["No grad"]).queue == -1
    new = anki_card(col, store, ids["Requires grad"])
    assert (new.type, new.queue) == (0, 0)
    col.close()


@pytest.mark.parametrize("local_hour", [2.5, 5.5, 10.5, 23.5])
def test_a_review_card_keeps_its_due_day_whatever_its_hour(tmp_path: Path,
                                                            local_hour: float) -> None:
    """Found when this file's first test failed at 04:21 UTC: Anki counts a review
    card's due in days that start at its rollover (4 AM, local time), and the export
    counted them in days from the package's creation instant (11:00 UTC in genanki's
    template), so a card due between 04:00 and 11:00 arrived in Anki a day early. Graded
    at each of these local hours, a card's due day in Anki is the study day of its due
    (days starting at 4 AM, as studylog's and Anki's both do by default)."""
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2026-10-02.md").write_text(LOG, encoding="utf-8")
    with Store(tmp_path / "studylog.sqlite3") as store:
        import_logs(store, [logs])
        card_id = store.value("SELECT id FROM cards WHERE front = 'Autograd'")
        local_midnight = datetime.combine(datetime.now().astimezone().date()
                                          - timedelta(days=20), datetime.min.time())
        start = (local_midnight + timedelta(hours=local_hour)).astimezone(UTC)
        for days in (0, 1, 4):  # learning, then review: due a whole number of days on
            record_review(store, card_id, "good", duration_ms=3000,
                          now=start + timedelta(days=days))
        row = store.query("SELECT state, due FROM cards WHERE id = ?", [card_id])[0]
        assert row["state"] == "review"
        col = anki_with(export_apkg(store, tmp_path / "cards.apkg").path, tmp_path / "anki")
        card = anki_card(col, store, card_id)
        day_start = datetime.fromtimestamp(
            col.sched.day_cutoff + (card.due - col.sched.today - 1) * 86400, UTC)
        col.close()
    # the Anki day that holds the due instant: it starts at most a day before it
    assert day_start <= from_iso(row["due"]) < day_start + timedelta(days=1)


def test_the_review_log_goes_to_anki_and_back(graded, tmp_path: Path) -> None:
    store, ids = graded
    report = export_apkg(store, tmp_path / "cards.apkg")
    col = anki_with(report.path, tmp_path / "anki")
    back = tmp_path / "from-anki.apkg"
    col.export_anki_package(out_path=str(back), limit=None, options=ExportAnkiPackageOptions(
        with_scheduling=True, with_media=False, legacy=False))
    col.close()
    with Store(tmp_path / "other.sqlite3") as other:
        import_anki(other, back)
        theirs = other.query("SELECT l.rating, l.reviewed_at, l.duration_ms FROM review_log l "
                             "JOIN cards c ON c.id = l.card_id ORDER BY l.reviewed_at")
        card = other.query("SELECT state, reps, lapses, stability FROM cards "
                           "WHERE state != 'new'")
    ours = store.query("SELECT rating, reviewed_at, duration_ms FROM review_log "
                       "ORDER BY reviewed_at")
    assert [(r["rating"], r["duration_ms"]) for r in theirs] == \
        [(r["rating"], r["duration_ms"]) for r in ours]
    assert [from_iso(r["reviewed_at"]).replace(microsecond=0) for r in theirs] == \
        [from_iso(r["reviewed_at"]).replace(microsecond=0) for r in ours]
    stability = store.value("SELECT stability FROM cards WHERE id = ?", [ids["Autograd"]])
    assert [(c["state"], c["reps"], c["lapses"]) for c in card] == [("review", 5, 1)]
    assert card[0]["stability"] == pytest.approx(stability, abs=1e-3)


def test_grades_in_the_same_millisecond_all_reach_anki(graded, tmp_path: Path) -> None:
    """Anki keys the revlog by the grade's millisecond: grades that share one (and one
    in the next millisecond) still all arrive, each with an id of its own."""
    store, ids = graded
    moment = datetime.now(UTC) - timedelta(days=2)
    record_review(store, ids["Requires grad"], "good", now=moment)
    from studylog.core.review.scheduling import unsuspend

    unsuspend(store, ids["No grad"])  # graded in the same instant, then 1 ms on
    record_review(store, ids["No grad"], "again", now=moment)
    record_review(store, ids["No grad"], "good", now=moment + timedelta(milliseconds=1))
    report = export_apkg(store, tmp_path / "cards.apkg")
    assert report.reviews == 8
    col = anki_with(report.path, tmp_path / "anki")
    revlog = col.db.all("SELECT id, cid, ease FROM revlog ORDER BY id")
    col.close()
    assert len(revlog) == len({i for i, _, _ in revlog}) == 8
    at = int(moment.timestamp() * 1000)
    assert sorted(i for i, _, _ in revlog if i >= at) == [at, at + 1, at + 2]
