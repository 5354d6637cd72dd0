"""The footer of every screen: Textual's ``Footer``, rebuilt only when the keys it shows
change.

Textual's ``Footer`` throws its keys away and mounts new ones on every bindings signal of
its screen (a focus move, a screen switch, ``refresh_bindings``): opening a screen sent
four to ten of them, and each new key was restyled twice (its ``compact`` reactive
starts True and is bound to False), together 50-90 ms of every screen's opening at
ten years. ``KeyFooter`` draws the same keys: it rebuilds at most once a refresh and
only when what it shows (key, label, enabled, tooltip) differs, and its keys start
with the footer's ``compact`` so mounting them restyles them once.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen


class KeyFooter(Footer):
    """A ``Footer`` that rebuilds only when the keys it shows change."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: Hashable | None = None  # the keys composed last; None: none yet
        self._rebuild_due = False
        self.rebuilds = 0  # compositions with keys (the tests count them)

    def keys_shown(self) -> Hashable:
        """What the footer would show now: each shown binding's key, label and state."""
        app = self.app
        return (self.compact, self.show_command_palette, tuple(
            (binding.key, app.get_key_display(binding), binding.description,
             binding.action, enabled, tooltip, id(binding.group))
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show or binding.key == app.COMMAND_PALETTE_BINDING))

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_due:
            self._rebuild_due = True  # one rebuild for every signal until the next refresh
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_due = False
        if self.is_attached and self.keys_shown() != self.shown:
            await self.recompose()

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            self.shown = None
            return
        self.shown = self.keys_shown()
        self.rebuilds += 1
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # as ``data_bind`` will set it, without the watcher's restyle (the
                # palette's key is not bound: it keeps its own, compact)
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget
