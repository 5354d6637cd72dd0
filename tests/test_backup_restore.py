"""``studylog backup`` / ``restore`` / ``doctor`` and the safety copies, on real files
and real processes."""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from studylog.cli import cli as studylog_cli
from studylog.core.backup.safety_copies import (
    list_safety_copies,
    take_daily_copy,
    take_safety_copy,
)
from studylog.core.storage.database import Store
from studylog.core.storage.migrations import LEAN_LOG_MIGRATION, migrations
from studylog.core.storage.sqlite_lib import Database

STUDYLOG = [sys.executable, "-m", "studylog"]

# Two styles of log: a Korean day-per-heading file and an English dated one.
KOREAN_WEEK = """\
# 3주차 정리

## 2024년 3월 4일
오늘은 **역전파**를 다시 봤다. chain rule로 기울기를 거꾸로 전한다.

키워드: 역전파, Chain Rule

## 2024년 3월 5일
- **Dropout** : 학습 때만 뉴런을 끈다
  - 추론 때는 끈다
- **배치 정규화** - 미니배치 통계로 정규화

```python
import torch
x = torch.ones(2, 2)
print(x.sum())
```

키워드 : Dropout / 배치 정규화
"""

ENGLISH_DAY = """\
---
date: 2024-03-06
title: Attention day
---
Read about scaled dot-product attention; softmax over keys.

**Keywords:** Attention, Softmax
"""


def run(db: Path, *args: str, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*STUDYLOG, "--db", str(db), *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=120)


def invoke(db: Path, *args: str):
    return CliRunner().invoke(studylog_cli, ["--db", str(db), *args])


def make_journal(tmp_path: Path, name: str = "journal.sqlite3") -> Path:
    """A journal with days in both styles, cards, candidates and a few grades."""
    logs = tmp_path / f"logs-{name}"
    logs.mkdir()
    (logs / "week3.md").write_text(KOREAN_WEEK, encoding="utf-8")
    (logs / "2024-03-06.md").write_text(ENGLISH_DAY, encoding="utf-8")
    db = tmp_path / name
    assert invoke(db, "import", str(logs)).exit_code == 0
    cards = json.loads(invoke(db, "cards", "--deck", "journal", "--json").output)
    for card in cards[:3]:
        assert invoke(db, "grade", str(card["id"]), "good").exit_code == 0
    return db


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Everything of the user's in a journal, to compare before and after."""
    with sqlite3.connect(db) as conn:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
                for table in ("entries", "cards", "review_log", "candidates", "decks",
                              "deck_settings", "meta")}


def _committed_grades(db: Path) -> set[int]:
    """The review-log ids committed so far (read by a connection of this process)."""
    with closing(sqlite3.connect(db)) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM review_log")}


