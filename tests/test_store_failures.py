"""The database's own failures are one line saying what to do, and a database from a
newer studylog is refused without changing a byte."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from studylog.core.journal.entries import list_entries
from studylog.core.journal.importer import import_logs
from studylog.core.storage.database import Store, StoreError
from studylog.core.storage.migrations import migrations

LOG = "## 2023-11-13\n오늘은 contiguous라는 개념을 배웠다.\n\n키워드: Contiguous, Stride\n"


def _fresh(path: Path) -> None:
    Store(path).close()  # created, migrated, checkpointed on close


def _studylog(*args: str, as_nobody: bool = False) -> subprocess.CompletedProcess:
    # setpriv (util-linux) runs it as 'nobody': root writes to read-only files anyway
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] \
        if as_nobody else []
    return subprocess.run([*prefix, sys.executable, "-m", "studylog", *args],
                          capture_output=True, text=True, timeout=120)


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    return result.stderr


@pytest.mark.parametrize("change", [
    "PRAGMA user_version = {newer}",
    "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
    "VALUES ('studylog', '0099_from_the_future', '2030-01-01')",
])
def test_database_from_a_newer_studylog_is_refused_and_unchanged(tmp_path, change):
    path = tmp_path / "newer.sqlite3"
    _fresh(path)
    conn = sqlite3.connect(path)
    conn.execute(change.format(newer=len(migrations._migrations) + 5))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer studylog") as caught:
        Store(path)
    assert "upgrade studylog" in str(caught.value) and "\n" not in str(caught.value)
    result = _studylog("--db", str(path), "entries")
    assert "newer studylog" in _one_line_error(result)
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == (
        len(migrations._migrations) + 5 if "user_version" in change
        else len(migrations._migrations))
    conn.close()


def test_write_lock_held_past_the_busy_timeout_is_one_line(tmp_path):
    path = tmp_path / "locked.sqlite3"
    _fresh(path)
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    log = tmp_path / "log.md"
    log.write_text(LOG, encoding="utf-8")
    try:
        store = Store(path, busy_timeout=0.2)
        with pytest.raises(StoreError, match="busy") as caught:
            import_logs(store, [log])
        message = str(caught.value)
        assert "0.2 s" in message and "try again" in message
        store.close()
    finally:
        holder.rollback()
        holder.close()


def test_read_only_database_is_one_line():
    as_nobody = os.geteuid() == 0
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        top.chmod(0o777)  # the -shm file of a WAL database may be created
        path = top / "readonly.sqlite3"
        _fresh(path)
        Store(path).close()
        path.chmod(0o444)
        log = top / "log.md"
        log.write_text(LOG, encoding="utf-8")
        result = _studylog("--db", str(path), "import", str(log), as_nobody=as_nobody)
        message = _one_line_error(result)
        assert "read-only" in message and "writable" in message
        path.chmod(0o644)
        store = Store(path)
        assert list_entries(store) == []
        store.close()


def test_full_disk_is_one_line_and_keeps_the_database_whole(tmp_path):
    path = tmp_path / "full.sqlite3"
    store = Store(path)
    pages = store.value("PRAGMA page_count")
    store.value(f"PRAGMA max_page_count = {pages + 2}")  # a disk with two pages left
    log = tmp_path / "big.md"
    log.write_text("".join(f"## 2023-01-{d:02d}\n" + "텐서 tensor 공부. " * 400
                           + f"\n\n키워드: Topic{d}\n\n" for d in range(1, 29)),
                   encoding="utf-8")
    with pytest.raises(StoreError, match="full") as caught:
        import_logs(store, [log])
    assert "free some space" in str(caught.value)
    assert list_entries(store) == [] and store.integrity_check() == "ok"
    store.close()


def _corrupt_entries(path: Path) -> None:
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'entries'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xff" * size)


def test_corrupt_page_found_by_a_query_is_one_line(tmp_path):
    path = tmp_path / "corrupt.sqlite3"
    log = tmp_path / "log.md"
    log.write_text(LOG, encoding="utf-8")
    assert _studylog("--db", str(path), "import", str(log)).returncode == 0
    _corrupt_entries(path)
    message = _one_line_error(_studylog("--db", str(path), "entries"))
    # issue 13 item 8 asked for studylog doctor once it exists: it lists the safety copies
    # and the restore command to roll back (the sqlite3 shell may not be installed)
    assert "damaged" in message and f"studylog --db {path} doctor" in message
    assert "PRAGMA" not in message
