"""What the line-by-line tables share (the due table, the record tables): cells fitted to
their column with an ellipsis, a cursor row kept in view, and messages that name the table.

A subclass says how many rows it shows (:meth:`LineTable.line_count`) and renders each line
(Textual's Line API: line 0 is the header, row ``n`` is line ``n + 1``)."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.message import Message
from textual.scroll_view import ScrollView

__all__ = ["LineTable", "fit_cell"]


def fit_cell(text: str, width: int, right: bool = False) -> str:
    """``text`` padded (on the left when ``right``) or cut to ``width`` cells, with an
    ellipsis where cut."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    padding = " " * (width - length)
    return padding + text if right else text + padding


class LineTable(ScrollView, can_focus=True):
    """Rows under a header line with a cursor row, rendered line by line."""

    ALLOW_SELECT = False

    class TableMessage(Message):
        """A message from a table (its ``control``, for ``@on`` selectors)."""

        def __init__(self, table: LineTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> LineTable:
            return self.table

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._cursor = 0

    def line_count(self) -> int:
        """How many rows the table shows (under its header)."""
        raise NotImplementedError

    # -- cursor ----------------------------------------------------------------------

    @property
    def page_rows(self) -> int:
        """How many rows fit under the header."""
        return max(1, self.scrollable_content_region.height - 1)

    def _move_to(self, position: int) -> None:
        """Put the cursor on row ``position`` (within the rows shown) and keep it in view."""
        count = self.line_count()
        position = max(0, min(position, count - 1)) if count else 0
        if position != self._cursor:
            previous = self._cursor
            self._cursor = position
            self._cursor_moved(previous)
        self._scroll_to_cursor()

    def _cursor_moved(self, previous: int) -> None:
        """Repaint after the cursor left row ``previous`` (all of it, unless overridden)."""
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if not self.is_mounted or not self.size.height:
            return  # on_resize scrolls once the table has a size
        rows = self.page_rows
        top = round(self.scroll_y)
        if self._cursor < top:
            target = self._cursor
        elif self._cursor >= top + rows:
            target = self._cursor - rows + 1
        else:
            return
        self.scroll_to(y=target, animate=False, force=True)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._scroll_to_cursor)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self.line_count() - 1)

    def _row_clicked(self, event: events.Click) -> int | None:
        """The row a click landed on (None on the header or below the rows)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        position = round(self.scroll_y) + offset.y - 1
        return position if position < self.line_count() else None
