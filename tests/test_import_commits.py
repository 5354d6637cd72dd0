"""An import commits its changed files in groups (issue 11: per-file commits were a fifth
of ten years' import), and nothing about what stays changes: each file stands whole or
not at all, a file progress reports is committed, the files done before a failure or a
cancel stay imported, a killed import leaves a consistent database, and importing again
ends where a clean import ends."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from journal_state import assert_consistent, journal_state, write_logs

from studylog.core.journal import file_writes, importer
from studylog.core.journal.importer import COMMIT_FILES, FileResult, import_logs
from studylog.core.storage.database import Store

TODAY = date(2026, 11, 27)


def clean_import(tmp_path: Path, logs: Path, today: date | None = TODAY) -> dict[str, Any]:
    with Store(tmp_path / "clean.sqlite3") as clean:
        import_logs(clean, [logs], today=today)
        return journal_state(clean)


@pytest.fixture
def slow_clock(monkeypatch):
    """Groups close by size only, whatever the machine's load."""
    monkeypatch.setattr(importer, "COMMIT_SECONDS", 3600.0)


def test_files_before_a_failing_file_stay_and_the_failing_file_leaves_nothing(
        store, tmp_path, monkeypatch, slow_clock):
    paths = write_logs(tmp_path / "logs", 40)
    real_save = file_writes.save_parsed
    calls = []

    def failing_save(store, parsed, source, deck):
        calls.append(source)
        result = real_save(store, parsed, source, deck)  # its days are written...
        if len(calls) == 20:
            raise RuntimeError("disk on fire")  # ...then the file fails
        return result

    monkeypatch.setattr(file_writes, "save_parsed", failing_save)
    assert 20 < COMMIT_FILES  # the failure comes inside the first group
    with pytest.raises(RuntimeError, match="disk on fire"):
        import_logs(store, [tmp_path / "logs"], today=TODAY)
    recorded = {r["path"] for r in store.query("SELECT path FROM sources")}
    assert recorded == {str(p.resolve()) for p in paths[:19]}
    assert_consistent(store)
    assert not store.query("SELECT 1 FROM entries WHERE source_file = ?",
                           [str(paths[19].resolve())])

    monkeypatch.setattr(file_writes, "save_parsed", real_save)
    report = import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert [f.status for f in report.files] == ["unchanged"] * 19 + ["imported"] * 21
    assert_consistent(store)
    assert journal_state(store) == clean_import(tmp_path, tmp_path / "logs")


def test_a_file_is_reported_once_it_is_committed(store, db_path, tmp_path):
    """What progress shows (the command prints it, the app lists it) survives a kill:
    another connection already sees each reported file."""
    write_logs(tmp_path / "logs", 45)
    (tmp_path / "logs" / "empty.md").write_text("\n")
    reported: list[FileResult] = []
    with Store(db_path) as other:
        def progress(result: FileResult) -> None:
            seen = other.value("SELECT count(*) FROM sources WHERE path = ?", [result.path])
            assert seen == (result.status == "imported"), result
            reported.append(result)

        import_logs(store, [tmp_path / "logs"], today=TODAY, progress=progress)
    assert [r.status for r in reported] == ["imported"] * 45 + ["empty"]


def test_a_cancel_from_progress_keeps_the_files_done(store, tmp_path, slow_clock):
    """The app cancels an import by raising from its progress callback. Every file
    committed is still reported (the app lists them): those committed in the group of
    the file whose report raised, too."""
    paths = write_logs(tmp_path / "logs", 45)

    class Cancelled(Exception):
        pass

    seen = []

    def progress(result):
        seen.append(result.path)
        if len(seen) == 37:  # in the second group
            raise Cancelled

    with pytest.raises(Cancelled):
        import_logs(store, [tmp_path / "logs"], today=TODAY, progress=progress)
    recorded = {r["path"] for r in store.query("SELECT path FROM sources")}
    assert set(seen) == recorded <= {str(p.resolve()) for p in paths}
    assert len(seen) > 37  # reported on after the report that raised
    assert_consistent(store)
    import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert journal_state(store) == clean_import(tmp_path, tmp_path / "logs")


def test_changed_files_commit_a_group_at_a_time(store, tmp_path):
    write_logs(tmp_path / "logs", 2 * COMMIT_FILES + 6)
    _, commits = store.data_version()
    report = import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert len([f for f in report.files if f.status == "imported"]) == 2 * COMMIT_FILES + 6
    # a few groups (three, or more on a slow machine), then the cards and the search
    # index: not one commit per file
    assert store.data_version()[1] - commits < 20
    assert_consistent(store)
    _, commits = store.data_version()
    report = import_logs(store, [tmp_path / "logs"], today=TODAY)
    assert not report.changed
    assert store.data_version()[1] - commits <= 1  # unchanged files open no group


def test_a_killed_import_leaves_a_consistent_database(tmp_path):
    logs = tmp_path / "logs"
    write_logs(logs, 300, seed=9, days=1)
    db = tmp_path / "killed.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-m", "studylog", "--db", str(db), "import", str(logs)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    lines = [proc.stdout.readline() for _ in range(COMMIT_FILES + 10)]
    assert all(line.strip() for line in lines)  # a line per file: it is mid-import
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store(db) as store:
        assert_consistent(store)
        done = store.value("SELECT count(*) FROM sources")
        assert len(lines) <= done < 300  # every file printed was committed
        report = import_logs(store, [logs])  # today's date, as the command had
        assert sum(f.status == "unchanged" for f in report.files) == done
        assert_consistent(store)
        assert journal_state(store) == clean_import(tmp_path, logs, today=None)
