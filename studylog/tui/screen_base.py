"""The bases of the app's screens and dialogs: their handlers report errors (see
``errors``), and ``self.app`` is typed as the ``StudylogApp`` it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.screen import ModalScreen, Screen

from studylog.tui.errors import ReportsErrors
from studylog.tui.messages import DataChanged

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

ResultType = TypeVar("ResultType")


class StudylogScreen(ReportsErrors, Screen[ResultType]):
    """A full screen of the app (Today, Journal, a card, review...)."""

    SCREEN_NAME = ""  # its heading in the help screen and the palette; "" = class name

    if TYPE_CHECKING:  # only the type (Textual's getters.app): at run time Textual's own
        app = getters.app(StudylogApp)  # property answers, and no import cycle forms


class StudylogDialog(ReportsErrors, ModalScreen[ResultType]):
    """A modal dialog that ``dismiss()``-es a ``ResultType``."""

    if TYPE_CHECKING:
        app = getters.app(StudylogApp)


class RefreshingScreen(StudylogScreen[None]):
    """A screen of figures that may move on while it is hidden (Today, Stats): it
    refreshes when data changes and when you come back to it after leaving it.
    Subclasses define ``refresh_data``."""

    def __init__(self) -> None:
        super().__init__()
        self._stale = False  # left for another screen: what it shows may have moved on

    def refresh_data(self) -> None:
        raise NotImplementedError

    def on_screen_suspend(self) -> None:
        self._stale = True

    def on_screen_resume(self) -> None:
        # Textual sends ScreenResume (once or twice) right after on_mount has loaded the
        # screen: reload only when coming back to it (20k cards: ~20 ms a reload).
        if self._stale:
            self._stale = False
            self.refresh_data()

    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()


class LoadingScreen(StudylogScreen[None]):
    """A screen of rows read from the database (Cards, Journal): loaded when mounted,
    again on DataChanged while it is shown, and on coming back only when the database
    changed meanwhile (``Store.data_version``), so a return costs nothing otherwise.
    Subclasses define ``load``, which starts the (worker) reload."""

    def __init__(self) -> None:
        super().__init__()
        self._version: tuple[int, int] | None = None  # when last loaded; None: stale

    def load(self) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        """Load again, noting the version of the data it reads."""
        self._version = self.app.store.data_version()
        self.load()

    def on_mount(self) -> None:
        self.reload()

    def came_back(self) -> None:
        """Shown again with its data as loaded: redraw what moves with the clock."""

    def on_screen_resume(self) -> None:
        if self._version != self.app.store.data_version():
            self.reload()
        else:
            self.came_back()

    def on_data_changed(self, message: DataChanged) -> None:
        if self.is_current:
            self.reload()
        else:
            self._version = None  # reloaded on coming back
