"""A package's review history read while its fields are converted: the conversion is
Python's work (it holds the GIL), the revlog's mapping is SQLite's (it does not), so a
second thread runs the one while this thread does the other, on two cores at once. For
a million grades that hides ~3 s of SQL behind the conversion.

The second thread uses the store's connection only while this thread does not (the
body converts fields and touches no database), and the collection's only after this
thread has read what it needs from it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from studylog.core.storage.anki_collection import AnkiCollection
from studylog.core.storage.database import Store


@contextmanager
def grades_read_alongside(store: Store, col: AnkiCollection,
                          anki_cards: list[int]) -> Iterator[dict[int, int]]:
    """While the body runs, map the graded revlog rows of ``anki_cards`` into the
    store's scratch table (``anki_history.read_grades``; the collection attached) and
    read each card's newest grade. Yields those newest grades (Anki card id -> epoch
    ms), filled when the body has ended and the reading is done. An error of the
    reading (a revlog of another shape) is raised then; if the body fails, the reading
    is stopped and the body's error raised."""
    last: dict[int, int] = {}
    stopped = threading.Event()

    def read() -> None:
        if not stopped.is_set():
            store.anki_history.read_grades(anki_cards)
        if not stopped.is_set():
            last.update(col.last_graded())

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="anki-grades") as pool:
        reading = pool.submit(read)
        try:
            yield last
        except BaseException:
            stopped.set()
            store.anki_history.interrupt()  # its failure is this one's consequence
            raise
        reading.result()
