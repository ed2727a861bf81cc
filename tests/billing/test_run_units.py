"""How the billing run cuts its work: collective invoices stay whole across transaction
batches, a contract that fails inside a batch is found, named and skipped while the rest is
billed, and a missed period caught up after later invoices were issued is dated on the run
date with a warning."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.billing.test_run import assert_exactly_once_and_gapless
from tests.support.data import write_document
from tui_billing.store.models import BillingRunLog, Invoice, InvoiceLine, Series


def _contract(
    code: str, customer: str, start: str = "2024-01-01", series: str = "A", price: str = "100.00"
) -> dict:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": start,
        "frequency": "monthly",
        "series": series,
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": price, "vat_rate": "22.00"}
        ],
    }


def _document(contracts: list[dict], collective: tuple[str, ...] = ()) -> dict:
    customers = sorted({k["customer"] for k in contracts})
    return {
        "series": [
            {"code": "A", "format": "{series}/{year}/{seq:04d}"},
            {"code": "X", "format": "X/{year}/{seq:03d}"},
        ],
        "customers": [
            {
                "code": c,
                "name": f"Cliente {c}",
                "payment_terms_days": 30,
                "collective_billing": c in collective,
            }
            for c in customers
        ],
        "contracts": contracts,
    }


def _contracts_of(invoice: Invoice) -> set[str]:
    return {li.contract.code for li in InvoiceLine.select().where(InvoiceLine.invoice == invoice)}


def test_collective_customer_stays_on_one_invoice_across_batches(cli, tmp_path, monkeypatch):
    import tui_billing.billing.run as run

    monkeypatch.setattr(run, "BATCH", 2)  # two billing units per transaction
    contracts = [_contract(f"K-{i:02d}", "C-SOLO" if i % 2 else "C-GROUP") for i in range(7)]
    cli("import", write_document(tmp_path / "d.json", _document(contracts, ("C-GROUP",))))
    report = cli("run", "--date", "2024-01-31", "--json").json()
    # C-GROUP's four contracts share one invoice; C-SOLO's three get one each
    assert report["installments_billed"] == 7 and report["invoices_created"] == 4
    by_customer = {}
    for invoice in Invoice.select():
        by_customer.setdefault(invoice.customer.code, []).append(_contracts_of(invoice))
    assert by_customer["C-GROUP"] == [{"K-00", "K-02", "K-04", "K-06"}]
    assert sorted(map(sorted, by_customer["C-SOLO"])) == [["K-01"], ["K-03"], ["K-05"]]
    assert_exactly_once_and_gapless()


def _break_series_x() -> None:
    """A number format that cannot print (as if edited by hand in the database)."""
    Series.update(format="X/{year}/{nope}").where(Series.code == "X").execute()


def test_contract_failing_inside_a_batch_is_named_and_the_rest_billed(cli, tmp_path):
    contracts = [_contract(f"K-{i:02d}", f"C-{i:02d}") for i in range(9)]
    contracts[5]["series"] = "X"
    cli("import", write_document(tmp_path / "d.json", _document(contracts)))
    _break_series_x()
    result = cli("run", "--date", "2024-02-29", "--json")
    assert result.code == 1, result
    report = result.json()
    assert [f["contract"] for f in report["failed"]] == ["K-05"]
    assert "number format" in report["failed"][0]["error"]
    assert "contract K-05: " in result.err
    assert report["installments_billed"] == 16 and report["invoices_created"] == 16
    assert sorted(report["invoices"])[-1] == "A/2024/0016"
    assert_exactly_once_and_gapless()
    assert (
        BillingRunLog.select()
        .where((BillingRunLog.level == "error") & (BillingRunLog.contract == "K-05"))
        .exists()
    )
    # fixed, the next run bills what failed, and only that
    Series.update(format="X/{year}/{seq:03d}").where(Series.code == "X").execute()
    again = cli("run", "--date", "2024-02-29", "--json").json()
    assert again["failed"] == [] and again["installments_billed"] == 2
    assert again["invoices"] == ["X/2024/001", "X/2024/002"]
    assert_exactly_once_and_gapless()


def test_collective_customer_with_a_failing_contract_bills_the_others_together(cli, tmp_path):
    contracts = [
        _contract("K-A1", "C-GROUP"),
        _contract("K-A2", "C-GROUP"),
        _contract("K-X", "C-GROUP", series="X"),
        _contract("K-B", "C-OTHER"),
    ]
    cli("import", write_document(tmp_path / "d.json", _document(contracts, ("C-GROUP",))))
    _break_series_x()
    result = cli("run", "--date", "2024-01-31", "--json")
    assert result.code == 1
    report = result.json()
    assert [f["contract"] for f in report["failed"]] == ["K-X"]
    assert report["installments_billed"] == 3 and report["invoices_created"] == 2
    group = (
        Invoice.select()
        .join_from(Invoice, Invoice.customer.rel_model)
        .where(Invoice.customer.rel_model.code == "C-GROUP")
    )
    assert [_contracts_of(i) for i in group] == [{"K-A1", "K-A2"}]
    assert_exactly_once_and_gapless()


@pytest.mark.parametrize("dry_run", [False, True])
def test_catch_up_after_later_invoices_is_dated_on_the_run_date(cli, tmp_path, dry_run):
    """K-NEW, entered late with a start in January, is caught up on 15 March after
    A/2024/0001 of 1 March was issued: March goes out at its own date; January and February
    can no longer be numbered at theirs (numbers must follow the dates), so they go on one
    invoice dated on the run date, with a warning on stderr, in --json and in the log."""
    cli(
        "import",
        write_document(
            tmp_path / "d.json", _document([_contract("K-OLD", "C1", start="2024-03-01")])
        ),
    )
    assert cli("run", "--date", "2024-03-01", "--json").json()["invoices"] == ["A/2024/0001"]
    cli(
        "import",
        write_document(tmp_path / "e.json", _document([_contract("K-NEW", "C2", price="80.00")])),
    )
    args = ["run", "--date", "2024-03-15", "--json"] + (["--dry-run"] if dry_run else [])
    result = cli(*args)
    assert result.code == 0, result
    report = result.json()
    assert report["failed"] == []
    assert report["installments_billed"] == 3
    assert report["invoices"] == ["A/2024/0002", "A/2024/0003"]
    assert (report["taxable"], report["total"]) == ("240.00", "292.80")
    assert [w["contract"] for w in report["warnings"]] == ["K-NEW"]
    assert report["warnings"][0]["warning"].startswith(
        "dated 15/03/2024: cannot number an invoice dated 2024-01-01 in series 'A': "
        "A/2024/0001 of 2024-03-01 is already issued"
    )
    assert "contract K-NEW: dated 15/03/2024" in result.err
    if dry_run:
        assert Invoice.select().count() == 1
        return
    march, late = (Invoice.get(Invoice.number == n) for n in ("A/2024/0002", "A/2024/0003"))
    assert (march.date.isoformat(), march.total) == ("2024-03-01", Decimal("97.60"))
    assert (late.date.isoformat(), late.due_date.isoformat()) == ("2024-03-15", "2024-04-14")
    periods = sorted((li.period_start.isoformat(), li.period_end.isoformat()) for li in late.lines)
    assert periods == [("2024-01-01", "2024-01-31"), ("2024-02-01", "2024-02-29")]
    log = BillingRunLog.get(
        (BillingRunLog.level == "warning") & (BillingRunLog.contract == "K-NEW")
    )
    assert log.message == report["warnings"][0]["warning"]
    assert_exactly_once_and_gapless()


def test_catch_up_of_many_contracts_over_several_batches_keeps_their_dates(
    cli, tmp_path, monkeypatch
):
    """Missed months of many contracts, cut into small batches: every invoice keeps its
    own date and the numbers follow the dates (nothing is pushed to the run date)."""
    import tui_billing.billing.run as run

    monkeypatch.setattr(run, "BATCH", 3)
    contracts = [_contract(f"K-{i:02d}", f"C-{i:02d}") for i in range(10)]
    cli("import", write_document(tmp_path / "d.json", _document(contracts)))
    report = cli("run", "--date", "2024-04-30", "--json").json()
    assert report["warnings"] == [] and report["failed"] == []
    assert report["invoices_created"] == 40
    invoices = list(Invoice.select().order_by(Invoice.seq))
    assert [i.date.month for i in invoices] == [m for m in (1, 2, 3, 4) for _ in range(10)]
    assert_exactly_once_and_gapless()


def test_invoices_and_their_queued_copies_commit_together(cli, tmp_path, monkeypatch):
    """Queueing the copies is part of the invoicing transaction: if it fails (or the process
    dies there) the invoices are not left behind without their copies."""
    import tui_billing.billing.courtesy_copies as copies
    from tui_billing.store.models import Outbox

    config = tmp_path / "config.toml"
    config.write_text(
        '[smtp]\nhost = "127.0.0.1"\nport = 9\nsecurity = "none"\n'
        'sender = "fatture@example.com"\n[billing]\nemail = true\n'
    )
    contracts = [_contract(f"K-{i:02d}", f"C-{i:02d}") for i in range(3)]
    doc = _document(contracts)
    for customer in doc["customers"]:
        customer["email"] = f"{customer['code'].lower()}@example.com"
    cli("import", write_document(tmp_path / "d.json", doc))
    real = copies.queue_copies

    def queue_then_fail(db, invoice_ids):
        real(db, invoice_ids)
        if any(Invoice.get_by_id(i).customer.code == "C-01" for i in invoice_ids):
            raise RuntimeError("disk full")
        return len(invoice_ids)

    monkeypatch.setattr(copies, "queue_copies", queue_then_fail)
    result = cli("--config", str(config), "run", "--date", "2024-01-31", "--json")
    report = result.json()
    assert [f["contract"] for f in report["failed"]] == ["K-01"]
    assert report["failed"][0]["error"] == "disk full"
    queued = {o.invoice.customer.code for o in Outbox.select()}
    invoiced = {i.customer.code for i in Invoice.select()}
    assert invoiced == queued == {"C-00", "C-02"}
    assert_exactly_once_and_gapless()
