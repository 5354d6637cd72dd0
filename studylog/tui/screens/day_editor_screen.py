"""Write or edit one day: a Markdown ``TextArea``; ctrl+s saves (re-parsing the day and
its keywords by the import rules), ctrl+o hands the text to ``$EDITOR``.

Nothing typed is lost silently: the text is written to the database as a draft a moment
after you stop typing (a crash or a killed terminal leaves it there), leaving with unsaved
edits asks first, and the draft is offered the next time the day is edited. Saving a day
that something else (an import in another shell) changed since it was opened shows the
two versions and asks which to keep.

Opened on a conflict (``resolving``), the editor starts from both versions between
conflict markers and saving resolves the conflict with the text.
"""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Static, TextArea

from studylog.core.journal.conflicts import ConflictRow, resolve_conflict
from studylog.core.journal.day_diff import has_markers, with_markers
from studylog.core.journal.day_editing import (
    NEW_DAY_TEMPLATE,
    DayChanged,
    DayError,
    DaySeen,
    save_day_text,
)
from studylog.core.journal.drafts import day_text, delete_draft, draft_of, keep_draft
from studylog.core.journal.entries import entry_of
from studylog.tui.code_theme import follow_app_theme
from studylog.tui.errors import on
from studylog.tui.external_editor import run_editor
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import StudylogScreen
from studylog.tui.widgets.key_footer import KeyFooter


class DayEditorScreen(StudylogScreen[None]):
    SCREEN_NAME = "Editor"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+o", "external", "Open in $EDITOR"),
        # priority: a TextArea with tab_behavior="indent" swallows escape (it moves
        # focus, and the editor is the only focusable widget), so a plain binding
        # never fires and the editor could not be left with the key the footer shows.
        Binding("escape", "leave", "Close", priority=True),
    ]

    def __init__(self, day: date, resolving: ConflictRow | None = None):
        super().__init__()
        self.day = day
        self.resolving = resolving  # a conflict: saving resolves it with the text
        self._draft_timer: Timer | None = None
        self.saved_text = ""  # the day as stored (set on mount): what "dirty" compares to
        self.seen = DaySeen(None)  # the day as opened: saving over a change asks first
        self.merging = False  # the text holds conflict markers to be edited away

    def compose(self) -> ComposeResult:
        yield Static(id="editor-title", classes="screen-title")
        yield TextArea(id="editor", language="markdown", soft_wrap=True,
                       show_line_numbers=False, tab_behavior="indent")
        yield Static(id="editor-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        store = self.app.store
        key = self.day.isoformat()
        entry = entry_of(store, self.day)
        # a new day starts from the template: leaving it untouched is not an edit
        self.saved_text = entry.body if entry else NEW_DAY_TEMPLATE
        self.seen = DaySeen(entry.body if entry else None)
        title = entry.title if entry else "new day"
        self.query_one("#editor-title", Static).update(f"{key} · {title}")
        text = day_text(store, self.day)
        if self.resolving is not None:
            name = self.resolving.source.rsplit("/", 1)[-1]
            text = with_markers(self.resolving.mine, self.resolving.theirs, "studylog", name)
            self.merging = True
        editor = self.query_one(TextArea)
        follow_app_theme(editor)
        editor.load_text(text)
        draft = draft_of(store, self.day)
        if draft is not None and draft.body != self.saved_text:
            self.notify(f"Recovered the unsaved draft of {key}: ctrl+s saves it, escape "
                        "offers to discard it", title="Draft recovered")
        if not entry:  # a new day: the cursor goes above the keyword line
            editor.move_cursor((0, 0))
        else:
            editor.move_cursor(editor.document.end)
        editor.focus()
        self._status()

    @property
    def text(self) -> str:
        return self.query_one(TextArea).text

    @property
    def is_dirty(self) -> bool:
        return self.text.strip() != self.saved_text.strip()

    def _status(self, note: str = "") -> None:
        state = "unsaved changes" if self.is_dirty else "saved"
        self.query_one("#editor-status", Static).update(
            f"{state}{'  ·  ' + note if note else ''}")

    @on(TextArea.Changed, "#editor")
    def _changed(self) -> None:
        self._status()
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(self.app.settings.draft_delay, self.write_draft)

    def write_draft(self) -> None:
        """Keep the text as the day's draft (or drop the draft when nothing differs)."""
        keep_draft(self.app.store, self.day, self.text, self.saved_text)
        if self.is_dirty:
            self._status("draft kept")

    def action_save(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if self.merging and has_markers(self.text):
            self.write_draft()
            raise DayError("conflict markers (<<<<<<< ======= >>>>>>>) are left: keep one "
                           "side of each, then save")
        try:
            if self.resolving is not None:
                result = resolve_conflict(self.app.store, self.day, "edit", self.text)
            else:
                result = save_day_text(self.app.store, self.day, self.text, seen=self.seen)
        except DayChanged as changed:
            self.write_draft()
            self._ask_changed(changed)
            return
        except DayError:
            self.write_draft()
            raise
        self.resolving = None
        self.merging = False
        self.saved_text = self.text
        entry = entry_of(self.app.store, self.day)
        self.seen = DaySeen(entry.body if entry else None)
        if entry:
            self.query_one("#editor-title", Static).update(f"{entry.date} · {entry.title}")
        self._status(result.message())
        self.notify(result.message(), title="Saved")
        self.app.post_message(DataChanged(origin=self))

    def _ask_changed(self, changed: DayChanged) -> None:
        """The stored day changed since it was opened: show both, let the user choose."""
        from studylog.tui.dialogs.day_diff_dialog import DayDiffDialog

        theirs = changed.theirs

        def answered(choice: str | None) -> None:
            if choice == "mine":  # overwrite, knowingly
                self.seen = DaySeen(theirs)
                self.action_save()
            elif choice == "theirs":
                self.seen = DaySeen(theirs)
                self.saved_text = theirs if theirs is not None else NEW_DAY_TEMPLATE
                self.query_one(TextArea).load_text(self.saved_text)
                delete_draft(self.app.store, self.day)
                self._status("took the stored version")
            elif choice == "edit":
                self.seen = DaySeen(theirs)
                self.merging = True
                self.query_one(TextArea).load_text(
                    with_markers(self.text, theirs or "", "mine", "stored"))
                self._status("edit both versions into one, then ctrl+s")

        self.app.push_screen(DayDiffDialog(
            f"{changed}. Keep your text (m), take the stored one (f), or edit both into "
            "one (e)?", self.text, theirs or "", "stored"), answered)

    def action_external(self) -> None:
        edited = run_editor(self.app, self.text, f"{self.day.isoformat()}.md")
        if edited != self.text:
            self.query_one(TextArea).load_text(edited)
            self._changed()

    def action_leave(self) -> None:
        if not self.is_dirty:
            self._close(discard_draft=True)
            return
        from studylog.tui.dialogs.confirm_dialog import ConfirmDialog

        def answered(choice: str | None) -> None:
            if choice == "save":
                self.action_save()
                if not self.is_dirty:
                    self._close()
            elif choice == "keep":
                self.write_draft()
                self._close()
            elif choice == "discard":
                self._close(discard_draft=True)

        self.app.push_screen(ConfirmDialog(
            f"{self.day.isoformat()} has unsaved changes.",
            [("save", "Save"), ("keep", "Keep as draft"), ("discard", "Discard"),
             ("cancel", "Cancel")]), answered)

    def _close(self, discard_draft: bool = False) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
        if discard_draft:
            delete_draft(self.app.store, self.day)
        self.dismiss()
