"""Cards: a table of every card with filters by deck, state and text; Enter opens one,
``s`` suspends or unsuspends the highlighted card."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from studylog.core.cards.card_editing import CardListing, list_cards
from studylog.core.review.queue import build_queue
from studylog.core.review.scheduling import suspend, unsuspend
from studylog.tui.card_format import due_label, stability_label
from studylog.tui.errors import on
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import StudylogScreen

STATES = [("any state", "any"), ("due now", "due"), ("new", "new"), ("learning", "learning"),
          ("review", "review"), ("suspended", "suspended"), ("orphaned", "orphaned")]


# Fits 80 columns; the front column takes whatever a wider terminal adds.
COLUMNS = [("Front", 24), ("Deck", 10), ("State", 10), ("Due", 8), ("Stab.", 6),
           ("Lapses", 6)]
FIXED_WIDTH = 56  # the other columns, the cell padding and the scrollbar


def cell(text: str, width: int) -> Text:
    """The first line of ``text`` cut to ``width`` terminal columns."""
    lines = text.strip().splitlines() or [""]
    first = Text(lines[0] + (" …" if len(lines) > 1 else ""))
    first.truncate(width, overflow="ellipsis")
    return first


def matches_state(card: CardListing, state: str, due_ids: set[int]) -> bool:
    if state == "any":
        return True
    if state == "due":
        return card.id in due_ids
    if state == "suspended":
        return card.suspended
    if state == "orphaned":
        return card.orphaned
    if state == "learning":
        return card.state in ("learning", "relearning")
    return card.state == state


class CardsScreen(StudylogScreen[None]):
    SCREEN_NAME = "Cards"
    BINDINGS = [
        Binding("enter", "open_card", "Open card", show=False),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("f", "focus_filter", "Filter"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.cards: list[CardListing] = []  # every card, filtered into the table
        self.due_ids: set[int] = set()
        self.front_width = COLUMNS[0][1]  # widened to the terminal on mount

    def compose(self) -> ComposeResult:
        yield Static("Cards", id="cards-title", classes="screen-title")
        with Horizontal(id="cards-filters"):
            yield Input(placeholder="filter by text", id="cards-text")
            yield Select([], prompt="any deck", id="cards-deck", allow_blank=True)
            yield Select(STATES, value="any", id="cards-state", allow_blank=False)
        yield DataTable(id="cards-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self.front_width = max(COLUMNS[0][1], self.app.size.width - FIXED_WIDTH)
        table.add_column(COLUMNS[0][0], width=self.front_width)
        for label, width in COLUMNS[1:]:
            table.add_column(label, width=width)
        self.refresh_data()
        table.focus()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def on_data_changed(self, message: DataChanged) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        store = self.app.store
        self.cards = list_cards(store)
        decks = sorted({c.deck for c in self.cards})
        deck_select = self.query_one("#cards-deck", Select)
        current = deck_select.value
        deck_select.set_options([(d, d) for d in decks])
        if current in decks:
            deck_select.value = current
        self.due_ids = {c.id for c in build_queue(store, None, self.app.settings.now(),
                                                  self.app.settings.tz).cards}
        self.refilter()

    def filter_state(self, state: str) -> None:
        self.query_one("#cards-state", Select).value = state
        self.refilter()

    def refilter(self) -> None:
        text = self.query_one("#cards-text", Input).value.casefold().strip()
        deck = self.query_one("#cards-deck", Select).value
        state = str(self.query_one("#cards-state", Select).value)  # never blank
        now = self.app.settings.now()
        table = self.query_one(DataTable)
        keep = self.cursor_card_id
        table.clear()
        shown = 0
        for card in self.cards:
            if deck not in (Select.NULL, None) and card.deck != deck:
                continue
            if not matches_state(card, state, self.due_ids):
                continue
            if text and text not in card.front.casefold() and text not in \
                    card.back.casefold():
                continue
            table.add_row(cell(card.front, self.front_width), cell(card.deck, COLUMNS[1][1]),
                          "suspended" if card.suspended else card.state,
                          "—" if card.suspended else due_label(card.due, now),
                          stability_label(card.stability), str(card.lapses),
                          key=str(card.id))
            shown += 1
        if keep is not None and str(keep) in table.rows:
            table.move_cursor(row=table.get_row_index(str(keep)))
        self.query_one("#cards-title", Static).update(
            f"Cards · {shown} of {len(self.cards)} shown")

    @on(Input.Changed, "#cards-text")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        self.refilter()

    @on(Input.Submitted, "#cards-text")
    def _text_done(self) -> None:
        self.query_one(DataTable).focus()

    @property
    def cursor_card_id(self) -> int | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return None if key is None else int(key)

    @on(DataTable.RowSelected, "#cards-table")
    def action_open_card(self) -> None:
        card_id = self.cursor_card_id
        if card_id is not None:
            self.app.action_open_card(card_id)

    def action_toggle_suspend(self) -> None:
        card_id = self.cursor_card_id
        if card_id is None:
            return
        card = next(c for c in self.cards if c.id == card_id)
        (unsuspend if card.suspended else suspend)(self.app.store, card_id)
        self.notify(f"{'Unsuspended' if card.suspended else 'Suspended'}: {card.front}")
        self.refresh_data()
        self.app.post_message(DataChanged(origin=self))

    def action_focus_filter(self) -> None:
        self.query_one("#cards-text", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()