def test_backup_while_another_process_grades_restores_every_committed_grade(tmp_path):
    db = make_journal(tmp_path)
    gc.collect()  # close what the in-process commands left open
    grader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import itertools
        from studylog.core.review.scheduling import record_review
        from studylog.core.storage.database import Store
        store = Store({str(db)!r})
        # no checkpoints: the grades stay in the WAL, where a copy of the file alone
        # (not through SQLite) would miss them
        store.conn.execute("PRAGMA wal_autocheckpoint=0")
        ids = [r["id"] for r in store.query("SELECT id FROM cards ORDER BY id LIMIT 12")]
        print("grading", flush=True)
        for n, card in zip(range(1_000_000), itertools.cycle(ids)):
            record_review(store, card, ("again", "hard", "good")[n % 3])
        """)], stdout=subprocess.PIPE, text=True)
    backups = []
    try:
        assert grader.stdout is not None and grader.stdout.readline() == "grading\n"
        grew = 0
        for attempt in range(4):
            before = _committed_grades(db)
            target = tmp_path / f"backup-{attempt}.sqlite3"
            result = run(db, "backup", str(target), "--json")
            assert result.returncode == 0, result.stderr
            assert json.loads(result.stdout)["path"] == str(target)
            grew += len(_committed_grades(db)) > len(before)
            backups.append((target, before))
        assert grader.poll() is None and grew == 4, "the grades go on during each backup"
    finally:
        grader.kill()
        grader.wait()
    for n, (backup, before) in enumerate(backups):
        assert before, "grades were committed before the backup began"
        fresh = tmp_path / f"restored-{n}.sqlite3"
        result = run(fresh, "restore", str(backup), "--json")
        assert result.returncode == 0, result.stderr
        with closing(sqlite3.connect(fresh)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            logged = {row[0] for row in conn.execute("SELECT id FROM review_log")}
            assert before <= logged  # every grade committed before the backup began
            # one snapshot: each card's schedule is the one its newest log row wrote
            mismatched = conn.execute("""
                SELECT c.id FROM cards c JOIN review_log r ON r.id =
                  (SELECT max(id) FROM review_log WHERE card_id = c.id)
                WHERE c.state != r.state_after OR c.reps != r.reps_before + 1""").fetchall()
            assert mismatched == []


def test_restore_into_a_journal_that_holds_something_is_refused(tmp_path):
    source = make_journal(tmp_path, "source.sqlite3")
    backup = tmp_path / "source-backup.sqlite3"
    assert run(source, "backup", str(backup)).returncode == 0
    target = tmp_path / "other.sqlite3"
    (tmp_path / "mine.md").write_text("## 2024-05-01\nmy own day\n\nKeywords: Mine\n",
                                      encoding="utf-8")
    assert invoke(target, "import", str(tmp_path / "mine.md")).exit_code == 0
    before = snapshot(target)
    result = run(target, "restore", str(backup))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not empty (1 day, 1 card)" in result.stderr
    assert "--replace" in result.stderr
    assert snapshot(target) == before


def test_restore_replace_takes_a_safety_copy_then_restores_the_backup(tmp_path):
    source = make_journal(tmp_path, "source.sqlite3")
    backup = tmp_path / "b.sqlite3"
    assert run(source, "backup", str(backup)).returncode == 0
    target = tmp_path / "target.sqlite3"
    (tmp_path / "mine.md").write_text("## 2024-05-01\n내 하루\n\n키워드: 내것\n",
                                      encoding="utf-8")
    assert invoke(target, "import", str(tmp_path / "mine.md")).exit_code == 0
    replaced = snapshot(target)
    result = run(target, "restore", "--replace", str(backup), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["entries"] == 3 and report["reviews"] == 3 and report["migrated"] == []
    assert snapshot(target)["entries"] == snapshot(source)["entries"]
    assert snapshot(target)["review_log"] == snapshot(source)["review_log"]
    # the journal it replaced is in the safety copy, whole
    assert Path(report["safety_copy"]).parent == tmp_path / "safety-copies"
    assert snapshot(Path(report["safety_copy"]))["entries"] == replaced["entries"]


def _corrupt(path: Path) -> None:
    """Overwrite every third page of a database file with garbage (after moving what
    its WAL holds into it: the WAL's pages would hide the damage)."""
    gc.collect()  # connections the in-process commands left open
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    data = bytearray(path.read_bytes())
    page = 4096
    # whole pages of 0xff (page 2 is the first table's root, always in use): a page
    # header and overflow pointers no check can miss, the same every run
    for start in range(page, len(data) - page, 3 * page):
        data[start:start + page] = b"\xff" * page
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["garbage pages", "truncated", "random bytes",
                                    "another app's database", "empty file",
                                    "an index out of step with its table"])
def test_a_damaged_or_foreign_backup_is_refused_with_nothing_changed(tmp_path, damage):
    journal = make_journal(tmp_path)
    backup = tmp_path / "b.sqlite3"
    assert run(journal, "backup", str(backup)).returncode == 0
    if damage == "garbage pages":
        _corrupt(backup)
    elif damage == "truncated":
        backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    elif damage == "random bytes":
        backup.write_bytes(os.urandom(20_000))
    elif damage == "another app's database":
        backup.unlink()
        with sqlite3.connect(backup) as conn:
            conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, body TEXT)")
    elif damage == "an index out of step with its table":
        # every page reads fine, so only integrity_check sees it: the index holds
        # source_file values while the schema says it indexes title
        with closing(sqlite3.connect(backup)) as conn:
            conn.execute("PRAGMA writable_schema=ON")
            conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX entries_source "
                         "ON entries (title)' WHERE name = 'entries_source'")
            conn.commit()
    else:
        backup.write_bytes(b"")
    backup_bytes = backup.read_bytes()
    before = snapshot(journal)
    copies = list_safety_copies(journal)
    result = run(journal, "restore", "--replace", str(backup))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "not restored" in result.stderr and "unchanged" in result.stderr
    assert snapshot(journal) == before
    assert backup.read_bytes() == backup_bytes  # the backup itself is never written
    assert list_safety_copies(journal) == copies  # refused before anything was copied
    assert not [p for p in tmp_path.iterdir() if ".restoring-" in p.name]


