"""The footer of every screen: the keys of its bindings on one line, drawn by one widget.

Textual's ``Footer`` is a container with a widget per key (a dozen on most screens), each
styled, laid out and drawn on its own, with two styles of its own (key and description)
worked out separately for every key: together ~14 ms of the app's ~55 ms from ``run()``
to its first frame at ten years, and it recomposed them on every bindings signal.
``KeyFooter`` draws the same line (each key as `` key `` then ``description ``; a
disabled key dim; the command palette's key on the right, after a rule) as one
renderable, worked out again only when the keys it shows change. A click on a key
presses it, as on Textual's footer; a key under the mouse is highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class FooterEntry:
    """One key as the footer shows it."""

    key: str  # what pressing it sends (``simulate_key``)
    display: str  # how it is written: "^p", "?"
    description: str
    enabled: bool
    tooltip: str = ""  # shown when the mouse rests on it


class KeyFooter(Widget, can_focus=False):
    """The shown bindings of its screen, on one line, redrawn when they change."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--hover",
                         "footer-key--rule"}
    # the colours and spacing of Textual's Footer and FooterKey
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            background: $block-hover-background;
        }
        .footer-key--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: tuple[FooterEntry, ...] = ()  # the keys on the left, in order
        self.palette: FooterEntry | None = None  # the command palette's, on the right
        self.rebuilds = 0  # times the keys changed (the tests count them)
        self._spans: list[tuple[int, int, FooterEntry]] = []  # cells each key drawn takes
        self._hover: FooterEntry | None = None
        self._update_due = False

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._update_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # after the refresh, as Textual's footer: the signal can come before what it is
        # about has settled (opening the command palette signals before its input has
        # focus, and the screen's letter keys were then still offered)
        if screen.app.app_focus and self.is_attached and screen is self.screen \
                and not self._update_due:
            self._update_due = True  # one update for all the signals until the refresh
            self.call_after_refresh(self._update_keys)

    def _update_keys(self) -> None:
        """Work out the keys from the screen's active bindings; redraw if they changed."""
        self._update_due = False
        if not self.is_attached:
            return
        app = self.app
        entries, actions = [], set()
        palette = None
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            entry = FooterEntry(binding.key, app.get_key_display(binding),
                                binding.description, enabled, tooltip)
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                # as Textual's footer: its binding's tooltip, else its description
                palette = replace(entry, tooltip=binding.tooltip or binding.description)
            elif binding.show and binding.action not in actions:
                actions.add(binding.action)  # one key an action, the first, as Footer
                entries.append(entry)
        if (tuple(entries), palette) == (self.entries, self.palette):
            return
        self.entries, self.palette = tuple(entries), palette
        self.rebuilds += 1
        self._hover_on(None)
        self.refresh()

    def _key_text(self, entry: FooterEntry, compact: bool = False) -> Text:
        """`` key description `` (compact: ``key description``, as the palette's)."""
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        if entry is self._hover:  # a lighter background, the colours kept
            hover = Style(bgcolor=self.get_component_rich_style("footer-key--hover").bgcolor)
            key_style, description_style = key_style + hover, description_style + hover
        key = entry.display if compact else f" {entry.display} "
        description = (f" {entry.description}" if compact else f"{entry.description} ") \
            if entry.description else ""
        text = Text.assemble((key, key_style), (description, description_style))
        if not entry.enabled:
            text.stylize(Style(dim=True))
        return text

    def render(self) -> Text:
        width = self.size.width
        right = Text()
        if self.palette is not None:
            right = Text.assemble(("▏", self.get_component_rich_style("footer-key--rule")),
                                  self._key_text(self.palette, compact=True), " ")
        room = max(0, width - right.cell_len)
        line, spans = Text(), []
        for entry in self.entries:
            start = line.cell_len
            if start >= room:
                break
            line.append_text(self._key_text(entry))
            spans.append((start, min(line.cell_len, room), entry))
        line.truncate(room, pad=True)
        if self.palette is not None:
            spans.append((room + 1, room + right.cell_len - 1, self.palette))
        self._spans = spans
        line.append_text(right)
        line.no_wrap, line.overflow = True, "crop"  # narrower than the palette key: cut
        return line

    def _entry_at(self, x: int) -> FooterEntry | None:
        return next((entry for start, end, entry in self._spans if start <= x < end), None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        entry = self._entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_on(self._entry_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._hover_on(None)

    def _hover_on(self, entry: FooterEntry | None) -> None:
        """Highlight ``entry`` (None: no key) and show its tooltip."""
        if entry is not self._hover:
            self._hover = entry
            self.tooltip = (entry.tooltip or None) if entry is not None else None
            self.refresh()


__all__ = ["FooterEntry", "KeyFooter"]
