"""``StudylogApp``: screens as modes over one store, built by ``make_app``.

The CLI and the tests build the app the same way, from a ``Store`` and ``AppSettings``;
tests hand in a temporary database and a frozen clock.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from studylog.core.changes import data_version
from studylog.core.preferences import save_theme, saved_editor, saved_theme
from studylog.core.storage.database import Store
from studylog.tui import parsed_css
from studylog.tui.commands import app_commands
from studylog.tui.daily_copy import take_daily_copy_later
from studylog.tui.errors import ReportsErrors
from studylog.tui.hangul_keys import latin_key
from studylog.tui.long_lived import freeze_long_lived, thaw
from studylog.tui.messages import DataChanged
from studylog.tui.read_ahead import ReadAhead
from studylog.tui.screens.today_screen import TodayScreen
from studylog.tui.settings import AppSettings

if TYPE_CHECKING:
    from textual.widget import AwaitMount
    from textual.widgets import TextArea

    from studylog.core.stats import Stats
    from studylog.runner import SnippetRunner
    from studylog.tui.screens.cards_screen import Loaded
    from studylog.tui.screens.journal_screen import DayListing


def lazy_screen(module: str, name: str) -> Callable[[], Screen[Any]]:
    """A mode's screen, imported when the mode is first opened: start-up builds only
    Today (the other screens pull in tables, text areas, search and parsing)."""
    def build() -> Screen[Any]:
        screen_class = vars(importlib.import_module(f"studylog.tui.screens.{module}"))[name]
        screen = cast(Screen[Any], screen_class())
        # Textual restyles every screen built so far (``refresh_css``: 40-100 ms at ten
        # years) when a mode's new screen is not marked as styled with the app's CSS as
        # it is; a new screen's widgets are styled with that CSS as they mount anyway
        screen._css_update_count = screen.app._css_update_count
        return screen
    return build


# The screens' modules, imported in a thread once Today is up (see ``preload_screens``).
PRELOADED_SCREENS = ("journal_screen", "cards_screen", "review_screen", "search_screen",
                     "stats_screen", "card_screen", "candidates_screen")


def is_text_box(widget: object) -> bool:
    """An Input or an editable TextArea, told by class name so that start-up need not
    import those widgets (TextArea loads tree-sitter)."""
    names = {cls.__name__ for cls in type(widget).__mro__}
    if "TextArea" in names:
        return not cast("TextArea", widget).read_only
    return "Input" in names


class StudylogApp(ReportsErrors, App[None]):
    TITLE = "studylog"
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "today"  # start on Today (no blank default screen to switch away from)
    MODES = {
        "today": TodayScreen,
        "journal": lazy_screen("journal_screen", "JournalScreen"),
        "cards": lazy_screen("cards_screen", "CardsScreen"),
        "search": lazy_screen("search_screen", "SearchScreen"),
        "candidates": lazy_screen("candidates_screen", "CandidatesScreen"),
        "stats": lazy_screen("stats_screen", "StatsScreen"),
    }
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("t", "switch_mode('today')", "Today"),
        Binding("j", "switch_mode('journal')", "Journal"),
        Binding("c", "switch_mode('cards')", "Cards"),
        Binding("slash", "switch_mode('search')", "Search", key_display="/"),
        # not in the footer: Today shows the key when candidates wait
        Binding("p", "switch_mode('candidates')", "Candidates", show=False),
        Binding("S", "switch_mode('stats')", "Stats"),
        Binding("i", "import_logs", "Import"),
        Binding("comma", "settings", "Settings", key_display=","),
        # its own action, so that hiding q while you type leaves ctrl+q (quit) alone
        Binding("q", "quit_key", "Quit"),
    ]
    # for ? (help_bindings): Textual's own quit key, which works in a text box too
    HELP_KEYS: ClassVar[list[Binding]] = [Binding("ctrl+q", "", "Quit, also from a text box")]
    # single-key app actions: a text box takes these keys as text, so while one has
    # focus they are hidden from the footer (the palette still runs them)
    TYPING_HIDES = {"help", "switch_mode", "import_logs", "quit_key", "settings"}

    def __init__(self, store: Store, settings: AppSettings | None = None):
        super().__init__()
        parsed_css.install(self)  # each CSS source parsed once, not once a screen
        self.store = store
        self.settings = settings or AppSettings()
        self._reader: Store | None = None
        # what Stats, the Journal and Cards show first, read early (see read_ahead)
        self.stats_ahead: ReadAhead[Stats] | None = None
        self.days_ahead: ReadAhead[DayListing] | None = None
        self.cards_ahead: ReadAhead[Loaded] | None = None
        # the snippet runner, made on first use (this process never imports torch)
        self._runner: SnippetRunner | None = None
        self.runner_ready = False
        # what waits for the first frame (see after_first_frame); None once it is shown
        self._after_first_frame: list[Callable[[], object]] | None = []
        # ... and for the first screen to be filled in (see first_screen_filled)
        self._after_first_fill: list[Callable[[], object]] | None = []
        theme = self.settings.theme or saved_theme(store)
        if theme and theme in self.available_themes:
            self.theme = theme
        editor = saved_editor(store)
        if editor:  # chosen in Settings: it wins over $VISUAL/$EDITOR
            self.use_editor(editor)

    def use_editor(self, command: str) -> None:
        """Edit in ``command`` from now on ('' : $VISUAL or $EDITOR again)."""
        import shlex

        from studylog.tui.settings import editor_command

        self.settings.editor = shlex.split(command) if command else editor_command()

    def on_load(self) -> None:
        # Building the first screen makes many objects and little garbage: collecting
        # meanwhile costs ~25 ms of start-up (20k cards). first_screen_filled re-enables it.
        gc.disable()

    def on_ready(self) -> None:
        waiting, self._after_first_frame = self._after_first_frame or [], None
        for callback in waiting:
            callback()

    def first_screen_filled(self) -> None:
        """Called by the first screen (Today) once it shows what it holds, loaded right
        after its first frame: what waits for that starts now."""
        gc.enable()
        waiting, self._after_first_fill = self._after_first_fill or [], None
        for callback in waiting:
            callback()

    def after_first_frame(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the first screen is displayed (at once if it is): work
        the first frame does not show (Today's heatmap, the snippet runner) would
        otherwise take turns with building it. ``call_after_refresh`` is too early:
        the app refreshes before its first screen is laid out."""
        if self._after_first_frame is None:
            callback()
        else:
            self._after_first_frame.append(callback)

    def on_mount(self) -> None:
        if self.settings.daily_copy:
            self.after_first_frame(lambda: take_daily_copy_later(self))
        # Importing the other screens (a thread holding the GIL) and starting torch's
        # warm process wait until Today is filled in: they slowed that load down 2-3x.
        self._after_filled(self.preload_screens)
        if self.settings.read_ahead:
            self._after_filled(self.count_stats_ahead)
            self._after_filled(self.read_lists_ahead)
        if self.settings.warm_runner:
            # torch loads in the warm process while you read Today: the first snippet
            # run then starts in milliseconds instead of a second and a half
            self._after_filled(self.warm_runner)

    def _after_filled(self, callback: Callable[[], object]) -> None:
        if self._after_first_fill is None:
            callback()
        else:
            self._after_first_fill.append(callback)

    # -- snippets ------------------------------------------------------------------------
    @property
    def runner(self) -> SnippetRunner:
        """The snippet runner (its warm process imports torch; this process never does)."""
        if self._runner is None:
            from studylog.runner import SnippetRunner

            self._runner = SnippetRunner(
                preload=self.settings.runner_preload,
                preload_when_idle=self.settings.runner_preload_when_idle,
                live_lines_per_s=self.settings.live_lines_per_s,
            )
        return self._runner

    @work(thread=True, group="preload", exit_on_error=False)
    def preload_screens(self) -> None:
        """Import the other screens' modules (and the widgets they use) while you read
        Today: 20-80 ms each, which the first press of j, c, / or r paid on the event
        loop. A key pressed meanwhile waits only for the module being imported."""
        for module in PRELOADED_SCREENS:
            if get_current_worker().is_cancelled:
                return
            importlib.import_module(f"studylog.tui.screens.{module}")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "preload" and event.state == WorkerState.SUCCESS:
            freeze_long_lived()  # start-up and the modules live as long as the app

    def count_stats_ahead(self) -> None:
        """Count Stats' figures in a thread while you read Today (see ``read_ahead``)."""
        self.stats_ahead = ReadAhead(data_version(self.store), self.settings.now())
        self._count_stats_ahead(self.stats_ahead)

    @work(thread=True, group="stats-ahead", exit_on_error=False)
    def _count_stats_ahead(self, ahead: ReadAhead[Stats]) -> None:
        from studylog.core.stats import compute_stats

        store = Store(self.store.path)  # its own connection: a thread of its own
        try:
            ahead.value = compute_stats(store, ahead.at, self.settings.tz)
        finally:
            store.close()

    def read_lists_ahead(self) -> None:
        """Read the Journal's days and the Cards' ids (unfiltered) in a thread while you
        read Today (see ``read_ahead``)."""
        version, now = data_version(self.store), self.settings.now()
        self.days_ahead, self.cards_ahead = ReadAhead(version, now), ReadAhead(version, now)
        self._read_lists_ahead(self.days_ahead, self.cards_ahead)

    @work(thread=True, group="lists-ahead", exit_on_error=False)
    def _read_lists_ahead(self, days: ReadAhead[DayListing],
                          cards: ReadAhead[Loaded]) -> None:
        from studylog.core.cards.card_list import CardFilter
        from studylog.tui.screens.cards_screen import read_cards
        from studylog.tui.screens.journal_screen import read_days

        store = Store(self.store.path)  # its own connection: a thread of its own
        try:
            days.value = read_days(store)
            cards.value = read_cards(store, CardFilter(), cards.at, self.settings.tz)
        finally:
            store.close()

    @work(thread=True, group="warm-runner", exit_on_error=False)
    def warm_runner(self) -> None:
        self.runner_ready = self.runner.start(wait=True)

    async def on_event(self, event: events.Event) -> None:
        # Korean input mode: a 2-set jamo key is its Latin key (ㄱ is r), before any
        # binding sees it, except in a text box, where the jamo is text
        if (isinstance(event, events.Key) and not event.is_forwarded
                and (latin := latin_key(event.key)) and not is_text_box(self.focused)):
            event = events.Key(latin, latin)
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.TYPING_HIDES and is_text_box(self.focused):
            return False
        return True

    # -- the database from worker threads -------------------------------------------
    def reader(self) -> Store:
        """A second connection for read-only worker threads (search), so they never
        share a transaction with the UI thread's writes."""
        if self._reader is None:
            self._reader = Store(self.store.path)
        return self._reader

    # -- navigation ----------------------------------------------------------------
    def switch_mode(self, mode: str) -> AwaitMount:
        first = mode in self.MODES and not self.mode_stack(mode)
        mounted = super().switch_mode(mode)
        if first:  # a mode's screen lives as long as the app (see long_lived)
            self.get_screen_stack(mode)[0].call_after_refresh(freeze_long_lived)
        return mounted

    def mode_stack(self, mode: str) -> list[Screen[Any]]:
        """The screens of ``mode``; none before it is first opened."""
        try:
            return self.get_screen_stack(mode)
        except KeyError:
            return []

    async def action_open_day(self, day: str, terms: list[str] | None = None) -> None:
        """Show ``day`` (``YYYY-MM-DD``) in the Journal; from search, at the first match
        of ``terms``."""
        await self.switch_mode("journal")
        from studylog.tui.screens.journal_screen import JournalScreen

        journal = self.get_screen_stack("journal")[0]
        if isinstance(journal, JournalScreen):
            journal.show_day(day, terms)

    def action_open_card(self, card_id: int, terms: list[str] | None = None) -> None:
        """Show one card; from search, at the first match of ``terms``."""
        from studylog.core.cards.card_editing import card_detail
        from studylog.tui.screens.card_screen import CardScreen

        self.push_screen(CardScreen(card_detail(self.store, card_id, self.settings.now()),
                                    terms))

    def action_write_day(self, day: str | None = None) -> None:
        """Write (or edit) a day in the editor; today when no day is given."""
        from studylog.tui.screens.day_editor_screen import DayEditorScreen

        target = date.fromisoformat(day) if day else self.today()
        self.push_screen(DayEditorScreen(target))

    def action_import_logs(self) -> None:
        from studylog.tui.dialogs.import_dialog import ImportDialog

        self.push_screen(ImportDialog(), self._imported)

    def _imported(self, changed: bool | None) -> None:
        if changed:
            self.post_message(DataChanged())

    def action_settings(self) -> None:
        from studylog.tui.screens.settings_screen import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

    def action_help(self) -> None:
        from studylog.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(type(self.screen)))

    def today(self) -> date:
        """The study day the app's clock is in (the day being written)."""
        from studylog.core.review.settings import current_study_day

        return current_study_day(self.store, self.settings.now(), self.settings.tz).date

    def all_screens(self) -> list[Screen[Any]]:
        """Every screen built so far, in every mode (a mode not opened yet has none)."""
        return [screen for mode in self.MODES
                for screen in self.mode_stack(mode)]

    def on_data_changed(self, message: DataChanged) -> None:
        """Pass the news on to every screen but the one that changed the data."""
        for screen in self.all_screens():
            if screen is not message.origin:
                screen.post_message(DataChanged(message.origin))


    # -- quitting -------------------------------------------------------------------
    async def action_quit_key(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        from studylog.tui.screens.day_editor_screen import DayEditorScreen

        editors = [s for s in self.all_screens()
                   if isinstance(s, DayEditorScreen) and s.is_dirty]
        if not editors:
            self.exit()
            return
        from studylog.tui.dialogs.confirm_dialog import ConfirmDialog

        days = ", ".join(e.day.isoformat() for e in editors)

        def answered(choice: str | None) -> None:
            if choice == "quit":
                for editor in editors:  # the draft timer may not have fired yet
                    editor.write_draft()
                self.exit()  # the drafts stay in the database, offered next time

        self.push_screen(ConfirmDialog(
            f"Unsaved edits of {days}. They are kept as a draft and offered when you "
            "edit the day again.", [("quit", "Quit, keep draft"), ("cancel", "Stay")]),
            answered)

    # -- the command palette ------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's "Keys" panel is replaced by our help (every screen's keys)
        yield from (c for c in super().get_system_commands(screen) if c.title != "Keys")
        yield from app_commands(self, screen)
        # the palette's file commands pull in dialogs: loaded when the palette opens
        from studylog.tui.file_commands import file_commands

        yield from file_commands(self)

    def watch_theme(self, theme: str) -> None:
        if self.is_running:  # a theme chosen in the palette is kept for next time
            save_theme(self.store, theme)

    def action_review(self, deck: str | None = None) -> None:
        """Study the cards due now (all decks, or one)."""
        from studylog.core.review.session import ReviewSession
        from studylog.tui.screens.review_screen import ReviewScreen

        self.push_screen(ReviewScreen(ReviewSession(self.store, deck, tz=self.settings.tz)))

    async def on_unmount(self) -> None:
        gc.enable()  # in case the app ends before it was ready
        thaw()
        if self._runner is not None:
            self._runner.close()  # stops a snippet still running, and the warm process
        # the reader is not closed here: a worker thread may be in the middle of a query
        # on it (Today's loader on a quick quit), and closing a connection under another
        # thread's query fails it, or worse. Dropping the app's reference closes it now
        # when nothing else holds it, else when the last worker using it lets go.
        self._reader = None


def make_app(store: Store, settings: AppSettings | None = None) -> StudylogApp:
    """The one way to build the app (the CLI and the tests both call it)."""
    return StudylogApp(store, settings)