def test_an_older_backup_is_migrated_and_a_newer_one_refused(tmp_path):
    old = tmp_path / "old.sqlite3"
    db = Database(str(old))
    migrations.apply(db, stop_before=LEAN_LOG_MIGRATION)
    with db.conn:
        db.execute("INSERT INTO entries (date, title, body, content_hash, created_at, "
                   "updated_at) VALUES ('2022-01-18', '옛날 일기', '그때 배운 것', 'h', 'x', 'x')")
    db.conn.close()
    target = tmp_path / "new.sqlite3"
    result = run(target, "restore", str(old), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["migrated"][0] == LEAN_LOG_MIGRATION and report["entries"] == 1
    with sqlite3.connect(target) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations._migrations)
        assert conn.execute("SELECT body FROM entries").fetchone()[0] == "그때 배운 것"
    with sqlite3.connect(old) as conn:  # the backup file itself stays as it was
        assert conn.execute("PRAGMA user_version").fetchone()[0] < len(migrations._migrations)

    newer = tmp_path / "newer.sqlite3"
    assert run(target, "backup", str(newer)).returncode == 0
    with sqlite3.connect(newer) as conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('studylog', '9999_from_the_future', 'x')")
    empty = tmp_path / "empty.sqlite3"
    result = run(empty, "restore", str(newer))
    assert result.returncode == 1 and "newer studylog" in result.stderr
    assert "9999_from_the_future" in result.stderr


def _big_journal(tmp_path: Path) -> Path:
    """A journal of a few MB (many restore steps)."""
    logs = tmp_path / "big-logs"
    logs.mkdir()
    start = datetime(2023, 1, 2)
    for week in range(20):
        days = []
        for d in range(5):
            day = start + timedelta(days=week * 7 + d)
            body = f"오늘 배운 것 {week}-{d}: tensor의 stride와 view. " * 300
            days.append(f"## {day:%Y-%m-%d}\n{body}\n\nKeywords: Topic{week}, Idea{d}\n")
        (logs / f"week{week:02}.md").write_text("\n".join(days), encoding="utf-8")
    db = tmp_path / "big.sqlite3"
    assert invoke(db, "import", str(logs)).exit_code == 0
    return db


def test_a_restore_killed_half_way_leaves_the_journal_as_it_was(tmp_path):
    big = _big_journal(tmp_path)
    backup = tmp_path / "big-backup.sqlite3"
    assert run(big, "backup", str(backup)).returncode == 0
    assert backup.stat().st_size > 3 * 256 * 4096  # several steps of the copy
    journal = make_journal(tmp_path)
    before = snapshot(journal)
    killed = run(journal, "restore", "--replace", str(backup),
                 env={"STUDYLOG_CRASH_AT": "restore-step"})
    assert killed.returncode == -9
    with sqlite3.connect(journal) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert snapshot(journal) == before
    done = run(journal, "restore", "--replace", str(backup))
    assert done.returncode == 0, done.stderr
    assert snapshot(journal)["entries"] == snapshot(big)["entries"]


def test_a_safety_copy_is_taken_before_a_migration(tmp_path):
    db = tmp_path / "journal.sqlite3"
    old = Database(str(db))
    migrations.apply(old, stop_before=LEAN_LOG_MIGRATION)
    with old.conn:
        old.execute("INSERT INTO entries (date, title, body, content_hash, created_at, "
                    "updated_at) VALUES ('2023-11-13', 'Day 6', 'contiguous', 'h', 'x', 'x')")
    old.conn.close()
    result = run(db, "entries", "--json")
    assert result.returncode == 0, result.stderr
    reasons = {c.reason: c.path for c in list_safety_copies(db)}
    assert f"before-{LEAN_LOG_MIGRATION}" in reasons
    with sqlite3.connect(reasons[f"before-{LEAN_LOG_MIGRATION}"]) as conn:  # unmigrated
        assert "card_before" in [r[1] for r in conn.execute("PRAGMA table_info(review_log)")]
        assert conn.execute("SELECT body FROM entries").fetchone()[0] == "contiguous"


