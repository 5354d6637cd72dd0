"""The warm process: imports torch once, then forks one fresh process per run
(ahead of the request: ``spare.py``).

Started by the client (``server_process.py``) with ``--control-fd N``.  It never
runs a torch op itself (forking after an OpenMP op makes children deadlock); it
only imports.  It stays single-threaded, exits when the control socket reaches
end of file (the client closed it or died), and then kills every process of the
runs still going.
With ``--confine-root`` its runs are confined (``confinement.py``).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import select
import shutil
import signal
import socket
import sys
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .confinement import read_rules
from .descendants import become_subreaper, kill_all_children, set_parent_death_signal
from .landlock import abi_version
from .protocol import RUN_FDS, recv_msg, send_msg
from .spare import Spare, SpareSlot
from .torch_hint import HIDE_TORCH_ENV

BACKSTOP_S = 2.0  # grace after the run's timeout before the server kills it itself


# ``--preload-when-idle`` modules are imported once no request has come for this
# long (after "ready", never delaying it; a CLI run has ended and closed by then).
IDLE_AFTER_S = 0.5


# How OpenMP threads wait for work, unless the user chose (``OMP_WAIT_POLICY``): asleep.
# Spinning (libgomp's default) makes every multi-threaded op of a run wait for a core the
# spinning threads hold: a 64x64 matmul took 30-70 ms on a busy 2-core machine, 0.1 ms
# with passive threads. libgomp reads it once, when ``import torch`` loads it.
OMP_WAIT_POLICY = "PASSIVE"


def preload(modules: list[str]) -> list[str]:
    """Import ``modules`` (skipping torch when it is hidden); return those imported."""
    done = []
    for name in modules:
        if name == "torch" and os.environ.get(HIDE_TORCH_ENV):
            continue
        try:
            with _openmp_waits_passively():
                importlib.import_module(name)
            done.append(name)
        except Exception as exc:  # noqa: BLE001 - a missing module only costs speed
            print(f"warm_server: preload {name!r} failed: {exc!r}", file=sys.stderr)
    if "torch" in done:
        _init_torch_threads()
    _settle()
    return done


@contextmanager
def _openmp_waits_passively() -> Iterator[None]:
    """``OMP_WAIT_POLICY`` for the OpenMP runtime that an import loads, then the
    environment as it was: snippets see the user's environment unchanged."""
    if "OMP_WAIT_POLICY" in os.environ:
        yield
        return
    os.environ["OMP_WAIT_POLICY"] = OMP_WAIT_POLICY
    try:
        yield
    finally:
        del os.environ["OMP_WAIT_POLICY"]


def _init_torch_threads() -> None:
    """Do torch's per-process setup here, once, instead of in every run.

    ``get_num_threads`` sets OpenMP's and MKL's thread counts (and initialises
    MKL's CPU detection) and ``get_cpu_capability`` reads the CPU's features
    (cpuinfo: /proc/cpuinfo and /sys, read by every run's first op otherwise);
    neither runs an op nor starts a thread: the fork-after-op deadlock only comes
    from OpenMP threads existing, and none exist until an op runs.
    """
    torch = sys.modules["torch"]
    torch.get_num_threads()
    torch.backends.cpu.get_cpu_capability()


def _settle() -> None:
    """Make what was just imported cheap for every forked run."""
    # torch registers ~130 weakref finalizers (torch._dynamo ~40 more) that only
    # unregister its op libraries; running them at every snippet's exit costs
    # ~20 ms for nothing.
    for fin in list(weakref.finalize._registry):  # type: ignore[attr-defined]
        fin.atexit = False
    gc.collect()
    gc.freeze()  # keep the preloaded objects out of the children's GC (fewer copied pages)


@dataclass(frozen=True)
class Confined:
    """How a confined warm server confines its runs (see ``confinement.py``)."""

    run_root: str  # each run gets a fresh directory below it
    rules: list[tuple[str, int]]  # read-only Landlock rules
    abi: int  # Landlock ABI of the kernel (0: none)


