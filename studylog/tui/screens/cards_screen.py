"""Cards: a table of every card with filters by deck, state or flag, and text; Enter opens one,
``s`` suspends or unsuspends the highlighted card, ``o`` suspends or deletes every
orphaned card (asks first), ``u`` undoes.

Built for 20,000 cards: the ids a filter keeps are read in a worker (those of the first
open were read ahead by the app while you read Today), the table draws only
the rows on screen (``LazyTable``), the text filter runs in memory over every card's
words, read once in a worker (``CardTexts``), and the deck and state drop-downs (Textual
``Select``s, ~40 ms of a first open's CPU) are mounted once the first rows are drawn:
until then two placeholders of their size hold their places."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Select, Static
from textual.worker import Worker, WorkerState, get_current_worker

from studylog.core.cards.card_deletion import delete_orphans, orphaned_cards, suspend_orphans
from studylog.core.cards.card_editing import card_detail
from studylog.core.cards.card_flags import FLAGS, listing_flags
from studylog.core.cards.card_list import (
    CardFilter,
    CardLine,
    CardTexts,
    card_lines,
    card_total,
    deck_names,
    filtered_ids,
)
from studylog.core.changes import data_version
from studylog.core.review.scheduling import suspend, unsuspend
from studylog.core.storage.database import Store
from studylog.tui import cleanup_actions
from studylog.tui.card_format import due_label, stability_label, state_with_flags
from studylog.tui.errors import on
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import LoadingScreen
from studylog.tui.widgets.filter_box import FilterBox
from studylog.tui.widgets.key_footer import KeyFooter
from studylog.tui.widgets.lazy_table import Cells, LazyTable

STATES = [("any state", "any"), ("due now", "due"), ("new", "new"), ("learning", "learning"),
          ("review", "review"), *((flag, flag) for flag in FLAGS)]


# Fits 80 columns; the front column takes whatever a wider terminal adds.
COLUMNS = [("Front", 22), ("Deck", 9), ("State", 13), ("Due", 8), ("Stab.", 6),
           ("Lapses", 6)]
FIXED_WIDTH = 58  # the other columns, the cell padding and the scrollbar


def cell(text: str, width: int) -> Text:
    """The first line of ``text`` cut to ``width`` terminal columns."""
    lines = text.strip().splitlines() or [""]
    first = Text(lines[0] + (" …" if len(lines) > 1 else ""))
    first.truncate(width, overflow="ellipsis")
    return first


def row_cells(card: CardLine, now: datetime, front_width: int) -> Cells:
    return [cell(card.front, front_width), cell(card.deck, COLUMNS[1][1]),
            cell(state_with_flags(card.state, listing_flags(card, now)), COLUMNS[2][1]),
            "—" if card.suspended else due_label(card.due, now),
            stability_label(card.stability), str(card.lapses)]


class CardRows:
    """The table's rows: the ids a filter keeps; a row's card is read when drawn."""

    def __init__(self, store: Store, keys: list[int], now: Callable[[], datetime],
                 front_width: int) -> None:
        self.store, self.keys, self.now, self.front_width = store, keys, now, front_width

    def __len__(self) -> int:
        return len(self.keys)

    def key_at(self, index: int) -> int:
        return self.keys[index]

    def index_of(self, key: int) -> int | None:
        try:
            return self.keys.index(key)
        except ValueError:
            return None

    def cells(self, start: int, stop: int) -> list[Cells]:
        ids = self.keys[start:stop]
        lines = {line.id: line for line in card_lines(self.store, ids)}
        now = self.now()
        gone: Cells = ["(deleted)", "", "", "", "", ""]  # deleted since the ids were read
        return [row_cells(lines[i], now, self.front_width) if i in lines else gone
                for i in ids]


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a read found for ``card_filter``."""

    card_filter: CardFilter
    ids: list[int]  # what the deck and state filters keep, in list order
    total: int  # every card
    decks: list[str]


def read_cards(store: Store, card_filter: CardFilter, now: datetime,
               tz: tzinfo | None) -> Loaded:
    """The ids ``card_filter`` keeps, the number of cards and the decks, as ``store``
    holds them (a worker's, or the app's read ahead)."""
    return Loaded(card_filter, filtered_ids(store, card_filter, now, tz), card_total(store),
                  deck_names(store))


