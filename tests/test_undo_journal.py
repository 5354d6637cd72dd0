"""The undo journal (issues 12 and 17): undo reverses the study day's newest action —
grade, bury, suspend, unsuspend, card edit — whichever process did it; entries are
kept for the current study day only; the old text of an edit lives there, never in
the review log."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from studylog.core.cards.card_editing import edit_card
from studylog.core.journal.importer import import_logs
from studylog.core.review.queue import build_queue
from studylog.core.review.scheduling import bury, record_review, suspend, unsuspend
from studylog.core.review.session import ReviewSession
from studylog.core.review.settings import ReviewError, set_day_config
from studylog.core.storage.database import Store
from studylog.core.undo import journal
from studylog.core.undo.reversal import undo_newest

NOW = datetime(2024, 3, 10, 1, 0, tzinfo=UTC)


@pytest.fixture
def cards(store: Store, fixture_log) -> list[int]:
    import_logs(store, [fixture_log], year=2023)
    set_day_config(store, timezone_name="Asia/Seoul")
    return [c.id for c in build_queue(store, now=NOW).cards]


def _row(store: Store, card_id: int) -> dict:
    return store.query("SELECT * FROM cards WHERE id = ?", [card_id])[0]


def test_undo_after_bury_reverses_the_bury_not_the_older_grade(store, cards):
    session = ReviewSession(store)
    session.grade(cards[0], "good", 1500, NOW)
    graded = _row(store, cards[0])
    unburied = _row(store, cards[1])
    session.bury(cards[1], NOW)
    undone = session.undo()
    assert (undone.action, undone.card_id) == ("bury", cards[1])
    assert undone.message == f"Undid bury of “{unburied['front']}”"
    assert _row(store, cards[1]) == unburied
    assert _row(store, cards[0]) == graded  # the grade is still there
    assert store.value("SELECT count(*) FROM review_log") == 1
    assert session.undo().action == "grade"
    assert store.value("SELECT count(*) FROM review_log") == 0
    with pytest.raises(ReviewError, match="nothing to undo today"):
        session.undo()


def test_suspend_unsuspend_and_grade_undo_newest_first(store, cards):
    a, b = cards[:2]
    rows = {a: _row(store, a), b: _row(store, b)}
    record_review(store, a, "easy", None, NOW)
    suspend(store, b)
    suspend(store, b)  # already suspended: nothing happened, nothing to undo
    unsuspend(store, b)
    suspend(store, b)
    steps = [undo_newest(store).action for _ in range(4)]
    assert steps == ["suspend", "unsuspend", "suspend", "grade"]
    assert _row(store, a) == rows[a] and _row(store, b) == rows[b]


def test_an_edit_is_undone_from_the_journal_not_the_review_log(store, cards):
    card = cards[0]
    record_review(store, card, "good", None, NOW)
    before = _row(store, card)
    edit_card(store, card, "스트라이드 (memory layout)", "내가 쓴 답: view는 메모리를 공유한다")
    assert store.cards.get(card).back_edited
    logged = json.dumps(store.query("SELECT * FROM review_log"), ensure_ascii=False)
    assert before["back"][:40] not in logged and "내가 쓴 답" not in logged
    undone = undo_newest(store)
    assert undone.message == f"Undid edit of “{before['front']}”"
    assert _row(store, card) == before  # text, hand-edit marks and updated_at
    assert undo_newest(store).action == "grade"


def test_entries_are_kept_for_the_study_day_only(store, cards, monkeypatch):
    # the study day starts at 04:00 Seoul time (19:00 UTC)
    monkeypatch.setattr(journal, "wall_clock", lambda: datetime(2026, 5, 20, 18, 30, tzinfo=UTC))
    bury(store, cards[0], NOW)
    buried = _row(store, cards[0])
    monkeypatch.setattr(journal, "wall_clock", lambda: datetime(2026, 5, 20, 19, 1, tzinfo=UTC))
    with pytest.raises(ReviewError, match="nothing to undo today"):
        undo_newest(store)
    assert _row(store, cards[0]) == buried  # yesterday's bury stays
    assert store.value("SELECT count(*) FROM undo_journal") == 0  # and was pruned
    suspend(store, cards[1])
    assert undo_newest(store).action == "suspend"


def _studylog(db, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studylog", "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120)


def test_cli_undo_reverses_the_newest_action_of_any_process(store, cards, db_path):
    session = ReviewSession(store)
    front = store.cards.get(cards[0]).front
    session.grade(cards[0], "again", 900, NOW)
    proc = _studylog(db_path, "suspend", str(cards[1]))
    assert proc.returncode == 0, proc.stderr
    assert store.cards.get(cards[1]).suspended
    undone = session.undo()  # the app undoes what the CLI did
    assert (undone.action, undone.card_id) == ("suspend", cards[1])
    assert not store.cards.get(cards[1]).suspended
    proc = _studylog(db_path, "undo", "--json")  # the CLI undoes what the app did
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"action": "grade", "id": cards[0], "front": front,
                                       "rating": "again", "state": "new", "due": None}
    assert store.cards.get(cards[0]).state == "new"
    proc = _studylog(db_path, "undo")
    assert proc.returncode == 1 and proc.stderr.strip() == "error: nothing to undo today"


def test_review_log_undo_forgets_the_journal_entry(store, cards):
    """Undoing a grade directly (undo_last) leaves no entry behind to undo twice."""
    from studylog.core.review.scheduling import undo_last

    record_review(store, cards[0], "good", None, NOW)
    bury(store, cards[1], NOW + timedelta(minutes=1))
    undo_last(store)
    assert undo_newest(store).action == "bury"
    with pytest.raises(ReviewError):
        undo_newest(store)
