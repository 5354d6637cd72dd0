"""Review: the queue of the review core, one card at a time, graded with 1-4.

Space or Enter reveals the back; each grade button shows its next interval, as Anki's
do; ``u`` undoes, ``b`` buries, ``s`` suspends, ``e`` edits, ``r`` runs the card's
snippet beside it and ``n`` shows its next runnable block. A predict-then-run card shows
its code (without the lines after ``# check``) and asks what it prints; revealing runs
it live next to your prediction.
Time per card (capped at a minute, as Anki caps it) goes into the review log.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Markdown, Static

from studylog.core.cards.card_editing import CardDetail, card_detail, edit_card
from studylog.core.cards.deck_parser import predict_front
from studylog.core.cards.snippet_trust import CARD_CODE, SnippetRow
from studylog.core.review.scheduling import suspend
from studylog.core.review.session import ReviewSession
from studylog.tui.card_format import flag_marks
from studylog.tui.errors import on
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

GRADES = [(1, "again", "Again"), (2, "hard", "Hard"), (3, "good", "Good"), (4, "easy", "Easy")]
MAX_ANSWER_MS = 60_000
CARD_ACTIONS = {"reveal", "grade", "bury", "suspend", "edit", "run_snippet", "stop_snippet",
                "next_block", "toggle_snippet_size"}


class ReviewScreen(SnippetScreen):
    SCREEN_NAME = "Review"
    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("1", "grade(1)", "Again", show=False),
        Binding("2", "grade(2)", "Hard", show=False),
        Binding("3", "grade(3)", "Good", show=False),
        Binding("4", "grade(4)", "Easy", show=False),
        Binding("u", "undo", "Undo"),
        Binding("b", "bury", "Bury"),
        Binding("s", "suspend", "Suspend"),
        Binding("e", "edit", "Edit"),
        Binding("r", "run_snippet", "Run snippet"),
        Binding(NEXT_BLOCK_KEY, "next_block", "Next block"),
        *STOP_BINDINGS,
        MAXIMIZE_BINDING,
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, session: ReviewSession):
        super().__init__()
        self.session = session
        self.deck = session.deck
        self.card: CardDetail | None = None  # None: the summary is shown
        self.revealed = False
        self.shown_at = 0.0  # AppSettings.monotonic when the card was shown
        self.block = 0  # which of the card's snippets the panel shows

    @property
    def current(self) -> SnippetRow | None:
        """The runnable block the panel shows (and ``r`` runs)."""
        if self.card is None or not self.card.snippets:
            return None
        return self.card.snippets[self.block]

    def compose(self) -> ComposeResult:
        yield Static(id="review-counts", classes="screen-title")
        with Horizontal(id="review-body"):
            with VerticalScroll(id="review-card", classes="panel"):
                yield Static(id="review-meta")
                yield Markdown(id="review-front")
                yield Input(placeholder="your prediction (optional) — Enter reveals",
                            id="review-prediction")
                yield Markdown(id="review-back")
            yield SnippetPanel(lambda: self.app.runner, lambda: self.app.runner_ready,
                               self.app.settings.monotonic,
                               id="review-snippet", classes="panel")
        with Horizontal(id="grade-bar"):
            for number, key, label in GRADES:
                button = Button(f"{number} {label}", id=f"grade-{key}",
                                classes=f"grade grade-{key}")
                button.can_focus = False
                yield button
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#review-card").border_title = "Card"
        self.next_card()

    # -- showing cards ----------------------------------------------------------------
    def next_card(self, card_id: int | None = None) -> None:
        """Show ``card_id``, or the first card of the queue, or the summary."""
        now = self.app.settings.now()
        queue = self.session.queue(now)
        counts = queue.counts
        self.query_one("#review-counts", Static).update(Text.assemble(
            (f"Review · {self.deck or 'all decks'}   ", "bold"),
            (f"{counts.new} new", "bold blue"), " · ",
            (f"{counts.learning} learning", "bold red"), " · ",
            (f"{counts.review} review", "bold green")))
        if card_id is None:
            first = queue.first()
            card_id = first.id if first else None
        if card_id is None:
            self.show_summary()
            return
        self.card = card_detail(self.app.store, card_id, now)
        self.revealed = False
        self.shown_at = self.app.settings.monotonic()
        self._show_front(self.card)
        self.refresh_bindings()  # back from the summary (undo): the card keys again

    def _show_meta(self, card: CardDetail) -> None:
        """The card's deck, state, flags and first day, and the keys that help now
        (space to reveal only before the reveal)."""
        meta = Text.assemble((card.deck, "bold"), ("  ·  ", "dim"), card.state,
                             flag_marks(card.flags))
        if card.sources:  # the queue takes new cards in the order first written
            meta.append(f"  ·  first written {card.sources[-1].date}", style="italic")
        hints = [] if self.revealed else ["space shows the answer"]
        if card.snippet:
            hints.append("r runs its snippet")
        if len(card.snippets) > 1:
            hints.append(f"{NEXT_BLOCK_KEY} shows its next block")
        if hints:  # after the reveal the grade buttons say what comes next
            meta.append("\n" + "  ·  ".join(hints), style="dim")
        self.query_one("#review-meta", Static).update(meta)

    def _show_front(self, card: CardDetail) -> None:
        self._show_meta(card)
        front = f"## {card.front}"
        # a deck's predict card, or one asking about the learner's own code
        is_predict = card.predict_index is not None
        if card.predict_index is not None:
            question = card.snippets[card.predict_index]
            front += ("\n\n```python\n" + predict_front(question.code) + "\n```\n\n"
                      "**What will this print?**")
        self.query_one("#review-front", Markdown).update(front)
        prediction = self.query_one("#review-prediction", Input)
        prediction.value = ""
        prediction.disabled = False
        prediction.display = is_predict
        back = self.query_one("#review-back", Markdown)
        back.display = False
        self.query_one("#grade-bar").display = False
        panel = self.query_one(SnippetPanel)
        if self.maximized is not None:
            self.minimize()
        panel.display = False
        self.block = card.predict_index or 0  # revealing runs the question's code
        if card.snippets:
            show_block(panel, card.snippets, self.block)
            fit_snippet_width(panel, panel)
        self.refresh_bindings()
        if is_predict:
            prediction.focus()
        else:
            self.query_one("#review-card").focus()
        self.query_one("#review-card", VerticalScroll).scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # the summary has no card: its footer shows only what still works there
        if self.card is None and action in CARD_ACTIONS:
            return False
        if action == "reveal":  # space does nothing once the answer shows
            return not self.revealed
        if action == "next_block":  # in the footer only when there is another block
            return self.card is not None and len(self.card.snippets) > 1
        return True

    def action_reveal(self) -> None:
        if self.card is None or self.revealed:
            return
        self.revealed = True
        back = self.query_one("#review-back", Markdown)
        text = self.card.back or "*(empty back)*"
        prediction = self.query_one("#review-prediction", Input)
        if prediction.display:
            guess = prediction.value.strip() or "(no prediction)"
            text = f"**Your prediction:** `{guess}`\n\n---\n\n{text}"
            prediction.disabled = True
            self.action_run_snippet()  # the answer is what the code prints: run it
        back.update(text)
        back.display = True
        self._show_meta(self.card)
        self._show_buttons()
        self.refresh_bindings()  # check_action: space leaves the footer
        self.query_one("#review-card").focus()

    def _show_buttons(self) -> None:
        assert self.card is not None
        preview = self.session.preview(self.card.id, self.app.settings.now())
        for number, key, label in GRADES:
            self.query_one(f"#grade-{key}", Button).label = \
                f"{number} {label} · {preview[key].label}"
        self.query_one("#grade-bar").display = True

    def show_summary(self) -> None:
        self.card = None
        summary = self.session.summary(self.app.settings.now())
        self.query_one("#review-meta", Static).update(Text("Done for now", style="bold"))
        minutes, seconds = divmod(round(summary.seconds), 60)
        lines = [
            "## Congratulations! Nothing more is due now.",
            "",
            f"- **{summary.reviews}** review(s) of **{summary.cards}** card(s) "
            f"in **{minutes}m {seconds:02d}s**",
            f"- again rate: **{summary.again_rate:.0%}**",
            f"- due by the end of tomorrow: **{summary.due_tomorrow}** card(s)",
            "",
            "Press escape to go back.",
        ]
        self.query_one("#review-front", Markdown).update("\n".join(lines))
        for selector in ("#review-prediction", "#review-back", "#grade-bar", SnippetPanel):
            self.query_one(selector).display = False
        self.refresh_bindings()  # check_action hides the card keys: redraw the footer

    # -- answering ------------------------------------------------------------------------
    def action_grade(self, number: int) -> None:
        if self.card is None or not self.revealed:
            return
        elapsed = self.app.settings.monotonic() - self.shown_at
        took = min(MAX_ANSWER_MS, int(elapsed * 1000))
        self.query_one(SnippetPanel).stop()
        result = self.session.grade(self.card.id, number, took, self.app.settings.now())
        message = f"{self.card.front}: {GRADES[number - 1][2]} · next in {result.interval}"
        if result.leech:
            message += " · leech: suspended"
        self.notify(message, timeout=2)
        self.next_card()

    @on(Button.Pressed, ".grade")
    def _grade_button(self, event: Button.Pressed) -> None:
        key = (event.button.id or "").removeprefix("grade-")
        number = next(n for n, k, _ in GRADES if k == key)
        self.action_grade(number)

    @on(Input.Submitted, "#review-prediction")
    def _predicted(self) -> None:
        self.action_reveal()

    def action_undo(self) -> None:
        undone = self.session.undo()
        self.notify(undone.message, timeout=2)
        # an undone unsuspend suspends the card again: nothing to show of it
        self.next_card(None if undone.action == "unsuspend" else undone.card_id)

    def action_bury(self) -> None:
        if self.card is not None:
            self.session.bury(self.card.id, self.app.settings.now())
            self.notify(f"Buried until tomorrow: {self.card.front}", timeout=2)
            self.next_card()

    def action_suspend(self) -> None:
        if self.card is not None:
            suspend(self.app.store, self.card.id)
            self.notify(f"Suspended: {self.card.front}", timeout=2)
            self.next_card()

    def action_edit(self) -> None:
        if self.card is None:
            return
        from studylog.tui.dialogs.card_edit_dialog import CardEditDialog

        self.app.push_screen(CardEditDialog(self.card.front, self.card.back), self._edited)

    def _edited(self, result: tuple[str, str] | None) -> None:
        if result is None or self.card is None:
            return
        edit_card(self.app.store, self.card.id, *result)
        self.card = card_detail(self.app.store, self.card.id, self.app.settings.now())
        revealed = self.revealed
        self._show_front(self.card)
        if revealed:
            self.revealed = False
            self.action_reveal()

    # -- snippets -------------------------------------------------------------------------
    def action_run_snippet(self) -> None:
        if self.card is None or self.card.snippet is None:
            self.notify("This card has no snippet", severity="warning", timeout=2)
            return
        if self.card.predict_index is not None and not self.revealed:
            # its output (and the checks after '# check') are the answer
            self.notify("Predict first: space (or enter) reveals the answer and runs it",
                        timeout=3)
            return
        panel = self.query_one(SnippetPanel)
        panel.show()
        panel.action_run()

    def action_next_block(self) -> None:
        """Show the card's next runnable block in the panel (after the last, the first)."""
        if self.card is None or len(self.card.snippets) < 2:
            return
        if self.card.predict_index is not None and not self.revealed:
            self.notify("Predict first: space (or enter) reveals the answer", timeout=3)
            return
        panel = self.query_one(SnippetPanel)
        if panel.code != panel.saved_code:
            self.notify("The snippet has unsaved edits: ctrl+s saves them first",
                        severity="warning", timeout=3)
            return
        snippets = self.card.snippets
        self.block = (self.block + 1) % len(snippets)
        show_block(panel, snippets, self.block)
        panel.show()
        self.notify(f"Block {self.block + 1} of {len(snippets)}: {snippets[self.block].name}",
                    timeout=2)

    def action_stop_snippet(self) -> None:
        self.query_one(SnippetPanel).stop_running()

    def action_toggle_snippet_size(self) -> None:
        if self.card is None or self.card.snippet is None:
            self.notify("This card has no snippet", severity="warning", timeout=2)
        elif self.card.predict_index is not None and not self.revealed:
            self.notify("Predict first: the full snippet holds the answer", timeout=3)
        else:
            toggle_snippet_size(self, self.query_one(SnippetPanel))

    @on(SnippetPanel.SaveRequested)
    def _save_snippet(self, event: SnippetPanel.SaveRequested) -> None:
        if self.card is None:
            return
        saved = save_snippet(self, self.card.id, self.current, event)
        self.card = card_detail(self.app.store, self.card.id)
        if saved == CARD_CODE:  # the card's own snippet comes first
            self.block = 0
        self.block = min(self.block, max(len(self.card.snippets) - 1, 0))
        current, panel = self.current, self.query_one(SnippetPanel)
        if current is None:
            panel.display = False
        elif current.name != panel.name_:  # a block of the log became the card's own
            show_block(panel, self.card.snippets, self.block)
        self.refresh_bindings()

    def action_leave(self) -> None:
        panel = self.query_one(SnippetPanel)
        if panel.running:
            panel.stop()
        elif self.focused is not None and (panel in self.focused.ancestors or
                                           self.focused.id == "review-prediction"):
            self.query_one("#review-card").focus()  # leave the text box, stay in review
        else:
            self.dismiss()

