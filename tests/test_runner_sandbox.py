"""The snippet sandbox with real processes: confined runs (an added deck's code) and
descendants that try to escape stop and timeout."""

from __future__ import annotations

import os
import socket
import sqlite3
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from process_probe import wait_until

from studylog.runner import RunEvent, SnippetRunner
from studylog.runner.confinement import python_paths
from studylog.runner.landlock import abi_version

ABI = abi_version()
needs_landlock = pytest.mark.skipif(ABI < 6, reason="kernel without Landlock ABI 6")
SECRET = "studylog-secret-" + uuid.uuid4().hex


@pytest.fixture(scope="module")
def runner():
    os.environ["STUDYLOG_TEST_SECRET"] = SECRET  # in the parent before any warm process
    try:
        with SnippetRunner(timeout_s=60) as r:
            yield r
    finally:
        del os.environ["STUDYLOG_TEST_SECRET"]


def attempts(runner: SnippetRunner, body: str, confined: bool) -> dict[str, str]:
    """Run ``body`` (which calls ``attempt(name, fn)``); what each attempt gave."""
    code = textwrap.dedent("""\
        def attempt(name, fn):
            try:
                print(name, "=>", "ok", repr(fn())[:200])
            except BaseException as exc:
                print(name, "=>", "refused", type(exc).__name__)
        """) + textwrap.dedent(body)
    result = runner.run(code, confined=confined)
    assert result.ok, result.output()
    return dict(line.split(" => ", 1) for line in result.output().splitlines())


