"""A day's leaves (paragraphs, headings, code blocks) kept as columns while it is read.

A Leaf with its text and two int objects costs about 190 bytes, and a day of 100,000
headings held 200,000 of them (issue 13 item 7, memory per file). Here a leaf is a kind
byte, two line numbers in arrays and, for a paragraph only, its text casefolded: passages
compare the casefolded words of paragraphs alone, and quote every leaf from the source
by its lines. ``[i]`` makes the Leaf when it is read.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from studylog.core.text.made_on_read import MadeOnRead
from studylog.core.text.markdown_blocks import Leaf

_KINDS = ("paragraph", "heading", "fence")


class DayLeaves(MadeOnRead[Leaf]):
    """Leaves in document order; a paragraph's text reads casefolded, a heading's text
    and a fence's code and info are not kept (they read as empty)."""

    def __init__(self) -> None:
        self._kinds = bytearray()
        self._starts = array("i")  # line numbers: a log has at most 20 MiB of them
        self._ends = array("i")
        self._texts: list[str] = []

    def extend(self, leaves: Iterable[Leaf]) -> None:
        for leaf in leaves:
            self._kinds.append(_KINDS.index(leaf.kind))
            self._starts.append(leaf.start)
            self._ends.append(leaf.end)
            self._texts.append(leaf.text.casefold() if leaf.kind == "paragraph" else "")

    def folded_texts(self) -> list[str]:
        """Each leaf's text as ``[i].text`` gives it (not a copy: do not change it)."""
        return self._texts

    def clear(self) -> None:
        del self._kinds[:], self._starts[:], self._ends[:], self._texts[:]

    def __len__(self) -> int:
        return len(self._kinds)

    def _item(self, n: int) -> Leaf:
        return Leaf(_KINDS[self._kinds[n]], self._texts[n], self._starts[n], self._ends[n])
