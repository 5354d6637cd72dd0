"""What opening a journal costs: the modules it loads and the work it leaves for later.

Start-up time itself is measured in ``benchmarks/tui_start.py``; these tests pin what the
benchmark's numbers rest on, in real subprocesses (``sys.modules`` of a fresh process).
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

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



# -- the CLI: plain ``studylog [--db PATH]`` opens the app without click ----------------
def test_only_an_app_opening_command_line_takes_the_fast_path(tmp_path, monkeypatch):
    from studylog.cli.app_launch import fast_open_path

    monkeypatch.delenv("STUDYLOG_DB", raising=False)
    journal = tmp_path / "내 일지.sqlite3"
    journal.write_bytes(b"")
    new = tmp_path / "new.sqlite3"

    def fast(*argv: str, env: dict[str, str] | None = None, terminal: bool = True):
        return fast_open_path(list(argv), env or {}, terminal=terminal)

    assert fast("--db", str(journal)) == journal
    assert fast(f"--db={new}") == new
    assert fast("--db", "~/studylog-x.sqlite3") == Path.home() / "studylog-x.sqlite3"
    assert fast(env={"STUDYLOG_DB": str(new)}) == new
    monkeypatch.setenv("STUDYLOG_DB", str(journal))  # default_db_path reads it
    assert fast() == journal
    # everything else is click's: commands, options, pipes, a --db click refuses
    for argv in (["--help"], ["-h"], ["--version"], ["cards"], ["open"], ["demo"],
                 ["--db", str(journal), "cards"], ["--db"], ["--db", ""], ["--db="],
                 ["--db", "--help"], ["--db", str(tmp_path)], [f"--db={tmp_path}"],
                 ["--db", str(journal), "--db", str(new)], ["--bogus"]):
        assert fast(*argv) is None, argv
    assert fast("--db", str(journal), terminal=False) is None  # a pipe: the text overview
    assert fast(env={"STUDYLOG_DB": str(tmp_path)}) is None  # a folder: click's error


# Run by a child in a pseudo-terminal: ``studylog ARGS`` with the app headless; at the
# first frame it writes what the process has loaded and how the app was built, and quits.
APP_DRIVER = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
from textual.app import App
_run = App.run
def run(self, *a, **k):
    k.update(headless=True, size=(100, 30))
    return _run(self, *a, **k)
import studylog.tui.app as studylog_app
first_frame = studylog_app.StudylogApp.on_ready
def shown(self):  # what was loaded when the first frame was shown, before what follows it
    self.loaded = sorted(sys.modules)
    first_frame(self)
studylog_app.StudylogApp.on_ready = shown
def on_ready(self):
    facts = {"screen": type(self.screen).__name__, "loaded": self.loaded,
             "click": "click" in self.loaded, "sqlite_utils": "sqlite_utils" in self.loaded,
             "daily_copy": self.settings.daily_copy, "store": str(self.store.path),
             "error_log": str(self.settings.error_log)}
    with open(out, "w") as f:
        f.write(json.dumps(facts))
    self.exit()  # at once: the day's safety copy must still be taken
App.run = run
App.on_ready = on_ready
sys.argv = ["studylog", *args]
from studylog.cli import main
main()
"""


def open_in_a_terminal(tmp_path: Path, *args: str) -> dict:
    import pexpect

    out = tmp_path / "facts.json"
    out.unlink(missing_ok=True)
    child = pexpect.spawn(sys.executable, ["-c", APP_DRIVER, str(out), *args],
                          encoding="utf-8", timeout=60, dimensions=(30, 100))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return json.loads(out.read_text())


def journal_with_a_day(path: Path) -> Path:
    """A journal as a second start finds it: a week of days, the bundled decks synced."""
    from studylog.core.cards.deck_library import sync_bundled_decks
    from studylog.core.journal.importer import import_logs

    with Store(path) as store:
        sync_bundled_decks(store)
        import_logs(store, [Path(__file__).parent / "fixtures" / "week2-pytorch.md"],
                    year=2023)
    return path


def test_studylog_opens_the_app_without_click_or_sqlite_utils(tmp_path):
    from studylog.core.backup.safety_copies import list_safety_copies

    journal = journal_with_a_day(tmp_path / "journal.sqlite3")
    facts = open_in_a_terminal(tmp_path, "--db", str(journal))
    assert facts["screen"] == "TodayScreen" and facts["store"] == str(journal)
    assert facts["click"] is False and facts["sqlite_utils"] is False
    # nor what only grading, editing cards or reading a changed deck file needs
    assert {"fsrs", "studylog.core.review.scheduling", "studylog.core.cards.card_editing",
            "studylog.core.cards.deck_parser", "studylog.tui.file_commands"}.isdisjoint(
        facts["loaded"])
    # Today's entry (Textual's Markdown widget, markdown-it) is mounted after the frame
    assert {"markdown_it", "textual.widgets._markdown"}.isdisjoint(facts["loaded"])
    # built as ``studylog open`` builds it: the error log beside the journal, and the
    # day's safety copy left to the app, which took it before the process ended
    assert facts["error_log"] == str(tmp_path / "errors.log")
    assert facts["daily_copy"] is True
    assert [c.reason.split("-")[0] for c in list_safety_copies(journal)] == ["daily"]


def test_studylog_open_builds_the_same_app_through_click(tmp_path):
    from studylog.core.backup.safety_copies import list_safety_copies

    journal = journal_with_a_day(tmp_path / "journal.sqlite3")
    fast = open_in_a_terminal(tmp_path, "--db", str(journal))
    copies = list_safety_copies(journal)
    facts = open_in_a_terminal(tmp_path, "--db", str(journal), "open")
    assert facts["click"] is True
    assert {k: v for k, v in facts.items() if k not in ("click", "loaded")} == \
        {k: v for k, v in fast.items() if k not in ("click", "loaded")}
    assert list_safety_copies(journal) == copies  # one copy a study day, either way


def test_what_the_fast_path_leaves_to_click_still_answers_as_before(tmp_path):
    import pexpect

    def studylog(*args: str) -> tuple[int, str]:
        child = pexpect.spawn(sys.executable, ["-m", "studylog", *args], encoding="utf-8",
                              timeout=60, dimensions=(30, 100))
        child.expect(pexpect.EOF)
        child.close()
        return child.exitstatus, child.before

    code, text = studylog("--db", str(tmp_path))
    assert code == 2 and "Invalid value for '--db'" in text and "is a directory" in text
    code, text = studylog("--help")
    assert code == 0 and "[OPTIONS] [COMMAND] [ARGS]..." in text
    assert "Run without a command to open the app." in text
    code, text = studylog("--version")
    assert code == 0 and "version" in text
    code, text = studylog("--db", str(tmp_path / "x.sqlite3"), "--bogus")
    assert code == 2 and "No such option" in text and "--bogus" in text


def test_a_journal_that_cannot_open_fails_in_one_line_on_the_fast_path(tmp_path):
    import pexpect

    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all " * 200)
    child = pexpect.spawn(sys.executable, ["-m", "studylog", "--db", str(junk)],
                          encoding="utf-8", timeout=60, dimensions=(30, 100))
    child.expect(pexpect.EOF)
    child.close()
    lines = [line for line in child.before.splitlines() if line.strip()]
    assert child.exitstatus == 1
    assert len(lines) == 1 and lines[0].startswith("error: cannot open database")
