"""Garbage collection at ten years: what lives as long as the app stays out of the
collector's full passes, and the young generation is collected less often.

A full (oldest-generation) collection walks every object the collector tracks. Once
start-up and a few screens are built that is 110,000-180,000 objects: 50-100 ms (more on
a loaded machine) in which the app answers no key, the longest freezes that
``benchmarks/app_scale.py`` found. The imported modules, Today and each mode's screen
live until the app quits, so once they are built they are frozen (``gc.freeze``): later
full passes walk only what came after.

What came after is mostly rendering: each frame makes thousands of strips (each with a
few caches), and those a widget keeps for a frame or two outlived Python's young
collections (one every 700 new objects), were moved to the old generation and brought
on a full pass every few seconds of typing (7 in an app_scale run, 20-55 ms CPU each).
Collecting the young generation every ``YOUNG_OBJECTS`` lets them die young: one full
pass in that run, the longest pause 15-25 ms.

A frozen object that later becomes cyclic garbage is not freed while the app runs; only
a few one-time points freeze, so that stays bounded, and the app thaws everything (and
puts the thresholds back) when it ends, so a process that builds many apps, as the tests
do, gets their memory back.
"""

from __future__ import annotations

import gc

YOUNG_OBJECTS = 5_000  # new tracked objects between young collections (Python: 700)
_DEFAULT_THRESHOLDS = gc.get_threshold()


def freeze_long_lived() -> None:
    """Keep every object alive now out of later collections (the young garbage is
    collected first: frozen, it would never be freed), and collect the young generation
    every ``YOUNG_OBJECTS`` new objects from now on."""
    gc.collect(1)
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *_DEFAULT_THRESHOLDS[1:])


def thaw() -> None:
    """Let the collector see every frozen object again, at its usual pace (the app is
    ending)."""
    gc.unfreeze()
    gc.set_threshold(*_DEFAULT_THRESHOLDS)
