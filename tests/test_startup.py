"""What opening a journal costs: the modules it loads and the work it leaves for later.

Start-up time itself is measured in ``benchmarks/tui_start.py``; these tests pin what the
benchmark's numbers rest on, in real subprocesses (``sys.modules`` of a fresh process).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from studylog.core.storage.database import Store
from studylog.core.storage.migrations import known_migrations, migrations
from studylog.core.storage.sqlite_lib import Database


def run_python(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter; it prints one JSON line, returned here."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


OPEN_STORE = """
import json, sys
from studylog.core.storage.database import Store
store = Store(sys.argv[1])
loaded = "sqlite_utils" in sys.modules
facts = {"loaded_on_open": loaded,
         "recursive_triggers": store.value("PRAGMA recursive_triggers"),
         "user_version": store.value("PRAGMA user_version"),
         "tables": "entries" in store.db.table_names(),
         "loaded_after_db": "sqlite_utils" in sys.modules}
print(json.dumps(facts))
"""


def test_opening_a_current_journal_never_imports_sqlite_utils(tmp_path):
    path = tmp_path / "일지.sqlite3"
    Store(path).close()  # created and migrated here
    facts = run_python(OPEN_STORE, str(path))
    assert facts["loaded_on_open"] is False
    # the wrapper is still there for what needs it, and the connection is as it set it
    assert facts["tables"] is True and facts["loaded_after_db"] is True
    assert facts["recursive_triggers"] == 1
    assert facts["user_version"] == len(known_migrations())


def test_an_older_journal_is_still_upgraded_on_open(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        migrations.apply(Database(conn), stop_before="0010_card_code")
        conn.execute("INSERT INTO meta (key, value) VALUES ('note', '열흘 전 기록')")
    facts = run_python(OPEN_STORE, str(path))
    assert facts["loaded_on_open"] is True  # sqlite-utils ran the pending migrations
    assert facts["user_version"] == len(known_migrations())
    with sqlite3.connect(path) as conn:
        names = [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations "
                                            "ORDER BY rowid")]
        assert names == known_migrations()
        assert conn.execute("SELECT value FROM meta WHERE key = 'note'").fetchone() == \
            ("열흘 전 기록",)


def test_the_migration_names_are_the_sqlite_utils_set(tmp_path):
    assert [m.name for m in migrations._migrations] == known_migrations()
    assert migrations.name == "studylog"


def test_a_killed_vacuum_is_still_redone_on_a_current_journal(tmp_path):
    """The open without sqlite-utils still reclaims a file left mostly free (a VACUUM
    killed after the lean-log upgrade) and repairs user_version."""
    path = tmp_path / "free.sqlite3"
    store = Store(path)
    with store.write():
        store.conn.execute("CREATE TABLE filler (x BLOB)")
        store.conn.executemany("INSERT INTO filler VALUES (?)",
                               [(b"\0" * 4000,) for _ in range(400)])
    with store.write():
        store.conn.execute("DROP TABLE filler")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.conn.execute("PRAGMA user_version = 3")
    free = store.value("PRAGMA freelist_count")
    store.close()
    assert free >= 400
    reopened = Store(path)
    try:
        assert reopened.value("PRAGMA freelist_count") < 64
        assert reopened.value("PRAGMA user_version") == len(known_migrations())
    finally:
        reopened.close()

