"""A read-only table of text rows with a cursor, rendered line by line (Line API): filling
it with thousands of rows costs nothing until they are on screen, so a list can be
filtered on every keystroke (Textual's DataTable measures every cell on each refill)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.strip import Strip

from tui_billing.domain.i18n import N_
from tui_billing.tui.widgets.line_table import LineTable, fit_cell

__all__ = ["Column", "RecordTable", "fit_cell"]


class Column(NamedTuple):
    """A column: its key, header label, width in cells, and whether it aligns right."""

    key: str
    label: str
    width: int
    right: bool = False


class RecordTable(LineTable):
    """Rows of text under a header line; ``enter`` or a click opens the row."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "up",
            "move(-1)",
            N_("Up"),
            show=False,
            id="record_table.up",
            tooltip=N_("Move the cursor up"),
        ),
        Binding(
            "down",
            "move(1)",
            N_("Down"),
            show=False,
            id="record_table.down",
            tooltip=N_("Move the cursor down"),
        ),
        Binding(
            "pageup",
            "page(-1)",
            N_("Page up"),
            show=False,
            id="record_table.page_up",
            tooltip=N_("Move the cursor one page up"),
        ),
        Binding(
            "pagedown",
            "page(1)",
            N_("Page down"),
            show=False,
            id="record_table.page_down",
            tooltip=N_("Move the cursor one page down"),
        ),
        Binding(
            "home",
            "first",
            N_("First"),
            show=False,
            id="record_table.first",
            tooltip=N_("Move the cursor to the first row"),
        ),
        Binding(
            "end",
            "last",
            N_("Last"),
            show=False,
            id="record_table.last",
            tooltip=N_("Move the cursor to the last row"),
        ),
        Binding(
            "enter",
            "select",
            N_("Open"),
            show=False,
            id="record_table.select",
            tooltip=N_("Open the row under the cursor"),
        ),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "record-table--header",
        "record-table--cursor",
        "record-table--even-row",
    }
    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        &:focus {
            background-tint: $foreground 5%;
            & > .record-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .record-table--header { background: $panel; color: $foreground; text-style: bold; }
        & > .record-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .record-table--even-row { background: $surface-lighten-1 40%; }
    }
    """

    class RowSelected(LineTable.TableMessage):
        """Enter or a click on a row."""

        def __init__(self, table: RecordTable, index: int) -> None:
            super().__init__(table)
            self.index = index

    class HeaderSelected(LineTable.TableMessage):
        """A click on a column header."""

        def __init__(self, table: RecordTable, key: str) -> None:
            super().__init__(table)
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self._rows: list[tuple[str, ...]] = []

    # -- data ----------------------------------------------------------------------

    def set_data(
        self, columns: Sequence[Column], rows: Sequence[Sequence[str]], cursor: int | None = None
    ) -> None:
        """Show ``rows`` (one text per column); the cursor goes to ``cursor`` (or stays)."""
        self.columns = list(columns)
        self._rows = [tuple(row) for row in rows]
        width = sum(c.width + 1 for c in self.columns)
        self.virtual_size = Size(width, len(self._rows) + 1)
        self._move_to(self._cursor if cursor is None else cursor)
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self._rows[index]

    def line_count(self) -> int:
        return len(self._rows)

    def move_cursor(self, row: int) -> None:
        self._move_to(row)

    # -- cursor ----------------------------------------------------------------------

    @property
    def cursor_row(self) -> int:
        """The index of the row under the cursor (0 when there are none)."""
        return self._cursor

    def action_move(self, step: int) -> None:
        self._move_to(self._cursor + step)

    def action_page(self, step: int) -> None:
        self._move_to(self._cursor + step * self.page_rows)

    def action_select(self) -> None:
        if self._rows:
            self.post_message(self.RowSelected(self, self._cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y == 0:
            x = offset.x + round(self.scroll_x)
            for column in self.columns:
                if x < column.width + 1:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
                x -= column.width + 1
            return
        index = self._row_clicked(event)
        if index is not None:
            self._move_to(index)
            if event.chain > 1:
                self.action_select()

    # -- rendering -------------------------------------------------------------------

    def _text(self, cells: Sequence[str]) -> str:
        return " " + " ".join(
            fit_cell(text, column.width, column.right)
            for text, column in zip(cells, self.columns, strict=False)
        )

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("record-table--header")
            text = self._text([c.label for c in self.columns])
            return Strip([Segment(text, style)]).crop_extend(0, width, style)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, base)
        style = base
        if index % 2:
            style += self.get_component_rich_style("record-table--even-row")
        if index == self._cursor:
            style += self.get_component_rich_style("record-table--cursor")
        return Strip([Segment(self._text(self._rows[index]), style)]).crop_extend(0, width, style)
