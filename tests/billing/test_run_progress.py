"""A billing run's progress never counts past its total, even when periods that could not
be numbered at their own date are gathered on one catch-up invoice (they were counted twice:
``invoicing 34/29``). On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.output.interchange_write import import_data


def _monthly(code: str, customer: str, start: str) -> dict:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": start,
        "frequency": "monthly",
        "lines": [{"description": "Canone", "unit_price": "100.00", "vat_rate": "22.00"}],
    }


def test_progress_of_a_run_with_catch_up_stays_within_its_total(db):
    customers = [{"code": c, "name": f"Cliente {c}"} for c in ("A", "B")]
    import_data(db, {"customers": customers, "contracts": [_monthly("K-B", "B", "2025-05-15")]})
    on = dt.date(2025, 5, 20)
    run_billing(db, RunOptions(on=on, status="issued", email=False), Config())
    # a contract started months ago: its periods are dated before the invoice just issued
    import_data(db, {"customers": customers, "contracts": [_monthly("K-A", "A", "2025-01-01")]})
    seen: list[tuple[str, int, int]] = []
    report = run_billing(
        db,
        RunOptions(on=on, status="issued", email=False),
        Config(),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert report.warnings, "the periods were caught up on the run date"
    invoicing = [(done, total) for stage, done, total in seen if stage == "invoice"]
    assert invoicing and all(done <= total for done, total in invoicing), invoicing
    assert invoicing[-1][0] == invoicing[-1][1] == report.installments_billed
