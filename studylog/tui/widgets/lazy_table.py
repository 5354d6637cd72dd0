"""A table that draws only the rows on screen, for lists of any length.

Textual's ``DataTable`` builds every row up front (20,000 cards: tens of seconds, the app
frozen meanwhile). ``LazyTable`` holds a ``RowSource`` (a row count, the key of a row,
and the cells of a few rows) and asks it only for the rows it draws, through the Line
API (Textual's "virtual" widgets: ``Log``, ``TextArea``). It looks and answers keys like
a ``DataTable`` with ``cursor_type="row"`` and zebra stripes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from studylog.tui.errors import ReportsErrors

Cells = Sequence[Text | str]

_CACHE_ROWS = 400  # rows kept drawn-ready; dropped all at once past that (scrolling far)
_DRAWN_ROWS = 2000  # rows kept drawn by key (see ``set_rows``), dropped all at once past that


class RowSource(Protocol):
    """What a ``LazyTable`` shows: ``len`` rows, each with a key and its cells."""

    def __len__(self) -> int: ...

    def key_at(self, index: int) -> int: ...

    def index_of(self, key: int) -> int | None:
        """The index of the row of ``key``; None when there is none."""
        ...

    def cells(self, start: int, stop: int) -> list[Cells]:
        """The cells of rows ``start`` to ``stop`` (exclusive), one list per row."""
        ...


class NoRows:
    """The source of an empty table."""

    def __len__(self) -> int:
        return 0

    def key_at(self, index: int) -> int:
        raise IndexError(index)

    def index_of(self, key: int) -> int | None:
        return None

    def cells(self, start: int, stop: int) -> list[Cells]:
        return []


class LazyTable(ReportsErrors, ScrollView, can_focus=True):
    """Rows with a header line; a row cursor; only the rows on screen are built."""

    DEFAULT_CSS = """
    LazyTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .lazy-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .lazy-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .lazy-table--even-row { background: $surface-darken-1 40%; }
        & > .lazy-table--header { text-style: bold; background: $panel; color: $foreground; }
        &:ansi > .lazy-table--header { background: ansi_bright_blue; color: ansi_default; }
        & > .lazy-table--odd-row { }
        & > .lazy-table--even-row { background: $surface-lighten-1 50%; }
        & > .lazy-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lazy-table--header", "lazy-table--cursor", "lazy-table--even-row",
        "lazy-table--odd-row"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First row", show=False),
        Binding("end,ctrl+end", "last", "Last row", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=True)

    class _RowMessage(Message):
        """Something happened to the row of ``key`` in ``table``."""

        def __init__(self, table: LazyTable, key: int) -> None:
            super().__init__()
            self.table, self.key = table, key

        @property
        def control(self) -> LazyTable:
            return self.table

    class RowHighlighted(_RowMessage):
        """The cursor moved onto the row of ``key``."""

    class RowSelected(_RowMessage):
        """Enter (or a click on the cursor's row) on the row of ``key``."""

    def __init__(self, columns: Sequence[tuple[str, int]] = (), *, id: str | None = None
                 ) -> None:
        super().__init__(id=id)
        self.columns: list[tuple[str, int]] = list(columns)
        self.source: RowSource = NoRows()
        self._cells: dict[int, Cells] = {}  # row index -> cells, the rows drawn lately
        # row key -> the row drawn without its style (cursor, stripes): kept across
        # ``set_rows(..., same_data=True)``, so narrowing a filter draws no row again
        self._drawn: dict[int, Strip] = {}
        self.rows_built = 0  # rows asked of the source so far (the tests count them)

    # -- data ------------------------------------------------------------------------
    def set_columns(self, columns: Sequence[tuple[str, int]]) -> None:
        self.columns = list(columns)
        self._drawn.clear()
        self._resize()

    def set_rows(self, source: RowSource, cursor_key: int | None = None,
                 same_data: bool = False) -> None:
        """Show ``source``; the cursor goes to the row of ``cursor_key`` if it has one,
        else stays at its index (within the new rows). ``same_data``: a key's cells are
        those the last source gave it (a filter changed, not the data), so rows drawn
        before are not drawn again."""
        self.source = source
        self._cells.clear()
        if not same_data:
            self._drawn.clear()
        self._resize()
        index = source.index_of(cursor_key) if cursor_key is not None else None
        self.move_cursor(self.cursor_row if index is None else index)
        self.refresh()

    def redraw(self) -> None:
        """Ask the source again for the rows on screen (their data changed)."""
        self._cells.clear()
        self._drawn.clear()
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.source)

    @property
    def cursor_key(self) -> int | None:
        """The key of the cursor's row; None when the table is empty."""
        return self.source.key_at(self.cursor_row) if self.row_count else None

    def get_row_at(self, index: int) -> list[Text | str]:
        """The cells of row ``index`` as shown."""
        return list(self._row_cells(index))

    # -- the cursor ----------------------------------------------------------------
    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, self.row_count - 1))

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        if self.row_count:
            self.post_message(self.RowHighlighted(self, self.source.key_at(new)))

    def _scroll_to_cursor(self) -> None:
        shown = max(1, self.scrollable_content_region.height - 1)  # under the header
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True, force=True)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False, immediate=True, force=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - max(1, self.scrollable_content_region.height - 1))

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + max(1, self.scrollable_content_region.height - 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.row_count - 1)

    def action_select_cursor(self) -> None:
        if self.row_count:
            self.post_message(self.RowSelected(self, self.source.key_at(self.cursor_row)))

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y - 1
        if event.y < 1 or not 0 <= row < self.row_count:
            return
        if row == self.cursor_row:
            self.action_select_cursor()
        else:
            self.move_cursor(row)

    # -- drawing -------------------------------------------------------------------
    def on_resize(self) -> None:
        self._resize()
        self._scroll_to_cursor()

    def _resize(self) -> None:
        width = sum(w + 2 for _, w in self.columns)
        size = Size(width, self.row_count + 1)  # + the header line
        if size == self.virtual_size:
            return
        if not self.container_size:  # not laid out yet: the first layout sizes it
            self.virtual_size = size
            return
        # Setting ``virtual_size`` lays the whole screen out again (10-15 ms of every
        # keystroke of the Cards filter at ten years); a new row count needs only the
        # scrollbars updated, as the layout would. A scrollbar that comes or goes
        # still asks for a layout (its reactive does).
        self.set_reactive(LazyTable.virtual_size, size)
        self._scroll_update(size)
        self.refresh()

    def _row_cells(self, index: int) -> Cells:
        cells = self._cells.get(index)
        if cells is None:
            if len(self._cells) > _CACHE_ROWS:
                self._cells.clear()
            # the rows from here to a screen further down, in one call to the source
            stop = min(self.row_count, index + max(1, self.size.height))
            rows = self.source.cells(index, stop)
            self.rows_built += len(rows)
            for offset, row in enumerate(rows):
                self._cells.setdefault(index + offset, row)
            cells = self._cells[index]
        return cells

    def _line(self, cells: Cells) -> Strip:
        """A row's cells drawn, without the row's style."""
        segments: list[Segment] = []
        console = self.app.console
        for (_, width), cell in zip(self.columns, cells, strict=False):
            text = cell.copy() if isinstance(cell, Text) else Text(cell)
            text.truncate(width, overflow="ellipsis", pad=True)
            text.pad(1)
            segments.extend(text.render(console))
        return Strip(segments)

    def _drawn_row(self, row: int) -> Strip:
        key = self.source.key_at(row)
        strip = self._drawn.get(key)
        if strip is None:
            if len(self._drawn) > _DRAWN_ROWS:
                self._drawn.clear()
            strip = self._drawn[key] = self._line(self._row_cells(row))
        return strip

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("lazy-table--header")
            strip = self._line([label for label, _ in self.columns]).apply_style(style)
            return strip.crop_extend(0, width, style)
        row = round(self.scroll_y) + y - 1
        if row >= self.row_count:
            return Strip.blank(width, base)
        component = ("lazy-table--cursor" if row == self.cursor_row
                     else "lazy-table--even-row" if row % 2 == 0 else "lazy-table--odd-row")
        style = base + self.get_component_rich_style(component)
        return self._drawn_row(row).apply_style(style).crop_extend(0, width, style)
