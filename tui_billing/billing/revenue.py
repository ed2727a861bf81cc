"""Revenue (or consumption) figures of contracts: entered one by one, imported from CSV,
listed. A new or changed figure makes its contract's installments be recomputed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.wording import _
from tui_billing.domain.errors import UserError
from tui_billing.output.figures_csv import cell, csv_rows, date_cell, decimal_cell, text_cell
from tui_billing.store.economics_writes import upsert_figures
from tui_billing.store.models import Contract, RevenueFigure
from tui_billing.store.transactions import write_transaction


@dataclass(frozen=True, slots=True)
class FigureRow:
    contract: str
    period_start: dt.date
    period_end: dt.date
    amount: Decimal
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "amount": f"{self.amount:.2f}",
            "note": self.note,
        }


def _check(row: FigureRow, where: str) -> None:
    if row.period_end < row.period_start:
        raise UserError(
            _("period_end {period_end} is before period_start {period_start}").format(
                period_end=row.period_end, period_start=row.period_start
            ),
            where,
        )


def _write(rows: list[FigureRow], contracts: dict[str, Contract]) -> tuple[int, int, int]:
    return upsert_figures(
        (contracts[r.contract], r.period_start, r.period_end, r.amount, r.note) for r in rows
    )


def _contracts(codes: set[str]) -> dict[str, Contract]:
    return {c.code: c for c in Contract.select().where(Contract.code.in_(sorted(codes)))}


def enter_figure(
    db: Database,
    contract: str,
    start: dt.date,
    end: dt.date,
    amount: Decimal,
    note: str | None = None,
) -> str:
    """Record (or correct) one figure; returns 'created', 'updated' or 'unchanged'."""
    row = FigureRow(contract, start, end, amount, note or None)
    _check(row, "period_end")
    with write_transaction(db):
        contracts = _contracts({contract})
        if contract not in contracts:
            raise UserError(
                _("unknown contract {contract!r}").format(contract=contract), "contract"
            )
        created, updated, _unused = _write([row], contracts)
    return "created" if created else "updated" if updated else "unchanged"


def import_revenue_csv(db: Database, text: str, source: str) -> tuple[int, int, int]:
    """Figures from CSV ``contract,period_start,period_end,amount[,note]``; all or nothing."""
    rows = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, values in csv_rows(
        text, source, ("contract", "period_start", "period_end", "amount")
    ):
        row = FigureRow(
            cell(source, number, values, "contract", lambda t, w: t),
            cell(source, number, values, "period_start", date_cell),
            cell(source, number, values, "period_end", date_cell),
            cell(
                source,
                number,
                values,
                "amount",
                lambda t, w: decimal_cell(t, w, allow_negative=True, places=2),
            ),
            text_cell(source, number, values, "note"),
        )
        _check(row, f"{source} row {number}, column period_end")
        key = (row.contract, row.period_start, row.period_end)
        if key in seen:
            raise UserError(
                _("the same figure is also on row {row}").format(row=seen[key]),
                f"{source} row {number}, column period_start",
            )
        seen[key] = number
        rows.append((number, row))
    with write_transaction(db):
        contracts = _contracts({row.contract for _unused, row in rows})
        for number, row in rows:
            if row.contract not in contracts:
                raise UserError(
                    _("unknown contract {contract!r}").format(contract=row.contract),
                    f"{source} row {number}, column contract",
                )
        return _write([row for _unused, row in rows], contracts)


def list_figures(contract: str | None = None) -> list[FigureRow]:
    """The figures (of one contract, or all), by contract and period."""
    query = (
        RevenueFigure.select(RevenueFigure, Contract.code)
        .join(Contract)
        .order_by(Contract.code, RevenueFigure.period_start, RevenueFigure.period_end)
    )
    if contract is not None:
        query = query.where(Contract.code == contract)
    return [
        FigureRow(f.contract.code, f.period_start, f.period_end, f.amount, f.note) for f in query
    ]