def processes_with(marker: str) -> list[int]:
    """Live processes whose command line holds ``marker``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmdline = f.read()
                with open(f"/proc/{entry}/stat") as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in cmdline and state != "Z":
                found.append(int(entry))
    return found


# -- confined runs -----------------------------------------------------------------------


@needs_landlock
def test_confined_snippet_cannot_write_the_database(runner, tmp_path):
    db_path = tmp_path / "studylog.sqlite3"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE decks (name TEXT, trusted INTEGER)")
        db.execute("INSERT INTO decks VALUES ('someone else''s deck', 0)")
    body = f"""\
        import os, sqlite3
        def write():
            db = sqlite3.connect({str(db_path)!r})
            db.execute("UPDATE decks SET trusted = 1")
            db.commit()
        attempt("sqlite", write)
        attempt("append", lambda: open({str(db_path)!r}, "ab").write(b"x"))
        attempt("read", lambda: open({str(db_path)!r}, "rb").read(16))
        attempt("replace", lambda: __import__("os").replace({str(db_path)!r}, "gone"))
        attempt("new file beside it", lambda: open({str(tmp_path / "planted.py")!r}, "w"))
        attempt("own directory", lambda: open("scratch.txt", "w").write("fine"))
        shm = "/dev/shm/studylog-test-{uuid.uuid4().hex}"
        attempt("shared memory", lambda: (open(shm, "w").write("x"), os.unlink(shm)))
        """
    got = attempts(runner, body, confined=True)
    for name in ("sqlite", "append", "read", "replace", "new file beside it"):
        assert got[name].startswith("refused"), (name, got[name])
    assert got["own directory"].startswith("ok") and got["shared memory"].startswith("ok")
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT trusted FROM decks").fetchall() == [(0,)]
    assert not (tmp_path / "planted.py").exists()


@needs_landlock
def test_confined_snippet_cannot_read_an_environment_secret(runner):
    body = f"""\
        import os
        attempt("os.environ", lambda: os.environ.get("STUDYLOG_TEST_SECRET"))
        attempt("self", lambda: open("/proc/self/environ", "rb").read())
        attempt("parent", lambda: open(f"/proc/{{os.getppid()}}/environ", "rb").read())
        attempt("app", lambda: open("/proc/{os.getpid()}/environ", "rb").read())
        attempt("app mem", lambda: open("/proc/{os.getpid()}/mem", "rb"))
        """
    got = attempts(runner, body, confined=True)
    assert SECRET not in repr(got)
    assert got["os.environ"] == "ok None"
    for name in ("app", "app mem"):
        assert got[name].startswith("refused"), (name, got[name])
    # The warm process was started with a clean environment, not with a copy of ours.
    server = runner.confined_server_pid
    with open(f"/proc/{server}/environ", "rb") as f:
        assert SECRET.encode() not in f.read()


@needs_landlock
def test_confined_snippet_cannot_read_the_home_directory(runner):
    home = Path.home()
    with tempfile.NamedTemporaryFile("w", dir=home, prefix=".studylog-test-",
                                     suffix=".key") as secret:
        secret.write(SECRET)
        secret.flush()
        body = f"""\
            import os
            attempt("file", lambda: open({secret.name!r}).read())
            attempt("listing", lambda: os.listdir({str(home)!r}))
            attempt("expanded", lambda: os.listdir(os.path.expanduser("~")))
            """
        got = attempts(runner, body, confined=True)
    assert SECRET not in repr(got)
    assert got["file"].startswith("refused") and got["listing"].startswith("refused")
    assert got["expanded"].startswith("ok")  # its home is its own empty directory


@needs_landlock
def test_confined_snippet_cannot_connect_over_tcp(runner):
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        body = f"""\
            import socket
            attempt("connect", lambda: socket.create_connection(("127.0.0.1", {port}), 2))
            """
        got = attempts(runner, body, confined=True)
        listener.settimeout(0.2)
        with pytest.raises(TimeoutError):
            listener.accept()
    assert got["connect"] == "refused PermissionError"


@needs_landlock
def test_confined_snippet_cannot_signal_the_app_or_the_warm_process(runner):
    runner.run("pass", confined=True)
    server = runner.confined_server_pid
    body = f"""\
        import os
        attempt("app", lambda: os.kill({os.getpid()}, 0))
        attempt("warm process", lambda: os.kill({server}, 0))
        """
    got = attempts(runner, body, confined=True)
    assert got == {"app": "refused PermissionError", "warm process": "refused PermissionError"}


def test_unconfined_snippet_still_does_normal_things(runner, tmp_path):
    db_path = tmp_path / "studylog.sqlite3"
    with sqlite3.connect(db_path) as db:
        db.execute("CREATE TABLE t (x)")
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        body = f"""\
            import os, socket, sqlite3
            attempt("sqlite", lambda: sqlite3.connect({str(db_path)!r}).execute(
                "INSERT INTO t VALUES (1)").connection.commit())
            attempt("env", lambda: os.environ.get("STUDYLOG_TEST_SECRET"))
            attempt("connect", lambda: socket.create_connection(("127.0.0.1", {port}), 2)
                    .close())
            """
        got = attempts(runner, body, confined=False)
    assert got["sqlite"] == "ok None" and got["connect"] == "ok None"
    assert got["env"] == f"ok {SECRET!r}"


@pytest.mark.skipif(
    __import__("importlib.util").util.find_spec("torch") is None, reason="no torch")
def test_confined_torch_dataloader_with_workers_works(runner):
    code = textwrap.dedent("""\
        import torch
        from torch.utils.data import DataLoader, TensorDataset
        data = TensorDataset(torch.arange(64, dtype=torch.float32).reshape(32, 2))
        total = sum(float(b[0].sum()) for b in DataLoader(data, batch_size=4, num_workers=2))
        print("total", total)
        print("matmul", float((torch.ones(8, 8) @ torch.ones(8, 8)).sum()))
        """)
    result = runner.run(code, confined=True)
    assert result.ok, result.output()
    assert result.output() == "total 2016.0\nmatmul 512.0\n"


def test_confinement_is_reported():
    with SnippetRunner(preload=()) as r:
        report = r.confinement
    assert report.landlock_abi == ABI
    assert (report.warning() is None) == (ABI >= 6)
    assert "Landlock" in report.summary()


# -- escapes from stop and timeout (every run, confined or not) -------------------------

ESCAPE = """\
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:  # a grandchild in its own session, soon orphaned
        os.execv(sys.executable, [sys.executable, "-c",
                 "import time; print('escaped', flush=True); time.sleep(60)", "{marker}"])
    os._exit(0)
