"""The bases of the app's screens and dialogs: their handlers report errors (see
``errors``), and ``self.app`` is typed as the ``StudylogApp`` it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual import getters
from textual.screen import ModalScreen, Screen

from studylog.tui.errors import ReportsErrors

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
