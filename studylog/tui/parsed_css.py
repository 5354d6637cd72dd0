"""The app's stylesheet: each CSS source parsed once, not once a screen.

Textual (8.2) parses every CSS source again whenever a screen is first shown: opening a
mode calls ``refresh_css``, which resets the variables (clearing the parse cache even
when they are the same) and re-parses all ~100 sources (the app's ``app.tcss`` and every
widget's ``DEFAULT_CSS``) in a fresh ``Stylesheet``; a widget class seen for the first
time re-parses them all again, through a 64-entry LRU cache that a scan of 100 sources
always misses. That was 40-100 ms of every first screen opening. ``ParsedOnceStylesheet``
gives the same rules: it keeps the parsed sources while the variables (the theme) stay
the same, in a cache big enough for all of them, and re-parses in place (``parse``
keeps the old rules when a source fails, as the fresh ``Stylesheet`` did).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.cache import LRUCache
from textual.css.stylesheet import Stylesheet

PARSE_CACHE_SIZE = 1024  # sources: the app has ~100


class ParsedOnceStylesheet(Stylesheet):
    """A ``Stylesheet`` that parses a source again only when it or the variables
    change."""

    def __init__(self, *, variables: dict[str, str] | None = None) -> None:
        super().__init__(variables=variables)
        self._parse_cache = LRUCache(PARSE_CACHE_SIZE)

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables == self._variables:
            return  # the same theme: what was parsed with them still holds
        super().set_variables(variables)

    def reparse(self) -> None:
        self.parse()  # unchanged sources come from the cache


def install(app: App[Any]) -> None:
    """Give ``app`` (before it runs) a ``ParsedOnceStylesheet`` with the sources and
    variables of the one it has."""
    old = app.stylesheet
    new = ParsedOnceStylesheet(variables=old._variables)
    new.source = dict(old.source)
    new._require_parse = bool(new.source)
    app.stylesheet = new
