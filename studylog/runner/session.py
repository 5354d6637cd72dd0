"""The client's view of one running snippet: its pipes, its status and its result.

``RunSession`` does no waiting itself: a driver (the blocking loop in
``client.py`` or the asyncio one in ``aio.py``) calls ``on_readable`` when one
of ``open_fds()`` is readable and ``tick`` when ``next_wakeup()`` has passed.
"""

from __future__ import annotations

import os
import signal
import socket
import time

from .events import RunEvent, RunResult, Stream, apply_wait_status
from .limits import RunLimits
from .output import LineSplitter, LiveThrottle, OutputTail, decode
from .protocol import recv_msg

READ_CHUNK = 64 * 1024
EXIT_GRACE_S = 1.0  # after the exit, how long leftover pipe writers may linger


class RunSession:
    def __init__(
        self,
        limits: RunLimits,
        t_request: float,
        pid: int,
        out_r: int,
        err_r: int,
        status: socket.socket,
    ) -> None:
        self.limits, self.t_request, self.pid = limits, t_request, pid
        self.t_started = time.monotonic()
        self.result = RunResult()
        self._pipes: dict[int, Stream] = {out_r: "stdout", err_r: "stderr"}
        self._splitters = {
            out_r: LineSplitter(limits.max_line_bytes),
            err_r: LineSplitter(limits.max_line_bytes),
        }
        for fd in self._pipes:
            os.set_blocking(fd, False)
        self._status: socket.socket | None = status
        status.setblocking(False)
        self._tail = OutputTail(limits.max_output_lines, limits.max_output_bytes)
        self._throttle = LiveThrottle(limits.live_lines_per_s, limits.max_output_lines)
        self._exited = False
        self._grace_until: float | None = None
        self._deadline = (self.t_started + limits.timeout_s) if limits.timeout_s else None
        self.finished = False

    # -- what the driver needs -------------------------------------------------
    def open_fds(self) -> list[int]:
        fds = list(self._pipes)
        if self._status is not None:
            fds.append(self._status.fileno())
        return fds

    def next_wakeup(self) -> float | None:
        """Seconds until ``tick`` must be called (``None``: only on readable fds)."""
        times = [t for t in (self._deadline, self._grace_until) if t is not None]
        return max(0.0, min(times) - time.monotonic()) if times else None

    def on_readable(self, fd: int) -> list[RunEvent]:
        if self._status is not None and fd == self._status.fileno():
            self._read_status()
            return self._maybe_finish()
        stream = self._pipes.get(fd)
        if stream is None:
            return []
        try:
            data = os.read(fd, READ_CHUNK)
        except BlockingIOError:
            return []
        except OSError:
            data = b""
        if data and self.result.first_output_s is None:
            self.result.first_output_s = time.monotonic() - self.t_request
        segments = self._splitters[fd].feed(data) if data else self._close_pipe(fd)
        return self._deliver(stream, segments) + self._maybe_finish()

    def tick(self) -> list[RunEvent]:
        now = time.monotonic()
        if self._deadline is not None and now >= self._deadline and not self._exited:
            self.result.timed_out = True
            self._deadline = None
            self.kill()
        if self._grace_until is not None and now >= self._grace_until:
            events: list[RunEvent] = []
            for fd in list(self._pipes):  # writers that escaped the process group
                events += self._deliver(self._pipes[fd], self._close_pipe(fd))
            return events + self._maybe_finish()
        return []

    # -- control -----------------------------------------------------------------
    def stop(self) -> None:
        """Kill the snippet's whole process group; the result says ``stopped``."""
        if not self._exited:
            self.result.stopped = True
        self.kill()

    def kill(self) -> None:
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def __del__(self) -> None:  # a handle dropped without wait(): no leaks
        try:
            if not self.finished:
                self.kill()
            self.close()
        except Exception:  # noqa: BLE001 - may run at interpreter shutdown
            pass

    def close(self) -> None:
        """Release the pipes (after ``finished``, or to abandon the run)."""
        for fd in list(self._pipes):
            self._close_pipe(fd)
        if self._status is not None:
            self._status.close()
            self._status = None

    # -- internals ---------------------------------------------------------------
    def _read_status(self) -> None:
        assert self._status is not None
        while self._status is not None:
            try:
                msg, _ = recv_msg(self._status)
            except BlockingIOError:
                return
            except OSError:
                msg = None
            if msg is None:  # end of stream without an exit: the server died
                self._status.close()
                self._status = None
                if not self._exited:
                    self.result.error_line = self.result.error_line or "the warm process died"
                    self._on_exit()
            elif msg.get("type") == "error":
                self.result.error_line = str(msg.get("line", ""))[:2000]
            elif msg.get("type") == "exit":
                apply_wait_status(self.result, int(msg["status"]))
                if msg.get("timed_out") and not self.result.stopped:
                    self.result.timed_out = True
                self._on_exit()

    def _on_exit(self) -> None:
        self._exited = True
        self.result.elapsed_s = time.monotonic() - self.t_request
        self.kill()  # leftovers in the group (background processes) go too
        self._grace_until = time.monotonic() + EXIT_GRACE_S

    def _close_pipe(self, fd: int) -> list[tuple[str, bytes]]:
        if self._pipes.pop(fd, None) is None:
            return []
        os.close(fd)
        return self._splitters.pop(fd).flush()

    def _deliver(self, stream: Stream, segments: list[tuple[str, bytes]]) -> list[RunEvent]:
        # In bulk: a flood of hundreds of thousands of lines a second must not cost
        # Python work per line in the app's event loop.
        self._tail.add_many(stream, [raw for kind, raw in segments if kind == "line"])
        shown = self._throttle.allow_many(len(segments))
        events = self._throttle.take_skipped(stream) if shown else []
        events += [RunEvent(stream, decode(raw), kind)  # type: ignore[arg-type]
                   for kind, raw in segments[:shown]]
        self._throttle.skipped += len(segments) - shown
        return events

    def _maybe_finish(self) -> list[RunEvent]:
        if self.finished or not self._exited or self._pipes:
            return []
        self.finished = True
        self._grace_until = None
        r = self.result
        r.tail = self._tail.events()
        r.dropped_lines, r.dropped_bytes = self._tail.dropped_lines, self._tail.dropped_bytes
        if self._status is not None:
            self._status.close()
            self._status = None
        return self._throttle.take_skipped("stdout")
