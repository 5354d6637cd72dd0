"""Client side of the warm process: start it, restart it if it died, stop it.

This module runs in the UI/CLI process and never imports torch.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from .confinement import clean_environment, home_directories
from .protocol import channel_pair, recv_msg, send_msg, wait_readable

# The directory holding this ``studylog`` package: the server imports the same
# code as the client, installed or not, and then drops it from ``sys.path`` so
# snippets see an ordinary path.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])
_BOOTSTRAP = (
    "import sys; sys.path.insert(0, {root!r}); "
    "from studylog.runner.warm_server import main; "
    "sys.path.remove({root!r}); main(sys.argv[1:])"
)


class ServerGone(RuntimeError):
    """The warm process died or could not be reached."""

    def __init__(self, message: str, generation: int = 0) -> None:
        super().__init__(message)
        self.generation = generation


class WarmProcess:
    """One warm server process, started on demand and restarted when it died.

    A ``confined`` one runs its snippets confined (``confinement.py``): it starts
    in ``/`` with a clean environment, in Python's isolated mode (no user site
    directory, no ``PYTHON*`` variables), and its runs get directories below a
    private temporary root that goes away with it.
    """

    def __init__(self, python: str, preload: Sequence[str], env: Mapping[str, str] | None,
                 confined: bool = False, later: Sequence[str] = ()) -> None:
        self.python, self.preload, self.env = python, tuple(preload), dict(env or {})
        self.later = tuple(later)  # preloaded once idle
        self.confined = confined
        self._lock = threading.RLock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None
        self._log: IO[bytes] | None = None
        self._run_root: str | None = None
        self.ready_info: dict[str, Any] | None = None
        self.starts = 0

    @property
    def pid(self) -> int | None:
        """Pid of the running warm process, if any."""
        return self._proc.pid if self._proc and self._proc.poll() is None else None

    def ensure(self) -> None:
        """Start the warm process if it is not running (returns at once)."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return
            self._shutdown(kill=True)
            self._spawn()

    def restart(self, generation: int) -> None:
        """Replace the warm process that failed as ``generation`` (if not done yet)."""
        with self._lock:
            if generation == self.starts:
                self._shutdown(kill=True)
                self._spawn()

    def _spawn(self) -> None:
        mine, theirs = channel_pair()
        env = {**os.environ, **self.env}
        flags: list[str] = []
        cwd = None
        if self.confined:
            self._run_root = tempfile.mkdtemp(prefix="studylog-confined-")
            env = {**clean_environment(dict(os.environ), self._run_root), **self.env}
            flags, cwd = ["-I"], "/"
        cmd = [
            self.python,
            *flags,
            "-c",
            _BOOTSTRAP.format(root=_PACKAGE_ROOT),
            "--control-fd",
            str(theirs.fileno()),
            "--preload",
            ",".join(self.preload),
            "--preload-when-idle",
            ",".join(self.later),
        ]
        if self._run_root:
            cmd += ["--confine-root", self._run_root]
            for home in home_directories():  # its own HOME will not say
                cmd += ["--home", home]
        if threading.current_thread() is threading.main_thread():
            # PR_SET_PDEATHSIG fires when the *thread* that forked exits, so
            # only ask for it from the main thread; EOF on the socket covers the rest.
            cmd += ["--parent-pid", str(os.getpid())]
        self._log = tempfile.TemporaryFile(prefix="studylog-warm-")
        try:
            self._proc = subprocess.Popen(
                cmd,
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._log,
                env=env,
                cwd=cwd,
                start_new_session=True,  # the terminal's Ctrl-C is not for it
            )
        finally:
            theirs.close()
        self._sock, self.ready_info = mine, None
        self.starts += 1

    def wait_ready(self, timeout: float) -> bool:
        """Block until the warm process has finished preloading (True) or died."""
        deadline = time.monotonic() + timeout
        with self._lock:
            self.ensure()
            sock = self._sock
            while self.ready_info is None and sock is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not wait_readable(sock, left):
                    return False
                try:
                    msg, _ = recv_msg(sock)
                except OSError:
                    msg = None
                if msg is None:
                    return False
                if msg.get("type") == "ready":
                    self.ready_info = msg
            return self.ready_info is not None

    def send_run(self, header: dict[str, Any], fds: list[int]) -> int:
        """Send a run request and return the warm process's generation.

        Raises ``ServerGone`` if the warm process is gone.
        """
        with self._lock:
            self.ensure()
            assert self._sock is not None
            try:
                send_msg(self._sock, header, fds)
            except OSError as exc:
                raise ServerGone(f"warm process not reachable: {exc}", self.starts) from exc
            return self.starts

    def log_tail(self, limit: int = 2000) -> str:
        """The end of the warm process's stderr (preload warnings, crashes)."""
        log = self._log
        if log is None:
            return ""
        try:
            log.seek(max(0, os.fstat(log.fileno()).st_size - limit))
            return log.read().decode("utf-8", "replace")
        except (OSError, ValueError):
            return ""

    def close(self, timeout: float = 2.0) -> None:
        """Stop the warm process (it kills the snippets still running) and reap it."""
        with self._lock:
            self._shutdown(kill=False, timeout=timeout)

    def _shutdown(self, kill: bool, timeout: float = 2.0) -> None:
        if self._sock is not None:
            self._sock.close()  # EOF: the server kills its snippets and exits
            self._sock = None
        proc, self._proc = self._proc, None
        if proc is not None:
            if kill and proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._run_root is not None:  # after the server: it removes run dirs first
            shutil.rmtree(self._run_root, ignore_errors=True)
            self._run_root = None
