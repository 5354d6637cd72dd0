"""Delete and rename (issue 16, deliverable 5): delete a day, delete a card, suspend or
delete the orphans, rename a keyword, merge two keyword cards. Each on a real SQLite
file, each undone exactly (every row of every table as it was), and re-importing
never quietly brings back what you deleted or renamed."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studylog.core.cards.card_deletion import (
    delete_cards,
    delete_orphans,
    orphaned_cards,
    suspend_orphans,
)
from studylog.core.cards.card_editing import CardError, edit_card
from studylog.core.cards.card_merge import merge_cards
from studylog.core.cards.deck_library import sync_bundled_decks
from studylog.core.cards.keyword_rename import (
    KeywordError,
    KeywordTaken,
    check_new_keyword_name,
    rename_keyword,
)
from studylog.core.journal.day_deletion import delete_day
from studylog.core.journal.day_editing import DayError, save_day_text
from studylog.core.journal.importer import import_logs
from studylog.core.review.scheduling import record_review
from studylog.core.search import search
from studylog.core.storage.database import Store
from studylog.core.storage.migrations import DELETIONS_MIGRATION, migrations
from studylog.core.storage.sqlite_lib import Database
from studylog.core.undo.journal import UndoError
from studylog.core.undo.reversal import undo_newest

NOW = datetime(2024, 3, 10, 1, 0, tzinfo=UTC)

WEEK = """# 3월 둘째 주

## 2024-03-04 (월)
텐서를 처음 만들어봤다. contiguous하지 않은 텐서에서 view가 실패했다.

키워드: Tensor, Contiguous

## 2024-03-05 (화)
Autograd로 미분을 했다. Tensor의 requires_grad를 켜야 한다.

- **키워드**: Autograd, Tensor

## 2024-03-06 (수)
Dropout and weight decay both regularize the MLP.

### Keywords
- **Dropout**: randomly zeroes activations
- Weight Decay - shrinks the weights
"""

NEXT_DAY = """
## 2024-03-07 (목)
DataLoader로 배치를 만들었다.

