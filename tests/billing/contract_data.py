"""A small data set for the contract editing and screen tests: two customers, an article,
and contracts in every state, with fixed dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Database

from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Contract, Installment

TODAY = dt.date(2024, 11, 15)


def contracts_document() -> dict[str, Any]:
    return {
        "series": [{"code": "A", "description": "Fatture"}, {"code": "B"}],
        "customers": [
            {"code": "ROSSI", "name": "Rossi Impianti S.r.l."},
            {"code": "BIANCHI", "name": "Bianchi Costruzioni S.p.A."},
        ],
        "articles": [
            {
                "code": "MAN",
                "name": "Manutenzione caldaia",
                "price": "50.00",
                "vat_rate": "22.00",
                "recurring": True,
            },
        ],
        "contracts": [
            {
                "code": "K-001",
                "customer": "ROSSI",
                "status": "active",
                "start_date": "2024-07-01",
                "frequency": "quarterly",
                "description": "Caldaie sede",
                "lines": [
                    {
                        "article": "MAN",
                        "description": "Manutenzione caldaia",
                        "quantity": "1",
                        "unit_price": "50.00",
                        "price_period": "monthly",
                        "vat_rate": "22.00",
                    }
                ],
            },
            {
                "code": "K-002",
                "customer": "BIANCHI",
                "status": "draft",
                "start_date": "2024-10-01",
                "frequency": "monthly",
                "lines": [
                    {
                        "description": "Assistenza software",
                        "quantity": "1",
                        "unit_price": "80.00",
                        "vat_rate": "22.00",
                    }
                ],
            },
            {
                "code": "K-003",
                "customer": "ROSSI",
                "status": "suspended",
                "start_date": "2024-01-01",
                "frequency": {"every": 2, "unit": "week"},
                "lines": [
                    {
                        "description": "Pulizia uffici",
                        "quantity": "2",
                        "unit_price": "35.50",
                        "vat_rate": "22.00",
                    }
                ],
            },
            {
                "code": "K-004",
                "customer": None,
                "status": "draft",
                "start_date": "2024-09-01",
                "frequency": "annual",
                "lines": [],
            },
        ],
    }


def load(db: Database) -> None:
    import_data(db, contracts_document())


def add_index_series(db: Database, code: str = "FOI") -> None:
    """An index series kept here (one value), for lines indexed to it."""
    import_data(
        db,
        {
            "index_series": [
                {"code": code, "values": [{"month": "2023-10", "value": "118.4", "base": "2015"}]}
            ]
        },
    )


def contract_id(code: str) -> int:
    return Contract.get(Contract.code == code).id


def invoice_july(db: Database, code: str = "K-001", status: str = "issued") -> Installment:
    """Materialize the contract up to TODAY and invoice its installment of July 2024."""
    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize

    cid = contract_id(code)
    materialize(db, TODAY, [cid])
    july = Installment.get(
        (Installment.contract == cid) & (Installment.period_start == dt.date(2024, 7, 1))
    )
    create_invoices(db, [july.id], status=status)
    return Installment.get_by_id(july.id)


def installments(code: str) -> list[tuple]:
    """(period_start, invoice_date, amount, status) of a contract's stored installments."""
    return [
        (i.period_start, i.invoice_date, str(i.amount), i.status)
        for i in Installment.select()
        .where(Installment.contract == contract_id(code))
        .order_by(Installment.invoice_date)
    ]
