"""``AsyncRun``: one run as an async iterator of ``RunEvent`` (for the Textual app).

Reading uses ``loop.add_reader`` on the snippet's pipes, so the event loop is
never blocked; only starting the run (which may wait for the warm process to
finish importing torch) happens in a worker thread.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from .events import RunEvent, RunResult
from .session import RunSession

PAUSE_AT = 2000  # pending events before reading pauses (back-pressure)
YIELD_EVERY = 200  # let the loop breathe while a backlog is handed out


class AsyncRun:
    """Iterate with ``async for event in run``; ``run.result`` is set at the end.

    Use ``async with runner.stream(code) as run:`` to be sure the snippet is
    killed if the consumer stops early; ``stop()`` works from anywhere.
    """

    def __init__(self, launch: Callable[[], RunSession]) -> None:
        self._launch = launch
        self._session: RunSession | None = None
        self._pending: deque[RunEvent] = deque()
        self._wake: asyncio.Event | None = None
        self._watched: set[int] = set()
        self._timer: asyncio.TimerHandle | None = None
        self._stop_requested = False
        self._handed = 0
        self.result: RunResult | None = None

    @property
    def pid(self) -> int | None:
        return self._session.pid if self._session else None

    def stop(self) -> None:
        """Kill the snippet and its whole process group."""
        self._stop_requested = True
        if self._session is not None:
            self._session.stop()

    async def wait(self) -> RunResult:
        """Consume the remaining events and return the result."""
        async for _ in self:
            pass
        assert self.result is not None
        return self.result

    async def __aenter__(self) -> AsyncRun:
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.result is None:
            self.stop()
            if self._session is not None:
                await self.wait()

    def __aiter__(self) -> AsyncRun:
        return self

    async def __anext__(self) -> RunEvent:
        if self._session is None:
            await self._begin()
        s = self._session
        assert s is not None
        try:
            while not self._pending:
                if s.finished:
                    self._end()
                    raise StopAsyncIteration
                assert self._wake is not None
                self._wake.clear()
                self._sync_readers()
                await self._wake.wait()
        except asyncio.CancelledError:
            s.stop()
            raise
        self._handed += 1
        if self._handed % YIELD_EVERY == 0:
            await asyncio.sleep(0)
        event = self._pending.popleft()
        if len(self._pending) < PAUSE_AT // 2:
            self._sync_readers()
        return event

    async def _begin(self) -> None:
        self._wake = asyncio.Event()
        self._session = await asyncio.to_thread(self._launch)
        if self._stop_requested:
            self._session.stop()
        self._arm_timer()

    def _sync_readers(self) -> None:
        """Watch exactly the session's open fds (none while the backlog is large)."""
        s, loop = self._session, asyncio.get_running_loop()
        assert s is not None
        want = set() if s.finished or len(self._pending) >= PAUSE_AT else set(s.open_fds())
        for fd in self._watched - want:
            loop.remove_reader(fd)
        for fd in want - self._watched:
            loop.add_reader(fd, self._on_readable, fd)
        self._watched = want

    def _on_readable(self, fd: int) -> None:
        assert self._session is not None
        self._push(self._session.on_readable(fd))

    def _on_timer(self) -> None:
        assert self._session is not None
        self._push(self._session.tick())
        self._arm_timer()

    def _arm_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        s = self._session
        delay = s.next_wakeup() if s is not None and not s.finished else None
        if delay is not None:
            self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _push(self, events: list[RunEvent]) -> None:
        self._pending.extend(events)
        self._sync_readers()
        self._arm_timer()
        assert self._wake is not None
        self._wake.set()

    def _end(self) -> None:
        assert self._session is not None
        self._sync_readers()
        if self._timer is not None:
            self._timer.cancel()
        self._session.close()
        self.result = self._session.result
