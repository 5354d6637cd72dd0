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


META_EDITOR = "editor"


def saved_editor(store: Store) -> str | None:
    """The editor command chosen in the settings screen ('' or None: $VISUAL/$EDITOR)."""
    return store.settings.get_meta(META_EDITOR) or None


def save_editor(store: Store, command: str) -> None:
    """Remember the editor command (a shell-like line such as ``code --wait``); '' goes
    back to $VISUAL or $EDITOR. A line that does not split is refused in one line."""
    import shlex

    from studylog.errors import StudylogError

    try:
        shlex.split(command)
    except ValueError as exc:
        raise StudylogError(f"editor: {exc} in {command!r}") from None
    with store.write():
        store.settings.set_meta(META_EDITOR, command)
