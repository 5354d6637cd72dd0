"""Tests of the snippet runner with real processes (no mocks of the runner)."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import resource
import signal
import subprocess
import sys
import textwrap
import threading
import time
import venv
from pathlib import Path

import pytest
from process_probe import process_alive, wait_until

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("studylog") is None:
    sys.path.insert(0, str(ROOT))

from studylog.runner import (  # noqa: E402
    RunEvent,
    SnippetRunner,
    ensure_torch_message,
)
from studylog.runner.output import LineSplitter, OutputTail  # noqa: E402

HAS_TORCH = importlib.util.find_spec("torch") is not None
needs_torch = pytest.mark.skipif(not HAS_TORCH, reason="torch is not installed")
GIB = 1024**3

SLOW_LOADER = """
import time, torch
from torch.utils.data import DataLoader, Dataset

class Slow(Dataset):
    def __len__(self):
        return 10_000
    def __getitem__(self, i):
        time.sleep(0.2)
        return i

for batch in DataLoader(Slow(), num_workers=2, batch_size=1):
    print("batch", int(batch), flush=True)
"""


def group_members(pgid: int) -> list[tuple[int, str]]:
    """Live (non-zombie) processes whose process group is ``pgid``, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":  # a zombie is dead, only not yet reaped
            found.append((int(entry), state))
    return found


@pytest.fixture(scope="module")
def runner():
    with SnippetRunner(timeout_s=30) as r:
        assert r.start(wait=True)
        yield r


# -- pure helpers ------------------------------------------------------------------


def test_line_splitter_lines_progress_and_long_lines():
    s = LineSplitter(max_line_bytes=8)
    assert s.feed(b"a\nb\r\nc") == [("line", b"a"), ("line", b"b")]
    assert s.feed(b"d\n") == [("line", b"cd")]
    # Only the newest progress state of a batch is reported; "\n" finishes it.
    assert s.feed(b"\r1/3\r2/3") == [("progress", b"2/3")]
    assert s.feed(b"\r3/3\n") == [("line", b"3/3")]
    assert s.feed(b"x" * 20) == [("line", b"x" * 8), ("line", b"x" * 8)]
    assert s.flush() == [("line", b"xxxx")]


def test_output_tail_keeps_last_lines_and_counts_dropped():
    tail = OutputTail(max_lines=3, max_bytes=1000)
    for i in range(10):
        tail.add("stdout", str(i).encode())
    assert [e.text for e in tail.events()] == ["7", "8", "9"]
    assert (tail.dropped_lines, tail.dropped_bytes) == (7, 14)


def test_output_tail_in_bulk_counts_like_line_by_line():
    raws = [str(i).encode() * (i % 4 + 1) for i in range(50)]
    one_by_one, bulk = OutputTail(5, 1000), OutputTail(5, 1000)
    for chunk in (raws[:3], raws[3:40], raws[40:]):
        for raw in chunk:
            one_by_one.add("stdout", raw)
        bulk.add_many("stdout", chunk)
    assert bulk.events() == one_by_one.events()
    assert (bulk.dropped_lines, bulk.dropped_bytes) == \
        (one_by_one.dropped_lines, one_by_one.dropped_bytes)


# -- isolation -----------------------------------------------------------------------


def test_each_run_is_a_fresh_process(runner):
    first = runner.run("import os, sys\nx = 41\nsys.flag = 1\nprint(os.getpid())")
    assert first.ok and first.tail[-1].text.isdigit()
    second = runner.run("import os, sys\nprint(os.getpid(), hasattr(sys, 'flag'))\nprint(x)")
    pid, flag = second.output("stdout").split()  # stdout and stderr are separate pipes:
    assert flag == "False"  # their relative order in the tail is not guaranteed
    assert pid != first.tail[-1].text
    assert second.exit_code == 1
    assert second.error_line == "NameError: name 'x' is not defined"


