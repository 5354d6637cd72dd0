"""Parsing an import's logs in a second process, a few files ahead of the writes.

Ten years of logs spend about as long in markdown-it as in SQLite, one after the other,
on a machine with two cores or more. A child process (``python -m`` this module: no
fork, as the app imports from a thread, and unlike multiprocessing's spawn it never
runs the caller's ``__main__`` again) runs the same ``parse_log`` on the next files
while this one writes, and sends back the same ``ParsedLog`` (pickled) or LogError. A
file is parsed here instead when the child cannot start, dies, or meets an error of
its own (then raised here as it would have been).
"""

from __future__ import annotations

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from studylog.core.journal.log_parser import LogError, ParsedLog, parse_log

_PARSE_HERE = "parse here"  # the child's answer when parse_log raised anything else
_GONE = object()  # the reader's last word: the child's output ended


@dataclass(frozen=True, slots=True)
class ParseJob:
    """One log to parse, with the options that date it."""

    text: str
    file_name: str
    year: int | None
    today: date | None
    first_day: date | None
    count_weekends: bool


def parse_job(job: ParseJob) -> ParsedLog | LogError:
    """``parse_log`` of ``job``; a LogError is returned (it is an answer, not a crash)."""
    try:
        return parse_log(job.text, job.file_name, year=job.year, today=job.today,
                         first_day=job.first_day, count_weekends=job.count_weekends)
    except LogError as exc:
        return exc


def second_core() -> bool:
    """Whether this process may run on two cores or more: a second process parsing beside
    it then runs at the same time. Busy or not: with other work on both of two cores,
    ten years' import took 3.35-3.45 s parsing ahead and 4.1-4.7 s without (two processes
    get two shares of the CPU); with one other busy process 2.44-2.76 s against
    2.55-2.76 s. (A 1-minute load average also counted the import's own process.)"""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity here (macOS, Windows)
        cores = os.cpu_count() or 1
    return cores >= 2


class ParseAhead:
    """Jobs parsed in order in a child process once ``start()`` succeeded, else here (on
    ``take``). Use as a context manager: the child ends with it."""

    def __init__(self) -> None:
        self._child: subprocess.Popen[bytes] | None = None
        self._results: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sent: deque[int] = deque()  # keys of the jobs sent, in order
        # jobs go to the child from a thread: a job larger than the pipe, or a child
        # still parsing the last ones, never holds up this process's writes
        self._outbox: queue.SimpleQueue[ParseJob | None] = queue.SimpleQueue()
        self._sender: threading.Thread | None = None

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def running(self) -> bool:
        return self._child is not None

    @property
    def waiting(self) -> int:
        """Jobs sent to the child and not taken yet."""
        return len(self._sent)

    def start(self) -> None:
        """Start the child (a no-op when it runs, or when it cannot be started)."""
        if self._child is not None:
            return
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            child = subprocess.Popen([sys.executable, "-m", __name__], env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        except OSError:  # no second process here: every file is parsed in this one
            return
        self._child = child
        # a reader drains the child's answers, so neither side blocks on a full pipe
        threading.Thread(target=self._read, args=(child.stdout,), daemon=True).start()
        self._outbox = queue.SimpleQueue()  # this child's own
        self._sender = threading.Thread(target=self._send, args=(child.stdin, self._outbox),
                                        daemon=True)
        self._sender.start()

    @staticmethod
    def _send(stream: IO[bytes], outbox: queue.SimpleQueue[ParseJob | None]) -> None:
        try:
            while (job := outbox.get()) is not None:
                pickle.dump(job, stream, protocol=pickle.HIGHEST_PROTOCOL)
                stream.flush()
        except (OSError, ValueError):  # a dead child: its reader ends the jobs sent
            pass
        finally:
            try:
                stream.close()  # the child's input ends: it exits
            except OSError:
                pass

    def _read(self, stream: IO[bytes]) -> None:
        try:
            while True:
                self._results.put(pickle.load(stream))
        except Exception:  # noqa: BLE001  (EOF, a dead child: the jobs are parsed here)
            self._results.put(_GONE)

    def has(self, key: int) -> bool:
        """Whether ``job`` ``key`` was sent to the child and is not taken yet."""
        return key in self._sent

    def submit(self, key: int, job: ParseJob) -> None:
        """Send ``job`` to the child, if it runs (``take(key, job)`` gets its parse)."""
        if self._child is None:
            return
        self._outbox.put(job)
        self._sent.append(key)

    def take(self, key: int, job: ParseJob) -> ParsedLog | LogError:
        """The parse of ``job``: the child's, or made here when it was not sent, the
        child died, or the child's parse raised (then it raises here the same way).
        Answers to jobs sent before it and never taken are passed over."""
        while key in self._sent:
            sent = self._sent.popleft()
            answer = self._results.get()
            if answer is _GONE:
                self.close()
                break
            if sent == key:
                if isinstance(answer, (ParsedLog, LogError)):
                    return answer
                break  # _PARSE_HERE
        return parse_job(job)

    def close(self) -> None:
        """End the child: it reads the end of its input and exits."""
        child, self._child = self._child, None
        sender, self._sender = self._sender, None
        self._sent.clear()
        if child is None:
            return
        try:
            self._outbox.put(None)  # after the jobs sent: the sender closes the input
            if sender is not None:
                sender.join(timeout=5)
            child.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            child.kill()
            child.wait()


def _serve(jobs: IO[bytes], answers: IO[bytes]) -> None:
    """The child: parse each job read, answer each in order, until the input ends."""
    while True:
        try:
            job = pickle.load(jobs)
        except EOFError:
            return
        try:
            answer: object = parse_job(job)
        except Exception:  # noqa: BLE001  (parsed again in the parent, which raises it)
            answer = _PARSE_HERE
        pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    _serve(sys.stdin.buffer, sys.stdout.buffer)
