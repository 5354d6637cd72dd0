"""The warm server's spare: a snippet process forked before its run is asked for.

Forking a process that has imported torch copies its page tables (5-15 ms on a
busy 2-core machine), and the new process then needs a few ms more to set
itself up (``child._prepare``).  The warm server keeps one spare that has done
all of that and waits on its own socket; a run request is handed to it in one
message, and a new spare is forked for the next run.  A spare runs at most one
snippet (the server forgets it once it has handed it a run), and never outlives
the server (``PR_SET_PDEATHSIG``, end of file on its socket, and the server
kills its children when it stops).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sys
import tempfile
from dataclasses import dataclass
from typing import Any

from .child import Jail, serve_one_run
from .protocol import channel_pair, send_msg


@dataclass
class Spare:
    """A forked, prepared snippet process waiting for its run on ``sock``."""

    pid: int
    sock: socket.socket
    run_dir: str | None  # its directory when confined (the run's, once handed one)

    def hand_over(self, msg: dict[str, Any], fds: list[int]) -> None:
        """Give the spare its run: the request and its four fds, in one message.

        Raises ``OSError`` if the spare is gone (then ``discard`` it).  The server's
        end of the socket is closed either way: no spare gets a second run.
        """
        try:
            send_msg(self.sock, msg, fds)
        finally:
            self.sock.close()

    def discard(self, reaped: bool = False) -> None:
        """End an unused spare (unless it was ``reaped`` already) and remove its
        directory."""
        self.sock.close()  # end of file: it exits by itself, but may be stuck in setup
        if not reaped:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)


def fork_spare(close_fds: list[int], confined: tuple[str, list[tuple[str, int]], int] | None
               ) -> Spare:
    """Fork a spare. ``close_fds`` are the server's own fds (the child closes them);
    ``confined``: (the root below which its run directory goes, Landlock rules, ABI).

    Raises ``OSError`` if it cannot fork.
    """
    mine, theirs = channel_pair()
    jail: Jail | None = None
    server_pid = os.getpid()
    try:
        if confined is not None:
            root, rules, abi = confined
            jail = (tempfile.mkdtemp(prefix="run-", dir=root), rules, abi)
        pid = os.fork()
    except OSError:
        mine.close()
        theirs.close()
        if jail is not None:
            shutil.rmtree(jail[0], ignore_errors=True)
        raise
    if pid == 0:
        serve_one_run(theirs, server_pid, [*close_fds, mine.fileno()], jail)  # never returns
    theirs.close()
    return Spare(pid, mine, jail[0] if jail is not None else None)


class SpareSlot:
    """The warm server's one spare, and when to fork the next one.

    Forking the next spare costs a core for 5-15 ms (page tables of ~200 MB) and
    the new spare a few ms more; on a 2-core machine that slows the run just
    handed over (its first parallel op waits for the second core).  So after a
    lone request the next spare is forked once that run has ended, or
    ``REFILL_DELAY_S`` into it; only when requests come in a burst (the previous
    one less than ``BURST_S`` ago: a script, a test, "run all") is it forked at
    once, so the next request finds it ready.
    """

    BURST_S = 0.5
    REFILL_DELAY_S = 0.1

    def __init__(self, confined: tuple[str, list[tuple[str, int]], int] | None) -> None:
        self.confined = confined
        self.spare: Spare | None = None
        self.refill_at: float | None = None  # when to fork the next spare
        self._last_request = float("-inf")

    @property
    def pid(self) -> int | None:
        return self.spare.pid if self.spare is not None else None

    def take(self, close_fds: list[int]) -> Spare:
        """The waiting spare, or one forked now; it leaves the slot.  ``OSError``
        if it cannot fork."""
        spare, self.spare = self.spare, None
        return spare if spare is not None else fork_spare(close_fds, self.confined)

    def handed_over(self, now: float, close_fds: list[int]) -> None:
        """A run was handed to a spare: fork the next one now (burst) or later."""
        burst = now - self._last_request < self.BURST_S
        self._last_request = now
        self.refill_at = now + (0.0 if burst else self.REFILL_DELAY_S)
        if burst:
            self.refill(close_fds)

    def due(self, now: float, runs_going: bool) -> bool:
        """Whether to ``refill`` now: its time has come, or no run is going."""
        return self.refill_at is not None and (not runs_going or now >= self.refill_at)

    def refill(self, close_fds: list[int]) -> None:
        """Fork a spare if none waits (a failure is logged; the next run forks one)."""
        self.refill_at = None
        if self.spare is None:
            try:
                self.spare = fork_spare(close_fds, self.confined)
            except OSError as exc:
                print(f"warm_server: could not fork a spare: {exc!r}", file=sys.stderr)

    def reaped(self, pid: int) -> bool:
        """Whether ``pid``, just reaped, was the waiting spare (then the next run
        forks a new one)."""
        if self.spare is None or pid != self.spare.pid:
            return False
        self.spare.discard(reaped=True)
        self.spare = None
        return True

    def drop(self) -> None:
        """End the waiting spare, if any (the server stops, or it lacks a new import)."""
        if self.spare is not None:
            self.spare.discard()
            self.spare = None