@pytest.mark.parametrize(
    ("code", "check"),
    [
        ("import os\nos._exit(3)", lambda r: r.exit_code == 3 and r.signal_name is None),
        ("import ctypes\nctypes.string_at(0)", lambda r: r.signal_name == "SIGSEGV"),
        ("raise SystemExit(7)", lambda r: r.exit_code == 7 and r.error_line is None),
        ("import sys\nsys.exit('bye')", lambda r: r.exit_code == 1 and r.output() == "bye\n"),
        ("assert 1 == 2, 'boom'", lambda r: r.error_line == "AssertionError: boom"),
        ("def f(:\n  pass", lambda r: r.error_line.startswith("SyntaxError")),
    ],
    ids=["os_exit", "segfault", "system_exit", "exit_message", "assertion", "syntax_error"],
)
def test_a_crash_only_ends_that_run(runner, code, check):
    server = runner.server_pid
    result = runner.run(code)
    assert check(result), result
    assert not result.ok
    after = runner.run("print('still fine')")
    assert after.ok and after.output() == "still fine\n"
    assert runner.server_pid == server


# -- stop, timeout, limits -------------------------------------------------------------


@needs_torch
def test_stop_kills_snippet_and_dataloader_workers_within_1s(runner):
    handle = runner.launch(SLOW_LOADER)
    seen: dict[str, object] = {}

    def on_event(event: RunEvent) -> None:
        if event.text.startswith("batch") and "members" not in seen:
            seen["members"] = group_members(handle.pid)
            seen["t_stop"] = time.monotonic()
            handle.stop()

    result = handle.wait(on_event)
    took = time.monotonic() - seen["t_stop"]
    assert len(seen["members"]) >= 3, seen["members"]  # the snippet and 2 workers
    assert result.stopped and not result.timed_out and result.signal_name == "SIGKILL"
    assert took < 1.0
    assert wait_until(lambda: not group_members(handle.pid), 1.0 - min(took, 0.9))


def test_timeout_kills_the_run(runner):
    t0 = time.monotonic()
    result = runner.run("import time\nprint('start', flush=True)\ntime.sleep(30)", timeout_s=1)
    assert result.timed_out and not result.stopped
    assert result.output() == "start\n"
    assert 0.9 < time.monotonic() - t0 < 3
    assert "timed out" in result.summary()


def test_50mb_of_output_is_capped_and_the_runner_stays_responsive(runner):
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kinds: dict[str, int] = {}

    def count(event: RunEvent) -> None:
        kinds[event.kind] = kinds.get(event.kind, 0) + 1

    t0 = time.monotonic()
    result = runner.run("line = 'x' * 99\nfor _ in range(500_000):\n    print(line)", count)
    assert result.ok and time.monotonic() - t0 < 15
    assert len(result.tail) == 2000 and result.tail[-1].text == "x" * 99
    assert result.dropped_lines == 498_000 and result.dropped_bytes == 498_000 * 100
    assert kinds["line"] < 100_000 and kinds.get("skipped", 0) >= 1  # live rate limit
    t1 = time.monotonic()
    assert runner.run("print('next')").ok and time.monotonic() - t1 < 2
    # One 50 MB line without a newline is cut, and the kept tail stays under 1 MB.
    huge = runner.run("import sys\nsys.stdout.write('y' * 50_000_000)")
    assert huge.ok and sum(len(e.text) for e in huge.tail) <= 1024**2
    assert huge.dropped_bytes > 48_000_000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 150 * 1024  # KiB


def test_50mb_through_the_async_stream_keeps_the_event_loop_responsive(runner):
    async def main() -> tuple[float, object, int]:
        gaps: list[float] = []

        # A gap is the loop thread's own CPU time between two ticks: work that kept the
        # loop from ticking counts, time the machine gave other processes does not (a
        # wall-clock gap failed under load with nothing blocking the loop).
        async def ticker() -> None:
            last = time.thread_time()
            while True:
                await asyncio.sleep(0.005)
                gaps.append(time.thread_time() - last)
                last = time.thread_time()

        tick_task = asyncio.create_task(ticker())
        run = runner.stream("line = 'x' * 99\nfor _ in range(500_000):\n    print(line)")
        count = 0
        async for _event in run:
            count += 1
        tick_task.cancel()
        return max(gaps), run.result, count

    max_gap, result, count = asyncio.run(main())
    assert result.ok and result.dropped_lines == 498_000
    assert count < 100_000  # live events are rate limited
    assert max_gap < 0.25  # the loop never worked that long without a tick (typically ~10 ms)


