"""The returns as the collections screen lists them: newest first, with their fees, and
their charge "to bill" until the contract's next installment is invoiced, then "billed";
a return without fees has no charge state."""

from __future__ import annotations

import datetime as dt

from tui_billing.billing.payments import record_payment
from tui_billing.billing.returned_list import returned_collections
from tui_billing.billing.returns import record_return
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config, ReturnsSettings
from tui_billing.output.interchange_write import import_data

TODAY = dt.date(2026, 3, 5)


def test_charge_to_bill_then_billed(db) -> None:
    import_data(
        db,
        {
            "customers": [{"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}],
            "contracts": [
                {
                    "code": "K-1",
                    "customer": "ACME",
                    "status": "active",
                    "start_date": "2026-01-01",
                    "frequency": "monthly",
                    "lines": [
                        {"description": "Canone", "unit_price": "100.00", "vat_rate": "22.00"}
                    ],
                }
            ],
        },
    )
    run_billing(db, RunOptions(on=dt.date(2026, 2, 1), status="issued", email=False), Config())
    record_payment(db, "A/2026/0001", dt.date(2026, 1, 31), "122.00", TODAY)
    record_payment(db, "A/2026/0002", dt.date(2026, 2, 28), "122.00", TODAY)
    settings = ReturnsSettings()  # no own fee
    record_return(db, "A/2026/0001", "2026-02-15", TODAY, settings, "3,50", "AM04")
    record_return(db, "A/2026/0002", "2026-03-04", TODAY, settings)

    def listed() -> list[tuple]:
        return [
            (r.invoice, r.customer, r.date, str(r.bank_fee), r.reason, r.charge)
            for r in returned_collections(db)
        ]

    assert listed() == [
        ("A/2026/0002", "ACME", dt.date(2026, 3, 4), "0.00", None, ""),
        ("A/2026/0001", "ACME", dt.date(2026, 2, 15), "3.50", "AM04", "to bill"),
    ]
    run_billing(db, RunOptions(on=dt.date(2026, 3, 1), status="issued", email=False), Config())
    assert [r.charge for r in returned_collections(db)] == ["", "billed"]
