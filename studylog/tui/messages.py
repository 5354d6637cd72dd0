"""Messages the app's screens share (a widget's own messages live inside the widget)."""

from __future__ import annotations

from textual.message import Message


class DataChanged(Message, bubble=False):
    """The journal or the cards changed. Whoever changed them posts this to the app, which
    passes it on to every screen built so far; screens that show data refresh.

    ``bubble=False``: the copies the app hands to its screens must not come back up."""

    def __init__(self, origin: object | None = None) -> None:
        super().__init__()
        self.origin = origin  # the screen that changed the data (it refreshed itself)
