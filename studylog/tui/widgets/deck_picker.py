"""Today's deck list: *All decks*, then each deck with cards due now and its counts
(new, learning, review); the arrows pick one and the screen reviews the one picked.
Under it, the decks that are off (kept, not reviewed, not counted)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

if TYPE_CHECKING:
    from studylog.core.today import TodayOverview

ALL_DECKS = ""  # the first row's id: study every deck that is on


def deck_row(name: str, new: int, learning: int, review: int) -> Table:
    """One row: the name, then its counts coloured as Anki colours them."""
    row = Table.grid(expand=True, padding=(0, 1, 0, 0))
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    for width in (3, 5, 3):  # under the heading "new learn due"
        row.add_column(justify="right", min_width=width)
    row.add_row(name, Text(str(new), "bold blue"), Text(str(learning), "bold red"),
                Text(str(review), "bold green"))
    return row


class RenderedOnce:
    """A renderable drawn once per set of console options: the option list renders each
    row at the same width again for every height, width and line it asks for while
    Today lays out (hundreds of grid renders for a few rows, ~10 ms of start-up); the
    segments are the grid's own, so what shows is unchanged."""

    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable
        self._segments: dict[tuple[object, ...], list[Segment]] = {}
        self._measurements: dict[tuple[int, int], Measurement] = {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        key = tuple(vars(options).values())  # every option (the class is unhashable)
        segments = self._segments.get(key)
        if segments is None:
            segments = self._segments[key] = list(console.render(self.renderable, options))
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        key = (options.min_width, options.max_width)
        measured = self._measurements.get(key)
        if measured is None:
            measured = self._measurements[key] = Measurement.get(console, options,
                                                                 self.renderable)
        return measured


def deck_options(o: TodayOverview) -> list[Option]:
    """All decks first, then each deck with cards due now."""
    options = [Option(RenderedOnce(deck_row("All decks", sum(d.new for d in o.due),
                                            sum(d.learning for d in o.due),
                                            sum(d.review for d in o.due))), id=ALL_DECKS)]
    options += [Option(RenderedOnce(deck_row(d.deck, d.new, d.learning, d.review)),
                       id=d.deck)
                for d in o.due]
    return options


def decks_note(o: TodayOverview) -> Text:
    """Under the list: how to study, and which decks are off and how to turn them on."""
    note = Text()
    if o.due:
        # one line at 80 columns (All decks counts them): Today's side column is tight
        note.append("↑↓ pick · r reviews it", style="dim")
    else:
        note.append("Nothing due. ", style="bold").append("Well done.")
    if o.off:
        names = ", ".join(f"{d.deck} ({d.cards} cards)" for d in o.off)
        note.append(f"\nOff: {names} · , Settings turns them on", style="italic")
    return note


class DeckPicker(Vertical):
    """The list (``#today-decks``, whose ``OptionSelected`` the screen handles) with its
    note, and a last line the screen fills (``#today-reviews``)."""

    def compose(self) -> ComposeResult:
        yield OptionList(id="today-decks")
        yield Static(id="today-decks-note")
        yield Static(id="today-reviews")  # the screen's: reviews today, the next due

    def show(self, o: TodayOverview) -> None:
        """Show ``o``'s decks, keeping the deck highlighted before when it is still due."""
        decks = self.query_one("#today-decks", OptionList)
        chosen = self.chosen_deck
        decks.set_options(deck_options(o) if o.due else [])
        decks.display = bool(o.due)
        # the columns' names, under them in the bottom border (a row of its own would
        # leave Today's side column a row short at 80x24)
        self.border_subtitle = "new learn due" if o.due else ""
        ids = [ALL_DECKS, *(d.deck for d in o.due)]
        decks.highlighted = ids.index(chosen) if o.due and chosen in ids else 0
        self.query_one("#today-decks-note", Static).update(decks_note(o))

    @property
    def chosen_deck(self) -> str | None:
        """The deck highlighted in the list (None: all decks)."""
        decks = self.query_one("#today-decks", OptionList)
        if decks.highlighted is None or not decks.option_count:
            return None
        return decks.get_option_at_index(decks.highlighted).id or None
