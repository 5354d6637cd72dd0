"""Import memory is bounded per file (issue 13 item 7: 100,000 headings in one file took
711 MB, then 141 MB, growing with the file): each day is written as it is parsed, inside
the file's one transaction, so a file still imports whole or not at all."""

from __future__ import annotations

import tracemalloc
import weakref
from datetime import date, timedelta
from pathlib import Path

import pytest
from journal_state import assert_consistent, journal_state, write_logs

from studylog.core.journal import file_writes, importer, log_parser, log_reads, parse_ahead
from studylog.core.journal.importer import import_logs
from studylog.core.journal.parse_ahead import ParseAhead
from studylog.core.storage.database import Store
from studylog.core.text.markdown_blocks import MAX_LIST_DEPTH

TODAY = date(2026, 11, 27)
TOPICS = ["Tensor", "역전파", "Autograd", "DataLoader", "기울기 소실"]


def many_days(n: int, *, note: str = "", deep_at: int | None = None,
              start: date = date(2001, 1, 1)) -> str:
    """``n`` days from 2001-01-01 in mixed heading styles, Korean and English prose, a
    keyword line each; with ``deep_at``, that day holds lists nested 70 levels deep."""
    out = []
    for i in range(n):
        when = start + timedelta(days=i)
        heading = [f"## {when}", f"# {when:%Y.%m.%d} (월)", f"## {when} Day {i + 1}"][i % 3]
        topic = TOPICS[i % len(TOPICS)]
        body = (f"오늘은 {topic}를 다시 정리했다{note}. 메모 {i}" if i % 2 else
                f"Learned about {topic.lower()} again{note}, note {i}.")
        if i == deep_at:
            body += "\n\n" + "".join("  " * level + "- deeper\n" for level in range(70))
        out.append(f"{heading}\n{body}\n\n키워드: {topic}\n\n")
    return "".join(out)


def test_an_import_holds_one_parsed_day_at_a_time_not_the_files(store, tmp_path,
                                                                  monkeypatch):
    log = tmp_path / "long.md"
    log.write_text(many_days(3000), encoding="utf-8")
    alive = most = 0
    real_build = log_parser._build_day

    def let_go() -> None:
        nonlocal alive
        alive -= 1

    def build(*args):
        nonlocal alive, most
        day = real_build(*args)
        weakref.finalize(day, let_go)  # a Day no longer referenced anywhere
        alive += 1
        most = max(most, alive)
        return day

    monkeypatch.setattr(log_parser, "_build_day", build)
    report = import_logs(store, [log], today=TODAY)
    assert report.files[0].days_new == 3000
    assert most <= 2  # the day being written and the one just built
    assert store.value("SELECT count(*) FROM entries") == 3000


def _peak_while_writing(tmp_path: Path, text: str, monkeypatch) -> int:
    """Python's peak memory while an import writes one log of ``text``: from its first
    write (the file is read by then) to the card refresh after its files (cards are the
    deck's, not the file's)."""
    folder = tmp_path / str(len(text))
    folder.mkdir()
    (folder / "long.md").write_text(text, encoding="utf-8")
    peaks = []
    real_refresh, real_write = importer.refresh_dirty_cards, Store.write

    def refresh(store):
        peaks.append(tracemalloc.get_traced_memory()[1])
        return real_refresh(store)

    def write(self):
        if not peaks:
            tracemalloc.reset_peak()
            peaks.append(0)
        return real_write(self)

    monkeypatch.setattr(importer, "refresh_dirty_cards", refresh)
    monkeypatch.setattr(Store, "write", write)
    with Store(folder / "journal.sqlite3") as store:
        tracemalloc.start()
        try:
            assert import_logs(store, [folder], today=TODAY).files[0].status == "imported"
        finally:
            tracemalloc.stop()
    return peaks[1]


def test_import_memory_does_not_grow_with_the_days_of_a_file(tmp_path, monkeypatch):
    small = _peak_while_writing(tmp_path, many_days(1000), monkeypatch)
    large = _peak_while_writing(tmp_path, many_days(4000), monkeypatch)
    # The file's text (about 130 bytes a day here, as str) and 8 bytes a line stay;
    # holding every parsed day cost about 1,400 bytes more per day.
    assert (large - small) / 3000 < 900, (small, large)


def one_long_day(headings: int) -> str:
    """One day of ``headings`` headings, each over a line of Korean or English, and the
    day's keyword line at its end."""
    notes = "".join(f"### 메모 {i}\n오늘은 tensor {i}번을 정리했다.\n\n" if i % 2 else
                    f"### Note {i}\nA line about views, number {i}.\n\n"
                    for i in range(headings))
    return f"## 2023-11-13\n\n{notes}키워드: Tensor, view\n"


def test_one_long_days_memory_is_a_small_multiple_of_its_text(tmp_path, monkeypatch):
    small_text, large_text = one_long_day(2000), one_long_day(8000)
    small = _peak_while_writing(tmp_path, small_text, monkeypatch)
    large = _peak_while_writing(tmp_path, large_text, monkeypatch)
    grown = len(large_text.encode()) - len(small_text.encode())
    # The day's text is held as the file's str and as its body (one row), about 2 bytes
    # a character each, and its leaves as columns; every paragraph's and heading's
    # tokens, Leaf and text cost about 15 times the file's bytes (3.5 now).
    assert (large - small) / grown < 6, (small, large, grown)


