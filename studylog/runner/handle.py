"""``RunHandle``: a started run, driven by a blocking loop (for the CLI)."""

from __future__ import annotations

import selectors
from collections.abc import Callable

from .events import RunEvent, RunResult
from .session import RunSession


class RunHandle:
    """A started run: ``stop()`` it from any thread, ``wait()`` for its result."""

    def __init__(self, session: RunSession) -> None:
        self._session = session

    @property
    def pid(self) -> int:
        """Pid (and process group id) of the snippet process."""
        return self._session.pid

    @property
    def result(self) -> RunResult | None:
        """The result once the run has finished, else ``None``."""
        return self._session.result if self._session.finished else None

    def stop(self) -> None:
        """Kill the snippet and every process in its group (DataLoader workers too)."""
        self._session.stop()

    def wait(self, on_event: Callable[[RunEvent], None] | None = None) -> RunResult:
        """Block until the run ends, calling ``on_event`` for each live event.

        Ctrl-C (KeyboardInterrupt) while waiting stops the snippet, then re-raises.
        """
        s = self._session
        sel = selectors.DefaultSelector()
        watched: set[int] = set()
        try:
            while not s.finished:
                fds = set(s.open_fds())
                for fd in watched - fds:
                    sel.unregister(fd)
                for fd in fds - watched:
                    sel.register(fd, selectors.EVENT_READ)
                watched = fds
                events: list[RunEvent] = []
                for key, _ in sel.select(s.next_wakeup()):
                    events += s.on_readable(key.fd)
                events += s.tick()
                if on_event is not None:
                    for event in events:
                        on_event(event)
        except BaseException:
            s.stop()
            s.close()
            raise
        finally:
            sel.close()
        s.close()
        return s.result
