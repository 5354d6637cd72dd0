"""The bases of the app's screens and dialogs: their handlers report errors (see
``errors``), and ``self.app`` is typed as the ``StudylogApp`` it is."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import getters
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from studylog.core.changes import Version, data_version
from studylog.tui.errors import ReportsErrors
from studylog.tui.messages import DataChanged

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

ResultType = TypeVar("ResultType")


class StudylogScreen(ReportsErrors, Screen[ResultType]):
    """A full screen of the app (Today, Journal, a card, review...)."""

    SCREEN_NAME = ""  # its heading in the help screen and the palette; "" = class name
    # keys a widget of the screen handles itself, for ? (commands.help_bindings)
    HELP_KEYS: ClassVar[list[Binding]] = []

    if TYPE_CHECKING:  # only the type (Textual's getters.app): at run time Textual's own
        app = getters.app(StudylogApp)  # property answers, and no import cycle forms


class StudylogDialog(ReportsErrors, ModalScreen[ResultType]):
    """A modal dialog that ``dismiss()``-es a ``ResultType``."""

    if TYPE_CHECKING:
        app = getters.app(StudylogApp)


class RefreshingScreen(StudylogScreen[None]):
    """A screen of figures that may move on while it is hidden (Today, Stats): it
    refreshes when data changes, and on coming back when the database changed meanwhile
    (``Store.data_version``) or its figures are older than ``STALE_AFTER`` by the app's
    clock (due counts move with time); a plain return costs nothing. Subclasses define
    ``refresh_data``."""

    STALE_AFTER = timedelta(minutes=1)

    def __init__(self) -> None:
        super().__init__()
        self._seen: tuple[Version, datetime] | None = None  # data version, time

    def refresh_data(self) -> None:
        raise NotImplementedError

    def _note(self) -> None:
        self._seen = (data_version(self.app.store), self.app.settings.now())

    def on_mount(self) -> None:
        self._note()  # (after the subclass's on_mount has loaded the screen)

    def on_screen_resume(self) -> None:
        # Textual sends ScreenResume (once or twice) right after on_mount: nothing moved
        if self._seen is None:
            return
        version, at = self._seen
        if version != data_version(self.app.store) or \
                self.app.settings.now() - at > self.STALE_AFTER:
            self.refresh_data()
            self._note()

    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()
        self._note()


class LoadingScreen(StudylogScreen[None]):
    """A screen of rows read from the database (Cards, Journal): loaded when mounted,
    again on DataChanged while it is shown, and on coming back only when the database
    changed meanwhile (``Store.data_version``), so a return costs nothing otherwise.
    Subclasses define ``load``, which starts the (worker) reload."""

    def __init__(self) -> None:
        super().__init__()
        self._version: Version | None = None  # when last loaded; None: stale

    def load(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        """Load again, noting the version of the data it reads."""
        self._version = data_version(self.app.store)
        self.load()

    def on_mount(self) -> None:
        self.reload()

    def came_back(self) -> None:
        """Shown again with its data as loaded: redraw what moves with the clock."""

    def on_screen_resume(self) -> None:
        if self._version != data_version(self.app.store):
            self.reload()
        else:
            self.came_back()

    def on_data_changed(self, message: DataChanged) -> None:
        if self.is_current:
            self.reload()
        else:
            self._version = None  # reloaded on coming back
