"""What a spare snippet process does: set itself up, wait for one run, run it, exit.

The warm server forks a spare before any request comes (``spare.py``), so
everything that does not depend on the request (its own session, signals,
limits, the torch hint, confinement) is done by the time one arrives; the
request then only brings the code, its pipes and its options.  A spare runs at
most one snippet: ``serve_one_run`` never returns.
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
from .limits import disable_core_dumps, limit_address_space
from .protocol import RUN_FDS, recv_msg, send_msg
from .torch_hint import install_torch_hint

# A confined run: its own directory, the read-only Landlock rules, the Landlock ABI.
Jail = tuple[str, list[tuple[str, int]], int]


def _reset_signals() -> None:
    signal.set_wakeup_fd(-1)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)


def _prepare_stdio() -> None:
    """stdin at /dev/null, and the text streams on fds 1 and 2 made while spare: the
    run's pipes then only take the place of those fds (``_connect_stdio``)."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # input() gets end of file
    os.close(devnull)
    # Until the run's pipes come, fds 1 and 2 are a pipe that nobody reads, so the
    # streams are made for what they will write to (not seekable, not a terminal),
    # and anything written meanwhile fails instead of reaching the run's output.
    placeholder_r, placeholder_w = os.pipe()
    os.dup2(placeholder_w, 1)
    os.dup2(placeholder_w, 2)
    os.close(placeholder_w)
    os.close(placeholder_r)
    # Line buffered (flushes on "\n" and "\r"), so output arrives live.
    opts: dict[str, Any] = {"encoding": "utf-8", "errors": "backslashreplace", "closefd": False}
    # sys.__stdout__ and friends too (typeshed calls them final): code that writes
    # to the original streams must reach the pipes as well.
    sys.stdout = sys.__stdout__ = os.fdopen(1, "w", buffering=1, **opts)  # type: ignore[misc]
    sys.stderr = sys.__stderr__ = os.fdopen(2, "w", buffering=1, **opts)  # type: ignore[misc]
    sys.stdin = sys.__stdin__ = os.fdopen(0, "r", closefd=False)  # type: ignore[misc]


def _connect_stdio(out_fd: int, err_fd: int) -> None:
    for src, dst in ((out_fd, 1), (err_fd, 2)):
        os.dup2(src, dst)
        os.close(src)


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


def _prepare(server_pid: int, close_fds: list[int], jail: Jail | None) -> None:
    """Everything a run needs that its request does not say, done while spare."""
    for fd in close_fds:  # first: a failure below must not leave the server's fds open here
        try:
            os.close(fd)
        except OSError:
            pass
    os.setsid()  # own process group: stop() kills it with all its workers
    set_parent_death_signal()  # a spare or a run never outlives the warm server
    become_subreaper()  # what its descendants orphan stays here (see warm_server)
    if os.getppid() != server_pid:
        os._exit(1)
    _reset_signals()
    _prepare_stdio()
    disable_core_dumps()
    install_torch_hint()
    faulthandler.enable(file=2)  # a segfault prints where it happened (fd 2: the pipe by then)
    if jail is not None:
        confine_run(*jail)


def serve_one_run(sock: socket.socket, server_pid: int, close_fds: list[int],
                  jail: Jail | None = None) -> NoReturn:
    """Be a spare: prepare, wait for one run request on ``sock``, run it; ends with
    ``os._exit``.  End of file on ``sock`` (the server let it go) ends it unused.

    With a ``jail`` the snippet runs confined (``confinement.confine_run``): a
    failure to confine ends the run with an error, never runs it unconfined.
    """
    failure: BaseException | None = None
    try:
        _prepare(server_pid, close_fds, jail)
    except BaseException as exc:  # noqa: BLE001 - reported to the run that comes
        failure = exc
    try:
        req, fds = recv_msg(sock, RUN_FDS)
    except BaseException:  # noqa: BLE001 - the server is gone
        os._exit(1)
    sock.close()
    if req is None or len(fds) != RUN_FDS:
        os._exit(0)
    _run(req, fds, failure, confined=jail is not None)


def _run(req: dict[str, Any], fds: list[int], failure: BaseException | None,
         confined: bool) -> NoReturn:
    code_fd, out_fd, err_fd, status_fd = fds
    exit_code = 1
    try:
        status = socket.socket(fileno=status_fd)
        send_msg(status, {"type": "started", "pid": os.getpid()})
        _connect_stdio(out_fd, err_fd)
        if failure is not None:
            raise failure
        os.lseek(code_fd, 0, os.SEEK_SET)  # the offset is shared with the writer
        with os.fdopen(code_fd, "rb") as f:
            source = f.read().decode("utf-8", errors="replace")
        if req.get("cwd") and not confined:  # a confined run stays in its own directory
            os.chdir(req["cwd"])
        limit_address_space(req.get("memory_limit"))
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
