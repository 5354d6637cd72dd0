"""Import logs from inside the app: a path, a progress bar, refused files with reasons.

The import runs in a worker thread on its own database connection, so the screen stays
responsive; each file is its own transaction, so cancelling between files loses nothing
(cards of the files done are rebuilt on the next import, as after a killed one).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, ProgressBar, RichLog, Static
from textual.worker import Worker, WorkerState, get_current_worker

from studylog.core.journal.importer import (
    FORMATS_DOC,
    FileResult,
    PathError,
    collect_files,
    import_logs,
)
from studylog.core.storage.database import Store
from studylog.tui.errors import describe, on
from studylog.tui.screen_base import StudylogDialog
from studylog.tui.widgets.key_footer import KeyFooter


class ImportCancelled(Exception):
    pass


class ImportDialog(StudylogDialog[bool]):
    BINDINGS = [Binding("escape", "close", "Close / cancel")]

    def __init__(self) -> None:
        super().__init__()
        self.log_lines: list[str] = []  # what the log shows, line by line
        self.changed = False  # some day or card changed: the screens refresh on close
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="import-dialog"):
            yield Static("Import Markdown logs: a file or a folder (searched for .md, "
                         ".markdown, .txt). Enter starts.")
            # the placeholder is an example, never a default: Enter on an empty box would
            # otherwise import the folder the app was started in, recursively
            yield Input(placeholder="a file or folder, e.g. ~/notes/week3.md",
                        id="import-path")
            with Horizontal(id="import-year-row"):
                yield Label("Year for dates written without one (blank: from the file, or "
                            "the latest past date):")
                yield Input(placeholder="auto", id="import-year", type="integer",
                            max_length=4)
            yield ProgressBar(id="import-progress", show_eta=False)
            yield Static(id="import-summary")
            # wraps long refusal reasons (a Log would cut them at the edge)
            yield RichLog(id="import-log", wrap=True, markup=False, min_width=20)
        # its own footer, over the screen's: that one named the screen's keys (w, r, q),
        # which type letters into the path here
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _start(self) -> None:
        if self.running:
            return
        path_input = self.query_one("#import-path", Input)
        raw = path_input.value.strip()
        if not raw:
            self.query_one("#import-summary", Static).update(
                Text("type the path of a file or a folder to import", style="red"))
            return
        year_text = self.query_one("#import-year", Input).value.strip()
        year = int(year_text) if year_text else None
        if year is not None and not 1900 <= year <= 2200:
            self.query_one("#import-summary", Static).update(
                Text(f"not a year: {year_text}", style="red"))
            return
        try:
            files = collect_files([raw])
        except PathError as exc:
            self.query_one("#import-summary", Static).update(Text(str(exc), style="red"))
            return
        if not files:
            self.query_one("#import-summary", Static).update(
                Text(f"no .md, .markdown or .txt files under {raw}", style="red"))
            return
        self.running = True
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=len(files), progress=0)
        self.query_one(RichLog).clear()
        self.log_lines.clear()
        self.query_one("#import-summary", Static).update(f"importing {len(files)} file(s)…")
        # a year missing from the logs is inferred from the app's clock, not the system's
        self.run_import(raw, year, self.app.today())

    @work(thread=True, exclusive=True, group="import", exit_on_error=False)
    def run_import(self, raw: str, year: int | None = None,
                   today: date | None = None) -> str:
        worker = get_current_worker()
        # Escape cancels the worker at once (Textual reports CANCELLED then) while this
        # thread finishes its file: no SUCCESS or ERROR follows a cancel, so the end of a
        # cancelled import is reported from here, or the dialog waited forever
        try:
            summary = self._import(worker, raw, year, today)
        except Exception as exc:
            if worker.is_cancelled:
                self.app.call_from_thread(self._ended, Text(f"import failed: {describe(exc)}",
                                                            style="red"))
            raise
        if worker.is_cancelled:
            self.app.call_from_thread(self._ended, _done(summary))
        return summary

    def _import(self, worker: Worker[str], raw: str, year: int | None,
                today: date | None) -> str:
        def progress(result: FileResult) -> None:
            # shown first: a file reported is committed, cancelled or not
            self.app.call_from_thread(self._file_done, result)
            if worker.is_cancelled:
                raise ImportCancelled

        with Store(self.app.store.path) as store:  # this thread's own connection
            try:
                report = import_logs(store, [raw], year=year, today=today,
                                     progress=progress)
            except ImportCancelled:
                from studylog.core.journal.importer import refresh_dirty_cards

                refresh_dirty_cards(store)
                return "cancelled: the files done so far are imported"
        self.changed = report.changed
        counts = {s: sum(f.status == s for f in report.files)
                  for s in ("imported", "unchanged", "empty", "refused")}
        text = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        if report.new_cards:
            text += f" · {len(report.new_cards)} new card(s)"
        if report.kept_edits:
            text += f" · your app edits of {len(report.kept_edits)} day(s) kept"
        if report.conflicts:
            text += (f" · {len(report.conflicts)} day(s) changed in the file and in the app: "
                     "yours kept, the file's beside it (Journal, m resolves)")
        if report.orphaned_names:
            text += f" · {len(report.orphaned_names)} card(s) orphaned (history kept)"
        if report.candidates_waiting:
            text += f" · {report.candidates_waiting} card candidate(s) waiting (p)"
        if report.days_without_cards:
            text += (f" · {len(report.days_without_cards)} day(s) made no card: no keyword "
                     f"line and no candidates (forms: {FORMATS_DOC})")
        return text

    def _file_done(self, result: FileResult) -> None:
        if result.status == "imported":  # in, even if the import is cancelled after it
            self.changed = True
        self.query_one("#import-progress", ProgressBar).advance(1)
        name = Path(result.path).name
        if result.status == "refused":
            line = f"REFUSED {name}: {result.message}"
        elif result.status == "imported" and not (result.days_new or result.days_updated
                                                  or result.days_removed):
            line = f"imported {name}: no day changed"
        elif result.status == "imported":
            line = (f"imported {name}: {result.days_new} new, {result.days_updated} "
                    f"updated day(s)")
        else:
            line = f"{result.status} {name}: {result.message}"
        lines = [line] + [f"    note: {note}" for note in result.notes]  # e.g. the year
        lines += [f"    kept your app edit of {day}" for day in result.kept_edits]
        lines += [f"    CONFLICT {day}: the file and the app both changed it; yours kept, "
                  "the file's beside it" for day in result.conflicts]
        if result.days_kept_deleted:  # README, "Deleting and renaming"
            lines.append(f"    left out, you deleted them: {', '.join(result.days_kept_deleted)}"
                         " (they come back when their text in the file changes)")
        if result.days_back:
            lines.append(f"    back, their text changed since you deleted them: "
                         f"{', '.join(result.days_back)}")
        self.log_lines.extend(lines)
        self.query_one(RichLog).write("\n".join(lines))

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "import":
            return
        if event.state == WorkerState.SUCCESS:
            self._ended(_done(str(event.worker.result)))
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            reason = describe(error) if error is not None else "unknown error"
            self._ended(Text(f"import failed: {reason}", style="red"))

    def _ended(self, summary: Text) -> None:
        """The import's thread is done: its summary shown, and Escape closes."""
        self.running = False
        self.query_one("#import-summary", Static).update(summary)

    def action_close(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "import")
            self.query_one("#import-summary", Static).update("cancelling after this file…")
            return
        self.dismiss(self.changed)


def _done(summary: str) -> Text:
    return Text(f"done: {summary}  (escape closes)", style="bold")
