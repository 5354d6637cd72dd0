"""What a freshly forked snippet process does: set itself up, run the code, exit.

Runs in the child of the warm server right after ``os.fork()``; never returns.
"""

from __future__ import annotations

import atexit
import builtins
import faulthandler
import linecache
import os
import signal
import socket
import sys
import threading
import traceback
import types
from typing import Any, NoReturn

from .confinement import confine_run
from .descendants import become_subreaper, set_parent_death_signal
from .limits import apply_child_limits
from .protocol import send_msg
from .torch_hint import install_torch_hint

# A confined run: its own directory, the read-only Landlock rules, the Landlock ABI.
Jail = tuple[str, list[tuple[str, int]], int]


def _reset_signals() -> None:
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _setup_stdio(out_fd: int, err_fd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    for src, dst in ((devnull, 0), (out_fd, 1), (err_fd, 2)):
        os.dup2(src, dst)
        os.close(src)
    # Line buffered (flushes on "\n" and "\r"), so output arrives live.
    opts: dict[str, Any] = {"encoding": "utf-8", "errors": "backslashreplace", "closefd": False}
    # sys.__stdout__ and friends too (typeshed calls them final): code that writes
    # to the original streams must reach the pipes as well.
    sys.stdout = sys.__stdout__ = os.fdopen(1, "w", buffering=1, **opts)  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = os.fdopen(2, "w", buffering=1, **opts)  # type: ignore[misc]
    sys.stdin = sys.__stdin__ = os.fdopen(0, "r", closefd=False)  # type: ignore[misc]


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code & 0xFF
    print(exc.code, file=sys.stderr)
    return 1


def _finish() -> None:
    """What interpreter shutdown would do: join threads, run atexit, flush."""
    for step in (getattr(threading, "_shutdown", None), atexit._run_exitfuncs):
        try:
            if step:
                step()
        except BaseException:  # noqa: BLE001 - best effort at exit
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def run_child(req: dict[str, Any], fds: list[int], parent_pid: int, close_fds: list[int],
              jail: Jail | None = None) -> NoReturn:
    """Set up the snippet process and run the snippet; ends with ``os._exit``.

    With a ``jail`` the snippet runs confined (``confinement.confine_run``): a
    failure to confine ends the run with an error, never runs it unconfined.
    """
    code_fd, out_fd, err_fd, status_fd = fds
    exit_code = 1
    try:
        os.setsid()  # own process group: stop() kills it with all its workers
        set_parent_death_signal()
        become_subreaper()  # what its descendants orphan stays here (see warm_server)
        if os.getppid() != parent_pid:
            os._exit(1)
        _reset_signals()
        for fd in close_fds:
            os.close(fd)
        status = socket.socket(fileno=status_fd)
        send_msg(status, {"type": "started", "pid": os.getpid()})
        _setup_stdio(out_fd, err_fd)
        os.lseek(code_fd, 0, os.SEEK_SET)  # the offset is shared with the writer
        with os.fdopen(code_fd, "rb") as f:
            source = f.read().decode("utf-8", errors="replace")
        if req.get("cwd") and jail is None:
            os.chdir(req["cwd"])
        apply_child_limits(req.get("memory_limit"))
        install_torch_hint()
        faulthandler.enable()  # a segfault prints where it happened
        if jail is not None:
            confine_run(*jail)
        exit_code = _exec_snippet(source, str(req.get("name") or "snippet"), status)
        _finish()
    except BaseException as exc:  # noqa: BLE001 - a broken setup must still end the process
        try:
            traceback.print_exc()
            line = traceback.format_exception_only(type(exc), exc)[-1].strip()
            send_msg(socket.socket(fileno=os.dup(status_fd)), {"type": "error", "line": line})
        except BaseException:  # noqa: BLE001
            pass
    os._exit(exit_code)


def _exec_snippet(source: str, name: str, status: socket.socket) -> int:
    filename = f"<snippet {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    main = types.ModuleType("__main__")
    main.__builtins__ = builtins  # type: ignore[attr-defined]
    sys.modules["__main__"] = main
    sys.argv = [filename]
    try:
        exec(compile(source, filename, "exec"), main.__dict__)
    except SystemExit as exc:
        return _exit_code(exc)
    except BaseException as exc:  # noqa: BLE001 - report like the interpreter does
        tb = exc.__traceback__  # without its first frame: the exec() call here
        traceback.print_exception(type(exc), exc, tb.tb_next if tb else None)
        line = traceback.format_exception_only(type(exc), exc)[-1].strip()
        try:
            send_msg(status, {"type": "error", "line": line[:2000]})
        except OSError:
            pass
        return 1
    return 0
