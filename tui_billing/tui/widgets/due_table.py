"""The due-installments table: a Line API view of a SelectionModel, instant at 100k rows.

Only the lines on screen are rendered, each once per state (row, selected, cursor, zebra,
width, styles) thanks to an LRU cache, so a toggle re-renders one line and scrolling
through 100,000 rows costs what a screenful costs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip

from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, pgettext
from tui_billing.domain.words import word
from tui_billing.tui.selection import (
    DueRow,
    FieldFilters,
    SelectionModel,
    period_text,
)
from tui_billing.tui.widgets.line_table import LineTable, fit_cell

__all__ = ["DueTable"]

_MARK_WIDTH = 3
# English, marked: translated where they are drawn (a subclass's titles too)
_HEADERS = (
    "",
    N_("Customer"),
    N_("Contract"),
    N_("Series"),
    N_("Period"),
    N_("Inv. date"),
    N_("Amount"),
    N_("Status"),
)
_SHORT_HEADERS = tuple(N_("Inv.date") if h == "Inv. date" else h for h in _HEADERS)
_PERIOD_WIDTH = 21  # dd/mm/yyyy-dd/mm/yyyy
_DATE_WIDTH = 10
_SHORT_PERIOD_WIDTH = 17  # dd/mm/yy-dd/mm/yy, below _SHORT_DATES_BELOW cells
_SHORT_DATE_WIDTH = 8
_SHORT_DATES_BELOW = 96  # cells of the table (a 100-column terminal less its scrollbar has 99)


def _marked() -> None:  # pragma: no cover - never called: marks the words for extraction
    pgettext("column", "Series")


def _column(title: str) -> str:
    """A column title in the language in use: its ``column`` form, else its usual one."""
    if not title:
        return ""
    short = pgettext("column", title)
    return short if short != title else _(title)


def _short_date(value: date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year % 100:02d}"


def _short_period(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return _("one-off")
    return (
        f"{_short_date(start) if start is not None else ''}-"
        f"{_short_date(end) if end is not None else ''}"
    )


# (preferred cap, minimum) of the columns that give way on narrow terminals, in the
# order they shrink: customer first (to its floor), then contract, then series.
_CUSTOMER = (60, 12)
_CONTRACT = (20, 8)
_SERIES = (10, 6)
_CUSTOMER_LAST_RESORT = 6


def _foreground(style: Style) -> Style:
    """Only the colour and text style of a component, so the row keeps its background.

    (The partial style would not resolve ``auto`` colours such as ``$text-muted``.)"""
    return Style(color=style.color, bold=style.bold, italic=style.italic, underline=style.underline)


class _Styles(NamedTuple):
    base: Style
    header: Style
    cursor: Style
    even: Style
    selected: Style
    mark: Style
    muted: Style


class _Layout(NamedTuple):
    width: int
    widths: tuple[int, ...]  # mark, customer, contract, series, period, date, amount, status
    short_dates: bool = False  # dd/mm/yy on narrow terminals


class DueTable(LineTable):
    """Due installments with a selection column; the selection lives in :attr:`model`."""

    # Column titles, and what the period column says of a row without one: a subclass
    # showing other rows (invoices to collect) names them its own way.
    HEADERS: ClassVar[tuple[str, ...]] = _HEADERS
    SHORT_HEADERS: ClassVar[tuple[str, ...]] = _SHORT_HEADERS
    NO_PERIOD: ClassVar[str] = N_("one-off")

    def status_word(self, status: str) -> str:
        """A row's status as the operator reads it (``due``: to be invoiced now)."""
        return pgettext("status", "due") if status == "due" else word("status", status)

    def headers(self, short: bool = False) -> tuple[str, ...]:
        """The column titles in the language in use (a title may have a shorter form as a
        column's, ``column`` context, than where it labels a field)."""
        return tuple(_column(h) for h in (self.SHORT_HEADERS if short else self.HEADERS))

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "toggle",
            N_("Toggle"),
            key_display="␣",  # as ⏎ for enter: the footer keeps room for "? Keys" at 80
            id="due_table.toggle",
            tooltip=N_("Select or deselect the row under the cursor and move down"),
        ),
        Binding(
            "shift+down",
            "extend_down",
            N_("Extend down"),
            show=False,
            id="due_table.extend_down",
            tooltip=N_("Extend the selection to the next row"),
        ),
        Binding(
            "shift+up",
            "extend_up",
            N_("Extend up"),
            show=False,
            id="due_table.extend_up",
            tooltip=N_("Extend the selection to the previous row"),
        ),
        Binding(
            "a",
            "select_all",
            N_("All"),
            id="due_table.select_all",
            tooltip=N_("Select every visible row"),
        ),
        Binding(
            "u",
            "clear",
            N_("None"),
            id="due_table.clear",
            tooltip=N_("Deselect every row, hidden ones included"),
        ),
        Binding(
            "v",
            "invert",
            N_("Invert"),
            id="due_table.invert",
            tooltip=N_("Invert the selection of the visible rows"),
        ),
        Binding(
            "asterisk",
            "select_customer",
            N_("Customer"),
            key_display="*",
            show=False,
            id="due_table.select_customer",
            tooltip=N_("Select every row of the customer under the cursor"),
        ),
        Binding(
            "enter",
            "activate",
            N_("Open"),
            id="due_table.activate",
            tooltip=N_("Open the installment under the cursor"),
        ),
        Binding(
            "up",
            "cursor_up",
            N_("Up"),
            show=False,
            id="due_table.cursor_up",
            tooltip=N_("Move the cursor up"),
        ),
        Binding(
            "down",
            "cursor_down",
            N_("Down"),
            show=False,
            id="due_table.cursor_down",
            tooltip=N_("Move the cursor down"),
        ),
        Binding(
            "pageup",
            "page_up",
            N_("Page up"),
            show=False,
            id="due_table.page_up",
            tooltip=N_("Move the cursor one page up"),
        ),
        Binding(
            "pagedown",
            "page_down",
            N_("Page down"),
            show=False,
            id="due_table.page_down",
            tooltip=N_("Move the cursor one page down"),
        ),
        Binding(
            "home",
            "first",
            N_("First"),
            show=False,
            id="due_table.first",
            tooltip=N_("Move the cursor to the first row"),
        ),
        Binding(
            "end",
            "last",
            N_("Last"),
            show=False,
            id="due_table.last",
            tooltip=N_("Move the cursor to the last row"),
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "due-table--header",
        "due-table--cursor",
        "due-table--even-row",
        "due-table--selected",
        "due-table--mark",
        "due-table--muted",
    }

    DEFAULT_CSS = """
    DueTable {
        height: 1fr;
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        &:focus {
            background-tint: $foreground 5%;
            & > .due-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .due-table--header {
            background: $panel;
            color: $foreground;
            text-style: bold;
        }
        & > .due-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .due-table--even-row {
            background: $surface-lighten-1 40%;
        }
        & > .due-table--selected {
            background: $accent 15%;
        }
        & > .due-table--mark {
            color: $text-accent;
            text-style: bold;
        }
        & > .due-table--muted {
            color: $text-muted;
        }
    }
    """

    class SelectionChanged(LineTable.TableMessage):
        """The selection changed: how many rows, their exact total, how many are hidden."""

        def __init__(self, table: DueTable, count: int, total: Decimal, hidden: int) -> None:
            super().__init__(table)
            self.count = count
            self.total = total
            self.hidden = hidden

    class CursorMoved(LineTable.TableMessage):
        """The cursor moved to another row."""

    class RowActivated(LineTable.TableMessage):
        """Enter (or a double click) on a row: open it."""

        def __init__(self, table: DueTable, row: DueRow) -> None:
            super().__init__(table)
            self.row = row

    def __init__(
        self,
        rows: Iterable[DueRow] = (),
        *,
        zebra: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.zebra = zebra
        self._model = SelectionModel(rows)
        self._anchor: int | None = None  # row index where a shift-extension started
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._columns_cache: _Layout | None = None
        self._styles: _Styles | None = None
        self._measure()

    # --- data ----------------------------------------------------------------------

    @property
    def model(self) -> SelectionModel:
        """The selection model this table shows (mutate it through the table's methods,
        or call :meth:`refresh_model` after changing it directly)."""
        return self._model

    def set_rows(
        self,
        rows: Iterable[DueRow],
        *,
        keep_selection: bool = True,
        also_select: Iterable[int] = (),
    ) -> None:
        """Replace the rows (a reload). Selected ids still present stay selected (and those
        of ``also_select``), the filters stay, and the cursor stays on the same row when it
        is still there."""
        old = self._model
        current = self.cursor_row
        selected = [row.id for row in old.selected_rows()] if keep_selection else []
        selected.extend(also_select)
        self._model = SelectionModel(
            rows,
            selected=selected,
            filter_text=old.filter_text,
            fields=old.fields,
        )
        self._line_cache.clear()
        self._anchor = None
        self._measure()
        position = self._model.position_of(current.id) if current is not None else None
        self._after_rows_changed(position if position is not None else self._cursor)
        self._post_selection()

    def remove_rows(self, ids: Iterable[int]) -> int:
        """Drop rows (e.g. invoiced); others keep selection, cursor stays near. O(removed)."""
        model = self._model
        index = model.row_index(self._cursor) if model.visible_count else 0
        version = model.selection_version
        removed = model.remove_rows(ids)
        if removed:
            self._anchor = None
            self._after_rows_changed(model.nearest_position(index))
            if version != model.selection_version:
                self._post_selection()
        return removed

    def apply_filter(self, text: str, *, fields: FieldFilters | None = None) -> str | None:
        """Show the rows matching ``text`` (substring or regex over customer, contract,
        series, period; empty shows all) and the field filters (None keeps them). Returns
        the regex error, if any."""
        model = self._model
        index = model.row_index(self._cursor) if model.visible_count else 0
        hidden_before = model.hidden_selected_count
        error = model.set_filter(text, fields=fields)
        self._anchor = None
        self._after_rows_changed(model.nearest_position(index))
        if hidden_before != model.hidden_selected_count:
            self._post_selection()
        return error

    def select_matching(self, text: str) -> tuple[int, str | None]:
        """Select the visible rows matching ``text``; return (newly selected, regex error)."""
        added, error = self._model.select_matching(text)
        if added:
            self._selection_changed()
        return added, error

    def refresh_model(self) -> None:
        """Redraw and re-announce after the model was changed directly."""
        self._after_rows_changed(self._cursor)
        self._post_selection()

    # --- cursor --------------------------------------------------------------------

    @property
    def cursor_position(self) -> int:
        """The cursor's position among the visible rows (0 when there are none)."""
        return self._cursor

    @cursor_position.setter
    def cursor_position(self, position: int) -> None:
        self._move_to(position)

    @property
    def cursor_row(self) -> DueRow | None:
        model = self._model
        if not model.visible_count:
            return None
        return model.visible_row(self._cursor)

    def line_count(self) -> int:
        return self._model.visible_count

    def _move_to(self, position: int, *, keep_anchor: bool = False) -> None:
        if not keep_anchor:
            self._anchor = None
        super()._move_to(position)

    def _cursor_moved(self, previous: int) -> None:
        # Only the two rows change (line 0 is the header); a scroll repaints the rest.
        self.refresh_line(previous + 1)
        self.refresh_line(self._cursor + 1)
        self.post_message(self.CursorMoved(self))

    # --- actions -------------------------------------------------------------------

    def action_cursor_up(self) -> None:
        self._move_to(self._cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_to(self._cursor + 1)

    def action_page_up(self) -> None:
        self._move_to(self._cursor - self.page_rows)

    def action_page_down(self) -> None:
        self._move_to(self._cursor + self.page_rows)

    def action_toggle(self) -> None:  # type: ignore[override]  # the table's own, not DOMNode's
        row = self.cursor_row
        if row is None:
            return
        self._model.toggle(row.id)
        self.refresh_line(self._cursor + 1)
        self._post_selection()
        self._move_to(self._cursor + 1)

    def action_extend_down(self) -> None:
        self._extend(+1)

    def action_extend_up(self) -> None:
        self._extend(-1)

    def _extend(self, step: int) -> None:
        """Select from where the shift-extension started to the row the cursor lands on.

        Extending only adds: moving back does not deselect what was passed over."""
        model = self._model
        if not model.visible_count:
            return
        if self._anchor is None:
            self._anchor = model.row_index(self._cursor)
        self._move_to(self._cursor + step, keep_anchor=True)
        anchor = model.nearest_position(self._anchor)
        if model.select_range(anchor, self._cursor):
            self._selection_changed()

    def action_select_all(self) -> None:
        if self._model.select_all_visible():
            self._selection_changed()

    def action_clear(self) -> None:
        if self._model.clear():
            self._selection_changed()

    def action_invert(self) -> None:
        if self._model.visible_count:
            self._model.invert_visible()
            self._selection_changed()

    def action_select_customer(self) -> None:
        row = self.cursor_row
        if row is not None and self._model.select_customer(row.customer):
            self._selection_changed()

    def action_activate(self) -> None:
        row = self.cursor_row
        if row is not None:
            self.post_message(self.RowActivated(self, row))

    # --- mouse ---------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        position = self._row_clicked(event)
        if position is None:
            return
        event.stop()
        self._move_to(position)
        row = self._model.visible_row(position)
        offset = event.get_content_offset(self)
        if offset is not None and offset.x <= _MARK_WIDTH:
            self._model.toggle(row.id)
            self._selection_changed()
        elif event.chain == 2:
            self.post_message(self.RowActivated(self, row))

    # --- bookkeeping ---------------------------------------------------------------

    def _selection_changed(self) -> None:
        self.refresh()
        self._post_selection()

    def _post_selection(self) -> None:
        model = self._model
        self.post_message(
            self.SelectionChanged(
                self, model.selected_count, model.selected_total, model.hidden_selected_count
            )
        )

    def _after_rows_changed(self, position: int) -> None:
        self._update_virtual_size()
        count = self._model.visible_count
        self._cursor = max(0, min(position, count - 1)) if count else 0
        self.refresh()
        if self.is_mounted:
            self.call_after_refresh(self._scroll_to_cursor)

    def _update_virtual_size(self) -> None:
        width = self._columns_cache.width if self._columns_cache else 0
        self.virtual_size = Size(width, self._model.visible_count + 1)

    def _measure(self) -> None:
        """Preferred widths from the data (one pass over the rows, at load)."""
        model = self._model
        if len(model):
            rows = list(model)
            customer = max(map(len, (r.customer for r in rows)))
            contract = max(map(len, (r.contract for r in rows)))
            series = max(map(len, (r.series for r in rows)))
            status = max(map(len, (self.status_word(s) for s in {r.status for r in rows})))
            amounts = [r.amount for r in rows]
            amount = max(len(display.money(max(amounts))), len(display.money(min(amounts))))
            has_period = any(r.period_start is not None or r.period_end is not None for r in rows)
        else:
            customer = contract = series = status = amount = 0
            has_period = True
        headers = self.headers()
        no_period = _(self.NO_PERIOD) if self.NO_PERIOD else ""
        self._prefs = (
            min(max(customer, len(headers[1])), _CUSTOMER[0]),
            min(max(contract, len(headers[2])), _CONTRACT[0]),
            min(max(series, len(headers[3])), _SERIES[0]),
            _PERIOD_WIDTH if has_period else len(no_period),
            _DATE_WIDTH,
            max(amount, len(headers[6])),
            max(status, len(headers[7])),
        )
        self._columns_cache = None
        self._update_virtual_size()

    def _layout(self, width: int) -> _Layout:
        """Column widths for a line ``width`` cells wide (one space between columns)."""
        cached = self._columns_cache
        if cached is not None and cached.width == width:
            return cached
        customer, contract, series, period, date_w, amount, status = self._prefs
        short = width < _SHORT_DATES_BELOW
        if short:
            period = min(period, _SHORT_PERIOD_WIDTH)
            date_w = _SHORT_DATE_WIDTH
        fixed = _MARK_WIDTH + period + date_w + amount + status + 7
        room = width - fixed
        flex = [customer, contract, series]
        floors = [min(customer, _CUSTOMER[1]), min(contract, _CONTRACT[1]), min(series, _SERIES[1])]
        deficit = sum(flex) - room
        for i in range(3):
            if deficit <= 0:
                break
            give = min(deficit, flex[i] - floors[i])
            flex[i] -= give
            deficit -= give
        if deficit > 0:
            give = min(deficit, flex[0] - _CUSTOMER_LAST_RESORT)
            flex[0] -= max(0, give)
        layout = _Layout(width, (_MARK_WIDTH, *flex, period, date_w, amount, status), short)
        self._columns_cache = layout
        self._line_cache.clear()
        return layout

    def _get_styles(self) -> _Styles:
        get = self.get_component_rich_style
        return _Styles(
            base=self.rich_style,
            header=get("due-table--header"),
            cursor=get("due-table--cursor"),
            even=get("due-table--even-row"),
            selected=get("due-table--selected"),
            mark=_foreground(get("due-table--mark")),
            muted=_foreground(get("due-table--muted")),
        )

    # --- rendering -----------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._layout(self.scrollable_content_region.width)
        self._update_virtual_size()
        self.call_after_refresh(self._scroll_to_cursor)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._styles = self._get_styles()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._styles or self._get_styles()
        layout = self._layout(width)
        if y == 0:
            return self._cached(("header", styles, layout), self._render_header)
        model = self._model
        position = round(self.scroll_y) + y - 1
        if position >= model.visible_count:
            return Strip.blank(width, styles.base)
        index = model.row_index(position)
        key = (
            index,
            model.is_selected_index(index),
            position == self._cursor,
            self.zebra and position % 2 == 1,
            styles,
            layout,
        )
        return self._cached(key, self._render_row)

    def _cached(self, key: tuple, render: Callable[..., Strip]) -> Strip:
        strip = self._line_cache.get(key)
        if strip is None:
            strip = render(*key)
            self._line_cache[key] = strip
        return strip

    def _render_header(self, _key: str, styles: _Styles, layout: _Layout) -> Strip:
        widths = layout.widths
        style = styles.header
        cells = [
            fit_cell(label, w) if i != 6 else fit_cell(label, w, right=True)
            for i, (label, w) in enumerate(
                zip(self.headers(layout.short_dates), widths, strict=True)
            )
        ]
        return Strip([Segment(" ".join(cells), style)]).adjust_cell_length(layout.width, style)

    def _render_row(
        self,
        index: int,
        selected: bool,
        cursor: bool,
        even: bool,
        styles: _Styles,
        layout: _Layout,
    ) -> Strip:
        row = self._model.row_at(index)
        widths = layout.widths
        style = styles.base
        if even:
            style += styles.even
        if selected:
            style += styles.selected
        top = styles.cursor if cursor else Style()
        line_style = style + top
        mark_style = style + (styles.mark if selected else styles.muted) + top
        muted_style = style + styles.muted + top
        no_period = _(self.NO_PERIOD) if self.NO_PERIOD else ""
        if row.period_start is None and row.period_end is None:
            period = no_period
            invoice_date = (
                _short_date(row.invoice_date)
                if layout.short_dates
                else display.day(row.invoice_date)
            )
        elif layout.short_dates:
            period = _short_period(row.period_start, row.period_end)
            invoice_date = _short_date(row.invoice_date)
        else:
            period = period_text(row.period_start, row.period_end)
            invoice_date = display.day(row.invoice_date)
        main = " ".join(
            (
                fit_cell(row.customer, widths[1]),
                fit_cell(row.contract, widths[2]),
                fit_cell(row.series, widths[3]),
            )
        )
        segments = [
            Segment("[x]" if selected else "[ ]", mark_style),
            Segment(" " + main + " ", line_style),
            Segment(
                fit_cell(period, widths[4]), muted_style if period == no_period else line_style
            ),
            Segment(
                " "
                + fit_cell(invoice_date, widths[5])
                + " "
                + fit_cell(display.money(row.amount), widths[6], right=True)
                + " ",
                line_style,
            ),
            Segment(
                fit_cell(self.status_word(row.status), widths[7]),
                muted_style if row.status != "due" else line_style,
            ),
        ]
        return Strip(segments).adjust_cell_length(layout.width, line_style)
