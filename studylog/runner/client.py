"""``SnippetRunner``: the public entry point, used by the CLI and the Textual app.

It never imports torch; snippets run in processes forked by a warm server
(see ``warm_server.py``).  ``run`` blocks and reports events to a callback,
``stream`` is an async iterator for asyncio apps.
"""

from __future__ import annotations

import atexit
import sys
import weakref
from collections.abc import Callable, Sequence

from .aio import AsyncRun
from .confinement import Confinement, available_confinement
from .events import RunEvent, RunResult
from .handle import RunHandle
from .launch import START_TIMEOUT_S, launch_session
from .limits import GIB, MIB, RunLimits
from .server_process import WarmProcess
from .session import RunSession

_LIVE: weakref.WeakSet[SnippetRunner] = weakref.WeakSet()


class SnippetRunner:
    """Runs Python snippets, each in a fresh process forked from a warm one.

    ``python`` is the interpreter of the warm process (it needs torch for fast
    torch snippets, but works without it); ``preload`` are modules it imports
    once, before it is ready; ``preload_when_idle`` ones it imports later, once
    no request has come for half a second (``torch._dynamo``, which the first
    ``torch.optim`` optimizer of every run would import: 1-3 s; a request that
    comes during that import waits for it).  The other arguments are per-run
    defaults (see ``RunLimits``).
    ``env`` adds environment variables for the warm process and the snippets.
    Use as a context manager or call ``close()``; an atexit hook closes it too.

    ``confined=True`` on a run (for code from a deck someone else wrote) runs it
    from a second warm process, started on the first such run, with a clean
    environment and under Landlock where the kernel has it; ``confinement`` says
    how much of that this machine enforces.  See ``docs/runner.md``.
    """

    def __init__(
        self,
        python: str = sys.executable,
        preload: Sequence[str] = ("torch",),
        *,
        memory_limit_bytes: int | None = 4 * GIB,
        timeout_s: float | None = 60.0,
        max_output_lines: int = 2000,
        max_output_bytes: int = 1 * MIB,
        live_lines_per_s: float | None = 5000.0,
        env: dict[str, str] | None = None,
        preload_when_idle: Sequence[str] = (),
    ) -> None:
        self.python = python
        self.limits = RunLimits(
            timeout_s=timeout_s,
            memory_limit_bytes=memory_limit_bytes,
            max_output_lines=max_output_lines,
            max_output_bytes=max_output_bytes,
            live_lines_per_s=live_lines_per_s,
        )
        self._server = WarmProcess(python, preload, env, later=preload_when_idle)
        self._confined_server = WarmProcess(python, preload, env, confined=True,
                                            later=preload_when_idle)
        self._sessions: weakref.WeakSet[RunSession] = weakref.WeakSet()
        self._closed = False
        _LIVE.add(self)

    @property
    def server_pid(self) -> int | None:
        """Pid of the warm process (``None`` if it is not running)."""
        return self._server.pid

    @property
    def confined_server_pid(self) -> int | None:
        """Pid of the warm process of confined runs (``None`` if it is not running)."""
        return self._confined_server.pid

    @property
    def confinement(self) -> Confinement:
        """What confines ``confined=True`` runs on this machine (asks the kernel)."""
        return available_confinement()

    def start(self, wait: bool = False, timeout: float = START_TIMEOUT_S) -> bool:
        """Start the warm process now (it preloads in the background).

        With ``wait=True`` block until preloading is done; returns whether it is.
        """
        self._check_open()
        self._server.ensure()
        return self._server.wait_ready(timeout) if wait else True

    def run(
        self,
        code: str,
        on_event: Callable[[RunEvent], None] | None = None,
        *,
        name: str = "snippet",
        timeout_s: float | None = None,
        memory_limit_bytes: int | None = None,
        cwd: str | None = None,
        confined: bool = False,
    ) -> RunResult:
        """Run ``code`` in a fresh process and block until it ends.

        ``on_event`` gets each ``RunEvent`` as output arrives.  ``timeout_s`` and
        ``memory_limit_bytes`` override the runner's defaults (``0``: no limit).
        ``confined``: run it confined (its working directory is then its own
        temporary directory, whatever ``cwd`` says).
        """
        handle = self.launch(code, name=name, timeout_s=timeout_s,
                             memory_limit_bytes=memory_limit_bytes, cwd=cwd, confined=confined)
        return handle.wait(on_event)

    def launch(
        self,
        code: str,
        *,
        name: str = "snippet",
        timeout_s: float | None = None,
        memory_limit_bytes: int | None = None,
        cwd: str | None = None,
        confined: bool = False,
    ) -> RunHandle:
        """Start ``code`` and return at once with a ``RunHandle`` (blocks only while
        the warm process is still starting)."""
        limits = self.limits.with_overrides(
            timeout_s=timeout_s, memory_limit_bytes=memory_limit_bytes
        )
        return RunHandle(self._launch(code, name, limits, cwd, confined))

    def stream(
        self,
        code: str,
        *,
        name: str = "snippet",
        timeout_s: float | None = None,
        memory_limit_bytes: int | None = None,
        cwd: str | None = None,
        confined: bool = False,
    ) -> AsyncRun:
        """An ``AsyncRun``: ``async for event in runner.stream(code): ...``.

        Its ``result`` is set when iteration ends; ``stop()`` kills the run.
        """
        self._check_open()
        self._warm(confined).ensure()  # spawn from the loop's thread, not a worker thread
        limits = self.limits.with_overrides(
            timeout_s=timeout_s, memory_limit_bytes=memory_limit_bytes
        )
        return AsyncRun(lambda: self._launch(code, name, limits, cwd, confined))

    def close(self) -> None:
        """Stop running snippets and the warm process. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for session in list(self._sessions):
            if not session.finished:
                session.stop()
        self._server.close()
        self._confined_server.close()

    def __enter__(self) -> SnippetRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("SnippetRunner is closed")

    def _warm(self, confined: bool) -> WarmProcess:
        return self._confined_server if confined else self._server

    def _launch(self, code: str, name: str, limits: RunLimits, cwd: str | None,
                confined: bool) -> RunSession:
        self._check_open()
        session = launch_session(self._warm(confined), code, name, limits,
                                 None if confined else cwd)
        self._sessions.add(session)
        return session


@atexit.register
def _close_all() -> None:
    for runner in list(_LIVE):
        try:
            runner.close()
        except Exception:  # noqa: BLE001 - best effort at interpreter exit
            pass
