"""A read-only Sequence whose items are made when read, from the compact columns its
subclass keeps (``text_lines.TextLines``, ``journal.day_leaves.DayLeaves``: issue 13
item 7, memory per file)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TypeVar, overload

T = TypeVar("T")


class MadeOnRead(Sequence[T]):
    """``[i]`` and ``[a:b]`` as a list answers them (negative indexes, IndexError, a
    list for a slice), each item made by the subclass's ``_item(n)`` for ``0 <= n <
    len(self)``."""

    @abstractmethod
    def _item(self, n: int) -> T:
        """Item ``n``, a valid non-negative index."""

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._item(n) for n in range(len(self))[index]]
        return self._item(range(len(self))[index])  # IndexError as a list's
