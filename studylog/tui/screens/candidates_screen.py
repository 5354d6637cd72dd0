"""Candidates: the inbox of card candidates (bold-term bullets) waiting for a decision.

Each is shown with its back. ``a`` accepts it as a card, ``d`` rejects it for good,
``e`` edits front and back and then accepts, ``A`` accepts every candidate of its day.
Ten years of logs may propose thousands: the table (``LazyTable``) draws only the rows on
screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Markdown, Static

from studylog.core.cards.card_candidates import (
    CandidateRow,
    accept_candidates,
    pending_candidates,
    reject_candidates,
)
from studylog.tui.errors import on
from studylog.tui.messages import DataChanged
from studylog.tui.screen_base import LoadingScreen
from studylog.tui.widgets.key_footer import KeyFooter
from studylog.tui.widgets.lazy_table import Cells, LazyTable

COLUMNS = [("Date", 10), ("Front", 24)]


class CandidateRows:
    """The table's rows: the pending candidates read, their cells built when drawn."""

    def __init__(self, rows: list[CandidateRow]) -> None:
        self.rows = rows
        self.index = {row.id: n for n, row in enumerate(rows)}

    def __len__(self) -> int:
        return len(self.rows)

    def key_at(self, index: int) -> int:
        return self.rows[index].id

    def index_of(self, key: int) -> int | None:
        return self.index.get(key)

    def cells(self, start: int, stop: int) -> list[Cells]:
        return [[row.date, Text(row.front.strip().split("\n")[0])]
                for row in self.rows[start:stop]]


class CandidatesScreen(LoadingScreen):
    SCREEN_NAME = "Candidates"
    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("d", "reject", "Reject"),
        Binding("e", "edit", "Edit, then accept"),
        Binding("A", "accept_day", "Accept the day", key_display="A"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CandidateRow] = []  # the pending candidates shown, in order

    def compose(self) -> ComposeResult:
        yield Static("Candidates", id="candidates-title", classes="screen-title")
        with Horizontal(id="candidates-body"):
            yield LazyTable(COLUMNS, id="candidates-table")
            with VerticalScroll(id="candidates-back", classes="panel"):
                yield Markdown(id="candidates-markdown")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#candidates-back").border_title = "Back"
        self.query_one(LazyTable).focus()  # (LoadingScreen's on_mount loads the rows)

    def load(self) -> None:
        # one query (thousands of rows read in milliseconds); only the rows on screen are
        # drawn. The cursor stays at its place: the next candidate after a decision.
        self.rows = pending_candidates(self.app.store)
        self.query_one(LazyTable).set_rows(CandidateRows(self.rows))
        self.query_one("#candidates-title", Static).update(
            f"Candidates · {len(self.rows)} waiting · a accept · d reject · e edit · "
            "A accept the whole day" if self.rows else
            "Candidates · none waiting (bold-term bullets in your logs are proposed here)")
        self._show_back()

    @property
    def current(self) -> CandidateRow | None:
        table = self.query_one(LazyTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[min(table.cursor_row, len(self.rows) - 1)]

    @on(LazyTable.RowHighlighted, "#candidates-table")
    def _show_back(self) -> None:
        row = self.current
        self.query_one("#candidates-markdown", Markdown).update(
            "" if row is None else f"## {row.front}\n\n{row.back}\n\n*{row.date}*")

    def _done(self, message: str) -> None:
        self.notify(message)
        self.reload()
        self.app.post_message(DataChanged(origin=self))

    def action_accept(self) -> None:
        row = self.current
        if row is not None:
            [accepted] = accept_candidates(self.app.store, [row.id])
            self._done(f"Card {accepted.card_id}: {accepted.front}")

    def action_reject(self) -> None:
        row = self.current
        if row is not None:
            reject_candidates(self.app.store, [row.id])
            self._done(f"Rejected: {row.front}")

    def action_accept_day(self) -> None:
        row = self.current
        if row is not None:
            ids = [r.id for r in self.rows if r.date == row.date]
            accepted = accept_candidates(self.app.store, ids)
            self._done(f"{len(accepted)} card(s) from {row.date}")

    def action_edit(self) -> None:
        row = self.current
        if row is None:
            return
        from studylog.tui.dialogs.card_edit_dialog import CardEditDialog

        def edited(result: tuple[str, str] | None) -> None:
            if result is not None:
                self._accept_edited(row, result)

        self.app.push_screen(CardEditDialog(row.front, row.back), edited)

    def _accept_edited(self, row: CandidateRow, result: tuple[str, str]) -> None:
        [accepted] = accept_candidates(self.app.store, [row.id], {row.id: result})
        self._done(f"Card {accepted.card_id}: {accepted.front}")
