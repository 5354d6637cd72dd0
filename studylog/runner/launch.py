"""Starting one run: hand the code and fresh pipes to the warm server, get the pid.

If the warm process turns out to be dead (killed, crashed) before it forked
the run, it is restarted and the request sent again, up to three times.
"""

from __future__ import annotations

import os
import socket
import time
from typing import Any

from studylog.errors import StudylogError

from .limits import RunLimits
from .protocol import channel_pair, recv_msg, wait_readable
from .server_process import ServerGone, WarmProcess
from .session import RunSession

START_TIMEOUT_S = 120.0  # preloading torch on a busy machine can be slow
ATTEMPTS = 3


class RunError(StudylogError, RuntimeError):
    """The snippet could not be started at all (the warm process keeps failing)."""


def launch_session(
    server: WarmProcess, code: str, name: str, limits: RunLimits, cwd: str | None
) -> RunSession:
    """Start ``code`` in a new snippet process; blocks until it has started."""
    for attempt in range(ATTEMPTS):
        try:
            return _launch_once(server, code, name, limits, cwd)
        except ServerGone as exc:  # died before forking our run: restart, retry
            if attempt == ATTEMPTS - 1:
                log = server.log_tail().strip().splitlines()
                last = log[-1] if log else "(empty)"
                raise RunError(
                    f"cannot run snippets with {server.python}: {exc}; its last log line: {last}"
                ) from exc
            server.restart(exc.generation)
    raise AssertionError("unreachable")


def _launch_once(
    server: WarmProcess, code: str, name: str, limits: RunLimits, cwd: str | None
) -> RunSession:
    t_request = time.monotonic()
    code_fd = os.memfd_create("snippet", os.MFD_CLOEXEC)
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    mine, theirs = channel_pair()
    try:
        os.write(code_fd, code.encode("utf-8"))
        header = {
            "op": "run",
            "name": name,
            "memory_limit": limits.memory_limit_bytes,
            "cwd": cwd,
            "timeout": limits.timeout_s,
        }
        generation = server.send_run(header, [code_fd, out_w, err_w, theirs.fileno()])
    except BaseException:
        for fd in (out_r, err_r):
            os.close(fd)
        mine.close()
        raise
    finally:
        for fd in (code_fd, out_w, err_w):
            os.close(fd)
        theirs.close()
    pid = _wait_started(mine, out_r, err_r, generation)
    return RunSession(limits, t_request, pid, out_r, err_r, mine)


def _wait_started(sock: socket.socket, out_r: int, err_r: int, generation: int) -> int:
    """The snippet's pid from its first message; ``ServerGone`` if none comes."""
    msg: dict[str, Any] | None = {"line": "the warm process did not answer in time"}
    if wait_readable(sock, START_TIMEOUT_S):
        try:
            msg, _ = recv_msg(sock)
        except OSError:
            msg = None
    if msg is not None and msg.get("type") == "started":
        return int(msg["pid"])
    for fd in (out_r, err_r):
        os.close(fd)
    sock.close()
    if msg is None:  # end of stream: the server died with our request
        raise ServerGone("the warm process ended before starting the snippet", generation)
    raise RunError(msg.get("line") or "the snippet process did not start")