def test_one_daily_copy_per_study_day_and_the_last_seven_kept(tmp_path):
    journal = make_journal(tmp_path)
    assert [c.reason.startswith("daily-") for c in list_safety_copies(journal)] == [True]
    assert invoke(journal, "cards").exit_code == 0
    assert len(list_safety_copies(journal)) == 1  # the same study day: no second copy
    store = Store(journal)
    try:
        start = datetime.now(UTC)
        for day in range(1, 10):
            assert take_daily_copy(store, start + timedelta(days=day)) is not None
        copies = list_safety_copies(journal)
        assert len(copies) == 7
        newest = (start + timedelta(days=9)).astimezone(UTC).replace(microsecond=0)
        assert copies[0].taken_at == newest
        assert take_daily_copy(store, start + timedelta(days=9)) is None
        assert invoke(journal, "safety-copies", "--keep", "0").exit_code == 0
        assert list_safety_copies(journal) == []
        assert take_safety_copy(store, "before-restore") is None
    finally:
        store.close()


def test_an_empty_journal_gets_no_safety_copy(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    assert invoke(db, "cards").exit_code == 0
    assert list_safety_copies(db) == []


def test_doctor_checks_lists_copies_and_the_rollback_works(tmp_path):
    journal = make_journal(tmp_path)
    result = run(journal, "doctor", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and report["problems"] == [] and len(report["copies"]) == 1
    copy = report["copies"][0]["path"]
    assert f"To roll back: studylog restore --replace {copy}" in report["advice"]
    good = snapshot(Path(copy))  # the journal as the day's first command found it
    assert good["entries"] == snapshot(journal)["entries"]

    _corrupt(journal)
    result = run(journal, "doctor")
    assert result.returncode == 1
    assert "DAMAGED" in result.stdout or "cannot open" in result.stdout
    assert f"To roll back: studylog restore --replace {copy}" in result.stdout
    rolled = run(journal, "restore", "--replace", copy)
    assert rolled.returncode == 0, rolled.stderr
    assert snapshot(journal) == good
    assert run(journal, "doctor").returncode == 0


def test_backup_refuses_the_journal_itself_and_a_missing_folder(tmp_path):
    journal = make_journal(tmp_path)
    result = run(journal, "backup", str(journal))
    assert result.returncode == 1 and "is the journal itself" in result.stderr
    result = run(journal, "backup", str(tmp_path / "nope" / "b.sqlite3"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    into_folder = run(journal, "backup", str(tmp_path), "--json")
    written = Path(json.loads(into_folder.stdout)["path"])
    assert written.parent == tmp_path and written.name.startswith("journal-")
    with sqlite3.connect(written) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 3
    assert not list(tmp_path.glob("*.partial"))


def _index_out_of_step(path: Path) -> None:
    """Damage ``path`` the way only integrity_check sees: every page reads fine, but the
    index entries_source holds source_file values while the schema says title."""
    gc.collect()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA writable_schema=ON")
        conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX entries_source "
                     "ON entries (title)' WHERE name = 'entries_source'")
        conn.commit()


def test_doctor_names_the_newest_sound_copy_not_a_copy_of_the_damage(tmp_path):
    """The journal went bad, then a safety copy was taken of it (the next study day's
    first command): the roll-back the doctor names is the older, sound copy, the bad copy
    is marked, and the doctor itself copies nothing."""
    journal = make_journal(tmp_path)
    [today] = list_safety_copies(journal)
    # the sound copy is of an earlier study day, so today's copy is still to be taken
    good = today.path.with_name(today.path.name.replace(today.reason, "daily-2000-01-01"))
    today.path.rename(good)
    _index_out_of_step(journal)
    with closing(Store(journal)) as store:
        bad = take_safety_copy(store, "before-import-json",
                               now=datetime.now(UTC) + timedelta(days=1))
    assert bad is not None and list_safety_copies(journal)[0].path == bad.path
    result = run(journal, "doctor", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert f"To roll back: studylog restore --replace {good}" in report["advice"]
    assert str(bad.path) not in " ".join(report["advice"])
    assert [c["damaged"] is not None for c in report["copies"]] == [True, False]
    assert len(list_safety_copies(journal)) == 2  # the doctor took no copy of its own
    shown = run(journal, "doctor").stdout
    assert "DAMAGED" in shown.split(bad.path.name)[1].splitlines()[0]
    rolled = run(journal, "restore", "--replace", str(good))
    assert rolled.returncode == 0, rolled.stderr
    assert run(journal, "doctor").returncode == 0
