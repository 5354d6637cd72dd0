"""The command line bounds what SQLite cannot take: card ids beyond its integers, database
paths that are not files, searches with too many or too long terms."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from studylog.core.search import MAX_QUERY_CHARS, MAX_TERMS, SearchError, search

HUGE = "99999999999999999999"


def _studylog(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studylog", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd)


def _one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    return result.stderr


@pytest.mark.parametrize("args", [("grade", HUGE, "good"), ("run", HUGE), ("bury", HUGE),
                                  ("suspend", "--", "-" + HUGE)])
def test_integers_sqlite_cannot_hold_are_one_line(tmp_path, args):
    message = _one_line_error(_studylog("--db", str(tmp_path / "x.sqlite3"), *args))
    assert HUGE in message and "card ids are whole numbers from 1 to" in message


def test_a_duration_sqlite_cannot_hold_is_a_usage_error(tmp_path):
    result = _studylog("--db", str(tmp_path / "d.sqlite3"), "grade", "1", "good",
                       "--duration-ms", HUGE)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "not in the range 0<=x<=9223372036854775807" in result.stderr


def test_db_path_that_is_not_a_file_is_refused(tmp_path):
    message = _one_line_error(_studylog("--db", "/dev/null", "entries", cwd=tmp_path))
    assert "/dev/null" in message and "not a regular file" in message
    assert not Path("/dev/null-journal").exists() and not Path("/dev/null-wal").exists()


def test_search_with_too_many_terms_is_refused_in_one_line(tmp_path, cli, store):
    many = " ".join(f"t{i}" for i in range(1000))  # 1,000 short (LIKE) terms
    result = _studylog("--db", str(tmp_path / "s.sqlite3"), "search", many)
    assert "a search is at most" in _one_line_error(result)
    words = " ".join(chr(ord("a") + i) for i in range(MAX_TERMS + 1))
    with pytest.raises(SearchError, match=f"at most {MAX_TERMS} different words"):
        search(store, words)
    result = _studylog("--db", str(tmp_path / "s.sqlite3"), "search", words)
    assert f"at most {MAX_TERMS} different words" in _one_line_error(result)


def test_long_and_repeated_searches_are_bounded(store):
    with pytest.raises(SearchError, match=f"{MAX_QUERY_CHARS:,} characters"):
        search(store, "ab " * 16000)
    # repeating a word asks nothing more: it counts once
    assert search(store, " ".join(["텐서"] * (MAX_TERMS * 3))) == []
    assert search(store, " ".join(f"w{i}" for i in range(MAX_TERMS))) == []
