"""One card: its back rendered, its source days (Enter jumps to one), its snippet with
Python highlighting; edit the front and back, suspend or unsuspend."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from studylog.core.cards.card_editing import CardDetail, card_detail, edit_card
from studylog.core.cards.snippet_trust import runs_confined
from studylog.core.review.scheduling import suspend, unsuspend
from studylog.tui.card_format import due_label, stability_label
from studylog.tui.errors import on
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import StudylogScreen
from studylog.tui.snippet_actions import ask_trust, save_snippet
from studylog.tui.widgets.snippet_panel import STOP_BINDINGS, SnippetPanel


class CardScreen(StudylogScreen[None]):
    SCREEN_NAME = "Card"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("e", "edit", "Edit card"),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("r", "run_snippet", "Run snippet"),
        *STOP_BINDINGS,
    ]

    def __init__(self, detail: CardDetail):
        super().__init__()
        self.card_id = detail.id
        self.detail = detail  # what is shown; refreshed after every change

    def compose(self) -> ComposeResult:
        yield Static(id="card-title", classes="screen-title")
        yield Static(id="card-facts")
        with Horizontal(id="card-body"):
            with VerticalScroll(id="card-back", classes="panel"):
                yield Markdown(id="card-markdown")
            with Vertical(id="card-side"):
                yield OptionList(id="card-sources", classes="panel")
                yield SnippetPanel(lambda: self.app.runner, lambda: self.app.runner_ready,
                                   self.app.settings.monotonic,
                                   id="card-snippet", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#card-back").border_title = "Back"
        self.query_one("#card-sources").border_title = "Written on"
        self._show(self.detail)
        self.query_one("#card-back").focus()

    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        self.detail = card_detail(self.app.store, self.card_id)
        self._show(self.detail)

    def _show(self, d: CardDetail) -> None:
        self.query_one("#card-title", Static).update(Text(d.front, style="bold"))
        facts = Text.assemble(
            ("deck ", "dim"), d.deck, ("  ·  ", "dim"), d.kind, ("  ·  ", "dim"), d.state,
            ("  ·  due ", "dim"), due_label(d.due, self.app.settings.now(), d.suspended),
            ("  ·  stability ", "dim"), stability_label(d.stability),
            ("  ·  lapses ", "dim"), str(d.lapses))
        self.query_one("#card-facts", Static).update(facts)
        self.query_one("#card-markdown", Markdown).update(d.back or "*(empty back)*")
        sources = self.query_one("#card-sources", OptionList)
        sources.clear_options()
        sources.add_options([Option(f"{s.date}  {s.title}", id=s.date)
                             for s in d.sources] or [Option("(no journal days)", disabled=True)])
        if d.sources:  # Enter on the focused list opens a day without a down key first
            sources.highlighted = 0
        snippet = self.query_one(SnippetPanel)
        snippet.display = d.snippet is not None
        if d.snippet is not None and snippet.saved_code != d.snippet.code:
            # trust and confinement are the snippet's own deck's (an alias links a
            # journal card to it)
            snippet.load(d.snippet.name, d.snippet.code, timeout=d.snippet.timeout,
                         trusted=d.snippet.trusted, confined=runs_confined(d.snippet))

    @on(OptionList.OptionSelected, "#card-sources")
    def _open_source(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.call_later(self.app.action_open_day, event.option.id)

    def action_edit(self) -> None:
        from studylog.tui.dialogs.card_edit_dialog import CardEditDialog

        self.app.push_screen(CardEditDialog(self.detail.front, self.detail.back), self._edited)

    def _edited(self, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        changed = edit_card(self.app.store, self.card_id, *result)
        self.notify(f"Saved: {' and '.join(changed)}" if changed else "Nothing changed")
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))

    def action_back(self) -> None:
        """Back to where you came from; asks first if the snippet has unsaved edits."""
        panel = self.query_one(SnippetPanel)
        if self.detail.snippet is None or panel.code == panel.saved_code:
            self.dismiss()
            return
        from studylog.tui.dialogs.confirm_dialog import ConfirmDialog

        def answered(choice: str | None) -> None:
            if choice == "save":
                save_snippet(self, self.detail.snippet,
                             SnippetPanel.SaveRequested(panel, panel.code))
            if choice in ("save", "discard"):
                self.dismiss()

        self.app.push_screen(ConfirmDialog(
            f"The snippet {self.detail.snippet.name} has unsaved edits.",
            [("save", "Save to card"), ("discard", "Discard"), ("cancel", "Cancel")]),
            answered)

    def action_run_snippet(self) -> None:
        if self.detail.snippet is None:
            self.notify("This card has no snippet", severity="warning", timeout=2)
            return
        self.query_one(SnippetPanel).action_run()

    def action_stop_snippet(self) -> None:
        self.query_one(SnippetPanel).stop_running()

    @on(SnippetPanel.TrustNeeded)
    def _ask_trust(self, event: SnippetPanel.TrustNeeded) -> None:
        if self.detail.snippet is not None:
            ask_trust(self, event.panel, self.detail.snippet.deck)

    @on(SnippetPanel.SaveRequested)
    def _save_snippet(self, event: SnippetPanel.SaveRequested) -> None:
        save_snippet(self, self.detail.snippet, event)

    def action_toggle_suspend(self) -> None:
        was = self.detail.suspended
        (unsuspend if was else suspend)(self.app.store, self.card_id)
        self.notify(f"{'Unsuspended' if was else 'Suspended'}: {self.detail.front}")
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))