class WarmServer:
    """Forks one snippet process per run request and reports how it ended.

    Nothing a run starts outlives it.  The snippet process is a child subreaper,
    so while it lives it inherits what its descendants orphan (a double fork with
    ``setsid()``).  The server is a subreaper too: when a snippet process dies
    (exit, stop, timeout), whatever it had inherited becomes the server's, and
    the server kills every such orphan before it reports the exit.  A live
    snippet keeps its own orphans, so an orphan here always belongs to a run
    that has ended.
    """

    def __init__(self, control: socket.socket, confined: Confined | None = None,
                 idle_preload: list[str] | None = None) -> None:
        self.control = control
        self.confined = confined
        self.idle_preload = list(idle_preload or [])  # imported once idle (IDLE_AFTER_S)
        self.runs: dict[int, socket.socket] = {}  # snippet pid -> its status socket
        self.run_dirs: dict[int, str] = {}  # snippet pid -> its directory (confined)
        self.deadlines: dict[int, float] = {}  # backstop for the client's timeout
        self.timed_out: set[int] = set()
        jail = (confined.run_root, confined.rules, confined.abi) if confined else None
        self.spares = SpareSlot(jail)  # a prepared process waiting for the next run
        self.wake_r, self.wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        become_subreaper()
        self.spares.refill(self.own_fds())
        try:
            while True:
                watched = [self.control.fileno(), self.wake_r]
                ready, _, _ = select.select(watched, [], [], self.wait_s())
                if not ready and self.idle_preload and not self.runs:
                    preload(self.idle_preload)
                    self.idle_preload = []
                    self.spares.drop()  # forked before: it lacks what was just imported
                    self.spares.refill(self.own_fds())
                self.enforce_deadlines()
                if self.wake_r in ready:
                    while True:
                        try:
                            if not os.read(self.wake_r, 512):
                                break
                        except BlockingIOError:
                            break
                    self.reap()
                if self.control.fileno() in ready and not self.handle_request():
                    return
                if self.spares.due(time.monotonic(), bool(self.runs)):
                    self.spares.refill(self.own_fds())
        finally:
            for pid in list(self.runs):
                _killpg(pid)
            self.spares.drop()
            kill_all_children()  # and then what each of them had inherited
            for path in self.run_dirs.values():
                shutil.rmtree(path, ignore_errors=True)

    def wait_s(self) -> float | None:
        idle = IDLE_AFTER_S if self.idle_preload and not self.runs else None
        times = list(self.deadlines.values())
        if self.spares.refill_at is not None:
            times.append(self.spares.refill_at)
        if not times:
            return idle
        return max(0.0, min(times) - time.monotonic())

    def enforce_deadlines(self) -> None:
        """Kill runs far past their timeout (the client normally does it first)."""
        now = time.monotonic()
        for pid, deadline in list(self.deadlines.items()):
            if now >= deadline:
                del self.deadlines[pid]
                self.timed_out.add(pid)
                _killpg(pid)

    def handle_request(self) -> bool:
        """Serve one control message; False when the client has gone."""
        try:
            msg, fds = recv_msg(self.control, RUN_FDS)
        except ConnectionError:
            return False
        if msg is None:
            return False
        if msg.get("op") != "run" or len(fds) != RUN_FDS:
            for fd in fds:
                os.close(fd)
            return True
        self.start_run(msg, fds)
        return True

    def start_run(self, msg: dict[str, Any], fds: list[int]) -> None:
        """Hand the run to the spare (forked now if none waits)."""
        status = socket.socket(fileno=fds[3])
        spare: Spare | None = None
        try:
            for _attempt in range(2):  # a spare that died unseen: once more, fresh
                spare = self.spares.take(self.own_fds())
                try:
                    spare.hand_over(msg, fds)
                    break
                except OSError:
                    spare.discard()
                    spare = None
        except OSError as exc:  # cannot fork
            try:
                send_msg(status, {"type": "error", "line": f"could not start the snippet: {exc}"})
            except OSError:
                pass  # the client has gone too
        finally:
            for fd in fds[:3]:
                os.close(fd)
        if spare is None:
            status.close()
            return
        self.runs[spare.pid] = status
        if spare.run_dir is not None:
            self.run_dirs[spare.pid] = spare.run_dir
        if msg.get("timeout"):
            self.deadlines[spare.pid] = time.monotonic() + float(msg["timeout"]) + BACKSTOP_S
        self.spares.handed_over(time.monotonic(), self.own_fds())

    def own_fds(self) -> list[int]:
        """The server's fds that a forked spare must close."""
        others = [s.fileno() for s in self.runs.values()]
        return [self.control.fileno(), self.wake_r, self.wake_w, *others]

    def reap(self) -> None:
        ended: list[tuple[int, int]] = []
        while True:
            try:
                pid, wstatus = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            if pid in self.runs:
                ended.append((pid, wstatus))
            else:
                self.spares.reaped(pid)  # a spare that died unused
        if not ended:
            return
        # What the ended snippets had inherited is ours now: nothing outlives its run.
        keep = self.runs.keys() - {pid for pid, _ in ended}
        if self.spares.pid is not None:
            keep |= {self.spares.pid}
        kill_all_children(keep=frozenset(keep))
        for pid, wstatus in ended:
            self.finish(pid, wstatus)

    def finish(self, pid: int, wstatus: int) -> None:
        status = self.runs.pop(pid)
        self.deadlines.pop(pid, None)
        timed_out = pid in self.timed_out
        self.timed_out.discard(pid)
        run_dir = self.run_dirs.pop(pid, None)
        if run_dir is not None:
            shutil.rmtree(run_dir, ignore_errors=True)
        try:
            send_msg(status, {"type": "exit", "pid": pid, "status": wstatus,
                              "timed_out": timed_out})
        except OSError:
            pass
        status.close()


def _killpg(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--control-fd", type=int, required=True)
    parser.add_argument("--preload", default="torch", help="comma-separated modules")
    parser.add_argument("--preload-when-idle", default="", help="comma-separated modules")
    parser.add_argument("--parent-pid", type=int, default=0, help="die with this parent")
    parser.add_argument("--confine-root", default="", help="run confined, each run below it")
    parser.add_argument("--home", action="append", default=[],
                        help="the user's home directory: never readable when confined")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the app, not for us
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # still kill running snippets
    if args.parent_pid:
        set_parent_death_signal(signal.SIGTERM)
        if os.getppid() != args.parent_pid:
            return
    control = socket.socket(fileno=args.control_fd)
    os.set_inheritable(args.control_fd, False)
    loaded = preload([m for m in args.preload.split(",") if m])
    confined = None
    if args.confine_root:  # after preloading: the rules cover what it put on sys.path
        confined = Confined(args.confine_root, read_rules(args.home), abi_version())
    try:
        send_msg(control, {"type": "ready", "preloaded": loaded, "pid": os.getpid(),
                           "landlock_abi": confined.abi if confined else None})
    except OSError:
        return
    later = [m for m in args.preload_when_idle.split(",") if m]
    if "torch" not in loaded:  # hidden or missing: nothing of torch's either
        later = [m for m in later if m.split(".")[0] != "torch"]
    WarmServer(control, confined, later).serve()


if __name__ == "__main__":
    main()
