"""Messages between the client, the warm server and snippet processes.

Every channel is a ``SOCK_SEQPACKET`` Unix socket, so one ``send`` is one
message (a small JSON object), optionally carrying file descriptors.

* client -> server, control socket: ``{"op": "run", "name", "memory_limit", "cwd"}``
  with fds ``[code_memfd, stdout_w, stderr_w, status_sock]``.
* server -> client, control socket: ``{"type": "ready", "preloaded": [...]}`` once.
* server -> spare, its own socket: the run message and its fds, as received (once).
* snippet -> client, status socket: ``{"type": "started", "pid"}`` first, then
  ``{"type": "error", "line"}`` if the snippet raised.
* server -> client, status socket: ``{"type": "exit", "pid", "status"}`` (a raw
  wait status) after reaping, or ``{"type": "error", "line"}`` if fork failed.
"""

from __future__ import annotations

import json
import select
import socket
from typing import Any

MAX_MESSAGE = 64 * 1024
RUN_FDS = 4


def channel_pair() -> tuple[socket.socket, socket.socket]:
    """A connected pair of message sockets (both non-inheritable)."""
    return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)


def send_msg(sock: socket.socket, msg: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(msg).encode()
    if len(data) > MAX_MESSAGE:
        raise ValueError("message too large")
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


def recv_msg(sock: socket.socket, maxfds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    """One message and the fds that came with it; ``(None, [])`` at end of stream.

    Raises ``BlockingIOError`` on a non-blocking socket with nothing to read.
    """
    if maxfds:
        data, fds, _flags, _addr = socket.recv_fds(sock, MAX_MESSAGE, maxfds)
    else:
        data, fds = sock.recv(MAX_MESSAGE), []
    if not data:
        return None, fds
    try:
        return json.loads(data), fds
    except ValueError:
        return {"type": "garbage"}, fds


def wait_readable(sock: socket.socket, timeout: float) -> bool:
    """Whether ``sock`` became readable within ``timeout`` seconds (uses poll, so
    it works for any fd number, unlike ``select``)."""
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(max(0.0, timeout) * 1000))
