"""A clear message when a snippet imports torch but torch is not installed.

The UI process must never import torch, so availability is checked with
``importlib.util.find_spec`` (no import) or inside the snippet process.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Sequence

# Set in the warm server's environment to behave as if torch were not installed
# (used by the tests; also handy to check the no-torch path by hand).
HIDE_TORCH_ENV = "STUDYLOG_RUNNER_HIDE_TORCH"


def ensure_torch_message(python: str | None = None) -> str:
    """The one-line explanation shown when ``import torch`` fails in a snippet."""
    exe = python or sys.executable
    return (
        f"torch is not installed in {exe}: run '{exe} -m pip install torch' "
        "(CPU-only build: add '--index-url https://download.pytorch.org/whl/cpu')"
    )


def torch_available() -> bool:
    """Whether this interpreter could import torch (without importing it)."""
    if os.environ.get(HIDE_TORCH_ENV):
        return False
    try:
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


class _MissingTorchFinder(importlib.abc.MetaPathFinder):
    """Raises the clear message instead of a bare ``No module named 'torch'``.

    Appended to ``sys.meta_path`` it is only asked when no other finder found
    torch; put first (``hide=True``) it hides an installed torch.
    """

    def __init__(self, hide: bool) -> None:
        self.hide = hide

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None = None,
        target: types.ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname == "torch" or (self.hide and fullname.startswith("torch.")):
            raise ModuleNotFoundError(ensure_torch_message(), name=fullname)
        return None


def install_torch_hint() -> None:
    """Called in each snippet process before the snippet runs."""
    hide = bool(os.environ.get(HIDE_TORCH_ENV))
    finder = _MissingTorchFinder(hide)
    if hide:
        for name in [m for m in sys.modules if m == "torch" or m.startswith("torch.")]:
            del sys.modules[name]
        sys.meta_path.insert(0, finder)
    else:
        sys.meta_path.append(finder)
