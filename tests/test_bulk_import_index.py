"""A bulk import fills the search index once at the end (issue 11): search afterwards
finds what per-day indexing found, a changed re-import updates the index, and a killed
import leaves search right (it reads the base table) until the next import rebuilds."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.core.journal.importer import BULK_FILES, import_file, import_logs
from studylog.core.search import search
from studylog.core.storage.database import Store

FILES = BULK_FILES + 4  # past the threshold: the index is paused, then rebuilt


def write_month(folder: Path, month: int, words: str) -> Path:
    """One log file for ``month`` of 2024, two days, Korean and English mixed."""
    path = folder / f"2024-{month:02d}.md"
    path.write_text(
        f"# {month}월 정리\n\n"
        f"## {month:02d}/03\n"
        f"오늘은 contiguous라는 개념을 {words} 다시 정리했다.\n\n"
        f"+ 키워드: Contiguous\n\n"
        f"## {month:02d}/17 Stride day\n"
        "- stride 를 직접 찍어 보니 메모리 layout 이 보인다\n"
        f"- month{month:02d}marker was the {words} part\n",
        encoding="utf-8")
    return path


def index_matches_table(store: Store) -> None:
    """FTS5's own check of the index against the entries table (raises if not)."""
    store.conn.execute("INSERT INTO entries_fts(entries_fts, rank) "
                       "VALUES ('integrity-check', 1)")


def entry_dates(store: Store, query: str) -> list[str]:
    return sorted(str(h.ref) for h in search(store, query, limit=500) if h.kind == "entry")


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    for month in range(1, FILES + 1):
        write_month(folder, month, "원래")
    return folder


def test_bulk_import_then_search_finds_korean_and_english_inside_korean(store, logs):
    report = import_logs(store, [logs])
    assert len([f for f in report.files if f.status == "imported"]) == FILES
    assert not store.search.entries_index_stale()
    index_matches_table(store)
    third_days = [f"2024-{m:02d}-03" for m in range(1, FILES + 1)]
    assert entry_dates(store, "개념") == third_days  # two Korean letters: LIKE
    assert entry_dates(store, "contiguous") == third_days  # inside 'contiguous라는': FTS
    assert entry_dates(store, "contiguous라는") == third_days
    assert entry_dates(store, "month05marker") == ["2024-05-17"]
    assert entry_dates(store, "STRIDE 메모리") == sorted(
        f"2024-{m:02d}-17" for m in range(1, FILES + 1))


def test_second_bulk_import_of_changed_files_updates_the_index(store, logs):
    import_logs(store, [logs])
    for month in range(1, FILES + 1):
        write_month(logs, month, "바뀐내용 rewritten")
    report = import_logs(store, [logs])
    assert sum(f.days_updated for f in report.files) == 2 * FILES
    assert not store.search.entries_index_stale()
    index_matches_table(store)
    assert entry_dates(store, "원래") == []
    assert len(entry_dates(store, "바뀐내용")) == 2 * FILES
    assert len(entry_dates(store, "rewritten")) == 2 * FILES
    assert entry_dates(store, "바뀐") == entry_dates(store, "바뀐내용")


def test_one_changed_file_is_indexed_by_day_without_a_rebuild(store, logs):
    import_logs(store, [logs])
    write_month(logs, 2, "single change 하나만")
    import_logs(store, [logs])
    index_matches_table(store)
    assert entry_dates(store, "single change") == ["2024-02-03", "2024-02-17"]
    assert entry_dates(store, "원래") == sorted(
        f"2024-{m:02d}-{d}" for m in range(1, FILES + 1) if m != 2 for d in ("03", "17"))


def test_a_killed_bulk_import_keeps_search_right_and_the_next_import_rebuilds(store, logs):
    import_logs(store, [logs])
    with store.write():  # what a bulk import killed before its rebuild leaves behind
        store.search.pause_entries_index()
    import_file(store, write_month(logs, 3, "도중에 interrupted"))
    assert store.search.entries_index_stale()
    assert entry_dates(store, "interrupted") == ["2024-03-03", "2024-03-17"]
    assert entry_dates(store, "원래") == sorted(
        f"2024-{m:02d}-{d}" for m in range(1, FILES + 1) if m != 3 for d in ("03", "17"))
    report = import_logs(store, [logs])  # nothing changed: only the repair
    assert not report.changed
    assert not store.search.entries_index_stale()
    index_matches_table(store)
    assert entry_dates(store, "interrupted") == ["2024-03-03", "2024-03-17"]


def test_the_rebuild_writes_its_index_in_one_segment_and_leaves_the_default(store, tmp_path):
    """FTS5 writes pending terms out as a segment each time they pass 'hashsize' (1 MiB by
    default): a rebuild of ~3 MB of text held them all and wrote one segment (several,
    merged as they came, with the default), then set the default back."""
    folder = tmp_path / "big"
    folder.mkdir()
    for month in range(1, FILES + 1):
        path = write_month(folder, month, "원래")
        lines = [f"메모리 layout {month}-{n} 연속적이면 빠르다 stride{n * month} 텐서 정리"
                 for n in range(5000)]
        path.write_text(path.read_text(encoding="utf-8") + "\n".join(lines) + "\n",
                        encoding="utf-8")
    import_logs(store, [folder])
    text = store.value("SELECT sum(length(body)) FROM entries")
    assert text > 2_000_000
    assert store.value("SELECT count(DISTINCT segid) FROM entries_fts_idx") == 1
    assert store.query("SELECT k, v FROM entries_fts_config WHERE k = 'hashsize'") == \
        [{"k": "hashsize", "v": 1024 * 1024}]
    index_matches_table(store)
    assert "2024-03-17" in entry_dates(store, "stride14997")
