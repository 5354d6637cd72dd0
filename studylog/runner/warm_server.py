"""The warm process: imports torch once, then forks one fresh process per run.

Started by the client as ``python -m studylog.runner.warm_server
--control-fd N``.  It never runs a torch op itself (forking after an OpenMP op
makes children deadlock); it only imports.  It stays single-threaded, exits
when the control socket reaches end of file (the client closed it or died),
and then kills the process groups of the snippets still running.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import select
import signal
import socket
import sys
import time
import weakref
from typing import Any

from .child import run_child, set_parent_death_signal
from .protocol import RUN_FDS, recv_msg, send_msg
from .torch_hint import HIDE_TORCH_ENV

BACKSTOP_S = 2.0  # grace after the run's timeout before the server kills it itself


def preload(modules: list[str]) -> list[str]:
    """Import ``modules`` (skipping torch when it is hidden); return those imported."""
    done = []
    for name in modules:
        if name == "torch" and os.environ.get(HIDE_TORCH_ENV):
            continue
        try:
            importlib.import_module(name)
            done.append(name)
        except Exception as exc:  # noqa: BLE001 - a missing module only costs speed
            print(f"warm_server: preload {name!r} failed: {exc!r}", file=sys.stderr)
    # torch registers ~130 weakref finalizers that only unregister its op
    # libraries; running them at every snippet's exit costs ~20 ms for nothing.
    for fin in list(weakref.finalize._registry):  # type: ignore[attr-defined]
        fin.atexit = False
    gc.collect()
    gc.freeze()  # keep the preloaded objects out of the children's GC (fewer copied pages)
    return done


class WarmServer:
    def __init__(self, control: socket.socket) -> None:
        self.control = control
        self.runs: dict[int, socket.socket] = {}  # snippet pid -> its status socket
        self.deadlines: dict[int, float] = {}  # backstop for the client's timeout
        self.timed_out: set[int] = set()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        os.set_blocking(self.wake_r, False)

    def serve(self) -> None:
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        try:
            while True:
                ready, _, _ = select.select([self.control, self.wake_r], [], [], self.wait_s())
                self.enforce_deadlines()
                if self.wake_r in ready:
                    while True:
                        try:
                            if not os.read(self.wake_r, 512):
                                break
                        except BlockingIOError:
                            break
                    self.reap()
                if self.control in ready and not self.handle_request():
                    return
        finally:
            for pid in list(self.runs):
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass

    def wait_s(self) -> float | None:
        if not self.deadlines:
            return None
        return max(0.0, min(self.deadlines.values()) - time.monotonic())

    def enforce_deadlines(self) -> None:
        """Kill runs far past their timeout (the client normally does it first)."""
        now = time.monotonic()
        for pid, deadline in list(self.deadlines.items()):
            if now >= deadline:
                del self.deadlines[pid]
                self.timed_out.add(pid)
                try:
                    os.killpg(pid, signal.SIGKILL)
                except OSError:
                    pass

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
        self.fork_run(msg, fds)
        return True

    def fork_run(self, msg: dict[str, Any], fds: list[int]) -> None:
        status = socket.socket(fileno=fds[3])
        try:
            pid = os.fork()
        except OSError as exc:
            send_msg(status, {"type": "error", "line": f"could not start the snippet: {exc}"})
            status.close()
            pid = -1
        if pid == 0:
            others = [s.fileno() for s in self.runs.values()]
            close = [self.control.fileno(), self.wake_r, self.wake_w, *others]
            run_child(msg, fds, os.getppid(), close)  # never returns
        for fd in fds[:3]:
            os.close(fd)
        if pid > 0:
            self.runs[pid] = status
            if msg.get("timeout"):
                self.deadlines[pid] = time.monotonic() + float(msg["timeout"]) + BACKSTOP_S

    def reap(self) -> None:
        while True:
            try:
                pid, wstatus = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            status = self.runs.pop(pid, None)
            self.deadlines.pop(pid, None)
            timed_out = pid in self.timed_out
            self.timed_out.discard(pid)
            if status is not None:
                try:
                    send_msg(
                        status,
                        {"type": "exit", "pid": pid, "status": wstatus, "timed_out": timed_out},
                    )
                except OSError:
                    pass
                status.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--control-fd", type=int, required=True)
    parser.add_argument("--preload", default="torch", help="comma-separated modules")
    parser.add_argument("--parent-pid", type=int, default=0, help="die with this parent")
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
    try:
        send_msg(control, {"type": "ready", "preloaded": loaded, "pid": os.getpid()})
    except OSError:
        return
    WarmServer(control).serve()


if __name__ == "__main__":
    main()