def test_memory_limit_fails_the_run(runner):
    result = runner.run("x = bytearray(3 * 1024**3)", memory_limit_bytes=2 * GIB)
    assert result.error_line == "MemoryError" and result.exit_code == 1
    if HAS_TORCH:
        result = runner.run(
            "import torch\nx = torch.empty(3 * 1024**3, dtype=torch.uint8)",
            memory_limit_bytes=2 * GIB,
        )
        assert "can't allocate memory" in result.error_line
    assert runner.run("print(len(bytearray(10**7)))").ok


# -- streaming -------------------------------------------------------------------------


def test_output_streams_live_line_by_line(runner):
    t0 = time.monotonic()
    arrivals: list[tuple[str, float]] = []
    code = "import time\nprint('a', flush=True)\ntime.sleep(2)\nprint('b')"
    result = runner.run(code, lambda e: arrivals.append((e.text, time.monotonic() - t0)))
    assert [text for text, _ in arrivals] == ["a", "b"]
    assert arrivals[0][1] < 1.0  # well before the snippet's 2 s sleep ends
    assert arrivals[1][1] >= 1.9
    assert result.ok and result.first_output_s < 1.0


def test_carriage_return_progress_updates(runner):
    code = textwrap.dedent(
        """
        import sys, time
        for i in range(1, 4):
            sys.stdout.write(f"\\r{i}/3")
            sys.stdout.flush()
            time.sleep(0.15)
        print()
        """
    )
    events: list[RunEvent] = []
    result = runner.run(code, events.append)
    progress = [e.text for e in events if e.kind == "progress"]
    assert progress == ["1/3", "2/3", "3/3"]
    assert events[-1] == RunEvent("stdout", "3/3", "line")
    assert [e.text for e in result.tail] == ["3/3"]


def test_stderr_is_tagged_as_stderr(runner):
    events: list[RunEvent] = []
    runner.run("import sys\nprint('out')\nprint('err', file=sys.stderr)", events.append)
    assert RunEvent("stdout", "out") in events and RunEvent("stderr", "err") in events
    failed = runner.run("1/0")
    assert failed.tail[-1] == RunEvent("stderr", "ZeroDivisionError: division by zero")
    assert failed.tail[0].text == "Traceback (most recent call last):"


def test_async_stream_is_live_and_does_not_block_the_loop(runner):
    async def main() -> tuple[list, object, int, object]:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        tick_task = asyncio.create_task(ticker())
        t0 = time.monotonic()
        seen = []
        run = runner.stream("import time\nprint('a', flush=True)\ntime.sleep(1)\nprint('b')")
        async for event in run:
            seen.append((event.text, time.monotonic() - t0))
        stoppable = runner.stream(
            "import time\nwhile True:\n    print('tick', flush=True)\n    time.sleep(0.05)"
        )
        async with stoppable:
            async for _event in stoppable:
                stoppable.stop()
        tick_task.cancel()
        return seen, run.result, ticks, stoppable.result

    seen, result, ticks, stopped = asyncio.run(main())
    assert [t for t, _ in seen] == ["a", "b"] and seen[0][1] < 0.6 and seen[1][1] >= 0.9
    assert result.ok
    assert ticks >= 50  # the loop kept running (~100 ticks of 10 ms in 1 s)
    assert stopped.stopped


# -- torch -----------------------------------------------------------------------------


