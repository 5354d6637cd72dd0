"""Import semantics: idempotency, encodings, refusals, atomicity."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studylog.core.journal.importer import PathError, import_logs
from studylog.core.storage.database import Store

KOREAN_LOG = "## 2023-11-13\n오늘은 contiguous라는 개념을 배웠다.\n\n키워드: Contiguous\n"


def test_import_twice_changes_nothing(store, fixture_log, cli):
    first = import_logs(store, [fixture_log], year=2023)
    assert first.files[0].status == "imported"
    before = store.query("SELECT * FROM cards ORDER BY id")
    second = import_logs(store, [fixture_log], year=2023)
    assert [f.status for f in second.files] == ["unchanged"]
    assert store.query("SELECT * FROM cards ORDER BY id") == before
    result = cli("import", str(fixture_log), "--year", "2023")
    assert result.exit_code == 0 and "nothing changed" in result.output


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"), ("cp949", b""), ("euc-kr", b""),
])
def test_encodings(store, tmp_path, encoding, prefix):
    path = tmp_path / "log.md"
    path.write_bytes(prefix + KOREAN_LOG.encode(encoding))
    report = import_logs(store, [path])
    assert report.files[0].status == "imported", report.files[0].message
    [entry] = store.entries.all()
    assert "contiguous라는 개념" in entry.body
    assert entry.keywords == ["Contiguous"]


@pytest.mark.parametrize("data,reason", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
    (b"## 2023-01-01\n" + b"\xff\xfe\xfa\x80" * 3, "not UTF-8, UTF-16 or CP949"),
    (b"## 2023-01-01\n" + b"\x01\x02\x03\x04\x05\x06\x07" * 20, "binary"),
])
def test_bad_files_are_refused_with_reason_and_others_import(store, tmp_path, data, reason,
                                                             cli):
    (tmp_path / "logs").mkdir()
    bad = tmp_path / "logs" / "bad.md"
    bad.write_bytes(data)
    good = tmp_path / "logs" / "good.md"
    good.write_text(KOREAN_LOG, encoding="utf-8")
    result = cli("import", str(tmp_path / "logs"))
    assert result.exit_code == 1
    assert "bad.md: refused:" in result.output and reason in result.output
    assert "1 file(s) refused" in result.stderr
    assert [e.date for e in store.entries.all()] == ["2023-11-13"]


def test_empty_file_imports_nothing_and_says_so(tmp_path, cli):
    empty = tmp_path / "empty.md"
    empty.write_text("  \n\n", encoding="utf-8")
    result = cli("import", str(empty))
    assert result.exit_code == 0
    assert "empty" in result.output


def test_missing_path_is_a_one_line_error(tmp_path, cli, store):
    result = cli("import", str(tmp_path / "nope.md"))
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr
    with pytest.raises(PathError):
        import_logs(store, [tmp_path / "nope.md"])


def test_huge_file_is_refused(store, tmp_path):
    path = tmp_path / "huge.md"
    path.write_bytes(b"## 2023-01-01\n" + b"a" * (21 * 1024 * 1024))
    report = import_logs(store, [path])
    assert report.files[0].status == "refused" and "too large" in report.files[0].message


def test_folder_import_is_recursive_and_filters_suffixes(store, tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "one.markdown").write_text("## 2023-01-01\nx\n", encoding="utf-8")
    (tmp_path / "a" / "two.txt").write_text("## 2023-01-02\ny\n", encoding="utf-8")
    (tmp_path / "a" / "skip.png").write_bytes(b"\x89PNG\x00")
    report = import_logs(store, [tmp_path / "a"])
    assert sorted(Path(f.path).name for f in report.files) == ["one.markdown", "two.txt"]
    assert len(store.entries.all()) == 2


def _write_many_logs(folder: Path, files: int, days_per_file: int) -> None:
    folder.mkdir()
    for f in range(files):
        parts = []
        for d in range(days_per_file):
            n = f * days_per_file + d
            day = f"{2000 + n // 300}-{1 + (n % 300) // 25:02d}-{1 + n % 25:02d}"
            parts.append(f"## {day}\n" + f"tensor와 autograd를 공부했다 {n}. " * 30 +
                         f"\n\n키워드: Tensor, Autograd, Topic{n % 50}\n")
        (folder / f"log{f:04d}.md").write_text("\n".join(parts), encoding="utf-8")


def test_kill_during_large_import_leaves_whole_files_only(tmp_path):
    logs = tmp_path / "logs"
    _write_many_logs(logs, files=400, days_per_file=7)
    db = tmp_path / "kill.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "studylog", "--db", str(db), "import",
                             str(logs)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    seen = 0
    deadline = time.monotonic() + 60
    while seen < 20 and time.monotonic() < deadline:  # let some files commit first
        if proc.stdout.readline():
            seen += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert seen >= 20
    store = Store(db)
    assert store.integrity_check() == "ok"
    imported = store.query("SELECT path FROM sources")
    assert 20 <= len(imported) < 400
    per_file = store.query("SELECT source_file, count(*) AS n FROM entries GROUP BY source_file")
    assert all(row["n"] == 7 for row in per_file)  # each file wholly or not at all
    assert {r["source_file"] for r in per_file} == {r["path"] for r in imported}
    assert store.value("SELECT count(*) FROM entries_fts") is not None
    # Finishing the import afterwards works and skips what was already there.
    from studylog.core.journal.importer import import_logs as again

    report = again(store, [logs])
    assert sum(f.status == "unchanged" for f in report.files) == len(imported)
    assert len(store.entries.all()) == 400 * 7
    assert store.value("SELECT count(*) FROM dirty_keywords") == 0
    tensor = next(c for c in store.cards.listing("journal") if c.front == "Tensor")
    assert len(tensor.source_dates) == 400 * 7
    store.close()


def test_cli_waits_for_a_writer_instead_of_failing(db_path, fixture_log):
    holder = Store(db_path)
    code = ("import sys, time; from studylog.core.storage.database import Store; "
            "s = Store(sys.argv[1]); c = s.db.conn; c.execute('BEGIN IMMEDIATE'); "
            "print('locked', flush=True); time.sleep(1.5); c.execute('COMMIT')")
    locker = subprocess.Popen([sys.executable, "-c", code, str(db_path)],
                              stdout=subprocess.PIPE, text=True)
    assert locker.stdout.readline().strip() == "locked"
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "studylog", "--db", str(db_path), "import",
                             str(fixture_log), "--year", "2023"], capture_output=True, text=True,
                            env={**os.environ})
    locker.wait()
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 0.5  # it waited for the lock
    assert len(holder.entries.all()) == 2
    holder.close()


def test_reimporting_without_a_year_keeps_the_dates_and_your_edits(store, tmp_path,
                                                                   fixture_log):
    from datetime import date

    from studylog.core.journal.day_editing import save_day_text

    log = tmp_path / fixture_log.name
    log.write_bytes(fixture_log.read_bytes())
    assert import_logs(store, [log], year=2023).files[0].status == "imported"
    save_day_text(store, date(2023, 11, 13), "edited in the app\n\n키워드: Hook")
    for year in (None, 2023):  # same file: no --year, or the same one, changes nothing
        assert import_logs(store, [log], year=year).files[0].status == "unchanged"
    assert store.entries.get("2023-11-13").body.startswith("edited in the app")
    # another year re-dates the file: that is a change
    assert import_logs(store, [log], year=2022).files[0].status == "imported"
    assert store.entries.get("2022-11-13") is not None


def test_import_says_how_many_days_made_no_card_and_where_the_forms_are(tmp_path, cli):
    log = tmp_path / "2023-log.md"
    log.write_text("## 11/13\nhook을 배웠다.\n\n키워드: Hook\n\n"
                   "## 11/14\n오늘은 쉬었다. 키워드는 없음.\n\n"
                   "## 11/15\nJust practised: nothing new.\n", encoding="utf-8")
    result = cli("import", str(log))
    assert "2 day(s) made no card" in result.output
    assert "2023-11-14, 2023-11-15" in result.output
    assert "The log format studylog reads" in result.output
    log.write_text(log.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    report = json.loads(cli("import", str(log), "--json").output)
    assert report["days_without_cards"] == 2
    assert report["dates_without_cards"] == ["2023-11-14", "2023-11-15"]
    assert "The log format studylog reads" in report["formats_doc"]
