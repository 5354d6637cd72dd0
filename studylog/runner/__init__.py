"""The snippet runner: run Python/PyTorch snippets in fresh, isolated processes.

Each run is a new OS process forked from a warm server process that has
already imported torch, so a torch snippet starts in milliseconds while a
crash, ``os._exit`` or segfault only ends that one run.  This package never
imports torch in the calling (UI/CLI) process.  See ``docs/runner.md``.

    with SnippetRunner() as runner:
        result = runner.run("print(1 + 1)", on_event=print)   # blocking, for the CLI
        async for event in runner.stream(code): ...            # asyncio, for the app
"""

from .aio import AsyncRun
from .client import SnippetRunner
from .confinement import Confinement, available_confinement
from .events import RunEvent, RunResult
from .handle import RunHandle
from .launch import RunError
from .limits import RunLimits
from .torch_hint import ensure_torch_message, torch_available

__all__ = [
    "AsyncRun",
    "Confinement",
    "RunError",
    "RunEvent",
    "RunHandle",
    "RunLimits",
    "RunResult",
    "SnippetRunner",
    "available_confinement",
    "ensure_torch_message",
    "torch_available",
]
