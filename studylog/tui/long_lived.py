"""Garbage collection at ten years: what lives as long as the app stays out of the
collector's full passes.

A full (oldest-generation) collection walks every object the collector tracks. Once
start-up and a few screens are built that is 110,000-180,000 objects: 50-100 ms (more on
a loaded machine) in which the app answers no key, the longest freezes that
``benchmarks/app_scale.py`` found. The imported modules, Today and each mode's screen
live until the app quits, so once they are built they are frozen (``gc.freeze``): later
full passes walk only what came after. A frozen object that later becomes cyclic
garbage is not freed while the app runs; only these few one-time points freeze, so
that stays bounded, and the app thaws everything when it ends (a process that builds
many apps, as the tests do, gets their memory back).
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Keep every object alive now out of later collections (the young garbage is
    collected first: frozen, it would never be freed)."""
    gc.collect(1)
    gc.freeze()


def thaw() -> None:
    """Let the collector see every frozen object again (the app is ending)."""
    gc.unfreeze()
