"""Errors the user can act on become one-line notifications, never tracebacks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual.message import Message

from studylog.core.storage.database import StoreError

# What a person can fix: bad input, a missing file, a locked or broken database. The
# core's own errors derive from these (DayError, CardError, ReviewError, DeckError are
# ValueErrors; PathError is an OSError), so this module need not import the modules that
# define them, which keeps the app's start-up import light.
EXPECTED_ERRORS: tuple[type[BaseException], ...] = (StoreError, OSError, ValueError)


def describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return text or type(error).__name__


def reports_errors(method: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an expected error raised by a handler or action into a notification."""
    @functools.wraps(method)
    def wrapper(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except EXPECTED_ERRORS as exc:
            self.notify(describe(exc), title="Could not do that", severity="error")
    return wrapper


class CatchErrors:
    """Mixed into the app's screens and dialogs (before ``Screen``): with
    ``AppSettings.catch_errors``, an exception in a message handler becomes a notification.
    Textual itself would stop the screen's message loop after reporting it, leaving a
    frozen screen."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:
            settings = getattr(self.app, "settings", None)  # type: ignore[attr-defined]
            if settings is None or not settings.catch_errors:
                raise
            self.app._handle_exception(error)  # type: ignore[attr-defined]