> 키워드
>> DataLoader
"""


def snapshot(store: Store) -> dict[str, list[dict]]:
    """Every row of every table a user's data lives in (not the undo journal itself)."""
    tables = [r["name"] for r in store.query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
        "AND name NOT IN ('undo_journal', '_sqlite_migrations', 'sqlite_sequence')")]
    return {t: store.query(f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}


def card(store: Store, front: str) -> dict:
    rows = store.query("SELECT c.* FROM cards c JOIN decks d ON d.id = c.deck_id "
                       "WHERE d.name = 'journal' AND c.front = ?", [front])
    assert len(rows) == 1, (front, rows)
    return rows[0]


def sources(store: Store, card_id: int) -> list[str]:
    return [d.date for d in store.cards.sources(card_id)]


@pytest.fixture
def week(tmp_path: Path) -> Path:
    log = tmp_path / "2024-week10.md"
    log.write_text(WEEK, encoding="utf-8")
    return log


@pytest.fixture
def journal(store: Store, week: Path) -> Store:
    report = import_logs(store, [week])
    assert not report.refused
    return store


# -- the schema ------------------------------------------------------------------------

def test_upgrade_keeps_the_log_and_drops_only_its_card_foreign_key(db_path):
    conn = sqlite3.connect(db_path)
    migrations.apply(Database(conn), stop_before=DELETIONS_MIGRATION)
    conn.execute("INSERT INTO decks (name, kind, created_at) VALUES ('d', 'added', 'x')")
    conn.execute("INSERT INTO cards (deck_id, key, front, tags, created_at, updated_at) "
                 "VALUES (1, 'k', 'front', '[]', 'x', 'x')")
    conn.execute("INSERT INTO review_log (card_id, rating, reviewed_at, state_before, "
                 "state_after, due_after, reps_before, lapses_before, suspended_before, "
                 "leech_before) VALUES (1, 3, '2024-03-01T00:00:00Z', 'new', 'learning', "
                 "1, 0, 0, 0, 0)")
    conn.commit()
    conn.close()
    with Store(db_path) as store:
        assert store.query("PRAGMA foreign_key_list(review_log)") == []
        assert store.integrity_check() == "ok"
        assert store.query("PRAGMA foreign_key_check") == []
        delete_cards(store, [1])
        assert store.value("SELECT count(*) FROM review_log WHERE card_id = 1") == 1


# -- deleting a day --------------------------------------------------------------------

def test_delete_day_takes_sources_and_orphans_a_card_left_with_none(journal):
    store = journal
    tensor = card(store, "Tensor")
    assert not card(store, "Contiguous")["orphaned"]
    assert sources(store, tensor["id"]) == ["2024-03-05", "2024-03-04"]
    done = delete_day(store, "2024-03-04")
    assert done.orphaned == ["Contiguous"]
    assert store.entries.get("2024-03-04") is None
    assert sources(store, tensor["id"]) == ["2024-03-05"]
    assert not card(store, "Tensor")["orphaned"]
    assert card(store, "Contiguous")["orphaned"] == 1
    assert [h.ref for h in search(store, "view가 실패") if h.kind == "entry"] == []


def test_undo_of_a_day_delete_restores_every_row(journal):
    store = journal
    record_review(store, card(store, "Contiguous")["id"], "good", 1200, NOW)
    save_day_text(store, datetime(2024, 3, 4).date(),
                  "텐서를 처음 만들어봤다.\n\n키워드: Tensor, Contiguous\n")
    with store.write():
        store.drafts.save("2024-03-04", "아직 저장하지 않은 초안")
    before = snapshot(store)
    delete_day(store, "2024-03-04")
    assert store.drafts.get("2024-03-04") is None
    undone = undo_newest(store)
    assert undone.action == "delete day"
    assert snapshot(store) == before
    assert [h.ref for h in search(store, "처음 만들어") if h.kind == "entry"] == ["2024-03-04"]


def test_unknown_day_is_one_line_and_changes_nothing(journal):
    before = snapshot(journal)
    with pytest.raises(DayError, match="no day 2024-03-09"):
        delete_day(journal, "2024-03-09")
    assert snapshot(journal) == before


def test_reimport_leaves_a_deleted_day_out_until_its_text_changes(journal, week):
    store = journal
    delete_day(store, "2024-03-05")
    assert import_logs(store, [week]).files[0].status == "unchanged"
    # one file per week: the next day is appended and the file imported again
    week.write_text(WEEK + NEXT_DAY, encoding="utf-8")
    report = import_logs(store, [week])
    assert report.files[0].days_kept_deleted == ["2024-03-05"]
    assert report.files[0].days_new == 1
    assert store.entries.get("2024-03-05") is None
    assert store.entries.get("2024-03-07") is not None
    assert sources(store, card(store, "Autograd")["id"]) == []
    # the deleted day's own text changes in the file: it comes back, and says so
    week.write_text(WEEK.replace("미분을 했다", "미분을 다시 했다") + NEXT_DAY, encoding="utf-8")
    report = import_logs(store, [week])
    assert report.files[0].days_back == ["2024-03-05"]
    assert "다시" in store.entries.get("2024-03-05").body
    assert sources(store, card(store, "Autograd")["id"]) == ["2024-03-05"]


def test_a_day_written_again_in_the_app_is_not_left_out(journal, week):
    store = journal
    delete_day(store, "2024-03-06")
    save_day_text(store, datetime(2024, 3, 6).date(), "새로 쓴 하루.\n\n키워드: Dropout\n")
    week.write_text(WEEK + NEXT_DAY, encoding="utf-8")
    report = import_logs(store, [week])
    assert report.files[0].days_kept_deleted == []
    # not left out: the file's day meets the app's new one as any such day does (the
    # three-way merge keeps yours and the file's beside it)
    assert report.files[0].conflicts == ["2024-03-06"]
    assert store.entries.get("2024-03-06").body.startswith("새로 쓴 하루")


# -- deleting cards --------------------------------------------------------------------

def test_deleted_card_keeps_its_history_and_its_id_is_never_reused(journal):
    store = journal
    newest = max(r["id"] for r in store.query("SELECT id FROM cards"))
    last = store.cards.get(newest)
    record_review(store, newest, "again", 900, NOW)
    record_review(store, newest, "good", 900, NOW)
    done = delete_cards(store, [newest])
    assert (done.fronts, done.reviews_kept) == ([last.front], 2)
    assert store.cards.get(newest) is None
    assert store.value("SELECT count(*) FROM review_log WHERE card_id = ?", [newest]) == 2
    # a new card does not take the id, so the history never passes to it
    save_day_text(store, datetime(2024, 3, 8).date(), "새 개념.\n\n키워드: Broadcasting\n")
    assert card(store, "Broadcasting")["id"] > newest


def test_days_that_listed_a_deleted_card_do_not_make_it_again(journal, week):
    store = journal
    tensor = card(store, "Tensor")["id"]
    delete_cards(store, [tensor])
    save_day_text(store, datetime(2024, 3, 4).date(),
                  "텐서를 다시 만들어봤다.\n\n키워드: Tensor, Contiguous\n")
    week.write_text(WEEK + NEXT_DAY, encoding="utf-8")
    import_logs(store, [week])
    assert store.query("SELECT id FROM cards WHERE front = 'Tensor'") == []
    # a day that lists it anew makes a new card (you wrote it again since)
    save_day_text(store, datetime(2024, 3, 9).date(), "Tensor again.\n\nKeywords: Tensor\n")
    assert card(store, "Tensor")["id"] != tensor


def test_card_delete_undo_restores_card_sources_and_candidate_link(journal):
    store = journal
    tensor = card(store, "Tensor")["id"]
    record_review(store, tensor, "good", 1000, NOW)
    edit_card(store, tensor, "Tensor", "내가 고쳐 쓴 뒷면")
    before = snapshot(store)
    delete_cards(store, [tensor])
    assert undo_newest(store).action == "delete card"
    assert snapshot(store) == before
    assert undo_newest(store).action == "edit"  # the older actions are still there


def test_deleting_an_unknown_card_deletes_nothing(journal):
    before = snapshot(journal)
    with pytest.raises(CardError, match="no card with id 99999"):
        delete_cards(journal, [card(journal, "Tensor")["id"], 99999])
    assert snapshot(journal) == before


# -- orphans ---------------------------------------------------------------------------

def test_orphans_suspended_then_deleted_at_once_each_undone(journal):
    store = journal
    delete_day(store, "2024-03-06")
    assert sorted(c.front for c in orphaned_cards(store)) == ["Dropout", "Weight Decay"]
    before = snapshot(store)
    assert sorted(suspend_orphans(store)) == ["Dropout", "Weight Decay"]
    assert all(c.suspended for c in orphaned_cards(store))
    assert suspend_orphans(store) == []  # nothing left to suspend: no action journaled
    assert undo_newest(store).action == "suspend orphans"
    assert snapshot(store) == before
    done = delete_orphans(store)
    assert sorted(done.fronts) == ["Dropout", "Weight Decay"]
    assert orphaned_cards(store) == []
    undo_newest(store)
    assert snapshot(store) == before


# -- renaming a keyword ----------------------------------------------------------------

def test_rename_keeps_the_card_and_its_history_and_changes_each_days_form(journal):
    store = journal
    tensor = card(store, "Tensor")
    record_review(store, tensor["id"], "good", 1000, NOW)
    done = rename_keyword(store, "tensor", "텐서 Tensor")
    assert done.days == ["2024-03-04", "2024-03-05"]
    renamed = store.cards.get(tensor["id"])
    assert (renamed.front, renamed.reps) == ("텐서 Tensor", 1)
    assert store.value("SELECT count(*) FROM review_log WHERE card_id = ?",
                       [tensor["id"]]) == 1
    body4 = store.entries.get("2024-03-04").body
    body5 = store.entries.get("2024-03-05").body
    assert "키워드: 텐서 Tensor, Contiguous" in body4
    assert "- **키워드**: Autograd, 텐서 Tensor" in body5
    # prose is yours: only the keyword lines change
    assert "Tensor의 requires_grad" in body5
    assert store.entries.get("2024-03-05").keywords == ["Autograd", "텐서 Tensor"]
    assert sources(store, tensor["id"]) == ["2024-03-05", "2024-03-04"]


@pytest.mark.parametrize("body, old, new, line", [
    ("Adam이랑 SGD를 비교했다.\n\n**키워드** - Adam, SGD\n", "adam", "AdamW",
     "**키워드** - AdamW, SGD"),
    ("tensor 실습.\n\n#키워드: Tensor (텐서)\n", "Tensor", "Torch Tensor",
     "#키워드: Torch Tensor (텐서)"),
    ("attention.\n\n> 키워드：Attention · Transformer | Softmax\n", "transformer",
     "Transformers", "> 키워드：Attention · Transformers | Softmax"),
    ("Studied optimizers.\n\n### Keywords\n- **Adam**: momentum + RMSProp\n- SGD\n",
     "ADAM", "Adam optimizer", "- **Adam optimizer**: momentum + RMSProp"),
    ("벡터 공부.\n\n> 키워드\n>> Vector와 Vector Space\n>> 내적\n", "내적", "Dot Product",
     ">> Dot Product"),
    ("Weight decay today.\n\nKeywords\nWeight Decay\nL2 Penalty\n",
     "weightdecay", "Weight-decay", "Weight-decay"),
])
def test_rename_in_every_keyword_form(store, body, old, new, line):
    save_day_text(store, datetime(2024, 5, 2).date(), body)
    rename_keyword(store, old, new)
    entry = store.entries.get("2024-05-02")
    assert line in entry.body.splitlines()
    assert new in entry.keywords


def test_after_a_rename_the_old_spelling_in_a_reimported_file_is_the_same_card(
        journal, week):
    store = journal
    contiguous = card(store, "Contiguous")["id"]
    rename_keyword(store, "Contiguous", "Contiguity")
    # the file still says Contiguous, and that day changes there
    week.write_text(WEEK.replace("view가 실패했다", "view가 실패했다!") + NEXT_DAY,
                    encoding="utf-8")
    report = import_logs(store, [week])
    assert report.new_cards == ["DataLoader"]
    assert store.query("SELECT id FROM cards WHERE front = 'Contiguous'") == []
    assert sources(store, contiguous) == ["2024-03-04"]


def test_rename_undo_restores_every_row(journal):
    store = journal
    record_review(store, card(store, "Tensor")["id"], "hard", 1000, NOW)
    before = snapshot(store)
    rename_keyword(store, "Tensor", "PyTorch Tensor")
    assert undo_newest(store).action == "rename keyword"
    assert snapshot(store) == before
    assert [h.ref for h in search(store, "키워드: Tensor, Contiguous") if h.kind == "entry"] \
        == ["2024-03-04"]


def test_rename_refusals_change_nothing(journal):
    store = journal
    before = snapshot(store)
    with pytest.raises(KeywordError, match="merge them"):
        rename_keyword(store, "Tensor", "autograd")
    with pytest.raises(KeywordError, match="no keyword “Nope”"):
        rename_keyword(store, "Nope", "Yes")
    with pytest.raises(KeywordError, match="not one keyword"):
        rename_keyword(store, "Tensor", "A, B")
    assert snapshot(store) == before


def test_the_name_check_refuses_what_the_rename_would_before_anything_changes(journal):
    """The app's name box asks this before it asks "Rename …?": the same refusals."""
    store = journal
    before = snapshot(store)
    tensor, autograd = card(store, "Tensor")["id"], card(store, "Autograd")["id"]
    with pytest.raises(KeywordTaken) as taken:
        check_new_keyword_name(store, "Tensor", " autograd ")
    assert (taken.value.name, taken.value.keep, taken.value.other) == (
        "autograd", autograd, tensor)
    assert f"studylog card merge {autograd} {tensor}" in str(taken.value)
    assert "+ on the card in the app" in str(taken.value)
    with pytest.raises(KeywordError, match="the keyword is “Tensor” already"):
        check_new_keyword_name(store, "tensor", "Tensor")
    with pytest.raises(KeywordError, match="empty"):
        check_new_keyword_name(store, "Tensor", "  ")
    assert check_new_keyword_name(store, "Tensor", " 텐서 ") == "텐서"
    assert snapshot(store) == before


# -- merging two keyword cards ---------------------------------------------------------

def test_merge_keeps_both_sources_and_the_older_history(journal):
    store = journal
    keep, other = card(store, "Contiguous")["id"], card(store, "Autograd")["id"]
    # the other card was graded first: its history is the older one
    record_review(store, other, "good", 1000, datetime(2024, 3, 6, tzinfo=UTC))
    record_review(store, keep, "again", 1000, datetime(2024, 3, 8, tzinfo=UTC))
    other_row = store.cards.get(other)
    done = merge_cards(store, keep, other)
    assert done.history_from == other
    merged = store.cards.get(keep)
    assert merged.front == "Contiguous"
    assert (merged.state, merged.due, merged.stability) == \
        (other_row.state, other_row.due, other_row.stability)
    assert [r["rating"] for r in store.query(
        "SELECT rating FROM review_log WHERE card_id = ?", [keep])] == [3]
    # the younger history stays in the log, under the merged-away card's id
    assert [r["rating"] for r in store.query(
        "SELECT rating FROM review_log WHERE card_id = ?", [other])] == [1]
    assert store.cards.get(other) is None
    assert sources(store, keep) == ["2024-03-05", "2024-03-04"]
    assert "Autograd로 미분" in merged.back


def test_merge_with_the_younger_other_keeps_keeps_history(journal):
    store = journal
    keep, other = card(store, "Dropout")["id"], card(store, "Weight Decay")["id"]
    record_review(store, keep, "easy", 1000, datetime(2024, 3, 6, tzinfo=UTC))
    before = store.cards.get(keep)
    done = merge_cards(store, keep, other)
    assert done.history_from == keep
    assert store.cards.get(keep).due == before.due


def test_merged_spelling_in_a_reimported_day_counts_as_the_kept_card(journal, week):
    store = journal
    keep, other = card(store, "Tensor")["id"], card(store, "Autograd")["id"]
    merge_cards(store, keep, other)
    week.write_text(WEEK.replace("미분을 했다", "미분을 또 했다") + NEXT_DAY, encoding="utf-8")
    report = import_logs(store, [week])
    assert report.new_cards == ["DataLoader"]
    assert store.query("SELECT id FROM cards WHERE front = 'Autograd'") == []
    # 2024-03-05 lists both spellings: one source, one keyword
    assert sources(store, keep) == ["2024-03-05", "2024-03-04"]
    assert store.entries.get("2024-03-05").keywords == ["Tensor"]


def test_merge_undo_restores_every_row(journal):
    store = journal
    keep, other = card(store, "Tensor")["id"], card(store, "Autograd")["id"]
    record_review(store, other, "good", 1000, datetime(2024, 3, 6, tzinfo=UTC))
    record_review(store, keep, "hard", 1000, datetime(2024, 3, 7, tzinfo=UTC))
    before = snapshot(store)
    merge_cards(store, keep, other)
    assert undo_newest(store).action == "merge cards"
    assert snapshot(store) == before


def test_merge_refusals_change_nothing(journal):
    store = journal
    tensor = card(store, "Tensor")["id"]
    sync_bundled_decks(store)
    bundled = store.value("SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id "
                          "WHERE d.kind = 'bundled' LIMIT 1")
    before = snapshot(store)
    with pytest.raises(CardError, match="itself"):
        merge_cards(store, tensor, tensor)
    with pytest.raises(CardError, match="not a keyword card"):
        merge_cards(store, tensor, bundled)
    with pytest.raises(CardError, match="no card with id 424242"):
        merge_cards(store, tensor, 424242)
    assert snapshot(store) == before


def test_undo_refuses_when_the_day_was_written_again_since_and_changes_nothing(journal):
    store = journal
    tensor = card(store, "Tensor")["id"]
    edit_card(store, tensor, "Tensor", "손으로 쓴 뒷면")
    delete_day(store, "2024-03-04")
    save_day_text(store, datetime(2024, 3, 4).date(), "다시 쓴 하루.\n\n키워드: Tensor\n")
    before = snapshot(store)
    with pytest.raises(UndoError, match="cannot undo delete day of “2024-03-04 · "
                       "2024-03-04 \\(월\\)”: a day of that date was written since; "
                       "this undo is dropped"):
        undo_newest(store)
    assert snapshot(store) == before
    # the refused entry is gone: the next undo reverses the action before it
    assert undo_newest(store).action == "edit"
    assert store.cards.get(tensor).back_edited is False


def test_a_day_edited_in_the_app_then_deleted_stays_out_of_its_unchanged_file(journal, week):
    """The tombstone holds the file's text (the merge base), not the app's edit: the
    file's day is what a re-import compares."""
    store = journal
    save_day_text(store, datetime(2024, 3, 5).date(), "앱에서 고쳐 쓴 하루.\n\n키워드: Autograd\n")
    entry = store.entries.get("2024-03-05")
    base = store.day_bases.get(entry.id)
    delete_day(store, "2024-03-05")
    week.write_text(WEEK + NEXT_DAY, encoding="utf-8")
    report = import_logs(store, [week])
    assert report.files[0].days_kept_deleted == ["2024-03-05"]
    assert store.entries.get("2024-03-05") is None
    undo_newest(store)  # the import is no action: the delete is still the newest one
    assert store.entries.get("2024-03-05") == entry
    assert store.day_bases.get(entry.id) == base  # the file's text, for the next merge
    assert store.query("SELECT * FROM deleted_days") == []


def test_export_json_carries_tombstones_aliases_and_a_deleted_cards_history(
        journal, week, tmp_path):
    """Moving to another machine keeps what you deleted deleted and renamed renamed."""
    from studylog.core.backup.json_export import export_json
    from studylog.core.backup.json_import import import_json

    store = journal
    contiguous = card(store, "Contiguous")["id"]
    record_review(store, contiguous, "good", 800, NOW)
    delete_cards(store, [contiguous])
    delete_day(store, "2024-03-06")
    rename_keyword(store, "Autograd", "Automatic Differentiation")
    export_json(store, tmp_path / "journal.json")
    with Store(tmp_path / "other.sqlite3") as other:
        import_json(other, tmp_path / "journal.json")
        assert other.value("SELECT count(*) FROM review_log WHERE card_id = ?",
                           [contiguous]) == 1
        week.write_text(WEEK.replace("Autograd로 미분을 했다", "Autograd로 또 미분했다")
                        + NEXT_DAY, encoding="utf-8")
        report = import_logs(other, [week])
        assert report.files[0].days_kept_deleted == ["2024-03-06"]
        assert report.new_cards == ["DataLoader"]  # no Autograd, no Contiguous again


def test_a_deleted_day_under_a_date_only_heading_stays_out(store, tmp_path):
    """Such a day is named by its first line at import; the tombstone is of its text."""
    log = tmp_path / "2024-05.md"
    text = "## 2024-05-02\nBroadcasting rules, again.\n\nKeywords: Broadcasting\n"
    log.write_text(text, encoding="utf-8")
    import_logs(store, [log])
    delete_day(store, "2024-05-02")
    log.write_text(text + "\n## 2024-05-03\n쉬는 날.\n", encoding="utf-8")
    report = import_logs(store, [log])
    assert report.files[0].days_kept_deleted == ["2024-05-02"]
    assert store.entries.get("2024-05-02") is None
