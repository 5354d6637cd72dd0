"""A one-line text box for filters that update as you type.

Textual's ``Input`` sets its ``virtual_size`` (the width of its text) on every change,
and that reactive lays the whole screen out again: 10-15 ms of each keystroke in the
Cards filter at ten years, twice what filtering 20,000 cards takes. A box of fixed size
has no layout to redo: its text scrolls inside it, which needs only the size itself.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class FilterBox(Input):
    """An ``Input`` whose typing repaints it without a layout of the screen (a box
    sized by its text, ``width: auto``, still asks for one: ``Input`` does that
    itself)."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
