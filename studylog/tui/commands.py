"""Every action in the command palette: the app's and the current screen's keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

# (title, help, what it does). Called directly rather than through run_action, so the
# app's check_action (which hides these keys while you type) does not block them when
# the palette was opened from a text box.
APP_COMMANDS: list[tuple[str, str, Callable[[StudylogApp], object]]] = [
    ("Go to Today", "Today's entry, what is due, your streak",
     lambda app: app.switch_mode("today")),
    ("Go to Journal", "Read and edit your days", lambda app: app.switch_mode("journal")),
    ("Go to Cards", "Browse, filter, edit and suspend cards",
     lambda app: app.switch_mode("cards")),
    ("Search", "Search days and cards as you type", lambda app: app.switch_mode("search")),
    ("Go to Stats", "Review heatmap, forecast, retention, cards, streak",
     lambda app: app.switch_mode("stats")),
    ("Go to Candidates", "Card candidates from bold-term bullets: accept or reject",
     lambda app: app.switch_mode("candidates")),
    ("Write today's entry", "Open today's day in the editor",
     lambda app: app.action_write_day()),
    ("Import logs", "Import Markdown logs from a file or folder",
     lambda app: app.action_import_logs()),
    ("Review", "Study the cards due now", lambda app: app.action_review()),
    ("Settings", "Decks on or off, daily limits, retention, steps; day start, time zone, "
     "editor, theme", lambda app: app.action_settings()),
    ("Help: keys", "The keys of every screen", lambda app: app.action_help()),
]


def key_label(binding: Binding) -> str:
    return binding.key_display or binding.key.split(",")[0]


def screen_bindings(screen_type: type[DOMNode]) -> list[Binding]:
    """The bindings a class declares (not the app's), as ``Binding`` objects."""
    found: list[Binding] = []
    for item in screen_type.BINDINGS:
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description:
            found.append(binding)
    return found


def help_bindings(cls: type[DOMNode]) -> list[Binding]:
    """What ``?`` lists for a class: its bindings, then its ``HELP_KEYS`` (keys a widget
    of it handles itself, such as the arrows of Today's deck list: no binding of the
    class, so the palette does not list them)."""
    from studylog.tui.app import StudylogApp
    from studylog.tui.screen_base import StudylogScreen

    own = cls.HELP_KEYS if issubclass(cls, (StudylogScreen, StudylogApp)) else []
    return screen_bindings(cls) + own


def app_commands(app: StudylogApp, screen: Screen[Any]) -> Iterable[SystemCommand]:
    for title, help_text, command in APP_COMMANDS:
        yield SystemCommand(title, help_text,
                            lambda command=command: app.call_later(command, app))
    for binding in screen_bindings(type(screen)):
        yield SystemCommand(
            f"{screen_title(type(screen))}: {binding.description}",
            f"key {key_label(binding)}",
            lambda action=binding.action: app.call_later(screen.run_action, action))


def screen_title(cls: type[DOMNode]) -> str:
    """A screen's heading: its ``SCREEN_NAME``, else its class name."""
    from studylog.tui.screen_base import StudylogScreen

    named = cls.SCREEN_NAME if issubclass(cls, StudylogScreen) else ""
    return named or cls.__name__.removesuffix("Screen")
