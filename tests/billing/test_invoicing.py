"""Creating invoices from installments: amounts, VAT per rate, grouping, drafts, due dates.
Every test runs on SQLite and on PostgreSQL (the ``db`` fixture)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.billing.invoice_fixtures import contract, customer, d, installment, line
from tui_billing.billing.drafts import delete_draft
from tui_billing.billing.invoice_views import invoice_json, list_invoices
from tui_billing.billing.invoicing import create_invoices
from tui_billing.domain.errors import UserError
from tui_billing.domain.vat import vat_summary
from tui_billing.store.models import Installment, Invoice, InvoiceLine


def ids(*installments):
    return [i.id for i in installments]


def test_lines_rounded_half_up_then_vat_once_per_rate(db):
    k = contract("K-001", customer())
    inst = installment(
        k,
        "2024-07-01",
        line("10.005", key="a"),
        line("10.005", key="b"),
        line("10.005", key="c"),  # 3 x 10.01
        line("1.125", vat_rate="4.00", key="d"),  # 1.13 (half even would say 1.12)
        line("0.25", vat_rate="10.00", key="e"),  # VAT 0.025 -> 0.03
    )
    [created] = create_invoices(db, [inst.id])
    # 22%: 30.03 -> 6.6066 -> 6.61 (line by line it would be 3 x 2.20 = 6.60)
    # 4%: 1.13 -> 0.0452 -> 0.05; 10%: 0.25 -> 0.025 -> 0.03
    assert (created.taxable, created.vat, created.total) == (
        Decimal("31.41"),
        Decimal("6.69"),
        Decimal("38.10"),
    )
    stored = Invoice.get_by_id(created.id)
    assert (stored.taxable, stored.vat, stored.total) == (
        Decimal("31.41"),
        Decimal("6.69"),
        Decimal("38.10"),
    )
    assert stored.taxable + stored.vat == stored.total
    amounts = [li.amount for li in InvoiceLine.select().order_by(InvoiceLine.position)]
    assert amounts == [Decimal("10.01")] * 3 + [Decimal("1.13"), Decimal("0.25")]
    assert vat_summary((li.amount, li.vat_rate) for li in InvoiceLine.select()) == [
        (Decimal("4.00"), Decimal("1.13"), Decimal("0.05")),
        (Decimal("10.00"), Decimal("0.25"), Decimal("0.03")),
        (Decimal("22.00"), Decimal("30.03"), Decimal("6.61")),
    ]
    shown = invoice_json(created.id)
    assert (shown["taxable"], shown["vat"], shown["total"]) == ("31.41", "6.69", "38.10")


def test_vat_half_up_on_the_rate_sum_and_negative_lines(db):
    k = contract("K-001", customer())
    inst = installment(
        k,
        "2024-07-01",
        line("0.50", key="a"),
        line("0.25", key="b"),
        line("-0.10", description="Discount", key="c"),
    )
    [created] = create_invoices(db, [inst.id])
    # 22% of 0.65 = 0.143 -> 0.14; 0.75 alone would give 0.165 -> 0.17
    assert (created.taxable, created.vat, created.total) == (
        Decimal("0.65"),
        Decimal("0.14"),
        Decimal("0.79"),
    )
    inst2 = installment(k, "2024-08-01", line("0.75"))
    [second] = create_invoices(db, [inst2.id])
    assert (second.vat, second.total) == (Decimal("0.17"), Decimal("0.92"))


def test_default_grouping_one_invoice_per_contract_and_date(db):
    acme = customer()
    k1, k2 = contract("K-001", acme), contract("K-002", acme)
    a = installment(k1, "2024-07-01", start="2024-07-01", end="2024-07-31")
    b = installment(k1, "2024-07-01", line("200.00", description="Setup"))  # one-off, same day
    c = installment(k2, "2024-07-01")
    e = installment(k1, "2024-08-01", start="2024-08-01", end="2024-08-31")
    created = create_invoices(db, ids(e, c, b, a))
    assert [(x.date, x.contracts, x.installments) for x in created] == [
        (d("2024-07-01"), ("K-001",), 2),
        (d("2024-07-01"), ("K-002",), 1),
        (d("2024-08-01"), ("K-001",), 1),
    ]
    assert all(x.status == "draft" and x.number is None for x in created)
    first = invoice_json(created[0].id)
    # lines ordered by contract, then period start: the one-off first
    assert [li["installment"] for li in first["lines"]] == [str(b.id), str(a.id)]
    assert [li["period_start"] for li in first["lines"]] == [None, "2024-07-01"]


def test_collective_billing_one_invoice_per_customer_date_series_and_type(db):
    acme = customer("ACME", collective_billing=True)
    beta = customer("BETA")
    k1, k2 = contract("K-001", acme), contract("K-002", acme)
    k3 = contract("K-003", acme, series="B")
    k4 = contract("K-004", acme, document_type="proforma")
    k5 = contract("K-005", beta)
    same_day = [installment(k, "2024-07-01") for k in (k1, k2, k3, k4, k5)]
    later = installment(k2, "2024-08-01")
    created = create_invoices(db, ids(*same_day, later))
    summary = sorted(
        (x.customer, x.date.isoformat(), x.series, x.document_type, x.contracts) for x in created
    )
    assert summary == [
        ("ACME", "2024-07-01", "A", "invoice", ("K-001", "K-002")),
        ("ACME", "2024-07-01", "A", "proforma", ("K-004",)),
        ("ACME", "2024-07-01", "B", "invoice", ("K-003",)),
        ("ACME", "2024-08-01", "A", "invoice", ("K-002",)),
        ("BETA", "2024-07-01", "A", "invoice", ("K-005",)),
    ]
    both = next(x for x in created if x.contracts == ("K-001", "K-002"))
    assert both.installments == 2 and both.total == Decimal("244.00")
    assert invoice_json(both.id)["contracts"] == ["K-001", "K-002"]


def test_caller_chooses_date_series_and_document_type(db):
    acme = customer(payment_terms_days=60)
    k = contract("K-001", acme)
    a = installment(k, "2024-07-01")
    b = installment(k, "2024-08-01")
    [created] = create_invoices(
        db, ids(a, b), invoice_date=d("2024-09-15"), series="Z", document_type="pro-forma"
    )
    assert (created.date, created.due_date, created.series, created.document_type) == (
        d("2024-09-15"),
        d("2024-11-14"),
        "Z",
        "proforma",
    )
    assert created.installments == 2


def test_due_date_from_customer_payment_terms(db):
    k1 = contract("K-001", customer("ACME", payment_terms_days=30))
    k2 = contract("K-002", customer("BETA", payment_terms_days=0))
    k3 = contract("K-003", customer("GAMMA", payment_terms_days=90))
    created = create_invoices(
        db,
        ids(
            installment(k1, "2024-01-31"),
            installment(k2, "2024-02-29"),
            installment(k3, "2024-12-15"),
        ),
    )
    assert [(x.customer, x.due_date) for x in created] == [
        ("ACME", d("2024-03-01")),
        ("BETA", d("2024-02-29")),
        ("GAMMA", d("2025-03-15")),
    ]
    assert [Invoice.get_by_id(x.id).due_date for x in created] == [x.due_date for x in created]


def test_lines_carry_period_installment_contract_and_cost_centre(db):
    k = contract("K-001", customer(), cost_centre="CC-42")
    inst = installment(
        k,
        "2024-07-01",
        line(
            "150.00",
            start="2024-07-01",
            end="2024-09-30",
            unit_price="50.00",
            description="Maintenance - period 01/07/2024-30/09/2024",
        ),
        line(
            "20.00",
            description="Support",
            vat_rate="10.00",
            key="2",
            quantity="2",
            unit_price="10.00",
        ),
    )
    [created] = create_invoices(db, [inst.id])
    rows = list(InvoiceLine.select().order_by(InvoiceLine.position))
    assert [(r.installment_id, r.installment_line, r.contract_id, r.cost_centre) for r in rows] == [
        (inst.id, 0, k.id, "CC-42"),
        (inst.id, 1, k.id, "CC-42"),
    ]
    assert (rows[0].period_start, rows[0].period_end) == (d("2024-07-01"), d("2024-09-30"))
    assert (rows[1].quantity, rows[1].unit_price) == (Decimal("2"), Decimal("10"))
    stored = Installment.get_by_id(inst.id)
    assert (stored.status, stored.invoice_id) == ("invoiced", created.id)


def test_append_to_newest_draft_of_same_customer_series_and_type(db):
    acme = customer("ACME", payment_terms_days=30)
    k1, k2 = contract("K-001", acme), contract("K-002", acme)
    kb = contract("K-B", acme, series="B")
    [old] = create_invoices(db, [installment(k1, "2024-06-01").id])
    [newest] = create_invoices(db, [installment(k1, "2024-07-01", line("10.00")).id])
    [other_series] = create_invoices(db, [installment(kb, "2024-07-01").id])
    a = installment(k2, "2024-08-01", line("0.75"))
    b = installment(k1, "2024-09-01", line("0.50", vat_rate="10.00"))
    c = installment(kb, "2024-09-01")
    created = create_invoices(db, ids(a, b, c), append_to_draft=True)
    assert sorted((x.id, x.appended, x.installments) for x in created) == [
        (newest.id, True, 2),
        (other_series.id, True, 1),
    ]
    merged = invoice_json(newest.id)
    assert merged["date"] == "2024-07-01" and merged["due_date"] == "2024-07-31"  # kept
    assert [li["amount"] for li in merged["lines"]] == ["10.00", "0.50", "0.75"]
    # 22%: 10.75 -> 2.365 -> 2.37; 10%: 0.50 -> 0.05
    assert (merged["taxable"], merged["vat"], merged["total"]) == ("11.25", "2.42", "13.67")
    assert merged["contracts"] == ["K-001", "K-002"]
    assert invoice_json(old.id)["total"] == "122.00"  # the older draft is untouched
    positions = [
        r.position
        for r in InvoiceLine.select()
        .where(InvoiceLine.invoice == newest.id)
        .order_by(InvoiceLine.position)
    ]
    assert positions == [1, 2, 3]
    # without a draft to go on, a new invoice is made
    beta = contract("K-BETA", customer("BETA"))
    [fresh] = create_invoices(db, [installment(beta, "2024-09-01").id], append_to_draft=True)
    assert not fresh.appended and fresh.id not in (old.id, newest.id, other_series.id)


def test_append_to_draft_and_issue_numbers_the_draft(db):
    k = contract("K-001", customer())
    [draft] = create_invoices(db, [installment(k, "2024-07-01").id])
    [issued] = create_invoices(
        db, [installment(k, "2024-08-01").id], append_to_draft=True, status="issued"
    )
    assert issued.id == draft.id and issued.appended
    assert issued.number == "A/2024/0001" and issued.total == Decimal("244.00")
    assert Invoice.get_by_id(draft.id).status == "issued"


def test_refusals_write_nothing(db):
    k = contract("K-001", customer())
    a, b = installment(k, "2024-07-01"), installment(k, "2024-08-01")
    [first] = create_invoices(db, [a.id], status="issued")
    before = list_invoices()
    with pytest.raises(
        UserError,
        match=rf"already invoiced: installment {a.id} \(K-001 "
        r"2024-07-01, on A/2024/0001\)",
    ):
        create_invoices(db, [b.id, a.id])
    with pytest.raises(UserError, match="no such installment: 999999"):
        create_invoices(db, [b.id, 999999])
    with pytest.raises(UserError, match="unknown status"):
        create_invoices(db, [b.id], status="posted")
    with pytest.raises(UserError, match="unknown document type"):
        create_invoices(db, [b.id], document_type="receipt")
    with pytest.raises(UserError, match="not an installment id"):
        create_invoices(db, [b.id, "x"])
    with pytest.raises(UserError, match="no installments"):
        create_invoices(db, [])
    assert list_invoices() == before
    assert Installment.get_by_id(b.id).status == "pending"
    assert first.number == "A/2024/0001"


def test_installment_of_a_contract_without_customer_is_refused(db):
    k = contract("K-001", customer())
    k.customer = None
    k.save()
    inst = installment(k, "2024-07-01")
    with pytest.raises(UserError, match="no customer"):
        create_invoices(db, [inst.id])
    assert Invoice.select().count() == 0


def test_delete_draft_frees_its_installments(db):
    k = contract("K-001", customer())
    a, b = installment(k, "2024-07-01"), installment(k, "2024-07-01", line("5.00"))
    [draft] = create_invoices(db, ids(a, b))
    assert delete_draft(db, draft.id) == 2
    assert Invoice.select().count() == 0 and InvoiceLine.select().count() == 0
    assert {(i.status, i.invoice_id) for i in Installment.select()} == {("pending", None)}
    [again] = create_invoices(db, ids(a, b), status="issued")
    assert again.number == "A/2024/0001"
    with pytest.raises(UserError, match="only drafts"):
        delete_draft(db, again.id)
    with pytest.raises(UserError, match="no such invoice"):
        delete_draft(db, 424242)


def test_one_installment_line_on_two_invoices_is_refused_by_the_database(db):
    """The unique index (installment, installment_line) is the last line of defence."""
    from peewee import IntegrityError

    acme = customer()
    k = contract("K-001", acme)
    inst = installment(k, "2024-07-01")
    p = db.param
    invoice_sql = (
        f"INSERT INTO invoice (series, status, document_type, kind, date, customer_id,"
        f" language, taxable, vat, total, created_at) VALUES ('A', 'draft', 'invoice',"
        f" 'regular', {p}, {p}, 'it', 0, 0, 0, {p})"
    )
    line_sql = (
        f"INSERT INTO invoice_line (invoice_id, position, description, installment_id,"
        f" installment_line, quantity, unit_price, amount, vat_rate) VALUES"
        f" ({p}, 1, 'x', {p}, 0, 10000, 10000, 100, 2200)"
    )
    with db.atomic():
        db.execute_sql(invoice_sql, ("2024-07-01", acme.id, "2024-07-01 00:00:00"))
        db.execute_sql(invoice_sql, ("2024-07-01", acme.id, "2024-07-01 00:00:00"))
    first_id, second_id = [i.id for i in Invoice.select().order_by(Invoice.id)]
    db.execute_sql(line_sql, (first_id, inst.id))
    with pytest.raises(IntegrityError), db.atomic():
        db.execute_sql(line_sql, (second_id, inst.id))
    assert InvoiceLine.select().count() == 1


def test_an_orders_installments_are_invoiced_per_order(db):
    import json

    from tui_billing.store.models import Order

    acme = customer("ACME", collective_billing=True)
    order = Order.create(code="O-1", customer=acme, date=d("2024-05-02"), series="B")
    inst = Installment.create(
        order=order,
        key="1",
        invoice_date=d("2024-06-01"),
        amount=Decimal("500.00"),
        lines=json.dumps([line("500.00", description="Installment 1/2")]),
    )
    k = contract("K-001", acme, series="B")
    other = installment(k, "2024-06-01")
    created = create_invoices(db, [inst.id, other.id])
    assert len(created) == 2  # an order's installments never share an invoice with a contract
    of_order = list_invoices(order="O-1")
    assert [(i["orders"], i["contracts"], i["series"], i["total"]) for i in of_order] == [
        (["O-1"], [], "B", "610.00")
    ]
    stored = Invoice.get_by_id(of_order[0]["id"])
    assert (stored.order_id, stored.kind) == (order.id, "installment")
