"""What a billing run would issue, worked out before it starts (a dry run, rolled back): how
many invoices, their dates and the numbers each series gives them; the real run then takes
exactly those numbers. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from tui_billing.billing.confirmations import number_span
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.billing.run_preview import preview_run
from tui_billing.config import Config
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Invoice


def _monthly(code: str, customer: str, start: str, series: str | None = None) -> dict:
    contract = {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": start,
        "frequency": "monthly",
        "lines": [{"description": "Canone", "unit_price": "100.00", "vat_rate": "22.00"}],
    }
    if series:
        contract["series"] = series
    return contract


def _numbers() -> list[str]:
    return sorted(n for (n,) in Invoice.select(Invoice.number).tuples() if n)


def test_preview_names_the_numbers_the_run_then_takes(db):
    customers = [{"code": c, "name": f"Cliente {c}"} for c in ("A", "B", "C")]
    contracts = [_monthly(f"K-{c}", c, "2025-01-01") for c in ("A", "B", "C")]
    import_data(db, {"customers": customers, "contracts": contracts})
    # one invoice already issued in the series: the run continues after it
    run_billing(db, RunOptions(on=dt.date(2025, 1, 1), status="issued", email=False), Config())
    before = _numbers()
    assert len(before) == 3
    options = RunOptions(on=dt.date(2025, 3, 1), status="issued", email=False, origin="tui")

    preview = preview_run(db, options, Config())

    assert _numbers() == before, "the preview wrote nothing"
    assert preview.status == "issued" and preview.invoices == 6 and preview.installments == 6
    assert preview.first_date == dt.date(2025, 2, 1) and preview.last_date == dt.date(2025, 3, 1)
    assert preview.failed == 0
    span = number_span(list(preview.numbers))
    report = run_billing(db, options, Config())
    issued = sorted(i.number for i in report.invoices if i.number)
    assert sorted(n.number for n in preview.numbers) == issued
    assert span == f"{issued[0]}-{issued[-1][-4:]}"  # one series, consecutive


def test_preview_of_a_draft_run_names_no_numbers_and_counts_failures(db):
    customers = [{"code": "A", "name": "Cliente A"}]
    contracts = [
        _monthly("K-A", "A", "2025-01-01"),
        {"code": "K-X", "customer": "A", "status": "active", "frequency": "monthly"},
    ]
    import_data(db, {"customers": customers, "contracts": contracts})
    preview = preview_run(
        db, RunOptions(on=dt.date(2025, 2, 1), status="draft", email=False), Config()
    )
    assert preview.status == "draft"
    assert preview.invoices == 2 and preview.numbers == ()
    assert preview.failed == 1  # K-X has no start date and no lines
    assert Invoice.select().count() == 0