def test_a_file_that_fails_halfway_leaves_the_database_as_it_was(store, tmp_path):
    log = tmp_path / "long.md"
    log.write_text(many_days(2000), encoding="utf-8")
    assert import_logs(store, [log], today=TODAY).files[0].days_new == 2000
    before = journal_state(store)
    # every day changed (each would be written), and day 1500 nests too deep to read
    text = many_days(2000, note=" 또", deep_at=1500)
    log.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  " * MAX_LIST_DEPTH + "- deeper") + 1  # the 60th level
    result = import_logs(store, [log], today=TODAY).files[0]
    assert result.status == "refused"
    assert f"line {line}:" in result.message and "nested too deep" in result.message
    assert journal_state(store) == before  # not the 1,499 days read before it
    assert_consistent(store)


def test_a_new_file_that_fails_halfway_writes_nothing(store, tmp_path):
    (tmp_path / "logs").mkdir()
    good = tmp_path / "logs" / "a.md"
    good.write_text("## 2024-03-04\nEnglish notes on tensor views.\n\nKeywords: view\n")
    (tmp_path / "logs" / "b.md").write_text(many_days(800, deep_at=600), encoding="utf-8")
    report = import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert [f.status for f in report.files] == ["imported", "refused"]
    assert [e.date for e in store.entries.all()] == ["2024-03-04"]
    assert store.query("SELECT title FROM weeks") == []
    assert_consistent(store)


def test_a_crash_in_the_middle_of_a_file_keeps_the_files_before_it(store, tmp_path,
                                                                    monkeypatch):
    (tmp_path / "logs").mkdir()
    first = tmp_path / "logs" / "a.md"
    first.write_text("## 2024-03-04\n오늘은 view 공부.\n\n키워드: view\n", encoding="utf-8")
    (tmp_path / "logs" / "b.md").write_text(many_days(900), encoding="utf-8")
    real_merge = file_writes.merge_imported_day
    written = []

    def merge(store, day, source, deck_id):
        written.append(day.date)
        if len(written) == 500:
            raise RuntimeError("disk on fire")
        return real_merge(store, day, source, deck_id)

    monkeypatch.setattr(file_writes, "merge_imported_day", merge)
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert [e.date for e in store.entries.all()] == ["2024-03-04"]
    assert_consistent(store)
    monkeypatch.setattr(file_writes, "merge_imported_day", real_merge)
    report = import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert [f.status for f in report.files] == ["unchanged", "imported"]
    assert store.value("SELECT count(*) FROM entries") == 901


def test_a_file_of_weeks_without_days_writes_no_week(store, tmp_path):
    log = tmp_path / "weeks.md"
    log.write_text("# Week 1 (11/13 ~ 11/19)\n\n> ##### 주간 요약\n> 정리\n\n"
                   "# Week 2 (11/20 ~ 11/26)\n", encoding="utf-8")
    result = import_logs(store, [log], today=TODAY).files[0]
    assert result.status == "empty"
    assert store.query("SELECT title FROM weeks") == []


def test_a_large_file_among_many_is_parsed_here_a_day_at_a_time(store, tmp_path,
                                                                 monkeypatch):
    """The second process sends a file's days all at once: it parses small files only."""
    monkeypatch.setattr(parse_ahead, "second_core", lambda: True)
    monkeypatch.setattr(log_reads, "AHEAD_MAX_CHARS", 20_000)
    write_logs(tmp_path / "logs", log_reads.PARALLEL_FROM + 20)
    (tmp_path / "logs" / "2022-big.md").write_text(many_days(400), encoding="utf-8")
    sent: list[str] = []
    real_submit = ParseAhead.submit

    def submit(self, key, job):
        sent.append(job.file_name)
        real_submit(self, key, job)

    monkeypatch.setattr(ParseAhead, "submit", submit)
    report = import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert len(sent) > 10 and "2022-big.md" not in sent
    assert {f.status for f in report.files} == {"imported"}
    assert report.files[0].days_new == 400
    assert_consistent(store)


def test_large_files_are_not_read_far_ahead_of_their_writes(store, tmp_path, monkeypatch):
    """Files read ahead wait with their text: a folder of large logs is not held 32 files
    at a time."""
    monkeypatch.setattr(log_reads, "READ_AHEAD_CHARS", 30_000)
    folder = tmp_path / "logs"
    folder.mkdir()
    for n in range(12):  # about 20,000 characters each
        text = many_days(300, start=date(2001 + n, 1, 1))
        (folder / f"{2001 + n}.md").write_text(text, encoding="utf-8")
    checked, waiting = [], []
    real_check, real_save = log_reads._check, file_writes.save_parsed

    def check(*args):
        checked.append(1)
        return real_check(*args)

    def save(store, parsed, source, deck):
        waiting.append(len(checked) - len(waiting))  # read, and not written before it
        return real_save(store, parsed, source, deck)

    monkeypatch.setattr(log_reads, "_check", check)
    monkeypatch.setattr(file_writes, "save_parsed", save)
    report = import_logs(store, [folder], today=TODAY)
    assert [f.days_new for f in report.files] == [300] * 12
    assert max(waiting) <= 2, waiting  # the file being written and the next
