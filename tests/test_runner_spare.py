"""The warm server's spare: a prepared snippet process waiting for the next run.

Real processes only: the spare is found as the warm server's child in /proc.
"""

from __future__ import annotations

import os
import signal

import pytest
from process_probe import process_alive, wait_until

from studylog.runner import SnippetRunner
from studylog.runner.landlock import abi_version


def children(pid: int) -> list[int]:
    """Live (non-zombie) children of ``pid``."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids = [int(p) for p in f.read().split()]
    except OSError:
        return []
    return [p for p in pids if process_alive(p)]


def status_field(pid: int, name: str) -> str:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    raise KeyError(name)


def waiting_spare(server: int) -> int:
    """The one process waiting as the server's spare (no run is going)."""
    assert wait_until(lambda: len(children(server)) == 1, 10), children(server)
    return children(server)[0]


@pytest.fixture(scope="module")
def runner():
    with SnippetRunner(timeout_s=30) as r:
        assert r.start(wait=True)
        yield r


def test_a_run_goes_to_the_waiting_spare_and_a_new_spare_replaces_it(runner):
    server = runner.server_pid
    assert server is not None
    spare = waiting_spare(server)
    result = runner.run("import os; print(os.getpid())")
    assert result.ok, result.output()
    assert int(result.output()) == spare  # the run did not wait for a fork
    assert not process_alive(spare)  # it ran once and is gone
    replacement = waiting_spare(server)
    assert replacement != spare
    again = runner.run("import os; print(os.getpid())")
    assert int(again.output()) == replacement


def test_the_spare_is_set_up_before_the_request_comes(runner):
    # Own session and process group (stop() kills the group), core dumps off, the
    # parent-death signal: all done while it waits, not after the request.
    # A spare is listed as the server's child the moment it is forked; its set-up takes
    # a few ms more (longer under load), so wait for it to finish, with no request sent.
    spare = waiting_spare(runner.server_pid)

    def core_limit() -> str:
        with open(f"/proc/{spare}/limits") as f:
            return next(line for line in f if line.startswith("Max core file size"))

    assert wait_until(lambda: os.getsid(spare) == spare and os.getpgid(spare) == spare
                      and core_limit().split()[4] == "0", 10), core_limit()
    assert process_alive(spare) and waiting_spare(runner.server_pid) == spare  # still unused


@pytest.mark.skipif(abi_version() < 1, reason="kernel without Landlock")
def test_a_confined_spare_is_confined_before_the_request_comes():
    with SnippetRunner(timeout_s=30) as r:
        first = r.run("import os; print(os.getcwd())", confined=True)
        assert first.ok, first.output()
        server = r.confined_server_pid
        assert server is not None
        spare = waiting_spare(server)
        # set by restrict_self, the spare's last set-up step (a few ms after its fork)
        assert wait_until(lambda: status_field(spare, "NoNewPrivs") == "1", 10)
        cwd = os.readlink(f"/proc/{spare}/cwd")
        assert cwd != first.output().strip()  # a directory of its own, not the last run's
        assert not os.path.exists(first.output().strip())  # that one was removed
        second = r.run("import os; print(os.getcwd())", confined=True)
        assert second.output().strip() == cwd


def test_the_streams_made_while_spare_are_the_runs_pipes_as_before(runner):
    # The text streams are made while the process is spare, on a placeholder pipe: the
    # snippet must see what it saw when they were made on its own pipes (not seekable,
    # not a terminal, line buffered, UTF-8 with backslashreplace, stdin at end of file).
    code = (
        "import os, stat, sys\n"
        "for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):\n"
        "    print(s.fileno(), s.seekable(), s.isatty(), s.line_buffering, s.encoding,"
        " s.errors, stat.S_ISFIFO(os.fstat(s.fileno()).st_mode))\n"
        "print(sys.stdin.read() == '', sys.stdout is sys.__stdout__)\n"
        "print('학습 \\udcff', file=sys.stderr)"
    )
    result = runner.run(code)
    assert result.ok, result.output()
    assert result.output("stdout").splitlines() == [
        "1 False False True utf-8 backslashreplace True",
        "2 False False True utf-8 backslashreplace True",
        "1 False False True utf-8 backslashreplace True",
        "2 False False True utf-8 backslashreplace True",
        "True True",
    ]
    assert result.output("stderr") == "학습 \\udcff\n"


def test_runs_in_a_row_share_nothing(runner):
    # Each run is a different process, though each was prepared the same way.
    setter = (
        "import os, sys, torch\n"
        "torch.set_num_threads(1); os.environ['RUN_MARK'] = 'x'; sys.run_mark = 1\n"
        "os.chdir('/'); print(os.getpid())"
    )
    reader = (
        "import os, sys, torch\n"
        "print(os.getpid(), torch.get_num_threads() == 1, os.environ.get('RUN_MARK'),"
        " hasattr(sys, 'run_mark'), os.getcwd() == '/')"
    )
    first = runner.run(setter, cwd=os.getcwd())
    assert first.ok, first.output()
    second = runner.run(reader, cwd=os.getcwd())
    assert second.ok, second.output()
    pid, *seen = second.output().split()
    assert pid != first.output().strip()
    threads_one = "True" if os.cpu_count() == 1 else "False"
    assert seen == [threads_one, "None", "False", "False"]


def test_a_spare_that_died_unused_is_replaced_and_the_run_still_works(runner):
    server = runner.server_pid
    spare = waiting_spare(server)
    os.kill(spare, signal.SIGKILL)
    assert wait_until(lambda: not process_alive(spare), 5)
    result = runner.run("print('still runs')")
    assert result.ok and result.output() == "still runs\n"
    assert runner.server_pid == server
    assert waiting_spare(server) != spare


def test_runs_in_a_burst_each_get_their_own_process(runner):
    handles = [runner.launch("import os, time; time.sleep(0.3); print(os.getpid())")
               for _ in range(4)]
    pids = [h.pid for h in handles]
    results = [h.wait() for h in handles]
    assert all(r.ok for r in results)
    assert [int(r.output()) for r in results] == pids
    assert len(set(pids)) == 4


def test_close_leaves_no_spare_behind():
    r = SnippetRunner(preload=())
    assert r.start(wait=True)
    server = r.server_pid
    assert server is not None
    spare = waiting_spare(server)
    r.close()
    assert not process_alive(server)
    assert wait_until(lambda: not process_alive(spare), 2)


@pytest.mark.parametrize("confined", [False, True], ids=["trusted", "confined"])
def test_killing_the_warm_server_leaves_no_orphan(confined):
    # SIGKILL: the server cannot clean up; its spare and its runs die with it.
    with SnippetRunner(preload=(), timeout_s=30) as r:
        handle = r.launch("import time; print('up', flush=True); time.sleep(60)",
                          confined=confined)
        server = r.confined_server_pid if confined else r.server_pid
        assert server is not None
        assert wait_until(lambda: len(children(server)) == 2, 10)  # the run and a spare
        orphans = children(server)
        os.kill(server, signal.SIGKILL)
        assert wait_until(lambda: not any(process_alive(p) for p in orphans), 5), \
            [p for p in orphans if process_alive(p)]
        assert handle.wait().exit_code != 0
