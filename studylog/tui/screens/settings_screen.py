"""Settings (`,` or the palette): per deck (on/off, new cards and reviews per day,
desired retention, learning steps, leech threshold) and for everything (when the study
day starts, the time zone, the editor, the theme, and your Markdown files: write-back,
the journal folder and one file per week or day, as ``studylog write-back`` sets them).

A field is saved as soon as you leave it (enter, tab or a click elsewhere); a switch or
a choice at once. A value that is not valid is refused in one line under the fields and
nothing is written; the field stays as typed so you can fix it.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, Switch

from studylog.core.journal.journal_settings import (
    journal_settings,
    set_folder_text,
    set_journal_folder,
    set_write_back,
)
from studylog.core.review.setting_fields import (
    DECK_FIELDS,
    GLOBAL_FIELDS,
    deck_field_texts,
    global_field_texts,
    set_deck_enabled,
    set_deck_field,
    set_global_field,
)
from studylog.core.review.settings import all_deck_settings
from studylog.errors import StudylogError
from studylog.tui.errors import on
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import StudylogScreen
from studylog.tui.widgets.key_footer import KeyFooter

DECK_LABELS = {"new_per_day": "New per day", "reviews_per_day": "Reviews per day",
               "desired_retention": "Retention", "learning_steps": "Learning steps",
               "leech_threshold": "Leech at lapses"}
GLOBAL_LABELS = {"day_start": "Day starts (hour)", "timezone": "Time zone",
                 "editor": "Editor"}
GLOBAL_HINTS = {"timezone": "system zone", "editor": "$VISUAL / $EDITOR"}


def row(label: str, *widgets: Input | Select[str] | Switch | Static) -> Horizontal:
    return Horizontal(Label(label, classes="setting-label"), *widgets, classes="setting-row")


def write_back_text(on: bool) -> str:
    return " on" if on else " off"


def enabled_text(on: bool) -> str:
    # fits beside the switch at 80 columns; the status line says the rest (kept, not
    # counted) when the deck is turned off
    return " reviewed" if on else " not reviewed"


def put_text(field: Input, text: str) -> None:
    """Show ``text`` in a field being typed in, the cursor after it as after typing:
    Textual keeps the cursor's column, which left "85%" shown as 0.85 with it inside."""
    if field.value != text:
        field.value = text
        field.cursor_position = len(text)


