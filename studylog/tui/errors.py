"""Errors in the app: one line for what you can fix, a logged traceback for a bug.

Textual ends the app when a handler raises (and first stops the message loop of the
widget whose handler failed), which would close or freeze the journal on the first buggy
key. The app's own classes are guarded instead, through public Textual API only:

- ``ReportsErrors`` (mixed into the app, its screens, dialogs and widgets) wraps the
  ``on_*``, ``action_*`` and ``watch_*`` methods each class defines, every event the
  object gets (``call_later`` callbacks arrive as events), and the callbacks it hands to
  ``call_next`` (which ``set_timer`` and a dismissed screen's result use) and
  ``set_interval``;
- ``on`` is Textual's ``@on`` with the same guard.

A ``StudylogError`` becomes a one-line notification. Anything else is a bug: its traceback
goes to ``AppSettings.error_log`` and the notification says where; with
``AppSettings.catch_errors`` off (the tests) it propagates and ends the app, loudly.
"""

from __future__ import annotations

import functools
import inspect
import traceback
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import textual
from textual import events
from textual.actions import SkipAction
from textual.message import Message
from textual.message_pump import CallbackError, MessagePump
from textual.timer import Timer, TimerCallback

from studylog.errors import StudylogError

if TYPE_CHECKING:
    from textual.app import App

    from studylog.tui.app import StudylogApp

F = TypeVar("F", bound=Callable[..., Any])
HANDLER_PREFIXES = ("on_", "action_", "watch_")
_guarded: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()  # wrapped once only


def describe(error: BaseException) -> str:
    """The first line of the error's message (its type's name if it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def report(app: App[Any], error: Exception) -> bool:
    """Show ``error`` in ``app``; False when it is a bug the app must not swallow."""
    while isinstance(error, CallbackError) and isinstance(error.__context__, Exception):
        error = error.__context__  # a timer's callback failed: report what it raised
    if isinstance(error, StudylogError):
        app.notify(describe(error), title="Could not do that", severity="error")
        return True
    settings = cast("StudylogApp", app).settings
    if not settings.catch_errors:
        return False
    where = ""
    if settings.error_log is not None:
        try:
            settings.error_log.parent.mkdir(parents=True, exist_ok=True)
            with open(settings.error_log, "a", encoding="utf-8") as log:
                log.write("".join(traceback.format_exception(error)) + "\n")
            where = f" (details in {settings.error_log})"
        except OSError:
            pass  # the notification still says what happened
    app.notify(f"{type(error).__name__}: {describe(error)}{where}",
               title="Something went wrong", severity="error", timeout=10)
    return True


def guard(function: F, app: Callable[[tuple[Any, ...]], App[Any]]) -> F:
    """``function`` with its errors reported in the app that ``app(args)`` finds."""
    if function in _guarded:
        return function
    if inspect.iscoroutinefunction(function):
        @functools.wraps(function)
        async def guarded_async(*args: Any, **kwargs: Any) -> Any:
            try:
                return await function(*args, **kwargs)
            except SkipAction:
                raise  # Textual's way for an action to pass a key on
            except Exception as error:
                if not report(app(args), error):
                    raise
                return None

        wrapper: Callable[..., Any] = guarded_async
    else:
        @functools.wraps(function)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return function(*args, **kwargs)
            except SkipAction:
                raise
            except Exception as error:
                if not report(app(args), error):
                    raise
                return None

        wrapper = guarded
    _guarded.add(wrapper)
    return cast(F, wrapper)


def guarded_method(method: F) -> F:
    """A method of a widget, screen or the app, guarded (its ``self`` knows the app)."""
    return guard(method, lambda args: cast(MessagePump, args[0]).app)


def guarded_callback(app: App[Any], callback: F) -> F:
    """A plain callable (a dialog's result callback), guarded in ``app``."""
    return guard(callback, lambda args: app)


def on(message_type: type[Message], selector: str | None = None,
       **kwargs: str) -> Callable[[F], F]:
    """Textual's ``@on``, with the handler guarded."""
    def decorate(method: F) -> F:
        return textual.on(message_type, selector, **kwargs)(guarded_method(method))
    return decorate


class ReportsErrors(MessagePump):
    """Mixed in first (``class X(ReportsErrors, Screen)``): the handlers that the class
    defines, and every event it gets, report their errors instead of ending the app."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if name.startswith(HANDLER_PREFIXES) and name != "on_event" and \
                    inspect.isfunction(value):
                setattr(cls, name, guarded_method(value))

    async def on_event(self, event: events.Event) -> None:
        try:
            await super().on_event(event)
        except Exception as error:
            if not report(self.app, error):
                raise

    def call_next(self, callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().call_next(guarded_callback(self.app, callback), *args, **kwargs)

    def set_interval(self, interval: float, callback: TimerCallback | None = None, *,
                     name: str | None = None, repeat: int = 0, pause: bool = False) -> Timer:
        if callback is not None:
            callback = guarded_callback(self.app, callback)
        return super().set_interval(interval, callback, name=name, repeat=repeat,
                                    pause=pause)
