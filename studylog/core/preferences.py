"""App preferences kept in the database (so every terminal gets the same)."""

from __future__ import annotations

from studylog.core.storage.database import Store

META_THEME = "theme"


def saved_theme(store: Store) -> str | None:
    """The theme last chosen in the app, if any."""
    return store.settings.get_meta(META_THEME)


def save_theme(store: Store, theme: str) -> None:
    """Remember ``theme`` for the next start."""
    with store.write():
        store.settings.set_meta(META_THEME, theme)