class SettingsScreen(StudylogScreen[None]):
    SCREEN_NAME = "Settings"
    BINDINGS = [Binding("escape", "leave", "Back")]

    def __init__(self, deck: str | None = None) -> None:
        super().__init__()
        self.deck = deck  # the deck shown; the first deck when None
        self.shown: dict[str, str] = {}  # input id -> the value saved, as text

    def compose(self) -> ComposeResult:
        decks = list(all_deck_settings(self.app.store))
        if decks and self.deck not in decks:
            self.deck = decks[0]
        themes = sorted(self.app.available_themes)
        yield Static("Settings", id="settings-title", classes="screen-title")
        with VerticalScroll(id="settings-body"):
            with Horizontal(id="settings-panels"):
                with Vertical(id="settings-deck", classes="panel"):
                    yield row("Deck", Select([(d, d) for d in decks], id="set-deck",
                                             value=self.deck or Select.NULL,
                                             allow_blank=not decks, compact=True))
                    yield row("On", Switch(id="set-enabled"), Static(id="set-enabled-text"))
                    for field in DECK_FIELDS:
                        yield row(DECK_LABELS[field.name],
                                  Input(id=f"set-{field.name}", compact=True))
                with Vertical(id="settings-global", classes="panel"):
                    for name in GLOBAL_FIELDS:
                        yield row(GLOBAL_LABELS[name],
                                  Input(id=f"set-{name}", compact=True,
                                        placeholder=GLOBAL_HINTS.get(name, "")))
                    yield row("Theme", Select([(t, t) for t in themes], id="set-theme",
                                              value=self.app.theme, allow_blank=False,
                                              compact=True))
                    # your Markdown files: the settings of studylog write-back / journal-folder
                    yield row("Write back", Switch(id="set-write_back"),
                              Static(id="set-write_back-text"))
                    yield row("Journal folder", Input(id="set-journal_folder", compact=True,
                                                      placeholder="none"))
                    yield row("One file per", Select([("week", "week"), ("day", "day")],
                                                     id="set-journal_per", allow_blank=False,
                                                     compact=True))
            yield Static(id="settings-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#settings-deck").border_title = "Deck"
        self.query_one("#settings-global").border_title = "Everywhere"
        texts = global_field_texts(self.app.store)
        for name in GLOBAL_FIELDS:
            self._load(f"set-{name}", texts[name])
        self._show_deck()
        self._show_files()
        self.status(Text("Each field is saved when you leave it (enter or tab).", "dim"))
        self.query_one("#set-deck", Select).focus()

    def _load(self, input_id: str, text: str) -> None:
        self.query_one(f"#{input_id}", Input).value = text
        self.shown[input_id] = text

    def _show_deck(self) -> None:
        if self.deck is None:
            return
        settings, texts = deck_field_texts(self.app.store, self.deck)
        with self.prevent(Switch.Changed):  # showing a deck is not a change
            self.query_one("#set-enabled", Switch).value = settings.enabled
        self.query_one("#set-enabled-text", Static).update(enabled_text(settings.enabled))
        for field in DECK_FIELDS:
            self._load(f"set-{field.name}", texts[field.name])

    def _show_files(self) -> None:
        files = journal_settings(self.app.store)
        with self.prevent(Switch.Changed, Select.Changed):  # showing them is no change
            self.query_one("#set-write_back", Switch).value = files.write_back
            self.query_one("#set-journal_per", Select).value = files.per
        self.query_one("#set-write_back-text", Static).update(write_back_text(files.write_back))
        self._load("set-journal_folder", files.folder or "")

    def status(self, text: Text) -> None:
        self.query_one("#settings-status", Static).update(text)

    # -- saving --------------------------------------------------------------------------
    def _save(self, widget: Input) -> None:
        input_id = widget.id or ""
        if widget.value == self.shown.get(input_id):
            return
        name = input_id.removeprefix("set-")
        try:
            if name == "journal_folder":
                saved = set_folder_text(self.app.store, widget.value)
                what = "journal folder"
            elif name in GLOBAL_FIELDS:
                saved = set_global_field(self.app.store, name, widget.value)
                if name == "editor":
                    self.app.use_editor(saved)
                what = GLOBAL_LABELS[name].lower()
            else:
                assert self.deck is not None
                saved = set_deck_field(self.app.store, self.deck, name, widget.value)
                what = f"{DECK_LABELS[name].lower()} of {self.deck}"
        except StudylogError as exc:
            widget.add_class("-invalid")
            self.status(Text(str(exc), "bold red"))
            return
        widget.remove_class("-invalid")
        put_text(widget, saved)
        self.shown[input_id] = saved
        self.status(Text(f"Saved: {what} = {saved or '(default)'}", "green"))
        self.app.post_message(DataChanged(origin=self))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self._save(event.input)

    @on(Input.Blurred)
    def _left(self, event: Input.Blurred) -> None:
        self._save(event.input)

    @on(Switch.Changed, "#set-enabled")
    def _enabled(self, event: Switch.Changed) -> None:
        if self.deck is None:
            return
        set_deck_enabled(self.app.store, self.deck, event.value)
        self.query_one("#set-enabled-text", Static).update(enabled_text(event.value))
        self.status(Text(f"Saved: {self.deck} is {'on' if event.value else 'off'}"
                         + ("" if event.value else " (kept, not reviewed, not counted)"),
                         "green"))
        self.app.post_message(DataChanged(origin=self))

    @on(Switch.Changed, "#set-write_back")
    def _write_back(self, event: Switch.Changed) -> None:
        set_write_back(self.app.store, event.value)
        self.query_one("#set-write_back-text", Static).update(write_back_text(event.value))
        self.status(Text(f"Saved: write-back {'on' if event.value else 'off'}", "green"))

    @on(Select.Changed, "#set-journal_per")
    def _journal_per(self, event: Select.Changed) -> None:
        files = journal_settings(self.app.store)
        if event.value in ("week", "day") and event.value != files.per:
            folder = Path(files.folder) if files.folder else None
            set_journal_folder(self.app.store, folder, "day" if event.value == "day" else "week")
            self.status(Text(f"Saved: one file per {event.value} in the journal folder",
                             "green"))

    @on(Select.Changed, "#set-deck")
    def _deck_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.deck:
            self.deck = event.value
            self._show_deck()

    @on(Select.Changed, "#set-theme")
    def _theme_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value != self.app.theme:
            self.app.theme = event.value  # the app keeps it for next time
            self.status(Text(f"Saved: theme = {event.value}", "green"))

    def action_leave(self) -> None:
        """Back; a field being typed in is saved first. When it is not valid the error
        stays on screen with the field put back, and escape again leaves."""
        focused = self.focused
        if isinstance(focused, Input) and focused.value != self.shown.get(focused.id or ""):
            self._save(focused)
            if focused.has_class("-invalid"):
                put_text(focused, self.shown.get(focused.id or "", ""))
                focused.remove_class("-invalid")
                return
        self.dismiss()
