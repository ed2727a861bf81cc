"""Index series in the database: importing their values from CSV, linking bases, listing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.wording import _
from tui_billing.domain.economics_rules import parse_month
from tui_billing.domain.errors import UserError
from tui_billing.domain.indexation import month_text
from tui_billing.domain.number_text import decimal_text, index_text
from tui_billing.output.figures_csv import cell, csv_rows, decimal_cell
from tui_billing.store.economics_writes import (
    count_indexed_contracts,
    touch_indexed_contracts,
    upsert_index_values,
    upsert_link,
)
from tui_billing.store.models import IndexLink, IndexSeries, IndexValue
from tui_billing.store.transactions import write_transaction


@dataclass(frozen=True, slots=True)
class IndexImport:
    series: str
    created: int
    updated: int
    unchanged: int
    contracts: int  # contracts whose installments are recomputed

    def line(self) -> str:
        return _(
            "index {series}: {created} new, {updated} updated, {unchanged} unchanged values; "
            "{contracts} contracts to recompute"
        ).format(
            series=self.series,
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
            contracts=self.contracts,
        )


def _check_code(code: str) -> str:
    code = code.strip()
    if not code:
        raise UserError(_("must not be empty"), "SERIES")
    return code


def import_index_csv(
    db: Database, series_code: str, text: str, source: str, name: str | None = None
) -> IndexImport:
    """Create or update the values of a series from CSV ``month,value,base``; all or nothing."""
    series_code = _check_code(series_code)
    values = []
    seen: dict[dt.date, int] = {}
    for number, row in csv_rows(text, source, ("month", "value", "base")):
        month = cell(source, number, row, "month", parse_month)
        if month in seen:
            raise UserError(
                _("month {month} is also on row {row}").format(
                    month=month_text(month), row=seen[month]
                ),
                f"{source} row {number}, column month",
            )
        seen[month] = number
        value = cell(source, number, row, "value", decimal_cell)
        if value <= 0:
            raise UserError(_("must be above zero"), f"{source} row {number}, column value")
        base = cell(source, number, row, "base", lambda t, w: t)
        values.append((month, value, base))
    with write_transaction(db):
        created, updated, unchanged = upsert_index_values(series_code, name, values)
        contracts = count_indexed_contracts(series_code) if created or updated else 0
    return IndexImport(series_code, created, updated, unchanged, contracts)


def link_bases(
    db: Database, series_code: str, old_base: str, new_base: str, coefficient: Decimal
) -> int:
    """Store the linking coefficient between two bases of a series (an index in ``new_base``
    x coefficient = the index in ``old_base``); returns the contracts to recompute."""
    if coefficient <= 0:
        raise UserError(_("must be above zero"), "COEFFICIENT")
    if old_base.strip() == new_base.strip() or not old_base.strip() or not new_base.strip():
        raise UserError(_("give two different bases"), "OLD_BASE")
    with write_transaction(db):
        series = IndexSeries.get_or_none(IndexSeries.code == series_code)
        if series is None:
            raise UserError(
                _("unknown index series {series_code!r} (import its values first)").format(
                    series_code=series_code
                ),
                "SERIES",
            )
        upsert_link(series, old_base, new_base, coefficient)
        return touch_indexed_contracts(series_code)


def series_document(series_code: str | None = None) -> list[dict[str, Any]]:
    """The series (one, or all) with their values and links, as ``index list --json`` prints."""
    query = IndexSeries.select().order_by(IndexSeries.code)
    if series_code is not None:
        query = query.where(IndexSeries.code == series_code)
    found = list(query)
    if series_code is not None and not found:
        raise UserError(
            _("unknown index series {series_code!r}").format(series_code=series_code), "SERIES"
        )
    return [
        {
            "series": s.code,
            "name": s.name,
            "values": [
                {"month": month_text(v.month), "value": index_text(v.value), "base": v.base}
                for v in IndexValue.select()
                .where(IndexValue.series == s)
                .order_by(IndexValue.month)
            ],
            "links": [
                {
                    "old_base": link.old_base,
                    "new_base": link.new_base,
                    "coefficient": decimal_text(link.coefficient),
                }
                for link in IndexLink.select()
                .where(IndexLink.series == s)
                .order_by(IndexLink.old_base, IndexLink.new_base)
            ],
        }
        for s in found
    ]