print("forked", flush=True)
time.sleep(60)
"""


def _escape_run(runner: SnippetRunner, how: str, confined: bool) -> float:
    """Stop or time out a run whose grandchild escaped; the seconds between the
    snippet's exit and the end of the run (1 s of grace if the pipes stayed open)."""
    marker = "studylog-escape-" + uuid.uuid4().hex
    t0 = time.monotonic()
    handle = runner.launch(ESCAPE.format(marker=marker), confined=confined,
                           timeout_s=3 if how == "timeout" else None)
    seen: list[str] = []

    def on_event(event: RunEvent) -> None:
        seen.append(event.text)
        if "escaped" in seen and "forked" in seen and how == "stop" and len(seen) == 2:
            assert wait_until(lambda: processes_with(marker), 5)
            handle.stop()

    result = handle.wait(on_event)
    finished = time.monotonic()
    assert {"escaped", "forked"} <= set(seen)
    assert result.stopped if how == "stop" else result.timed_out
    assert not processes_with(marker), "an escaped process outlived the run"
    return finished - (t0 + result.elapsed_s)


@pytest.mark.parametrize("confined", [False, True], ids=["bundled", "added"])
def test_setsid_escape_does_not_survive_stop(runner, confined):
    assert _escape_run(runner, "stop", confined) < 0.5  # no wait for its copy of the pipes


@pytest.mark.parametrize("confined", [False, True], ids=["bundled", "added"])
def test_setsid_escape_does_not_survive_timeout(runner, confined):
    assert _escape_run(runner, "timeout", confined) < 0.5


def test_escape_does_not_survive_a_normal_end(runner):
    marker = "studylog-escape-" + uuid.uuid4().hex
    code = ESCAPE.format(marker=marker).replace("time.sleep(60)\n", "time.sleep(0.5)\n")
    t0 = time.monotonic()
    result = runner.run(code)
    assert result.ok, result.summary()
    assert time.monotonic() - (t0 + result.elapsed_s) < 0.5  # no grace wait
    assert not processes_with(marker)


def test_escape_of_one_run_does_not_kill_another_runs_processes(runner):
    marker = "studylog-escape-" + uuid.uuid4().hex
    long_run = runner.launch(ESCAPE.format(marker=marker))
    assert wait_until(lambda: processes_with(marker), 10)
    assert runner.run("print('short')").ok  # ends while the other run goes on
    assert processes_with(marker)  # the long run's escaped process is still its own
    long_run.stop()
    long_run.wait()
    assert wait_until(lambda: not processes_with(marker), 2)


def test_close_kills_escaped_processes():
    marker = "studylog-escape-" + uuid.uuid4().hex
    r = SnippetRunner(preload=())
    handle = r.launch(ESCAPE.format(marker=marker))
    assert wait_until(lambda: processes_with(marker), 10)
    r.close()
    assert not processes_with(marker)
    assert handle.result is None or handle.result.exit_code != 0


def test_no_read_rule_covers_the_home_directory(tmp_path, monkeypatch):
    # A package directory inside the home stays readable; the home itself (say, from
    # a .pth line) and its parents, which would open every file below, never are.
    home = tmp_path / "home" / "학생"
    packages = home / ".pyenv" / "site-packages"
    packages.mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [*sys.path, str(home), str(home.parent), "/", str(packages)])
    roots = python_paths([str(home)])
    assert str(packages) in roots
    assert not {str(home), str(home.parent), str(tmp_path), "/"} & set(roots)


def test_the_warm_process_imports_this_checkout_of_studylog():
    # The bootstrap puts the directory holding the studylog package first on sys.path,
    # so a source checkout runs its own runner even when another studylog is installed.
    from studylog.runner import server_process

    root = Path(server_process._PACKAGE_ROOT)
    assert (root / "studylog" / "runner" / "warm_server.py").is_file()
    assert Path(server_process.__file__).resolve().is_relative_to(root)
