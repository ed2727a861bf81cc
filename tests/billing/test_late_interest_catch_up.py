"""Late interest when several installments are billed at once or out of order, on SQLite
and PostgreSQL: each installment carries the days up to its own date, each day once."""

from __future__ import annotations

import datetime as dt
import json

from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.materialize import materialize
from tui_billing.billing.payments import record_payment
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Installment

D = dt.date.fromisoformat


def interest(installment: Installment) -> list[tuple[str, str, str]]:
    return [
        (li["amount"], li["period_start"], li["period_end"])
        for li in json.loads(installment.lines)
        if li["line"].startswith("late-interest:")
    ]


def pending() -> dict[str, Installment]:
    return {
        i.invoice_date.isoformat(): i
        for i in Installment.select().where(Installment.status == "pending")
    }


def test_catch_up_and_out_of_order_invoicing_bill_each_day_once(db):
    import_data(
        db,
        {
            "customers": [{"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}],
            "contracts": [
                {
                    "code": "K-1",
                    "customer": "ACME",
                    "status": "active",
                    "start_date": "2025-01-01",
                    "frequency": "monthly",
                    "late_interest": "fixed",
                    "late_interest_rate": "10.00",
                    "lines": [
                        {"description": "Canone", "unit_price": "1000.00", "vat_rate": "22.00"}
                    ],
                }
            ],
        },
    )
    materialize(db, D("2025-01-01"))
    [january] = Installment.select()
    create_invoices(db, [january.id], status="issued")  # A/2025/0001, 1,220.00 due 31/01

    # Three months caught up at once; each installment bills the days up to its own date:
    #   01/02: 1/2 - 1/2,  1 day:  1,220.00 x 10 % x  1 / 365 =  0.33424657 ->  0.33
    #   01/03: 2/2 - 1/3, 28 days: 1,220.00 x 10 % x 28 / 365 =  9.35890410 ->  9.36
    #   01/04: 2/3 - 1/4, 31 days: 1,220.00 x 10 % x 31 / 365 = 10.36164383 -> 10.36
    materialize(db, D("2025-04-01"))
    due = pending()
    assert {day: interest(i) for day, i in due.items()} == {
        "2025-02-01": [("0.33", "2025-02-01", "2025-02-01")],
        "2025-03-01": [("9.36", "2025-02-02", "2025-03-01")],
        "2025-04-01": [("10.36", "2025-03-02", "2025-04-01")],
    }

    # April is invoiced first (a draft: numbers follow the dates); then a payment (dated 15/03, after March's days) makes the
    # rest be recomputed: February and March still bill exactly their own days.
    create_invoices(db, [due["2025-04-01"].id])
    record_payment(db, "A/2025/0001", "2025-03-15", "1220.00", D("2025-04-02"))
    materialize(db, D("2025-04-01"))
    due = pending()
    assert {day: interest(i) for day, i in due.items()} == {
        "2025-02-01": [("0.33", "2025-02-01", "2025-02-01")],
        "2025-03-01": [("9.36", "2025-02-02", "2025-03-01")],
    }
    create_invoices(db, [i.id for i in due.values()])
    materialize(db, D("2025-07-01"))
    assert all(interest(i) == [] for i in pending().values())  # every day is billed
