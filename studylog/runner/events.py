"""What a snippet run reports: live output events and the final result."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from typing import Literal

Stream = Literal["stdout", "stderr"]
EventKind = Literal["line", "progress", "skipped"]


@dataclass(frozen=True)
class RunEvent:
    """One piece of live output from a running snippet.

    ``kind`` is:

    * ``"line"``: a finished line (``text`` has no trailing newline);
    * ``"progress"``: the stream's current, unfinished line is now ``text``
      (sent for ``\\r`` updates such as tqdm bars; replace, don't append);
    * ``"skipped"``: ``text`` says how many lines were not delivered live because
      the snippet printed faster than the live rate limit (they still count in
      ``RunResult.tail`` / the dropped counters).
    """

    stream: Stream
    text: str
    kind: EventKind = "line"


@dataclass
class RunResult:
    """How a run ended.

    ``exit_code`` is the process exit code (``None`` if it was killed by a signal
    or never started); ``signal_name`` names the killing signal (``"SIGSEGV"``,
    ``"SIGKILL"``...).  ``error_line`` is the last line of an uncaught exception's
    traceback (``"AssertionError: boom"``) or another one-line failure reason.
    Times are seconds from the run request.  ``tail`` keeps the last lines of
    output; ``dropped_lines`` / ``dropped_bytes`` count the output that did not
    fit in it.
    """

    exit_code: int | None = None
    signal_name: str | None = None
    stopped: bool = False
    timed_out: bool = False
    error_line: str | None = None
    elapsed_s: float = 0.0
    first_output_s: float | None = None
    dropped_lines: int = 0
    dropped_bytes: int = 0
    tail: list[RunEvent] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if the snippet ran to the end with exit code 0."""
        return self.exit_code == 0 and not (self.stopped or self.timed_out)

    def output(self, stream: Stream | None = None) -> str:
        """The kept tail as text (one stream, or both interleaved)."""
        return "".join(e.text + "\n" for e in self.tail if stream in (None, e.stream))

    def outcome(self) -> str:
        """How it ended, without the time: ``"ok"``, ``"failed: AssertionError: x"``,
        ``"stopped"``, ``"timed out"``, ``"killed by SIGSEGV"``, ``"exit code 3"``."""
        if self.stopped:
            return "stopped"
        if self.timed_out:
            return "timed out"
        if self.error_line:
            return f"failed: {self.error_line}"
        if self.signal_name:
            return f"killed by {self.signal_name}"
        if self.exit_code == 0:
            return "ok"
        return f"exit code {self.exit_code}"

    def summary(self) -> str:
        """One line for the user, e.g. ``"failed: AssertionError: x (0.12 s)"``."""
        took = f"({self.elapsed_s:.2f} s)"
        if self.dropped_lines:
            took += f" [{self.dropped_lines} earlier lines not kept]"
        return f"{self.outcome()} {took}"


def apply_wait_status(result: RunResult, status: int) -> None:
    """Fill ``exit_code`` / ``signal_name`` from a raw ``os.waitpid`` status."""
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        result.exit_code, result.signal_name = code, None
        return
    result.exit_code = None
    try:
        result.signal_name = signal.Signals(-code).name
    except ValueError:
        result.signal_name = f"signal {-code}"
