"""One card: its back rendered, its source days (Enter jumps to one), its snippet with
Python highlighting (``n`` shows its next runnable block, ``w`` writes the card's own
snippet, ``a`` asks a prediction about the block shown); its flags; edit the front and
back, suspend or unsuspend, revert an edited back to the automatic one (``v``), undo."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from studylog.core.cards.automatic_back import revert_to_automatic_back
from studylog.core.cards.card_deletion import delete_cards
from studylog.core.cards.card_editing import CardDetail, CardError, card_detail, edit_card
from studylog.core.cards.card_merge import merge_cards, merge_partner
from studylog.core.cards.keyword_rename import (
    KeywordError,
    KeywordTaken,
    check_new_keyword_name,
    keyword_name,
    keyword_of_card,
    rename_keyword,
)
from studylog.core.cards.snippet_trust import CARD_CODE, SnippetRow, card_code_name
from studylog.core.journal.journal_settings import journal_settings
from studylog.core.review.scheduling import suspend, unsuspend
from studylog.tui import cleanup_actions
from studylog.tui.card_format import due_label, flag_marks, stability_label
from studylog.tui.errors import on
from studylog.tui.messages import DataChanged
from studylog.tui.search_landing import mark_first_match, scroll_to_match
from studylog.tui.snippet_actions import (
    NEXT_BLOCK_KEY,
    SnippetScreen,
    fit_snippet_width,
    save_snippet,
    show_block,
    toggle_snippet_size,
)
from studylog.tui.widgets.key_footer import KeyFooter
from studylog.tui.widgets.snippet_panel import MAXIMIZE_BINDING, STOP_BINDINGS, SnippetPanel


class CardScreen(SnippetScreen):
    SCREEN_NAME = "Card"
    # In the order the footer shows them, with short labels: at 80 columns a card with
    # no snippet (its snippet keys hidden) shows e to + whole, an edited back's v
    # included; on a card with a snippet r and the stop key come right after s, so a
    # narrow footer keeps naming them. Escape is known: it comes last.
    BINDINGS = [
        Binding("e", "edit", "Edit"),
        Binding("s", "set_suspended(True)", "Suspend"),
        Binding("s", "set_suspended(False)", "Unsuspend"),  # check_action shows one
        Binding("r", "run_snippet", "Run"),
        *STOP_BINDINGS,
        Binding("v", "revert_back", "Revert"),  # only on an edited back; a predicts
        Binding("u", "undo", "Undo"),
        Binding("d", "delete_card", "Delete"),
        Binding("k", "rename_keyword", "Rename"),
        Binding("plus", "merge_card", "Merge", key_display="+"),  # m maximises the snippet
        Binding(NEXT_BLOCK_KEY, "next_block", "Next block"),
        MAXIMIZE_BINDING,
        Binding("w", "write_snippet", "Write snippet"),
        Binding("a", "toggle_predict", "Predict"),
        Binding("escape", "back", "Back"),
    ]
    # keys that do something only to a snippet: hidden on a card without one
    SNIPPET_ACTIONS = {"run_snippet", "stop_snippet", "toggle_snippet_size", "toggle_predict"}

    def __init__(self, detail: CardDetail, terms: list[str] | None = None):
        super().__init__()
        self.card_id = detail.id
        self.detail = detail  # what is shown; refreshed after every change
        self.block = 0  # which of self.snippets the panel shows
        self.terms = terms or []  # opened from search: its words, to land on the match
        self.draft: SnippetRow | None = None  # a new own snippet, until it is saved

    @property
    def snippets(self) -> list[SnippetRow]:
        """The card's runnable blocks, with the own snippet being written first."""
        return ([self.draft] if self.draft else []) + self.detail.snippets

    @property
    def current(self) -> SnippetRow | None:
        """The runnable block the panel shows (and ``r`` runs)."""
        return self.snippets[self.block] if self.snippets else None

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
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#card-back").border_title = "Back"
        self.query_one("#card-sources").border_title = "Written on"
        rendering = self._show(self.detail)
        self.query_one("#card-back").focus()
        if self.terms:
            self._land_on_match(rendering)

    @work(exclusive=True, group="search-landing", exit_on_error=False)
    async def _land_on_match(self, rendering: AwaitComplete) -> None:
        await rendering  # the back's blocks are mounted
        block = mark_first_match([self.query_one("#card-title", Static),
                                  self.query_one("#card-markdown", Markdown)], self.terms)
        if block is not None:
            self.call_after_refresh(scroll_to_match, block)

    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def on_screen_resume(self) -> None:
        # only close when the card went while another screen was shown (an undo there);
        # drawing it again would lose the place a search landed on
        try:
            card_detail(self.app.store, self.card_id)
        except CardError:
            self.refresh_data()

    def refresh_data(self) -> None:
        try:
            self.detail = card_detail(self.app.store, self.card_id, self.app.settings.now())
        except CardError:  # deleted (here, by an undo, or by another process)
            if self.is_current:  # dismiss pops the top screen: only when that is this
                self.dismiss()
            return
        self._show(self.detail)
        self.refresh_bindings()  # `a` shows only while the back is edited

    def _show(self, d: CardDetail) -> AwaitComplete:
        """Show ``d``; returns the back's rendering, to wait for."""
        self.query_one("#card-title", Static).update(Text(d.front, style="bold"))
        # a card asking about the learner's own code is a predict card whatever its kind
        kind = "predict" if d.predict_index is not None else d.kind
        facts = Text.assemble(
            ("deck ", "dim"), d.deck, ("  ·  ", "dim"), kind, ("  ·  ", "dim"), d.state,
            ("  ·  due ", "dim"), due_label(d.due, self.app.settings.now(), d.suspended),
            ("  ·  stability ", "dim"), stability_label(d.stability),
            ("  ·  lapses ", "dim"), str(d.lapses))
        facts.append_text(flag_marks(d.flags))
        self.query_one("#card-facts", Static).update(facts)
        rendering = self.query_one("#card-markdown", Markdown).update(
            d.back or "*(empty back)*")
        sources = self.query_one("#card-sources", OptionList)
        sources.clear_options()
        sources.add_options([Option(f"{s.date}  {s.title}", id=s.date)
                             for s in d.sources] or [Option("(no journal days)", disabled=True)])
        if d.sources:  # Enter on the focused list opens a day without a down key first
            sources.highlighted = 0
        panel = self.query_one(SnippetPanel)
        snippets = self.snippets
        if snippets:
            panel.show()
        else:
            panel.display = False
        self.block = min(self.block, max(len(snippets) - 1, 0))
        current = self.current
        # a refresh keeps the code you are editing unless the block itself changed
        if current is not None and (panel.name_ != current.name
                                    or panel.saved_code != current.code):
            show_block(panel, snippets, self.block)
            fit_snippet_width(self.query_one("#card-side"), panel)
        self.refresh_bindings()
        return rendering

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_block":  # in the footer only when there is another block
            return len(self.snippets) > 1
        if action == "revert_back":
            return "edited" in self.detail.flags  # only a hand-edited back has one
        if action == "set_suspended":
            return parameters[0] != self.detail.suspended
        if action in self.SNIPPET_ACTIONS:
            # hidden, not greyed: the room goes to the keys this card has
            return self.current is not None
        return True

    @on(OptionList.OptionSelected, "#card-sources")
    def _open_source(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.call_later(self.app.action_open_day, event.option.id, self.terms)

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
        current = self.current
        if current is None or panel.code == panel.saved_code or (
                self.draft is not None and not panel.code.strip()):
            self.dismiss()
            return
        from studylog.tui.dialogs.confirm_dialog import ConfirmDialog

        def answered(choice: str | None) -> None:
            if choice == "save":
                save_snippet(self, self.card_id, current,
                             SnippetPanel.SaveRequested(panel, panel.code))
            if choice in ("save", "discard"):
                self.dismiss()

        self.app.push_screen(ConfirmDialog(
            f"The snippet {current.name} has unsaved edits.",
            [("save", "Save to card"), ("discard", "Discard"), ("cancel", "Cancel")]),
            answered)

    def action_run_snippet(self) -> None:
        if self.current is None:
            self.notify("This card has no snippet", severity="warning", timeout=2)
            return
        self.query_one(SnippetPanel).action_run()

    def action_next_block(self) -> None:
        """Show the card's next runnable block (after the last, the first again)."""
        snippets = self.snippets
        if len(snippets) < 2:
            return
        panel = self.query_one(SnippetPanel)
        if panel.code != panel.saved_code:
            self.notify("The snippet has unsaved edits: ctrl+s saves them first",
                        severity="warning", timeout=3)
            return
        self.block = (self.block + 1) % len(snippets)
        show_block(panel, snippets, self.block)
        fit_snippet_width(self.query_one("#card-side"), panel)
        self.notify(f"Block {self.block + 1} of {len(snippets)}: {snippets[self.block].name}",
                    timeout=2)

    def action_stop_snippet(self) -> None:
        self.query_one(SnippetPanel).stop_running()

    def action_toggle_snippet_size(self) -> None:
        if self.current is None:
            self.notify("This card has no snippet", severity="warning", timeout=2)
            return
        toggle_snippet_size(self, self.query_one(SnippetPanel))

    @on(SnippetPanel.SaveRequested)
    def _save_snippet(self, event: SnippetPanel.SaveRequested) -> None:
        if save_snippet(self, self.card_id, self.current, event) == CARD_CODE:
            self.draft, self.block = None, 0  # the card's own snippet comes first
        self.refresh_data()

    def action_write_snippet(self) -> None:
        """Edit the card's own snippet, or start one (saved by ctrl+s, on any card)."""
        panel = self.query_one(SnippetPanel)
        own = next((i for i, s in enumerate(self.snippets) if s.kind == CARD_CODE), None)
        if own is None and panel.code != panel.saved_code:
            self.notify("The snippet has unsaved edits: ctrl+s saves them first",
                        severity="warning", timeout=3)
            return
        if own is None:
            d = self.detail
            self.draft = SnippetRow(0, card_code_name(d.front), "", None, False, 0, d.deck,
                                    CARD_CODE, True)
            own = 0
        self.block = own
        show_block(panel, self.snippets, own)
        panel.show()
        self.refresh_bindings()
        panel.query_one("#snippet-code").focus()

    def action_toggle_predict(self) -> None:
        """Make the block shown the card's predict-then-run question, or stop asking."""
        from studylog.core.cards.card_snippet import predict_block, stop_predicting

        current = self.current
        if current is None or current is self.draft:
            self.notify("Nothing to predict: give the card a snippet first (w)",
                        severity="warning", timeout=3)
            return
        if self.detail.predict_index is not None and self.block == self.detail.predict_index:
            if stop_predicting(self.app.store, self.card_id):
                self.notify("The card asks no prediction any more", timeout=2)
            else:  # a deck's predict card: its deck decides
                self.notify("This deck's card asks a prediction: that is the deck's to "
                            "change", severity="warning", timeout=3)
        else:
            name = predict_block(self.app.store, self.card_id, self.block - bool(self.draft) + 1)
            self.notify(f"Review asks what {name} prints before the answer", timeout=3)
            self.draft, self.block = None, 0  # it is the card's own snippet now
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))

    def action_undo(self) -> None:
        """Undo the newest action of the study day (a snippet saved here included)."""
        from studylog.core.undo.reversal import undo_newest

        undone = undo_newest(self.app.store)
        self.notify(undone.message, timeout=3)
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))

    def action_revert_back(self) -> None:
        """Drop the hand edit of the back: it follows the journal (or deck) again."""
        if "edited" not in self.detail.flags:
            return
        revert_to_automatic_back(self.app.store, self.card_id)
        self.notify(f"Back to the automatic back: {self.detail.front} (u puts your edit "
                    "back)")
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))

    def action_set_suspended(self, suspended: bool) -> None:
        if suspended == self.detail.suspended:
            return  # the palette runs either; the card is so already
        (suspend if suspended else unsuspend)(self.app.store, self.card_id)
        self.notify(f"{'Suspended' if suspended else 'Unsuspended'}: {self.detail.front}")
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))

    def action_delete_card(self) -> None:
        d = self.detail
        cleanup_actions.ask(
            self, f"Delete the card “{d.front}”?\n\nIts {d.reps} review(s) stay in the review "
            "log. The days that list its keyword now do not make it again. u undoes it "
            "today.", "Delete card",
            lambda: cleanup_actions.changed(self, delete_cards(self.app.store,
                                                               [self.card_id]).message()))

    def action_rename_keyword(self) -> None:
        from studylog.tui.dialogs.name_dialog import NameDialog

        keyword = keyword_of_card(self.app.store, self.card_id)
        if keyword is None:
            self.notify("Only a keyword card has a keyword to rename", severity="warning")
            return

        def check(text: str) -> str:
            """Refuse in the name box what the rename would refuse after the question."""
            if keyword_name(text) == keyword:
                return keyword  # unchanged: the dialog closes, nothing to ask
            try:
                return check_new_keyword_name(self.app.store, keyword, text)
            except KeywordTaken as taken:
                raise KeywordError(
                    f"“{taken.name}” is a keyword already: to make one card of the two, "
                    f"escape, then + here and type {taken.name}") from taken

        def named(new: str | None) -> None:
            if new is None or new == keyword:
                return
            days = len(self.detail.sources)
            files = ("\n\nWrite-back is on: the keyword lines in the files those days came "
                     "from change too (a file changed since its import is left alone)."
                     if journal_settings(self.app.store).write_back else "")
            cleanup_actions.ask(
                self, f"Rename the keyword “{keyword}” to “{new}”?\n\nThe card keeps its "
                f"history; the keyword lines of its {days} day(s) change with it (only the "
                f"keyword, never your prose). u undoes it today.{files}", "Rename",
                lambda: cleanup_actions.changed(
                    self, rename_keyword(self.app.store, keyword, new).message()))

        self.app.push_screen(NameDialog(f"New name for the keyword “{keyword}”:", keyword,
                                        check=check,
                                        empty="The new name is empty: type one "
                                              "(escape cancels)"), named)

    def action_merge_card(self) -> None:
        from studylog.tui.dialogs.name_dialog import NameDialog

        if keyword_of_card(self.app.store, self.card_id) is None:
            self.notify("Only keyword cards merge", severity="warning")
            return

        def named(text: str | None) -> None:
            if text is None:
                return
            other = card_detail(self.app.store, merge_partner(self.app.store, self.card_id,
                                                              text))
            cleanup_actions.ask(
                self, f"Merge “{other.front}” into “{self.detail.front}”?\n\nThis card "
                "keeps its front; both cards' days become its sources; the card graded "
                f"first gives it its history. “{other.front}” goes. u undoes it today.",
                "Merge", lambda: cleanup_actions.changed(
                    self, merge_cards(self.app.store, self.card_id, other.id).message()))

        self.app.push_screen(NameDialog(
            f"Merge which keyword card into “{self.detail.front}”? Its keyword or its id:"),
            named)
