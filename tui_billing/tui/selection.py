"""The selection of due installments: rows, a filter over them, the selected ids and totals.

Pure Python, no Textual: the due table is a view of a :class:`SelectionModel`. Every
operation is linear at worst in the rows it touches (100,000 rows stay well under 300 ms)
and the aggregates a status line needs (count, total, how many selected rows the filter
hides) are kept up to date as the selection changes, so reading them is O(1).

Rows keep their position for the life of a model: a removed row leaves a hole, so a row
index never changes meaning and nothing else is rebuilt when invoiced rows leave.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import compress
from operator import itemgetter

from tui_billing.domain import display
from tui_billing.domain.i18n import _

__all__ = [
    "DueRow",
    "FieldFilters",
    "Matcher",
    "SelectionModel",
    "format_date",
    "period_text",
]


@dataclass(frozen=True, slots=True)
class DueRow:
    """One installment due for invoicing, as the due table shows it."""

    id: int
    customer: str
    contract: str
    series: str
    period_start: date | None
    period_end: date | None
    invoice_date: date
    amount: Decimal
    status: str  # "due", "waiting", ...
    customer_code: str = ""  # the customer's code, matched by the customer field filter


def format_date(value: date) -> str:
    """``dd/mm/yyyy``, the way the operators read dates."""
    return display.day(value)


def period_text(start: date | None, end: date | None) -> str:
    """``dd/mm/yyyy-dd/mm/yyyy`` for a competence period, ``one-off`` without one."""
    if start is None and end is None:
        return _("one-off")
    left = format_date(start) if start is not None else ""
    right = format_date(end) if end is not None else ""
    return f"{left}-{right}"


@dataclass(frozen=True, slots=True)
class FieldFilters:
    """Filters by field: customer (code or name contains), contract (code contains),
    series (equal); all case-insensitive, empty means any."""

    customer: str = ""
    contract: str = ""
    series: str = ""

    @property
    def active(self) -> bool:
        return bool(self.customer or self.contract or self.series)


_REGEX_CHARS = frozenset(".^$*+?{}[]\\|()")


class Matcher:
    """A filter text, read as a case-insensitive substring or regular expression.

    Text without regex metacharacters is a plain substring. Text with them is compiled as
    a regular expression (``re.IGNORECASE | re.MULTILINE``, so ``^`` and ``$`` anchor at
    each field); a row matches when it contains the text literally *or* the expression
    finds a match, so ``Rossi (MI)`` still finds the literal name. An invalid expression
    falls back to the substring alone and :attr:`error` says why.
    """

    __slots__ = ("error", "needle", "regex", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.needle = text.lower()
        self.regex: re.Pattern[str] | None = None
        self.error: str | None = None
        if _REGEX_CHARS.intersection(text):
            try:
                self.regex = re.compile(text, re.IGNORECASE | re.MULTILINE)
            except re.error as exc:
                self.error = _(
                    "invalid regular expression ({error}); matched as plain text"
                ).format(error=exc)

    def __call__(self, haystack: str) -> bool:
        """Whether one (lower-cased) haystack matches."""
        if self.needle in haystack:
            return True
        return self.regex is not None and self.regex.search(haystack) is not None

    def filter(self, haystacks: list[str], candidates: Iterable[int]) -> list[int]:
        """The candidate indexes whose haystack matches, in the order given."""
        needle = self.needle
        if self.regex is None:
            return [i for i in candidates if needle in haystacks[i]]
        search = self.regex.search
        return [i for i in candidates if needle in (h := haystacks[i]) or search(h)]


class SelectionModel:
    """All due rows (order fixed), the visible ones under a filter, and the selected ids.

    Positions (``pos``) count visible rows from 0; indexes count all rows as given.
    """

    def __init__(
        self,
        rows: Iterable[DueRow] = (),
        *,
        selected: Iterable[int] = (),
        filter_text: str = "",
        fields: FieldFilters | None = None,
    ) -> None:
        given = list(rows)
        count = len(given)
        self._pos: dict[int, int] = {row.id: i for i, row in enumerate(given)}
        if len(self._pos) != count:
            raise ValueError("row ids must be unique")
        self._scale, self._units = _to_units([row.amount for row in given])
        # Removed rows become None in place, so an index keeps its meaning.
        self._rows: list[DueRow | None] = list(given)
        self._haystacks: list[str] | None = None
        self._by_customer: dict[str, list[int]] | None = None
        self._live_count = count
        self._sel = bytearray(count)
        self._visible_mask = bytearray(b"\x01") * count
        self._visible: list[int] = list(range(count))
        self._sel_count = 0
        self._sel_units = 0
        self._sel_visible = 0
        self.filter_text = ""
        self.fields = FieldFilters()
        self._field_keys: tuple[list[str], list[str], list[str]] | None = None
        self.filter_error: str | None = None
        self.rows_version = 0
        self.selection_version = 0
        self.select_ids(selected)
        if filter_text or (fields is not None and fields.active):
            self.set_filter(filter_text, fields=fields)

    # --- reading -------------------------------------------------------------------

    def __len__(self) -> int:
        """The number of rows still in the model (removed rows excluded)."""
        return self._live_count

    def __iter__(self) -> Iterator[DueRow]:
        """All rows still in the model, in their order."""
        return (row for row in self._rows if row is not None)

    @property
    def visible_count(self) -> int:
        return len(self._visible)

    @property
    def visible_indexes(self) -> list[int]:
        """Indexes of the visible rows, ascending (do not mutate)."""
        return self._visible

    def visible_row(self, pos: int) -> DueRow:
        """The row at a visible position."""
        return self._rows[self._visible[pos]]  # type: ignore[return-value]

    def visible_rows(self) -> list[DueRow]:
        return [self._rows[i] for i in self._visible]  # type: ignore[misc]

    def row_at(self, index: int) -> DueRow:
        """The row at an index among all rows (as :meth:`row_index` gives)."""
        row = self._rows[index]
        if row is None:
            raise KeyError(f"row {index} was removed")
        return row

    def row_index(self, pos: int) -> int:
        """The index (in all rows) of the row at a visible position."""
        return self._visible[pos]

    def get(self, row_id: int) -> DueRow | None:
        index = self._pos.get(row_id)
        return None if index is None else self._rows[index]

    def position_of(self, row_id: int) -> int | None:
        """The visible position of a row, or None if it is hidden or absent. O(log n)."""
        index = self._pos.get(row_id)
        if index is None or not self._visible_mask[index]:
            return None
        return bisect_left(self._visible, index)

    def nearest_position(self, index: int) -> int:
        """The visible position of the first visible row at or after ``index`` (clamped)."""
        if not self._visible:
            return 0
        return min(bisect_left(self._visible, index), len(self._visible) - 1)

    def is_selected(self, row_id: int) -> bool:
        index = self._pos.get(row_id)
        return index is not None and bool(self._sel[index])

    def is_selected_index(self, index: int) -> bool:
        return bool(self._sel[index])

    @property
    def selected_ids(self) -> frozenset[int]:
        """The selected row ids (a copy)."""
        return frozenset(row.id for row in compress(self._rows, self._sel))  # type: ignore[union-attr]

    def selected_rows(self) -> list[DueRow]:
        """The selected rows, in table order (hidden ones included)."""
        return list(compress(self._rows, self._sel))  # type: ignore[arg-type]

    @property
    def selected_count(self) -> int:
        return self._sel_count

    @property
    def selected_total(self) -> Decimal:
        """The exact sum of the selected amounts."""
        return Decimal(self._sel_units).scaleb(-self._scale)

    @property
    def hidden_selected_count(self) -> int:
        """How many selected rows the current filter hides."""
        return self._sel_count - self._sel_visible

    @property
    def version(self) -> tuple[int, int]:
        """Changes whenever rows, filter or selection change."""
        return (self.rows_version, self.selection_version)

    # --- selecting -----------------------------------------------------------------

    def toggle(self, row_id: int) -> bool:
        """Flip one row's selection; return whether it is now selected. O(1)."""
        index = self._pos[row_id]
        if self._sel[index]:
            self._unmark(index)
            return False
        self._mark(index)
        return True

    def set_selected(self, row_id: int, selected: bool) -> None:
        index = self._pos[row_id]
        if selected and not self._sel[index]:
            self._mark(index)
        elif not selected and self._sel[index]:
            self._unmark(index)

    def select_ids(self, ids: Iterable[int]) -> int:
        """Select the given ids that are present; return how many were newly selected."""
        pos = self._pos
        return self._select_indexes([pos[i] for i in ids if i in pos])

    def select_range(self, start: int, end: int) -> int:
        """Select the visible rows between two positions, both included, in either order."""
        if not self._visible:
            return 0
        last = len(self._visible) - 1
        lo, hi = sorted((max(0, min(start, last)), max(0, min(end, last))))
        return self._select_indexes(self._visible[lo : hi + 1])

    def select_all_visible(self) -> int:
        """Select every visible row; return how many were newly selected."""
        return self._select_indexes(self._visible)

    def clear(self) -> int:
        """Deselect everything, hidden rows too; return how many were deselected."""
        cleared = self._sel_count
        if cleared:
            self._sel = bytearray(len(self._rows))
            self._sel_count = self._sel_units = self._sel_visible = 0
            self.selection_version += 1
        return cleared

    def invert_visible(self) -> None:
        """Flip the selection of every visible row; hidden rows keep theirs."""
        sel = self._sel
        visible = self._visible
        if not visible:
            return
        on = [i for i in visible if not sel[i]]
        off = [i for i in visible if sel[i]]
        units = self._units
        for i in on:
            sel[i] = 1
        for i in off:
            sel[i] = 0
        delta = len(on) - len(off)
        self._sel_count += delta
        self._sel_visible += delta
        self._sel_units += _sum_at(units, on) - _sum_at(units, off)
        self.selection_version += 1

    def select_matching(self, text: str) -> tuple[int, str | None]:
        """Select the visible rows matching ``text`` (see :class:`Matcher`).

        Returns how many rows were newly selected and the regex error, if any. Empty
        text selects nothing.
        """
        if not text:
            return 0, None
        matcher = Matcher(text)
        return self._select_indexes(matcher.filter(self._haystack(), self._visible)), matcher.error

    def select_customer(self, customer: str, *, visible_only: bool = False) -> int:
        """Select every row of a customer, including rows the filter hides unless
        ``visible_only``; return how many were newly selected."""
        indexes = self._customer_index().get(customer, [])
        rows = self._rows
        if visible_only:
            mask = self._visible_mask
            chosen = [i for i in indexes if mask[i]]
        else:
            chosen = [i for i in indexes if rows[i] is not None]
        return self._select_indexes(chosen)

    # --- rows and filter -----------------------------------------------------------

    def remove_rows(self, ids: Iterable[int]) -> int:
        """Drop rows (for instance once invoiced); the others keep their selection.

        Costs O(removed) plus one pass over the visible index list; return how many left.
        """
        removed: set[int] = set()
        count = 0
        pos = self._pos
        rows = self._rows
        sel = self._sel
        mask = self._visible_mask
        selection_changed = False
        for row_id in ids:
            index = pos.pop(row_id, None)
            if index is None:
                continue
            if sel[index]:
                self._unmark(index, bump=False)
                selection_changed = True
            if mask[index]:
                mask[index] = 0
                removed.add(index)
            rows[index] = None
            self._units[index] = 0
            if self._haystacks is not None:
                self._haystacks[index] = ""
            self._live_count -= 1
            count += 1
        if removed:
            self._visible = [i for i in self._visible if i not in removed]
        if count:
            self.rows_version += 1
        if selection_changed:
            self.selection_version += 1
        return count

    def set_filter(self, text: str, *, fields: FieldFilters | None = None) -> str | None:
        """Show only rows matching ``text`` over customer, contract, series and period, and
        the field filters (``fields``; None keeps the current ones).

        Empty text and no field filter show every row. Returns the regex error (the filter
        then works as plain text), or None.
        """
        self.filter_text = text
        if fields is not None:
            self.fields = fields
        rows = self._rows
        candidates: Iterable[int] = range(len(rows))
        if self.fields.active:
            candidates = self._field_match(candidates)
        if not text:
            self.filter_error = None
            if not self.fields.active and self._live_count == len(rows):
                visible = list(range(len(rows)))
            else:
                visible = [i for i in candidates if rows[i] is not None]
        else:
            matcher = Matcher(text)
            self.filter_error = matcher.error
            haystacks = self._haystack()
            if self._live_count == len(rows):
                visible = matcher.filter(haystacks, candidates)
            else:
                visible = [i for i in matcher.filter(haystacks, candidates) if rows[i]]
        self._set_visible(visible)
        return self.filter_error

    def _field_match(self, candidates: Iterable[int]) -> list[int]:
        """The candidate indexes whose customer, contract and series pass the field filters."""
        if self._field_keys is None:
            live = self._rows
            self._field_keys = (
                [f"{r.customer_code}\n{r.customer}".lower() if r else "" for r in live],
                [r.contract.lower() if r else "" for r in live],
                [r.series.lower() if r else "" for r in live],
            )
        customers, contracts, series = self._field_keys
        f = self.fields
        chosen = list(candidates)
        if f.customer:
            needle = f.customer.lower()
            chosen = [i for i in chosen if needle in customers[i]]
        if f.contract:
            needle = f.contract.lower()
            chosen = [i for i in chosen if needle in contracts[i]]
        if f.series:
            needle = f.series.lower()
            chosen = [i for i in chosen if series[i] == needle]
        return chosen

    # --- internals -----------------------------------------------------------------

    def _set_visible(self, visible: list[int]) -> None:
        if len(visible) == self._live_count:
            mask = bytearray(b"\x01") * len(self._rows)
            if self._live_count != len(self._rows):
                for i, row in enumerate(self._rows):
                    if row is None:
                        mask[i] = 0
        else:
            mask = bytearray(len(self._rows))
            for i in visible:
                mask[i] = 1
        self._visible = visible
        self._visible_mask = mask
        self._sel_visible = sum(map(self._sel.__getitem__, visible)) if self._sel_count else 0
        self.rows_version += 1

    def _mark(self, index: int) -> None:
        self._sel[index] = 1
        self._sel_count += 1
        self._sel_units += self._units[index]
        if self._visible_mask[index]:
            self._sel_visible += 1
        self.selection_version += 1

    def _unmark(self, index: int, *, bump: bool = True) -> None:
        self._sel[index] = 0
        self._sel_count -= 1
        self._sel_units -= self._units[index]
        if self._visible_mask[index]:
            self._sel_visible -= 1
        if bump:
            self.selection_version += 1

    def _select_indexes(self, indexes: Iterable[int]) -> int:
        sel = self._sel
        added = [i for i in indexes if not sel[i]]
        if not added:
            return 0
        mask = self._visible_mask
        for i in added:
            sel[i] = 1
        self._sel_count += len(added)
        self._sel_units += _sum_at(self._units, added)
        self._sel_visible += sum(map(mask.__getitem__, added))
        self.selection_version += 1
        return len(added)

    def _haystack(self) -> list[str]:
        """Lower-cased ``customer\\ncontract\\nseries\\nperiod`` per row, built on first use."""
        if self._haystacks is None:
            periods: dict[tuple[date | None, date | None], str] = {}
            haystacks: list[str] = []
            append = haystacks.append
            for row in self._rows:
                if row is None:
                    append("")
                    continue
                key = (row.period_start, row.period_end)
                period = periods.get(key)
                if period is None:
                    period = periods[key] = period_text(*key)
                append(f"{row.customer}\n{row.contract}\n{row.series}\n{period}".lower())
            self._haystacks = haystacks
        return self._haystacks

    def _customer_index(self) -> dict[str, list[int]]:
        """Row indexes per customer, built on first use (removed rows are skipped later)."""
        if self._by_customer is None:
            by_customer: dict[str, list[int]] = {}
            for i, row in enumerate(self._rows):
                if row is not None:
                    by_customer.setdefault(row.customer, []).append(i)
            self._by_customer = by_customer
        return self._by_customer


def _sum_at(values: list[int], indexes: list[int]) -> int:
    if not indexes:
        return 0
    if len(indexes) == 1:
        return values[indexes[0]]
    return sum(itemgetter(*indexes)(values))


def _to_units(amounts: list[Decimal]) -> tuple[int, list[int]]:
    """Scale amounts to integers of a common number of decimals (at least 2), exactly."""
    scale = 2
    while True:
        units: list[int] = []
        append = units.append
        for amount in amounts:
            scaled = amount.scaleb(scale)
            try:
                whole = int(scaled)
            except (ValueError, OverflowError):
                raise ValueError(f"amount is not a finite number: {amount}") from None
            if whole != scaled:
                break
            append(whole)
        else:
            return scale, units
        scale = max(scale + 1, -int(amount.as_tuple().exponent))
