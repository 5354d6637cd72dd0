"""The study day's safety copy, which the app takes after its first frame (the CLI took
it before opening the app, holding the first screen back by a second at ten years)."""

from __future__ import annotations

import threading

from tui_helpers import notifications

from studylog.core.backup import safety_copies
from studylog.core.backup.safety_copies import list_safety_copies
from studylog.tui.daily_copy import THREAD_NAME

SIZE = (100, 30)


def copying_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


async def test_the_days_copy_is_taken_once_the_first_frame_is_shown(app, journal_store,
                                                                     monkeypatch):
    taken = safety_copies.take_daily_copy
    seen: list[bool] = []

    def take(store, now=None):
        seen.append(running._after_first_frame is None)  # None: the frame is shown
        return taken(store, now)

    monkeypatch.setattr(safety_copies, "take_daily_copy", take)
    running = app(daily_copy=True)
    async with running.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for thread in copying_threads():
            thread.join(timeout=30)
    assert seen == [True]
    copies = list_safety_copies(journal_store.path)
    assert [c.reason for c in copies] == ["daily-2023-11-15"]  # the app's (frozen) day
    # a second start the same study day copies nothing more
    async with app(daily_copy=True).run_test(size=SIZE) as pilot:
        await pilot.pause()
        for thread in copying_threads():
            thread.join(timeout=30)
    assert list_safety_copies(journal_store.path) == copies


async def test_an_app_built_without_the_setting_takes_no_copy(app, journal_store):
    async with app().run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert copying_threads() == []
    assert list_safety_copies(journal_store.path) == []


async def test_a_copy_that_cannot_be_written_is_a_warning_in_the_app(app, journal_store):
    # the copies' folder is a file: the copy fails, the app goes on and says so
    (journal_store.path.parent / "safety-copies").write_text("복사본 자리에 파일", "utf-8")
    async with app(daily_copy=True).run_test(size=SIZE) as pilot:
        await pilot.pause()
        for thread in copying_threads():
            thread.join(timeout=30)
        await pilot.pause()
        said = notifications(pilot.app)
        assert len(said) == 1 and said[0].startswith("No safety copy today: ")
        assert "safety copy not written" in said[0]
        assert pilot.app.is_running
