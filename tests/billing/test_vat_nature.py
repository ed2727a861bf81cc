"""Lines with a VAT nature (N1, out of VAT scope): how installments store them, how invoices
total them, and the upgrade of a database from before them (version 13). On SQLite and
PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.billing.invoice_fixtures import contract, customer, installment, line
from tui_billing.billing.invoicing import create_invoices
from tui_billing.domain.errors import UserError
from tui_billing.domain.installments import InstallmentLine
from tui_billing.domain.stored_lines import encode_lines
from tui_billing.domain.vat import vat_summary_rows
from tui_billing.store.database import open_database
from tui_billing.store.models import Installment, Invoice, InvoiceLine, SchemaVersion


def _n1(amount: str, key: str) -> dict:
    return {
        **line(amount, description="Interessi di mora", vat_rate="0.00", key=key),
        "vat_nature": "N1",
    }


def test_only_lines_with_a_nature_store_one():
    day = dt.date(2025, 7, 1)
    ordinary = InstallmentLine(
        "7", "Canone", day, day, Decimal(1), Decimal("1000.00"), Decimal("1000.00"), Decimal("22")
    )
    fee = InstallmentLine(
        "late-fee:3",
        "Spese",
        None,
        None,
        Decimal(1),
        Decimal("40.00"),
        Decimal("40.00"),
        Decimal("0.00"),
        "N1",
    )
    assert encode_lines([ordinary]) == (
        '[{"line":"7","description":"Canone","period_start":"2025-07-01",'
        '"period_end":"2025-07-01","quantity":"1","unit_price":"1000.00",'
        '"amount":"1000.00","vat_rate":"22.00"}]'
    )
    stored = json.loads(encode_lines([ordinary, fee]))
    assert [li.get("vat_nature") for li in stored] == [None, "N1"]
    assert "vat_nature" not in stored[0]
    assert stored[1] == {
        "line": "late-fee:3",
        "description": "Spese",
        "period_start": None,
        "period_end": None,
        "quantity": "1",
        "unit_price": "40.00",
        "amount": "40.00",
        "vat_rate": "0.00",
        "vat_nature": "N1",
    }


def test_summary_rows_put_a_nature_after_the_rates_without_vat():
    rows = vat_summary_rows(
        [
            (Decimal("100.00"), Decimal("22"), None),
            (Decimal("12.34"), Decimal("0"), "N1"),
            (Decimal("50.00"), Decimal("10"), None),
            (Decimal("40.00"), Decimal("0"), "N1"),
        ]
    )
    assert rows == [
        (Decimal("10.00"), None, Decimal("50.00"), Decimal("5.00")),
        (Decimal("22.00"), None, Decimal("100.00"), Decimal("22.00")),
        (Decimal("0.00"), "N1", Decimal("52.34"), Decimal("0.00")),
    ]


def test_out_of_scope_lines_are_in_the_total_not_in_the_taxable(db):
    k = contract("K-1", customer())
    inst = installment(
        k,
        "2025-07-01",
        line("1000.005", key="a"),  # 1000.01
        line("0.05", vat_rate="10.00", key="b"),  # VAT 0.005 -> 0.01
        _n1("22.705", "late-interest:1"),
        _n1("40.00", "late-fee:1"),
    )
    [created] = create_invoices(db, [inst.id], status="issued")
    # taxable 1000.01 + 0.05; VAT 220.0022 -> 220.00 and 0.01; out of scope 22.71 + 40.00
    expected = (Decimal("1000.06"), Decimal("220.01"), Decimal("62.71"), Decimal("1282.78"))
    assert (created.taxable, created.vat, created.out_of_scope, created.total) == expected
    stored = Invoice.get_by_id(created.id)
    assert (stored.taxable, stored.vat, stored.total) == (expected[0], expected[1], expected[3])
    assert [li.vat_nature for li in InvoiceLine.select().order_by(InvoiceLine.position)] == [
        None,
        None,
        "N1",
        "N1",
    ]


def test_an_unknown_nature_is_refused_and_nothing_written(db):
    k = contract("K-1", customer())
    inst = installment(
        k,
        "2025-07-01",
        line("10.00"),
        {**line("5.00", vat_rate="0.00", key="x"), "vat_nature": "N9"},
    )
    with pytest.raises(UserError, match="unknown VAT nature 'N9'") as raised:
        create_invoices(db, [inst.id])
    assert raised.value.path == "installment line: vat_nature"
    assert Invoice.select().count() == 0
    assert Installment.get_by_id(inst.id).status == "pending"


def _strip_natures(db) -> None:
    """Take the database back to version 12: no nature anywhere, and taxable bases that
    count every line, as the invoices were written then."""
    p = db.param
    for iid, text in db.execute_sql("SELECT id, lines FROM installment").fetchall():
        lines = [{k: v for k, v in li.items() if k != "vat_nature"} for li in json.loads(text)]
        db.execute_sql(
            f"UPDATE installment SET lines = {p} WHERE id = {p}", (json.dumps(lines), iid)
        )
    db.execute_sql(
        "UPDATE invoice SET taxable = (SELECT SUM(amount) FROM invoice_line"
        " WHERE invoice_id = invoice.id)"
    )
    db.execute_sql('ALTER TABLE "invoice_line" DROP COLUMN "vat_nature"')
    db.execute_sql("DELETE FROM schema_version WHERE version = 13")
    # the later ones stay applied, as if upgraded to one by one
    db.execute_sql("UPDATE schema_version SET description = 'upgraded' WHERE version > 13")


def test_upgrade_puts_the_charges_not_issued_yet_out_of_vat_scope(db, db_target):
    k = contract("K-1", customer())

    def charged(day: str, n: int) -> Installment:
        return installment(
            k,
            day,
            line("100.00", key="7"),
            _n1("12.34", f"late-interest:{n}"),
            _n1("40.00", f"late-fee:{n}"),
        )

    issued, drafted, pending = (
        charged("2025-01-01", 1),
        charged("2025-04-01", 2),
        charged("2025-07-01", 3),
    )
    create_invoices(db, [issued.id], status="issued")
    create_invoices(db, [drafted.id])
    with db.atomic():
        _strip_natures(db)
    db.close()

    upgraded = open_database(db_target)
    try:
        assert 13 in {v for (v,) in SchemaVersion.select(SchemaVersion.version).tuples()}
        natures = {
            i.id: [li.get("vat_nature") for li in json.loads(i.lines)] for i in Installment.select()
        }
        assert natures == {
            issued.id: [None, None, None],
            drafted.id: [None, "N1", "N1"],
            pending.id: [None, "N1", "N1"],
        }
        assert '"vat_nature"' not in json.loads(Installment.get_by_id(pending.id).lines)[0]
        old, draft = Invoice.select().order_by(Invoice.id)
        # The issued invoice stays as it was issued; the draft's taxable drops the charges.
        assert (old.status, old.taxable, old.vat, old.total) == (
            "issued",
            Decimal("152.34"),
            Decimal("22.00"),
            Decimal("174.34"),
        )
        assert (draft.status, draft.taxable, draft.vat, draft.total) == (
            "draft",
            Decimal("100.00"),
            Decimal("22.00"),
            Decimal("174.34"),
        )
        lines = {(li.invoice_id, li.position): li.vat_nature for li in InvoiceLine.select()}
        assert lines == {
            (old.id, 1): None,
            (old.id, 2): None,
            (old.id, 3): None,
            (draft.id, 1): None,
            (draft.id, 2): "N1",
            (draft.id, 3): "N1",
        }
        # The pending installment now invoices its charges out of scope.
        [created] = create_invoices(upgraded, [pending.id], status="issued")
        assert (created.taxable, created.vat, created.out_of_scope, created.total) == (
            Decimal("100.00"),
            Decimal("22.00"),
            Decimal("52.34"),
            Decimal("174.34"),
        )
    finally:
        upgraded.close()
