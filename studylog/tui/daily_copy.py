"""The study day's safety copy, taken by the app after its first frame.

``studylog`` used to copy the journal aside before the app opened: on the first start of
a study day that held the first screen back by the copy (a second at ten years). The app
now starts it once the first frame is shown, in a thread of its own on a connection of
its own. The copy is one consistent snapshot (SQLite's backup in one read transaction),
named only once complete.

A plain thread, not a Textual worker: a worker not yet started when the app quits is
cancelled, and a quick look-and-quit would lose the day's copy. The thread is not a
daemon, so the process ends only once the copy is written.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from studylog.tui.app import StudylogApp

THREAD_NAME = "studylog-daily-copy"


def take_daily_copy_later(app: StudylogApp) -> threading.Thread:
    """Start taking the day's safety copy of ``app``'s journal (nothing when there is
    one already); a copy that cannot be written is a warning, as it was in the CLI."""
    path, now = app.store.path, app.settings.now()

    def take() -> None:
        from studylog.core.backup.backup_file import BackupError
        from studylog.core.backup.safety_copies import take_daily_copy
        from studylog.core.storage.database import Store, StoreError

        try:
            with Store(path) as store:  # not the UI thread's connection
                take_daily_copy(store, now)
        except (BackupError, StoreError) as exc:  # the next start tries again
            try:
                app.call_from_thread(app.notify, f"No safety copy today: {exc}",
                                     severity="warning")
            except RuntimeError:
                pass  # the app has quit meanwhile

    thread = threading.Thread(target=take, name=THREAD_NAME)
    thread.start()
    return thread
