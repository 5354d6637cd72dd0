"""Logs parsed ahead in a second process (issue 11: ten years' import in 2 s) give what
parsing here gives: the same days, keywords, passages, candidates and refusals, in the
same order, also when the child dies, a job is passed over, or the child's parse raises;
and an import that parses ahead ends where one that does not ends."""

from __future__ import annotations

import os
import signal
import threading
from datetime import date
from pathlib import Path

import pytest
from journal_state import assert_consistent, journal_state, write_logs
from log_styles import styled_logs

from studylog.core.journal import log_reads, parse_ahead
from studylog.core.journal.importer import import_logs
from studylog.core.journal.log_parser import LogError
from studylog.core.journal.parse_ahead import ParseAhead, ParseJob, parse_job
from studylog.core.storage.database import Store

TODAY = date(2026, 11, 27)


def jobs(seed: int, n: int) -> list[ParseJob]:
    return [ParseJob(text, name, None, TODAY, None, False) for name, text in styled_logs(seed, n)]


def test_the_child_parses_as_this_process_does():
    todo = jobs(7, 30) + [ParseJob("no dates here, only words\n", "notes.md", None, TODAY,
                                   None, False)]
    with ParseAhead() as parsing:
        parsing.start()
        assert parsing.running
        for n, job in enumerate(todo):
            parsing.submit(n, job)
        assert parsing.waiting == len(todo)
        answers = [parsing.take(n, job) for n, job in enumerate(todo)]
    expected = [parse_job(job) for job in todo]
    assert answers[:-1] == expected[:-1]
    assert sum(len(a.days) for a in answers[:-1]) > 60  # type: ignore[union-attr]
    assert isinstance(answers[-1], LogError) and str(answers[-1]) == str(expected[-1])


def test_a_passed_over_job_and_a_dead_child_still_give_every_parse():
    todo = jobs(8, 6)
    with ParseAhead() as parsing:
        parsing.start()
        for n, job in enumerate(todo):
            parsing.submit(n, job)
        assert parsing.take(0, todo[0]) == parse_job(todo[0])
        assert parsing.take(2, todo[2]) == parse_job(todo[2])  # 1 is passed over
        parsing._child.kill()  # type: ignore[union-attr]
        parsing._child.wait()  # type: ignore[union-attr]
        rest = [parsing.take(n, todo[n]) for n in (3, 4, 5)]
        assert not parsing.running  # the child's end was noticed: parsed here since
    assert rest == [parse_job(todo[n]) for n in (3, 4, 5)]


def test_an_error_in_the_childs_parse_is_raised_here():
    bad = ParseJob("## 3/14\n오늘은 tensor.\n", "log.md", "2023", TODAY, None, False)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        parse_job(bad)
    with ParseAhead() as parsing:
        parsing.start()
        parsing.submit(0, bad)
        with pytest.raises(TypeError):
            parsing.take(0, bad)


def _import(tmp_path: Path, name: str, paths: list[Path], ahead: bool,
            monkeypatch) -> tuple[list[tuple[str, str, int]], dict]:
    monkeypatch.setattr(parse_ahead, "second_core", lambda: ahead)
    started = []
    real_start = ParseAhead.start
    monkeypatch.setattr(ParseAhead, "start", lambda self: (started.append(1),
                                                           real_start(self)))
    with Store(tmp_path / name) as store:
        report = import_logs(store, paths, today=TODAY)
        assert_consistent(store)
        assert bool(started) == ahead
        return ([(Path(f.path).name, f.status, f.days_new) for f in report.files],
                journal_state(store))


def test_an_import_parsing_ahead_ends_as_one_parsing_here(tmp_path, monkeypatch):
    logs = tmp_path / "logs"
    paths = write_logs(logs, log_reads.PARALLEL_FROM + 30, seed=12)
    (logs / "2023-empty.md").write_text("\n\n")
    (logs / "2023-undated.md").write_text("그냥 메모. no date anywhere\n")
    (logs / "2023-bad.md").write_bytes(b"\xff\xfe\x00\xd8 broken")
    # a file named twice: the second time it is unchanged (written by the first)
    named = [logs, paths[-3]]
    here = _import(tmp_path, "here.sqlite3", named, False, monkeypatch)
    ahead = _import(tmp_path, "ahead.sqlite3", named, True, monkeypatch)
    assert ahead == here
    statuses = [status for _, status, _ in here[0]]
    assert statuses[-1] == "unchanged" and statuses.count("imported") >= 40
    assert {"empty", "refused"} <= set(statuses)
    assert len(here[1]["entries"]) > 100


