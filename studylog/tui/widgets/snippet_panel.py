"""A card's snippet: its code (editable, Python highlighting) and its live output.

The panel runs code through a ``SnippetRunner`` it is given: output arrives through the
runner's async stream (the loop watches the pipes; nothing blocks), stdout plain and
stderr marked red, ANSI colours rendered, ``\\r`` progress shown on its own line, the
elapsed time ticking, and the exit status or error at the end. Messages go up: the screen
decides about trust (``TrustNeeded``) and saving (``SaveRequested``).

Its parts (the code's text area, the output log) are made when first needed: a block
loaded, a run, the panel shown. Most cards have no snippet, and mounting them was 30-50
ms of opening every review and card screen at ten years.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import RichLog, Static, TextArea

from studylog.runner import AsyncRun, RunEvent, RunResult, SnippetRunner
from studylog.tui.code_theme import follow_app_theme
from studylog.tui.errors import ReportsErrors, describe

# Stop works from every focus: no widget takes ctrl+g (a TextArea binds ctrl+x to cut
# and ctrl+c to copy), so the screens bind it with priority. ctrl+c stops a run too
# where no text box takes it (a text box takes it only to copy a selection), instead of
# only Textual's "press ctrl+q to quit" hint.
STOP_KEY = "ctrl+g"
STOP_BINDINGS = [
    Binding(STOP_KEY, "stop_snippet", "Stop", priority=True),
    Binding("ctrl+c", "stop_snippet", "Stop (unless copying)", show=False),
]
# Outside text boxes: the panel fills the screen (escape or the key again restores it),
# for code wider than the pane even after it took the width it wants
MAXIMIZE_BINDING = Binding("m", "toggle_snippet_size", "Maximise snippet")
MAX_LOG_LINES = 2000
END_LINES = 20  # shown after a run whose output was thinned live


def output_line(event: RunEvent) -> Text:
    """One line of output: ANSI colours rendered; stderr behind a red bar, in red."""
    line = Text.from_ansi(event.text)
    if event.stream == "stderr":
        line = Text("▌", style="bold red") + line
        line.stylize("red", 1)
    return line


class SnippetPanel(ReportsErrors, Vertical):
    SCREEN_NAME = "Snippet panel"  # its keys' heading in the help screen
    ALLOW_MAXIMIZE = True
    BINDINGS = [
        Binding("ctrl+r", "run", "Run snippet"),
        Binding("ctrl+s", "save", "Save snippet to card"),
    ]

    class TrustNeeded(Message):
        """Running was asked for, but the snippet's deck is not trusted yet."""

        def __init__(self, panel: SnippetPanel) -> None:
            super().__init__()
            self.panel = panel

    class SaveRequested(Message):
        def __init__(self, panel: SnippetPanel, code: str) -> None:
            super().__init__()
            self.panel = panel
            self.code = code

    def __init__(self, runner: Callable[[], SnippetRunner], is_ready: Callable[[], bool],
                 monotonic: Callable[[], float], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._runner = runner
        self._is_ready = is_ready
        self._monotonic = monotonic
        self.name_ = "snippet"
        self.timeout: float | None = None
        self.trusted = True
        self.confined = False  # an added deck's snippet: runs confined (docs/runner.md)
        self.saved_code = ""
        self.lines: list[tuple[str, str]] = []  # (stream, text) as shown, for tests
        self._skipped_live = False  # some output was not shown live (a flood)
        self.result: RunResult | None = None
        self._run: AsyncRun | None = None
        self._started = 0.0
        self._ticker: Timer | None = None
        self._pending: list[RunEvent] = []
        self._flush_scheduled = False
        self.built = False  # the parts are made (``_build``)
        self._status_text = Text("ctrl+r runs · ctrl+s saves edits to the card", style="dim")

    def compose(self) -> ComposeResult:
        yield from ()  # the parts come with the first need (``_build``)

    def _build(self, code: str = "") -> None:
        """Make the panel's parts, once, showing ``code``."""
        if self.built:
            return
        self.built = True
        # soft wrap: a line longer than the pane wraps instead of being cut at its edge
        area = TextArea(code, id="snippet-code", show_line_numbers=True, soft_wrap=True,
                        tab_behavior="indent")
        follow_app_theme(area, self)
        progress = Static(id="snippet-progress")
        progress.display = False
        # min_width: RichLog renders at least 78 columns wide by default, which cuts
        # lines in a narrow panel instead of wrapping them
        self.mount(Static(self._status_text, id="snippet-status"), area, progress,
                   RichLog(id="snippet-output", max_lines=MAX_LOG_LINES, wrap=True,
                           markup=False, min_width=20))

    def show(self) -> None:
        """Display the panel, its parts made and its code highlighted as Python. (Only
        then: a TextArea with a language builds its syntax tree and highlight query on
        mount, ~30-60 ms, which a card whose block stays hidden need not pay.)"""
        self.display = True
        self._build(self.saved_code)
        area = self.query_one(TextArea)
        if area.language != "python":
            area.language = "python"

    def on_show(self) -> None:
        self.show()  # displayed by the screen's CSS or layout, not by ``show``

    def on_unmount(self) -> None:  # leaving the screen stops its run (a dialog does not)
        self.stop()

    # -- what the screen sets ------------------------------------------------------------
    def load(self, name: str, code: str, *, timeout: float | None = None,
             trusted: bool = True, confined: bool = False) -> None:
        """Show a snippet (stopping any run of the previous one); ``confined``: its
        runs, edited code included, are confined like its deck's."""
        self._forget_run()
        self.name_, self.timeout, self.trusted, self.saved_code = name, timeout, trusted, code
        self.confined = confined
        self.border_title = f"snippet {name}" + ("" if trusted else " (untrusted deck)")
        if self.built:
            self.query_one(TextArea).load_text(code)
        else:
            self._build(code)
        self.clear_output()

    def wanted_width(self) -> int:
        """Columns the panel needs to show its longest code line unwrapped: the line,
        the line-number gutter, the cursor, the scrollbar, border and padding."""
        lines = self.code.splitlines() or [""]
        longest = max(cell_len(line.expandtabs(4)) for line in lines)
        return longest + len(str(len(lines))) + 3 + 1 + 2 + 4

    @property
    def code(self) -> str:
        return self.query_one(TextArea).text if self.built else self.saved_code

    @property
    def running(self) -> bool:
        return self._run is not None

    def clear_output(self) -> None:
        self.lines.clear()
        self._skipped_live = False
        self.result = None
        if self.built:
            self.query_one(RichLog).clear()
            self.query_one("#snippet-progress").display = False

    # -- running -------------------------------------------------------------------------
    def action_run(self) -> None:
        if not self.trusted:
            self.post_message(self.TrustNeeded(self))
            return
        self.start()

    def start(self, code: str | None = None) -> None:
        """Run ``code`` (default: the code as edited in the panel)."""
        self._build(self.saved_code)
        self._forget_run()
        self.clear_output()
        self._started = self._monotonic()
        waiting = not self._is_ready()
        # the stop key is named from the first moment, not only from the first tick
        self._status(Text("starting the warm Python process (first run after start-up; "
                          "torch is loading)…" if waiting else f"running… · {STOP_KEY} stops",
                          style="yellow"))
        self._ticker = self.set_interval(0.1, self._tick)
        self._run = self._runner().stream(code if code is not None else self.code,
                                          name=self.name_, timeout_s=self.timeout,
                                          confined=self.confined)
        self._consume(self._run)

    def stop(self) -> None:
        """Stop the run (its whole process group, DataLoader workers included)."""
        if self._run is not None:
            self._run.stop()

    def stop_running(self) -> None:
        """The stop keys' action: stop the run; with none, let the key do what it does
        elsewhere (ctrl+c: copy, or Textual's quit hint)."""
        if not self.running:
            raise SkipAction()
        self.stop()

    def _forget_run(self) -> None:
        """Stop the current run and forget it: its last events are not shown. (Not named
        ``_detach``: Textual's widget removal calls that name to cut the widget from
        its parent.)"""
        self.stop()
        self._run = None
        self._pending.clear()
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    @work(exclusive=True, group="snippet-run", exit_on_error=False)
    async def _consume(self, run: AsyncRun) -> None:
        failure = None
        try:
            async for event in run:
                if run is not self._run:
                    continue  # replaced: drain quietly until it is killed
                self._pending.append(event)
                if not self._flush_scheduled:  # a burst of lines is drawn once
                    self._flush_scheduled = True
                    self.call_later(self._flush)
        except Exception as exc:  # the warm process could not start it (RunError...)
            failure = describe(exc)
        finally:
            if run is self._run:
                self._flush()
                self._finish(run.result, failure)

    def _flush(self) -> None:
        self._flush_scheduled = False
        events, self._pending = self._pending, []
        batch = Text()  # one write per burst: a flood costs one render, not thousands
        for event in events:
            if event.kind == "progress":
                progress = self.query_one("#snippet-progress", Static)
                progress.display = True
                progress.update(Text.from_ansi(event.text))
                continue
            if batch:
                batch.append("\n")
            if event.kind == "skipped":
                self._skipped_live = True
                batch.append(event.text, style="italic dim")
                continue
            self.lines.append((event.stream, event.text))
            batch.append_text(output_line(event))
        if batch:
            self.query_one(RichLog).write(batch)

    def _finish(self, result: RunResult | None, failure: str | None = None) -> None:
        self._run = None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.result = result
        if result is None:
            self._status(Text(f"could not start: {failure or 'unknown reason'}",
                              style="bold red"))
            return
        if self._skipped_live and result.tail:  # a flood: show how it ended
            ending = Text(f"[... the last {min(END_LINES, len(result.tail))} lines ...]",
                          style="italic dim")
            for event in result.tail[-END_LINES:]:
                ending.append("\n").append_text(output_line(event))
            self.query_one(RichLog).write(ending)
        style = "bold green" if result.ok else "bold red"
        status = f"{result.outcome()} · {self._monotonic() - self._started:.2f} s"
        if result.exit_code not in (None, 0) and not result.outcome().startswith("exit"):
            status += f" · exit code {result.exit_code}"
        if result.dropped_lines:
            status += f" · {result.dropped_lines} earlier lines not kept"
        self._status(Text(status, style=style))

    def _tick(self) -> None:
        if self._run is None:
            return
        elapsed = self._monotonic() - self._started
        started = self._run.pid is not None
        what = "running" if started else "starting the warm Python process (first run)"
        self._status(Text(f"{what} · {elapsed:.1f} s · ctrl+r restarts · {STOP_KEY} stops",
                          style="yellow"))

    def _status(self, text: Text) -> None:
        self._status_text = text
        if self.built:
            self.query_one("#snippet-status", Static).update(text)

    # -- saving ------------------------------------------------------------------------
    def action_save(self) -> None:
        if self.code != self.saved_code:
            self.post_message(self.SaveRequested(self, self.code))

    def mark_saved(self) -> None:
        self.saved_code = self.code