@needs_torch
def test_child_can_run_matmul_and_dataloader_workers(runner):
    code = textwrap.dedent(
        """
        import torch
        from torch.utils.data import DataLoader, TensorDataset
        x = torch.randn(256, 256)
        print("matmul", tuple((x @ x).shape), flush=True)
        data = TensorDataset(torch.arange(64, dtype=torch.float32))
        total = sum(float(b[0].sum()) for b in DataLoader(data, batch_size=8, num_workers=2))
        print("total", total)
        print("matmul again", float((x @ x.T).trace()) > 0)
        """
    )
    result = runner.run(code, timeout_s=20)
    assert result.ok, result.output()
    assert result.output("stdout") == "matmul (256, 256)\ntotal 2016.0\nmatmul again True\n"


@needs_torch
@pytest.mark.parametrize("chosen", [None, "ACTIVE"], ids=["default", "user-set"])
def test_openmp_threads_wait_passively_unless_the_user_chose(chosen):
    # Spinning OpenMP threads made a run's 64x64 matmul wait 30-70 ms for a core on a
    # busy machine: the warm process loads torch's OpenMP with passive waiting, unless
    # OMP_WAIT_POLICY is set, and its snippets still see the environment they had.
    from studylog.runner.server_process import WarmProcess

    env = {"OMP_DISPLAY_ENV": "VERBOSE"}  # libgomp prints its settings when it loads
    if chosen:
        env["OMP_WAIT_POLICY"] = chosen
    with SnippetRunner(timeout_s=30, env=env) as r:
        result = r.run("import os, torch\n"
                       "print(os.environ.get('OMP_WAIT_POLICY'), float(torch.ones(8).sum()))")
        assert result.ok, result.output()
        assert result.output("stdout") == f"{chosen} 8.0\n"
    server = WarmProcess(sys.executable, ["torch"], env)
    try:
        server.ensure()
        assert server.wait_ready(60)
        settings = server.log_tail(20_000)
    finally:
        server.close()
    # (unset, libgomp also says PASSIVE, but spins 300,000 times before sleeping)
    if chosen:
        assert f"OMP_WAIT_POLICY = '{chosen}'" in settings, settings
        assert "GOMP_SPINCOUNT = '0'" not in settings, settings
    else:
        assert "GOMP_SPINCOUNT = '0'" in settings, settings


def _thread_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def _wait_for_idle_preload(r: SnippetRunner, confined: bool = False) -> None:
    """Wait until the warm server has imported torch._dynamo while idle."""
    probe = "import sys; print('torch._dynamo' in sys.modules)"

    def loaded() -> bool:
        time.sleep(0.6)  # idle long enough (warm_server.IDLE_AFTER_S) before asking
        return r.run(probe, confined=confined).output() == "True\n"

    assert wait_until(loaded, 90), "torch._dynamo was never preloaded"


@needs_torch
@pytest.mark.parametrize("confined", [False, True], ids=["trusted", "confined"])
def test_idle_warm_server_preloads_dynamo_for_optimizers_and_starts_no_threads(confined):
    # The deck's optimizer cards took 1-3 s: the first torch.optim optimizer
    # imports torch._dynamo.  The warm server imports it once idle, without ever
    # running an op: it stays single-threaded (an OpenMP thread in it would
    # deadlock its forked children).
    with SnippetRunner(timeout_s=60, preload_when_idle=["torch._dynamo"]) as r:
        assert r.run("print('first')", confined=confined).output() == "first\n"
        _wait_for_idle_preload(r, confined)
        server = r.confined_server_pid if confined else r.server_pid
        assert server is not None
        assert _thread_count(server) == 1
        code = textwrap.dedent(
            """
            import torch
            from torch.utils.data import DataLoader, TensorDataset
            w = torch.nn.Parameter(torch.ones(64, 64))
            opt = torch.optim.SGD([w], lr=0.1)
            (w @ w).sum().backward()
            opt.step()
            data = TensorDataset(torch.ones(16, 4, 4))
            print("sum", sum(float((b @ b).sum()) for (b,) in DataLoader(data, 4, num_workers=2)))
            print("step", round(float(w.detach()[0, 0]), 3))
            """
        )
        for _ in range(2):  # the second child is forked after the first one ran ops
            result = r.run(code, timeout_s=60, confined=confined)
            assert result.ok, result.output()
            assert result.output("stdout") == "sum 1024.0\nstep -11.8\n"
        assert _thread_count(server) == 1