def test_sending_a_job_never_waits_for_the_child():
    """Jobs larger than the pipe, sent while the child cannot read: ``submit`` returns
    (it blocked on the full pipe until the child read, and the import waited with it)."""
    big = [ParseJob("".join(f"## 2023-03-{d:02d}\n" + "오늘은 tensor 정리. " * 6000 + "\n\n"
                            for d in range(n + 1, n + 3)), f"big{n}.md", None, TODAY, None,
                    False) for n in (1, 5, 9)]
    assert all(len(job.text.encode()) > 200_000 for job in big)
    with ParseAhead() as parsing:
        parsing.start()
        child = parsing._child
        assert child is not None
        os.kill(child.pid, signal.SIGSTOP)
        try:
            sending = threading.Thread(target=lambda: [parsing.submit(n, job)
                                                       for n, job in enumerate(big)])
            sending.start()
            sending.join(timeout=20)
            returned = not sending.is_alive()
        finally:
            os.kill(child.pid, signal.SIGCONT)
        sending.join()
        assert returned
        assert [parsing.take(n, job) for n, job in enumerate(big)] == \
            [parse_job(job) for job in big]


def test_the_files_read_before_the_second_process_started_are_parsed_here(tmp_path,
                                                                         monkeypatch):
    """The second process takes ~0.1 s to start: the files read before it are written
    meanwhile, parsed here, and it parses from the file that started it on (it was sent
    those too, and the writes waited for its start)."""
    monkeypatch.setattr(parse_ahead, "second_core", lambda: True)
    paths = write_logs(tmp_path / "logs", log_reads.PARALLEL_FROM + 20, seed=5)
    sent: list[str] = []
    real_submit = ParseAhead.submit
    monkeypatch.setattr(ParseAhead, "submit", lambda self, key, job: (
        sent.append(job.file_name), real_submit(self, key, job)))
    with Store(tmp_path / "s.sqlite3") as store:
        report = import_logs(store, [tmp_path / "logs"], today=TODAY)
        assert_consistent(store)
    assert [f.status for f in report.files] == ["imported"] * len(paths)
    assert sent == [p.name for p in paths][log_reads.PARALLEL_FROM - 1:]


def test_the_second_process_needs_a_second_core_busy_or_not(monkeypatch):
    """A busy machine still parses ahead: two processes get two shares of the CPU (the
    1-minute load average also counted the import's own process, and a benchmark run
    right after another parsed in one process, 2.4 s against 1.7 s)."""
    monkeypatch.setattr(parse_ahead.os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(parse_ahead.os, "getloadavg", lambda: (0.3, 0.2, 0.1))
    assert parse_ahead.second_core()
    monkeypatch.setattr(parse_ahead.os, "getloadavg", lambda: (3.5, 3.0, 2.0))
    assert parse_ahead.second_core()
    monkeypatch.setattr(parse_ahead.os, "sched_getaffinity", lambda pid: {1})
    monkeypatch.setattr(parse_ahead.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(parse_ahead.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not parse_ahead.second_core()  # pinned to one core of eight


def test_the_date_of_today_reaches_the_child(tmp_path):
    """Logs without a year are dated by the import's ``today`` in the child too."""
    job = ParseJob("## 12/30\n연말 정리.\n\n## 1/2\n새해.\n", "log.md", None,
                   date(2024, 1, 5), None, False)
    with ParseAhead() as parsing:
        parsing.start()
        parsing.submit(0, job)
        answer = parsing.take(0, job)
    assert [d.date for d in answer.days] == [date(2023, 12, 30), date(2024, 1, 2)]  # type: ignore[union-attr]
