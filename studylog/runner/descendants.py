"""Keeping track of the processes a snippet starts, even those that try to escape.

A snippet can leave its process group (``setsid()``) and lose its parent (a
double fork); such a process would outlive ``stop()`` under PID 1.  A *child
subreaper* ancestor gets those orphans instead, so it can kill them.
"""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(option, value, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def set_parent_death_signal(sig: int = signal.SIGKILL) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies."""
    _prctl(PR_SET_PDEATHSIG, int(sig))


def become_subreaper() -> bool:
    """Make orphaned descendants of this process its children (not PID 1's)."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def children() -> list[int]:
    """Pids of this process's live or zombie children (single-threaded caller)."""
    pid = os.getpid()
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(p) for p in f.read().split()]
    except OSError:  # kernel without CONFIG_PROC_CHILDREN: scan /proc
        return _scan_children(pid)


def _scan_children(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == parent:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def kill_all_children(keep: frozenset[int] = frozenset()) -> None:
    """Kill every child but ``keep`` and reap them, until none is left.

    In a subreaper this takes every descendant: when a child dies, its own
    children are reparented here (before the dead child can be reaped), so the
    next round finds and kills them.
    """
    while True:
        victims = [pid for pid in children() if pid not in keep]
        if not victims:
            return
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in victims:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