def test_missing_torch_simulated_gives_a_clear_message():
    with SnippetRunner(env={"STUDYLOG_RUNNER_HIDE_TORCH": "1"}, timeout_s=20) as r:
        assert r.start(wait=True)
        result = r.run("import torch")
        assert result.exit_code == 1
        assert result.error_line == f"ModuleNotFoundError: {ensure_torch_message(sys.executable)}"
        assert "pip install torch" in result.error_line
        assert r.run("import torch.nn").error_line == result.error_line
        assert r.run("print(sum(range(10)))").output() == "45\n"


def test_missing_torch_for_real_in_a_venv_without_torch(tmp_path):
    venv.create(tmp_path / "venv", with_pip=False)  # a base interpreter: no torch
    python = str(tmp_path / "venv" / "bin" / "python")
    with SnippetRunner(python=python, timeout_s=20) as r:
        result = r.run("import torch")
        assert result.error_line == f"ModuleNotFoundError: {ensure_torch_message(python)}"
        ok = r.run("import json\nprint(json.dumps([1, 2]))")
        assert ok.ok and ok.output() == "[1, 2]\n"


def _client_script(body: str) -> str:
    return f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n" + textwrap.dedent(body)


@needs_torch
def test_the_client_process_never_imports_torch():
    script = _client_script(
        """
        import asyncio
        from studylog.runner import SnippetRunner
        with SnippetRunner() as r:
            assert r.run("import torch; print(torch.ones(3).sum())").output() == "tensor(3.)\\n"
            async def main():
                return [e.text async for e in r.stream("import torch; print(torch.__name__)")]
            assert asyncio.run(main()) == ["torch"]
        print("torch" in sys.modules, "textual" in sys.modules)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


# -- the warm process's life -------------------------------------------------------------


def test_warm_server_restarts_after_sigkill(runner):
    old = runner.server_pid
    assert old is not None
    os.kill(old, signal.SIGKILL)
    result = runner.run("print('alive')")
    assert result.ok and result.output() == "alive\n"
    assert runner.server_pid not in (None, old)
    assert not process_alive(old)


def test_close_leaves_no_process_behind():
    r = SnippetRunner(preload=())
    handle = r.launch(
        "import subprocess, time\nsubprocess.Popen(['sleep', '60'])\n"
        "print('up', flush=True)\ntime.sleep(60)"
    )
    server = r.server_pid
    assert wait_until(lambda: len(group_members(handle.pid)) == 2, 5)  # snippet + sleep
    r.close()
    assert not process_alive(server)
    assert wait_until(lambda: not group_members(handle.pid), 2)
    with pytest.raises(RuntimeError):
        r.run("print(1)")


@pytest.mark.parametrize("spawn_from", ["main_thread", "worker_thread"])
def test_warm_server_dies_with_its_parent(spawn_from):
    script = _client_script(
        f"""
        import os, signal, threading
        from studylog.runner import SnippetRunner
        r = SnippetRunner(preload=())
        if {spawn_from!r} == "worker_thread":  # no PDEATHSIG then: EOF must do it
            t = threading.Thread(target=r.start, kwargs={{"wait": True}})
            t.start()
            t.join()
        h = r.launch("import time\\ntime.sleep(60)")
        print(r.server_pid, h.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == -signal.SIGKILL, out.stderr
    server, snippet = map(int, out.stdout.split())
    assert wait_until(lambda: not process_alive(server), 5)
    assert wait_until(lambda: not group_members(snippet), 5)


def test_concurrent_runs_from_threads(runner):
    results = {}

    def work(i: int) -> None:
        results[i] = runner.run(f"import time\ntime.sleep(0.3)\nprint({i})")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert time.monotonic() - t0 < 1.2  # they ran side by side
    assert {i: r.output() for i, r in results.items()} == {i: f"{i}\n" for i in range(4)}
