"""Today's first frame comes before what it shows (issue 11, start-up): its panels are
drawn first, then its figures are read and its entry (Textual's Markdown widget) is
mounted, a few ms later; the picture it settles on is the one it always showed."""

from __future__ import annotations

from textual.widgets import Markdown
from tui_helpers import screen_text, settle

from studylog.tui.app import StudylogApp
from studylog.tui.screens import today_screen

SIZE = (100, 30)


async def test_today_reads_its_figures_and_entry_right_after_the_first_frame(app, monkeypatch):
    order: list[str] = []
    read, on_ready = today_screen.today_overview, StudylogApp.on_ready

    def overview(*args, **kwargs):
        order.append("overview")
        return read(*args, **kwargs)

    def ready(self) -> None:
        # the first frame is shown: Today has its panels, not yet what goes in them
        order.append("ready")
        assert not self.screen.query("#today-markdown")
        on_ready(self)

    monkeypatch.setattr(today_screen, "today_overview", overview)
    monkeypatch.setattr(StudylogApp, "on_ready", ready)
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert order == ["ready", "overview"]
        screen = pilot.app.screen
        assert isinstance(screen, today_screen.TodayScreen) and screen.loaded
        entry = screen.query_one("#today-markdown", Markdown).source
        assert "Last written: **2023-11-14** · Day 7 (11/14)" in entry
        text = " ".join(screen_text(pilot.app).split())
        assert "journal 7 0 0" in text and "2 days in a row" in text


async def test_a_refresh_before_the_first_load_is_not_lost(app, monkeypatch):
    """A refresh asked for while Today has not loaded yet (data changed, f5) is done
    once it has, instead of failing on panels not filled yet."""
    reloads: list[int] = []
    load = today_screen.TodayScreen._load_overview

    def counted(self) -> None:
        reloads.append(1)
        load(self)

    monkeypatch.setattr(today_screen.TodayScreen, "_load_overview", counted)
    on_ready = StudylogApp.on_ready

    def ready(self) -> None:
        self.screen.refresh_data()  # before the first load has run
        on_ready(self)

    monkeypatch.setattr(StudylogApp, "on_ready", ready)
    async with app().run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert reloads == [1]  # after the first load, once
        assert "Nothing written today yet" in pilot.app.screen.query_one(
            "#today-markdown", Markdown).source


async def test_the_apps_background_work_waits_until_today_is_filled(app, monkeypatch):
    """Importing the other screens (a thread holding the GIL) and starting the snippet
    runner's warm process slowed Today's first load 2-3x: they start after it."""
    import gc

    order: list[str] = []
    filled = StudylogApp.first_screen_filled

    def fill(self) -> None:
        order.append("filled")
        filled(self)

    monkeypatch.setattr(StudylogApp, "first_screen_filled", fill)
    monkeypatch.setattr(StudylogApp, "preload_screens", lambda self: order.append("preload"))
    monkeypatch.setattr(StudylogApp, "warm_runner", lambda self: order.append("runner"))
    async with app(warm_runner=True).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert order == ["filled", "preload", "runner"]
        assert gc.isenabled()  # off while the first screen was built and filled


async def test_quitting_at_the_first_frame_leaves_no_error(app, monkeypatch, tmp_path):
    # What tui_start does (and a learner who quits at once): the app exits when its
    # first frame is shown, before Today's first load has mounted the entry. That load
    # then found its panel detached: a MountError in errors.log on every such quit.
    on_ready = StudylogApp.on_ready

    def ready(self) -> None:
        on_ready(self)
        self.exit()

    log = tmp_path / "errors.log"
    monkeypatch.setattr(StudylogApp, "on_ready", ready)
    quick = app(catch_errors=True, error_log=log)
    started: list[str] = []
    monkeypatch.setattr(StudylogApp, "preload_screens", lambda self: started.append("preload"))
    async with quick.run_test(size=SIZE):
        pass
    assert not log.exists(), log.read_text()
    assert started == []  # nor background work started for an app that is gone
    assert quick.return_code in (None, 0)
