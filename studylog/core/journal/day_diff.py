"""Two versions of a day side by side: a unified diff to read, and the text with
conflict markers around the lines that differ, to edit into one (as git writes them)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

MARK_MINE = "<<<<<<<"
MARK_SPLIT = "======="
MARK_THEIRS = ">>>>>>>"

LineKind = Literal["same", "mine", "theirs", "hunk"]


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a diff: kept by both, only in mine, only in theirs, or a hunk head."""

    kind: LineKind
    text: str


def diff_lines(mine: str, theirs: str, context: int = 2) -> list[DiffLine]:
    """The lines that differ between ``mine`` and ``theirs`` with ``context`` lines
    around each change; an empty list when they are equal."""
    out: list[DiffLine] = []
    a, b = mine.splitlines(), theirs.splitlines()
    for group in difflib.SequenceMatcher(None, a, b, autojunk=False) \
            .get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        out.append(DiffLine("hunk", f"@@ mine line {first[1] + 1}, file line {first[3] + 1} "
                                    f"({last[2] - first[1]} / {last[4] - first[3]} lines) @@"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine("same", line) for line in a[i1:i2])
                continue
            out.extend(DiffLine("mine", line) for line in a[i1:i2])
            out.extend(DiffLine("theirs", line) for line in b[j1:j2])
    return out


def with_markers(mine: str, theirs: str, mine_name: str = "studylog",
                 theirs_name: str = "file") -> str:
    """``mine`` with each differing run of lines written as both versions between
    conflict markers, the rest once."""
    a, b = mine.splitlines(), theirs.splitlines()
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b,
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            out.extend(a[i1:i2])
        else:
            out += [f"{MARK_MINE} {mine_name}", *a[i1:i2], MARK_SPLIT, *b[j1:j2],
                    f"{MARK_THEIRS} {theirs_name}"]
    return "\n".join(out)


def has_markers(text: str) -> bool:
    """True while a conflict marker line is left in ``text``."""
    return any(line.startswith((MARK_MINE, MARK_THEIRS)) or line == MARK_SPLIT
               for line in text.splitlines())