class CardsScreen(LoadingScreen):
    SCREEN_NAME = "Cards"
    # the table, not the first focusable widget (the filter box): focusing the box
    # reads every card's words (for typing a filter), which opening should not pay
    AUTO_FOCUS = "#cards-table"
    BINDINGS = [
        Binding("enter", "open_card", "Open card", show=False),
        Binding("s", "toggle_suspend", "Suspend/unsuspend"),
        Binding("f", "focus_filter", "Filter"),
        Binding("o", "orphans", "Orphans"),
        Binding("u", "undo", "Undo"),
        Binding("escape", "focus_table", "Table", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[int] | None = None  # what the deck and state filters keep
        self.texts: CardTexts | None = None  # every card's words, read on first need
        self.total = 0
        self.decks: list[str] = []
        self.loaded_filter: CardFilter | None = None  # the filter ``ids`` is for
        self.reading: CardFilter | None = None  # what the worker reads now
        self.reading_texts = False  # the words are being read
        self.generation = 0  # loads so far: a read from before the last one is stale
        self.front_width = COLUMNS[0][1]  # widened to the terminal on mount
        # what the deck and state drop-downs hold (they mount after the first rows)
        self.deck: str | None = None
        self.state = "any"
        self.selects_mounted = False
        self.shown_generation = -1  # the load the table's rows were last drawn from

    def compose(self) -> ComposeResult:
        yield Static("Cards", id="cards-title", classes="screen-title")
        with Horizontal(id="cards-filters"):
            # filters as the key is handled: the box and its rows are drawn together
            yield FilterBox(placeholder="filter by text", id="cards-text",
                            when_typed=self.refilter)
            # the drop-downs' places, until ``_mount_selects``
            yield Static("any deck", id="cards-deck-slot", classes="select-slot")
            yield Static("any state", id="cards-state-slot", classes="select-slot")
        yield LazyTable(id="cards-table")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(LazyTable)
        self.front_width = max(COLUMNS[0][1], self.app.size.width - FIXED_WIDTH)
        table.set_columns([(COLUMNS[0][0], self.front_width), *COLUMNS[1:]])
        table.focus()

    def came_back(self) -> None:
        if self.card_filter.state == "due":  # the queue moves on with the clock
            self.reload()
        else:
            self.query_one(LazyTable).redraw()  # due dates count from now

    # -- filtering -----------------------------------------------------------------
    @property
    def card_filter(self) -> CardFilter:
        return CardFilter(deck=self.deck, state=self.state)

    def _mount_selects(self) -> None:
        """Put the deck and state drop-downs in their placeholders' places."""
        if self.selects_mounted or not self.is_attached:
            return
        self.selects_mounted = True
        deck = Select([(d, d) for d in self.decks], prompt="any deck", id="cards-deck",
                      allow_blank=True, value=self.deck or Select.NULL)
        state = Select(STATES, value=self.state, id="cards-state", allow_blank=False)
        filters = self.query_one("#cards-filters")
        with self.app.batch_update():
            self.query(".select-slot").remove()
            filters.mount(deck, state)

    @property
    def filter_text(self) -> str:
        return self.query_one("#cards-text", Input).value.casefold().strip()

    def load(self) -> None:
        """Read the cards again (in a worker); the table keeps showing the last ones."""
        self.generation += 1  # what reads started before this one bring is stale
        self.ids, self.loaded_filter, self.texts = None, None, None
        self.reading, self.reading_texts = None, False
        ahead, self.app.cards_ahead = self.app.cards_ahead, None  # taken once
        loaded = ahead and ahead.fresh(data_version(self.app.store))
        if loaded and loaded.card_filter == self.card_filter:
            self._loaded(loaded, self.generation)  # read while you read Today
        else:
            self._read(self.card_filter)

    def refilter(self) -> None:
        """Apply the filters: the deck and state filters read ids in a worker; the text
        filter runs in memory once every card's words are read (a worker, once)."""
        card_filter, text = self.card_filter, self.filter_text
        if self.ids is None or card_filter != self.loaded_filter:
            if self.reading != card_filter:  # (not the read under way)
                self._read(card_filter)
        elif text and self.texts is None:
            self._read_texts()  # shown when read
        else:
            self._show(self.texts.matching(self.ids, text) if text and self.texts is not None
                       else self.ids)

    def _read(self, card_filter: CardFilter) -> None:
        self.reading = card_filter
        self.read_ids(card_filter, self.generation)

    def _read_texts(self) -> None:
        if not self.reading_texts:
            self.reading_texts = True
            self.read_texts(self.generation)

    @work(thread=True, exclusive=True, group="cards", exit_on_error=False)
    def read_ids(self, card_filter: CardFilter, generation: int) -> None:
        settings = self.app.settings
        loaded = read_cards(self.app.reader(), card_filter, settings.now(), settings.tz)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._loaded, loaded, generation)

    @work(thread=True, exclusive=True, group="card-texts", exit_on_error=False)
    def read_texts(self, generation: int) -> None:
        texts = CardTexts(self.app.reader())
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._texts_loaded, texts, generation)

    @on(Worker.StateChanged)
    def _read_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            raise event.worker.error  # reported by the handler's guard, in one line

    def _loaded(self, loaded: Loaded, generation: int) -> None:
        if generation != self.generation:
            return
        if self.reading == loaded.card_filter:
            self.reading = None
        if loaded.card_filter != self.card_filter:
            return  # the filters changed meanwhile: a newer read is on its way
        self.ids, self.loaded_filter, self.total = loaded.ids, loaded.card_filter, \
            loaded.total
        if loaded.decks != self.decks:
            self._set_decks(loaded.decks)
        self.refilter()

    def _texts_loaded(self, texts: CardTexts, generation: int) -> None:
        if generation == self.generation:
            self.texts, self.reading_texts = texts, False
            self.refilter()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # about to type a filter: read every card's words meanwhile
        if event.widget.id == "cards-text" and self.texts is None:
            self._read_texts()

    def _set_decks(self, decks: list[str]) -> None:
        self.decks = decks
        if self.selects_mounted:
            select = self.query_one("#cards-deck", Select)
            with select.prevent(Select.Changed):
                select.set_options([(d, d) for d in decks])
                if self.deck in decks:
                    select.value = self.deck
        if self.deck is not None and self.deck not in decks:
            self.deck = None
            self.load()  # its deck is gone: every deck

    def _show(self, shown: list[int]) -> None:
        if not self.selects_mounted:
            self.call_after_refresh(self._mount_selects)  # once the rows are drawn
        table = self.query_one(LazyTable)
        table.set_rows(CardRows(self.app.store, shown, self.app.settings.now,
                                self.front_width), cursor_key=table.cursor_key,
                       same_data=self.shown_generation == self.generation)
        self.shown_generation = self.generation
        # one line whatever it says (app.tcss): no layout of the screen a keystroke
        self.query_one("#cards-title", Static).update(
            f"Cards · {len(shown)} of {self.total} shown", layout=False)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        value = event.value
        if event.select.id == "cards-deck":
            self.deck = value if isinstance(value, str) else None
        else:
            self.state = str(value)  # never blank
        self.refilter()

    @on(Input.Submitted, "#cards-text")
    def _text_done(self) -> None:
        self.query_one(LazyTable).focus()

    # -- the cards -----------------------------------------------------------------
    @property
    def cursor_card_id(self) -> int | None:
        return self.query_one(LazyTable).cursor_key

    @on(LazyTable.RowSelected, "#cards-table")
    def action_open_card(self) -> None:
        card_id = self.cursor_card_id
        if card_id is not None:
            self.app.action_open_card(card_id)

    def action_toggle_suspend(self) -> None:
        card_id = self.cursor_card_id
        if card_id is None:
            return
        card = card_detail(self.app.store, card_id)
        (unsuspend if card.suspended else suspend)(self.app.store, card_id)
        self.notify(f"{'Unsuspended' if card.suspended else 'Suspended'}: {card.front}")
        self.reload()
        self.app.post_message(DataChanged(origin=self))

    def action_focus_filter(self) -> None:
        self.query_one("#cards-text", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(LazyTable).focus()

    def action_orphans(self) -> None:
        """Suspend or delete every orphaned card at once, after asking."""
        orphans = orphaned_cards(self.app.store)
        if not orphans:
            self.notify("No orphaned cards", timeout=2)
            return
        names = ", ".join(c.front for c in orphans[:8]) + (" …" if len(orphans) > 8 else "")

        def answered(choice: str | None) -> None:
            if choice == "suspend":
                fronts = suspend_orphans(self.app.store)
                cleanup_actions.changed(self, f"Suspended {len(fronts)} orphaned card(s)")
            elif choice == "delete":
                cleanup_actions.changed(self, delete_orphans(self.app.store).message())

        from studylog.tui.dialogs.confirm_dialog import ConfirmDialog

        self.app.push_screen(ConfirmDialog(
            f"{len(orphans)} orphaned card(s): no journal day lists their keyword any more "
            f"(or they left their deck): {names}\n\nSuspend them all, or delete them all? "
            "Their review history stays either way; u undoes it today.",
            [("suspend", "Suspend all"), ("delete", "Delete all"), ("cancel", "Cancel")]),
            answered)

    def action_undo(self) -> None:
        cleanup_actions.undo(self)
