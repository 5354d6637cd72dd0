"""Turning a snippet's raw output bytes into lines, a bounded tail and live events."""

from __future__ import annotations

import re
import time
from collections import deque

from .events import RunEvent, Stream

_SEP = re.compile(rb"\r\n|\n|\r")
Segment = tuple[str, bytes]  # ("line" | "progress", raw bytes without separator)


def decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


class LineSplitter:
    """Splits one stream into ``line`` and ``progress`` segments.

    ``\\n`` and ``\\r\\n`` end a line; a lone ``\\r`` ends a progress update (the
    terminal would overwrite it).  Within one ``feed`` only the last progress
    update is kept, and a partial segment after a ``\\r`` is reported as progress
    right away, so a tqdm bar shows live.  Lines longer than ``max_line_bytes``
    are cut, so memory stays bounded even for output without newlines.
    """

    def __init__(self, max_line_bytes: int = 64 * 1024) -> None:
        self.max_line_bytes = max_line_bytes
        self._pending = b""
        self._in_progress = False

    def feed(self, data: bytes) -> list[Segment]:
        buf = self._pending + data
        out: list[Segment] = []
        if b"\r" not in buf:  # fast path: plain lines
            *lines, rest = buf.split(b"\n")
            if lines:
                self._in_progress = False
            out = [("line", line) for line in lines]
        else:
            pos = 0
            for m in _SEP.finditer(buf):
                if m.group() == b"\r" and m.end() == len(buf):
                    break  # maybe the first half of "\r\n": wait for more
                seg, pos = buf[pos : m.start()], m.end()
                if m.group() == b"\r":
                    self._in_progress = True
                    if seg:
                        out.append(("progress", seg))
                else:
                    self._in_progress = False
                    out.append(("line", seg))
            rest = buf[pos:]
        while len(rest) > self.max_line_bytes:
            out.append(("line", rest[: self.max_line_bytes]))
            rest = rest[self.max_line_bytes :]
        self._pending = rest
        partial = rest.rstrip(b"\r")
        if self._in_progress and partial:
            out.append(("progress", partial))
        # Progress updates followed by anything else in this batch are stale.
        return [s for i, s in enumerate(out) if s[0] == "line" or i == len(out) - 1]

    def flush(self) -> list[Segment]:
        """At end of stream: the unfinished last line, if any."""
        rest, self._pending = self._pending.rstrip(b"\r"), b""
        return [("line", rest)] if rest else []


class OutputTail:
    """The last ``max_lines`` lines (and at most ``max_bytes``) of both streams."""

    def __init__(self, max_lines: int, max_bytes: int) -> None:
        self.max_lines, self.max_bytes = max(1, max_lines), max(1, max_bytes)
        self._lines: deque[tuple[Stream, bytes]] = deque()
        self._bytes = 0
        self.dropped_lines = 0
        self.dropped_bytes = 0

    def add(self, stream: Stream, raw: bytes) -> None:
        self._lines.append((stream, raw))
        self._bytes += len(raw) + 1
        while len(self._lines) > self.max_lines or self._bytes > self.max_bytes:
            _, old = self._lines.popleft()
            self._bytes -= len(old) + 1
            self.dropped_lines += 1
            self.dropped_bytes += len(old) + 1

    def add_many(self, stream: Stream, raws: list[bytes]) -> None:
        """``add`` for a batch: a flood is counted in bulk instead of line by line."""
        cut = max(0, len(raws) - self.max_lines)
        if cut:  # these could never stay: everything kept so far goes too
            for _, old in self._lines:
                self.dropped_lines += 1
                self.dropped_bytes += len(old) + 1
            self._lines.clear()
            self._bytes = 0
            self.dropped_lines += cut
            self.dropped_bytes += sum(map(len, raws[:cut])) + cut
        for raw in raws[cut:]:
            self.add(stream, raw)

    def events(self) -> list[RunEvent]:
        return [RunEvent(stream, decode(raw)) for stream, raw in self._lines]


class LiveThrottle:
    """Token bucket for live events: a burst of ``burst`` events, then ``rate``/s.

    Once it runs dry it stays closed until a tenth of the burst has refilled,
    so skipped output is summarised in few ``"skipped"`` events, not one per line.
    ``rate=None``: no limit, every event is shown (a terminal keeps up by itself).
    """

    def __init__(self, rate: float | None, burst: int) -> None:
        self.unlimited = rate is None
        self.rate, self.burst = max(rate or 1.0, 1.0), max(burst, 1)
        self._tokens = float(self.burst)
        self._last = time.monotonic()
        self._closed = False
        self.skipped = 0

    def allow_many(self, n: int) -> int:
        """How many of the next ``n`` events may be shown (the first ones); one step
        for a whole batch, so a flood costs no Python work per line. The caller counts
        the rest into ``skipped`` after taking the earlier count with ``take_skipped``."""
        if self.unlimited:
            return n
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._closed and self._tokens >= max(1.0, self.burst / 10):
            self._closed = False
        allowed = 0 if self._closed else min(n, int(self._tokens))
        self._tokens -= allowed
        if allowed < n:
            self._closed = True
        return allowed

    def take_skipped(self, stream: Stream) -> list[RunEvent]:
        """A ``skipped`` event for the lines skipped so far (if any), resetting the count."""
        if not self.skipped:
            return []
        n, self.skipped = self.skipped, 0
        return [RunEvent(stream, f"[... {n} lines not shown live ...]", "skipped")]
