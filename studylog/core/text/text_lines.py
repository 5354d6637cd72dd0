"""A text's lines as markdown-it counts them, kept as the text and where each line starts.

A list of line strings costs about 90 bytes a line beside the text (issue 13 item 7: a
file of 100,000 days holds 300,000 lines while it is parsed); this keeps 4 bytes a line
and slices a line, or a range of lines, out of the text when asked.
"""

from __future__ import annotations

import re
from array import array

from studylog.core.text.made_on_read import MadeOnRead

_NEWLINES = re.compile(r"\r\n?")


class TextLines(MadeOnRead[str]):
    """Lines of ``text``, each with its ``\\n`` (only ``\\n``, ``\\r\\n`` and ``\\r`` end a
    line, made ``\\n``; ``str.splitlines`` would also split at form feeds and U+2028 and
    shift every line number), the last without one when the text does not end a line."""

    def __init__(self, text: str) -> None:
        self.text = _NEWLINES.sub("\n", text)
        # 4 bytes a line for any log (at most 20 MiB), 8 for a longer text
        starts = array("i" if len(self.text) < 2**31 else "q", [0])
        at = self.text.find("\n")
        while at != -1:
            starts.append(at + 1)
            at = self.text.find("\n", at + 1)
        if starts[-1] != len(self.text):
            starts.append(len(self.text))
        self._starts = starts  # line n is text[starts[n]:starts[n + 1]]

    def __len__(self) -> int:
        return len(self._starts) - 1

    def _item(self, n: int) -> str:
        return self.text[self._starts[n]:self._starts[n + 1]]

    def source(self, start: int, end: int) -> str:
        """Lines ``[start, end)`` as one string (``"".join(lines[start:end])``)."""
        start, end, _ = slice(start, end).indices(len(self))
        return self.text[self._starts[start]:self._starts[end]] if start < end else ""
