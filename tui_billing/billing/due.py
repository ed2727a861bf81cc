"""The installments due on a date: invoice date on or before it, not yet invoiced."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.materialize import MaterializeResult, materialize
from tui_billing.store.database import date_param, stored_date
from tui_billing.store.models import Installment

_SELECT = """
SELECT i.id, k.code, o.code, c.code, c.name, COALESCE(k.series, o.series), i.period_start,
       i.period_end, i.invoice_date, i.amount, i.status{lines}
FROM installment i
LEFT OUTER JOIN contract k ON k.id = i.contract_id
LEFT OUTER JOIN "order" o ON o.id = i.order_id
JOIN customer c ON c.id = COALESCE(k.customer_id, o.customer_id)
WHERE i.status IN ({statuses}) AND i.invoice_date <= {p}{filters}
ORDER BY i.invoice_date, c.code, k.code, o.code, i.period_start NULLS FIRST, i.id
"""


@dataclass(frozen=True, slots=True)
class DueInstallment:
    id: int
    contract: str | None
    order: str | None
    customer: str
    customer_name: str
    series: str
    period_start: dt.date | None
    period_end: dt.date | None
    invoice_date: dt.date
    amount: Decimal
    status: str
    lines_json: str | None = None

    @property
    def owner(self) -> str:
        """The code of what it bills: its contract, else its order."""
        return self.contract or self.order or ""

    @property
    def lines(self) -> list[dict[str, Any]]:
        text = self.lines_json
        if text is None:
            text = Installment.get_by_id(self.id).lines
        return json.loads(text)

    def to_json(self) -> dict[str, Any]:
        """The ``due --json`` shape of the spec."""
        return {
            "installment": str(self.id),
            "contract": self.contract,
            "order": self.order,
            "customer": self.customer,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "invoice_date": self.invoice_date.isoformat(),
            "amount": f"{self.amount:.2f}",
            "status": self.status,  # pending, or waiting (held back for a revenue figure)
            "lines": [{k: v for k, v in li.items() if k != "line"} for li in self.lines],
        }


def iter_due(
    db: Database,
    on: dt.date,
    *,
    customer: str | None = None,
    contract: str | None = None,
    series: str | None = None,
    with_lines: bool = False,
    waiting: bool = False,
) -> Iterator[DueInstallment]:
    """What is due on ``on``, ordered by invoice date, customer, contract, period start,
    streamed from the database (plain SQL: this lists hundreds of thousands of rows). With
    ``waiting`` also the installments held back for a revenue figure (never invoiced)."""
    p = db.param
    filters, params = [], [date_param(db)(on)]
    for column, value in (("c.code", customer), ("k.code", contract),
                          ("COALESCE(k.series, o.series)", series)):
        if value:
            filters.append(f" AND {column} = {p}")
            params.append(value)
    statuses = "'pending', 'waiting'" if waiting else "'pending'"
    sql = _SELECT.format(p=p, filters="".join(filters), lines=", i.lines" if with_lines else "",
                         statuses=statuses)
    texts: dict[str, str] = {}
    intern = texts.setdefault
    cursor = db.execute_sql(sql, params)
    while True:
        batch = cursor.fetchmany(5000)
        if not batch:
            return
        for row in batch:
            (iid, k_code, o_code, c_code, c_name, series_code, start, end, inv, cents,
             status, *rest) = row
            yield DueInstallment(
                iid, k_code, o_code, intern(c_code, c_code), intern(c_name, c_name),
                intern(series_code, series_code), stored_date(start), stored_date(end),
                stored_date(inv),
                Decimal(cents).scaleb(-2), status, rest[0] if rest else None,
            )


def list_due(db: Database, on: dt.date, **filters: str | None) -> list[DueInstallment]:
    """All due installments as a list (their lines are read when asked for)."""
    return list(iter_due(db, on, **filters))


def due_on(
    db: Database, on: dt.date, **filters: Any
) -> tuple[Iterator[DueInstallment], MaterializeResult]:
    """Materialize up to ``on``, then stream what is due."""
    result = materialize(db, on)
    return iter_due(db, on, **filters), result
