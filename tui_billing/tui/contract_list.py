"""The contracts list as a model: a search text, filters and a sort over the contract rows.

Pure Python, no Textual: the contracts screen's table is a view of it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from tui_billing.billing.contract_views import ContractRow
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import N_, _, current_language
from tui_billing.domain.words import word

#: Sortable columns: name -> how a row sorts under it.
SORT_KEYS: dict[str, Callable[[ContractRow], Any]] = {
    "code": lambda r: r.code,
    "customer": lambda r: (r.customer_name.casefold(), r.code),
    "status": lambda r: (r.status, r.code),
    "frequency": lambda r: (r.frequency, r.code),
    "start": lambda r: (r.start_date or dt.date.min, r.code),
    "end": lambda r: (r.end_date or dt.date.max, r.code),
}
_EVERY = re.compile(r"every (\d+) (day|week|month|year)s?")


def frequency_word(text: str | None) -> str:
    """A frequency as stored (``fourmonthly``) or as the views write it (``four-monthly``,
    ``every 15 days``), in the language in use: ``quadrimestrale``, ``ogni 15 giorni``."""
    if not text:
        return ""
    every = _EVERY.fullmatch(text)
    try:
        frequency = Frequency(int(every[1]), every[2]) if every else Frequency.parse(text)
    except (UserError, ValueError):
        return word("frequency", text)
    return frequency.label(current_language())


#: What the status line calls each sortable column (English, marked; shown translated).
SORT_NAMES: dict[str, str] = {
    "code": N_("code"),
    "customer": N_("customer"),
    "status": N_("status"),
    "frequency": N_("frequency"),
    "start": N_("start"),
    "end": N_("end"),
}


@dataclass(frozen=True)
class ContractListView:
    """What the list shows: search text, filters (empty = any) and sort."""

    search: str = ""
    status: str = ""
    customer: str = ""
    frequency: str = ""
    sort: str = "code"
    descending: bool = False

    def matches(self, row: ContractRow) -> bool:
        if self.status and row.status != self.status:
            return False
        if self.customer:
            wanted = self.customer.casefold()
            if wanted != row.customer.casefold() and wanted not in row.customer_name.casefold():
                return False
        if self.frequency and row.frequency != self.frequency:
            return False
        if self.search:
            needle = self.search.casefold()
            haystack = f"{row.code} {row.customer} {row.customer_name} {row.description}"
            if needle not in haystack.casefold():
                return False
        return True

    def apply(self, rows: list[ContractRow]) -> list[ContractRow]:
        """The rows shown, filtered and sorted."""
        shown = [row for row in rows if self.matches(row)]
        shown.sort(key=SORT_KEYS[self.sort], reverse=self.descending)
        return shown

    def next_sort(self) -> ContractListView:
        names = list(SORT_KEYS)
        return replace(
            self, sort=names[(names.index(self.sort) + 1) % len(names)], descending=False
        )

    def describe(self) -> str:
        """``status: active · customer: C001 · sort: code ↑`` for the status line, in the
        language in use."""
        parts = [
            _("{name}: {value}").format(name=name, value=value)
            for name, value in (
                (_("search"), self.search),
                (_("status"), word("status", self.status)),
                (_("customer"), self.customer),
                (_("frequency"), frequency_word(self.frequency)),
            )
            if value
        ]
        parts.append(
            _("sort: {column} {arrow}").format(
                column=_(SORT_NAMES[self.sort]), arrow="↓" if self.descending else "↑"
            )
        )
        return " · ".join(parts)

    @property
    def filtered(self) -> bool:
        return bool(self.search or self.status or self.customer or self.frequency)


__all__ = ["SORT_KEYS", "SORT_NAMES", "ContractListView", "frequency_word"]
