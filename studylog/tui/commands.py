"""Every action in the command palette: the app's and the current screen's keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.binding import Binding
from textual.screen import Screen

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

# (title, help, app method, arguments). Called directly rather than through
# run_action, so the app's check_action (which hides these keys while you type) does not
# block them when the palette was opened from a text box.
APP_COMMANDS = [
    ("Go to Today", "Today's entry, what is due, your streak", "switch_mode", ("today",)),
    ("Go to Journal", "Read and edit your days", "switch_mode", ("journal",)),
    ("Go to Cards", "Browse, filter, edit and suspend cards", "switch_mode", ("cards",)),
    ("Search", "Search days and cards as you type", "switch_mode", ("search",)),
    ("Go to Candidates", "Card candidates from bold-term bullets: accept or reject",
     "switch_mode", ("candidates",)),
    ("Write today's entry", "Open today's day in the editor", "action_write_day", ()),
    ("Import logs", "Import Markdown logs from a file or folder", "action_import_logs", ()),
    ("Review", "Study the cards due now", "action_review", ()),
    ("Help: keys", "The keys of every screen", "action_help", ()),
]


def key_label(binding: Binding) -> str:
    return binding.key_display or binding.key.split(",")[0]


def screen_bindings(screen_type: type) -> list[Binding]:
    """The bindings a screen class declares (not the app's), as ``Binding`` objects."""
    found: list[Binding] = []
    for item in getattr(screen_type, "BINDINGS", []):
        binding = item if isinstance(item, Binding) else Binding(*item)
        if binding.description:
            found.append(binding)
    return found


def app_commands(app: StudylogApp, screen: Screen) -> Iterable[SystemCommand]:
    for title, help_text, method, args in APP_COMMANDS:
        yield SystemCommand(title, help_text, lambda method=method, args=args:
                            app.call_later(getattr(app, method), *args))
    for binding in screen_bindings(type(screen)):
        yield SystemCommand(
            f"{screen_title(screen)}: {binding.description}", f"key {key_label(binding)}",
            lambda action=binding.action: app.call_later(screen.run_action, action))


def screen_title(screen: Screen | type) -> str:
    cls = screen if isinstance(screen, type) else type(screen)
    return getattr(cls, "SCREEN_NAME", None) or cls.__name__.removesuffix("Screen")
