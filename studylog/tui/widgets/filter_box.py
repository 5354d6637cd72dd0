"""A one-line text box for filters that update as you type.

Textual's ``Input`` sets its ``virtual_size`` (the width of its text) on every change,
and that reactive lays the whole screen out again: 10-15 ms of each keystroke in the
Cards filter at ten years, twice what filtering 20,000 cards takes. A box of fixed size
has no layout to redo: its text scrolls inside it, which needs only the size itself.

The box also calls its ``when_typed`` in the handler of the key that changed its text.
An ``Input.Changed`` message reaches the screen only after the box has been drawn with
the new text, so the rows it keeps came a frame later: 16.7 ms more of every keystroke
at Textual's 60 frames a second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

from studylog.tui.errors import ReportsErrors


class FilterBox(ReportsErrors, Input):
    """An ``Input`` whose typing repaints it without a layout of the screen (a box
    sized by its text, ``width: auto``, still asks for one: ``Input`` does that
    itself), and whose ``when_typed`` filters in the same frame as the text changes."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, *, when_typed: Callable[[], object] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.when_typed = when_typed

    def watch_value(self, value: str) -> None:  # (guarded: an error is reported)
        if self.when_typed is not None and self.is_mounted:
            self.when_typed()
