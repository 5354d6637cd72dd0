"""Syntax colours that read on the app's theme.

Textual's default ``TextArea`` theme keeps its dark-theme token colours on a light
background (contrast near 1:1 in ``textual-light``), so text areas switch to the
``github_light`` theme while the app's theme is light.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.theme import Theme
from textual.widgets import TextArea

DARK, LIGHT = "css", "github_light"


def follow_app_theme(area: TextArea, owner: DOMNode | None = None) -> None:
    """Give ``area`` the syntax theme of the app's theme, now and after each change
    while ``owner`` (default: the area, which must be mounted) is mounted."""
    def apply(theme: Theme) -> None:
        area.theme = DARK if theme.dark else LIGHT

    apply(area.app.current_theme)
    area.app.theme_changed_signal.subscribe(owner or area, apply)
