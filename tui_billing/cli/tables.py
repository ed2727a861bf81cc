"""Tables for people: one layout for every listing of the command line.

Codes, dates, numbers and amounts are never cut: each such column is exactly as wide as its
widest value. Free text (names, descriptions, notes) shrinks with an ellipsis down to a few
characters; when the row still does not fit the console, the least important columns are
left out (and the caption says which), never the essential ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.segment import Segment, SegmentLines
from rich.table import Table
from rich.text import Text

from tui_billing.domain import display
from tui_billing.domain.i18n import _

Kind = Literal["code", "date", "money", "number", "text", "list"]

_RIGHT = frozenset({"money", "number"})
_SHRINKS = frozenset({"text", "list"})


def money(value: Decimal | str | int | None) -> str:
    """An amount with thousands separators and two decimals: 12,345.60 (empty for None)."""
    return display.money(value)


def day(value: dt.date | str | None) -> str:
    """A date as dd/mm/yyyy (an ISO string is accepted; empty for None)."""
    return display.day(value)


def span(start: dt.date | str | None, end: dt.date | str | None) -> str:
    """A period as dd/mm/yyyy-dd/mm/yyyy."""
    return display.span(start, end)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 invoice``, ``2 invoices``."""
    return display.count(count, singular, plural_form)


@dataclass(frozen=True)
class Col:
    """One column: its header, what it holds and how readily it is left out.

    ``drop`` 0 means essential (never left out); columns with a higher number go first
    when the console is too narrow. ``shrink`` is the narrowest a text column may get.
    """

    header: str
    kind: Kind = "code"
    drop: int = 0
    shrink: int = 10
    widest: int | None = None


@dataclass
class Listing:
    """A titled table of rows of strings, laid out to fit the console when printed."""

    title: str | None
    columns: Sequence[Col]
    rows: list[tuple[list[str], str | None]] = field(default_factory=list)

    def add(self, *cells: str | None, style: str | None = None) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(([cell or "" for cell in cells], style))

    def render(self, width: int) -> tuple[Table, list[str]]:
        """The rich table that fits ``width`` columns, and the headers it leaves out."""
        kept = list(range(len(self.columns)))
        natural = [self._natural(i) for i in kept]
        if _measure(self._table(kept, dict(enumerate(natural)))) > width:
            kept = [i for i in kept if self.columns[i].drop == 0 or not self._empty(i)]
        while True:
            narrowest = {i: self._narrowest(i, natural[i]) for i in kept}
            if _measure(self._table(kept, narrowest)) <= width:
                break
            droppable = [i for i in kept if self.columns[i].drop > 0]
            if not droppable:
                break  # only essential columns left: let the line be long, never cut them
            kept.remove(max(droppable, key=lambda i: (self._empty(i), self.columns[i].drop, i)))
        widths = dict(narrowest)
        spare = width - _measure(self._table(kept, widths))
        for i in sorted(kept, key=lambda i: self.columns[i].kind != "list"):  # lists first
            if spare <= 0:
                break
            grow = min(spare, natural[i] - widths[i])
            if grow > 0:
                widths[i] += grow
                spare -= grow
        table = self._table(kept, widths)
        needed = _measure(table)
        if needed > width:  # only essential columns left: a long line, never a cut code
            table.width = needed
        left_out = [
            self.columns[i].header
            for i in range(len(self.columns))
            if i not in kept and not self._empty(i)
        ]
        return table, left_out

    def _empty(self, index: int) -> bool:
        return not any(row[index] for row, _ in self.rows)

    def _natural(self, index: int) -> int:
        col = self.columns[index]
        wanted = max(
            [len(col.header)]
            + [max(map(len, row[index].split("\n")), default=0) for row, _ in self.rows]
        )
        if col.widest is not None and col.kind in _SHRINKS:
            wanted = min(wanted, max(col.widest, len(col.header)))
        return max(wanted, 1)

    def _narrowest(self, index: int, natural: int) -> int:
        col = self.columns[index]
        if col.kind == "text":
            return min(natural, max(col.shrink, len(col.header)))
        if col.kind == "list":  # items wrap between them, never inside one
            items = [len(item) for row, _ in self.rows for item in row[index].split()]
            return min(natural, max([len(col.header), *items]))
        return natural

    def _table(self, kept: list[int], widths: dict[int, int]) -> Table:
        table = Table(
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
            collapse_padding=True,
            expand=False,
        )
        for i in kept:
            col = self.columns[i]
            table.add_column(
                col.header,
                justify="right" if col.kind in _RIGHT else "left",
                width=widths[i],
                no_wrap=col.kind != "list",
                overflow="ellipsis" if col.kind == "text" else "fold",
            )
        for cells, style in self.rows:
            table.add_row(*(Text(cells[i]) for i in kept), style=style)
        return table


_MEASURE = Console(width=10_000, file=None, color_system=None)


def _measure(table: Table) -> int:
    return Measurement.get(_MEASURE, _MEASURE.options, table).maximum


def print_listing(console: Console, listing: Listing, *, empty: str, summary: str = "") -> None:
    """The table (or, with no rows, the one line ``empty``), then the summary line if any."""
    if not listing.rows:
        say(console, empty)
        return
    table, left_out = listing.render(console.width)
    if listing.title:
        console.print(listing.title, style="bold", markup=False)
    console.print(_trimmed(console, table))
    if left_out:
        console.print(
            _("({columns}: not shown at {width} columns, see --json)").format(
                columns=", ".join(left_out), width=console.width
            ),
            style="dim",
            markup=False,
            soft_wrap=False,
        )
    if summary:
        say(console, summary)


def _trimmed(console: Console, table: Table) -> SegmentLines:
    """The table's lines without the spaces that pad its last column (clean logs)."""
    width = max(console.width, _measure(table))
    lines = console.render_lines(table, console.options.update_width(width), pad=False)
    trimmed = []
    for line in lines:
        while line and not line[-1].control and not line[-1].text.strip():
            line = line[:-1]
        if line and not line[-1].control:
            last = line[-1]
            line = [*line[:-1], Segment(last.text.rstrip(), last.style)]
        trimmed.append(line)
    return SegmentLines(trimmed, new_lines=True)


def say(console: Console, text: str) -> None:
    """A sentence for people, wrapped between words at the console's width."""
    console.print(text, markup=False, soft_wrap=False)


__all__ = ["Col", "Listing", "day", "money", "plural", "print_listing", "say", "span"]
