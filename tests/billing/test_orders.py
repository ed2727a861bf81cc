"""Orders end to end on SQLite and PostgreSQL: partial (D1), down-payment (D2), installment
(D3) and final invoices, amounts to the cent, states and locks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.support.orders import MIXED, THOUSAND, order_document
from tui_billing.billing.due import list_due
from tui_billing.billing.invoice_views import list_invoices
from tui_billing.billing.order_views import order_view
from tui_billing.billing.orders import (
    down_payment_invoice,
    final_invoice,
    installment_plan,
    partial_invoice,
    set_order_status,
)
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Installment, Invoice, InvoiceLine, Order, OrderLine


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def by_rate(invoice: dict) -> dict[str, str]:
    sums: dict[str, Decimal] = {}
    for li in invoice["lines"]:
        sums[li["vat_rate"]] = sums.get(li["vat_rate"], Decimal(0)) + Decimal(li["amount"])
    return {rate: f"{amount:.2f}" for rate, amount in sorted(sums.items())}


def snapshot() -> tuple:
    return (
        Invoice.select().count(),
        InvoiceLine.select().count(),
        Installment.select().count(),
        sorted((o.code, o.status) for o in Order.select()),
        sorted((li.id, li.locked, li.description) for li in OrderLine.select()),
    )


def test_partial_invoices_lock_lines_and_the_final_bills_the_rest(db):
    import_data(db, order_document(MIXED))
    first = partial_invoice(db, "O-MIX", date=d("2024-05-10"), due=d("2024-06-30"))
    [inv] = first.invoices
    assert (inv["number"], inv["taxable"], inv["vat"], inv["total"], inv["due_date"]) == (
        "A/2024/0001",
        "1000.00",
        "196.00",
        "1196.00",
        "2024-06-30",
    )
    assert Invoice.get_by_id(inv["id"]).kind == "partial"
    assert first.order.status == "draft"  # open for more lines
    assert all(li.locked for li in OrderLine.select())
    assert {li.order_line_id for li in InvoiceLine.select()} == {li.id for li in OrderLine.select()}

    # nothing left: neither a partial nor a final invoice
    before = snapshot()
    with pytest.raises(UserError, match="no lines left"):
        partial_invoice(db, "O-MIX", date=d("2024-05-11"))
    with pytest.raises(UserError, match="nothing left to invoice"):
        final_invoice(db, "O-MIX", date=d("2024-05-11"))
    assert snapshot() == before

    OrderLine.create(
        order=Order.get(code="O-MIX"),
        position=2,
        description="Extra",
        quantity=Decimal("3"),
        unit_price=Decimal("33.333"),
        vat_rate=Decimal("4.00"),
    )
    final = final_invoice(db, "O-MIX", date=d("2024-06-01"))
    [inv] = final.invoices
    assert [li["description"] for li in inv["lines"]] == ["Extra"]
    assert (inv["number"], inv["taxable"], inv["vat"], inv["total"]) == (
        "A/2024/0002",
        "100.00",
        "4.00",
        "104.00",
    )  # 3 x 33.333 = 99.999 -> 100.00
    assert inv["due_date"] == "2024-07-01"  # the customer's 30 days
    assert Invoice.get_by_id(inv["id"]).kind == "final"
    view = order_view("O-MIX")
    assert (view.status, view.total, view.invoiced, view.remaining) == (
        "completed",
        Decimal("1100.00"),
        Decimal("1100.00"),
        Decimal("0.00"),
    )
    assert [(i.number, i.kind) for i in view.invoices] == [
        ("A/2024/0001", "partial"),
        ("A/2024/0002", "final"),
    ]
    assert [i["number"] for i in list_invoices(order="O-MIX")] == ["A/2024/0001", "A/2024/0002"]


def test_down_payments_at_mixed_rates_are_deducted_rate_by_rate(db):
    import_data(db, order_document(MIXED))  # 800.00 at 22%, 200.00 at 10%
    first = down_payment_invoice(db, "O-MIX", date=d("2024-05-10"), percent="30")
    [dp1] = first.invoices
    assert by_rate(dp1) == {"10.00": "60.00", "22.00": "240.00"}
    assert (dp1["taxable"], dp1["vat"], dp1["total"]) == ("300.00", "58.80", "358.80")
    assert first.order.status == "in_progress"
    assert not any(li.locked for li in OrderLine.select())

    second = down_payment_invoice(db, "O-MIX", date=d("2024-05-20"), amount="100.01")
    [dp2] = second.invoices
    # shared 560 : 140 of what is left; the odd cent to the larger remainder
    assert by_rate(dp2) == {"10.00": "20.00", "22.00": "80.01"}
    assert (dp2["vat"], dp2["total"]) == ("19.60", "119.61")  # 17.6022 + 2.00

    before = snapshot()
    with pytest.raises(UserError, match=r"more than what is left .* \(599\.99\)") as exc:
        down_payment_invoice(db, "O-MIX", date=d("2024-05-21"), amount="600.00")
    assert exc.value.path == "--amount"
    assert snapshot() == before

    final = final_invoice(db, "O-MIX", date=d("2024-06-01"), due=d("2024-06-15"))
    [inv] = final.invoices
    assert [(li["description"], li["amount"], li["vat_rate"]) for li in inv["lines"]] == [
        ("Voce 1", "800.00", "22.00"),
        ("Voce 2", "200.00", "10.00"),
        ("Storno acconto fattura N. A/2024/0001 del 10/05/2024 - IVA 22%", "-240.00", "22.00"),
        ("Storno acconto fattura N. A/2024/0001 del 10/05/2024 - IVA 10%", "-60.00", "10.00"),
        ("Storno acconto fattura N. A/2024/0002 del 20/05/2024 - IVA 22%", "-80.01", "22.00"),
        ("Storno acconto fattura N. A/2024/0002 del 20/05/2024 - IVA 10%", "-20.00", "10.00"),
    ]
    assert by_rate(inv) == {"10.00": "120.00", "22.00": "479.99"}
    assert (inv["taxable"], inv["vat"], inv["total"]) == ("599.99", "117.60", "717.59")
    view = order_view("O-MIX")
    assert (view.status, view.invoiced, view.remaining) == (
        "completed",
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    # the VAT charged on the down payments is returned: over the order, exactly the rates'
    vat = sum(
        (i.vat for i in Invoice.select().where(Invoice.order == Order.get(code="O-MIX"))),
        Decimal(0),
    )
    assert vat == Decimal("196.00")


def test_a_down_payment_never_exceeds_the_order_total(db):
    import_data(db, order_document(MIXED))
    before = snapshot()
    for kwargs, match in (
        ({"amount": "1000.01"}, "more than what is left"),
        ({"percent": "100.5"}, "at most 100"),
        ({"amount": "0"}, "more than zero"),
        ({"amount": "-5"}, "must not be negative"),
        ({"amount": "12.345"}, "more than 2 decimals"),
        ({"amount": "10", "percent": "5"}, "either"),
    ):
        with pytest.raises(UserError, match=match):
            down_payment_invoice(db, "O-MIX", date=d("2024-05-10"), **kwargs)
    assert snapshot() == before
    whole = down_payment_invoice(db, "O-MIX", date=d("2024-05-10"), percent="100")
    assert whole.invoices[0]["taxable"] == "1000.00"
    with pytest.raises(UserError, match=r"more than what is left .* \(0\.00\)"):
        down_payment_invoice(db, "O-MIX", date=d("2024-05-11"), amount="0.01")
    # a final invoice still settles the order: lines less the 100 % down payment
    final = final_invoice(db, "O-MIX", date=d("2024-05-12"))
    assert (final.invoices[0]["taxable"], final.invoices[0]["total"]) == ("0.00", "0.00")
    assert final.order.status == "completed"


def test_installments_issued_now_split_the_total_exactly(db):
    import_data(db, order_document(THOUSAND))
    result = installment_plan(
        db, "O-1000", count=3, start=d("2024-07-01"), frequency="monthly", issue_now=True
    )
    invoices = result.invoices
    assert [
        (i["number"], i["date"], i["due_date"], i["taxable"], i["vat"], i["total"])
        for i in invoices
    ] == [
        ("A/2024/0001", "2024-07-01", "2024-07-31", "333.33", "73.33", "406.66"),
        ("A/2024/0002", "2024-07-01", "2024-08-31", "333.33", "73.33", "406.66"),
        ("A/2024/0003", "2024-07-01", "2024-10-01", "333.34", "73.33", "406.67"),
    ]
    kinds = [Invoice.get_by_id(i["id"]).kind for i in invoices]
    assert kinds == ["installment", "installment", "final"]
    assert [li["description"] for li in invoices[2]["lines"]] == [
        "Voce 1",
        "Storno rata 1 di 3",
        "Storno rata 2 di 3",
    ]
    assert result.scheduled == []
    view = order_view("O-1000")
    assert (view.status, view.invoiced, view.remaining) == (
        "completed",
        Decimal("1000.00"),
        Decimal("0.00"),
    )
    assert all(li.locked for li in OrderLine.select())


def test_scheduled_installments_come_due_and_the_run_bills_them(db):
    import_data(
        db,
        order_document(
            {
                "code": "O-PLAN",
                "status": "shipped",
                "lines": [("1", "700.00", "22.00"), ("1", "300.00", "10.00")],
            }
        ),
    )
    result = installment_plan(db, "O-PLAN", count=3, start=d("2024-07-15"), frequency="monthly")
    assert result.invoices == []
    assert [(s["invoice_date"], s["amount"]) for s in result.scheduled] == [
        ("2024-07-15", "333.33"),
        ("2024-08-15", "333.33"),
        ("2024-09-15", "333.34"),
    ]
    assert result.order.status == "shipped" and result.order.scheduled_amount == Decimal("1000")
    assert [(r.order, r.amount) for r in list_due(db, d("2024-08-15"))] == [
        ("O-PLAN", Decimal("333.33")),
        ("O-PLAN", Decimal("333.33")),
    ]
    before = snapshot()
    with pytest.raises(UserError, match="installments scheduled"):
        final_invoice(db, "O-PLAN", date=d("2024-08-01"))
    with pytest.raises(UserError, match="installments scheduled"):
        installment_plan(db, "O-PLAN", count=2, start=d("2024-08-01"), frequency="monthly")
    assert snapshot() == before

    config = Config()
    for day in ("2024-07-15", "2024-08-15", "2024-08-20"):
        run_billing(db, RunOptions(d(day), email=False), config)
    assert order_view("O-PLAN").status == "shipped"
    assert Invoice.select().count() == 2
    report = run_billing(db, RunOptions(d("2024-09-15"), email=False), config)
    assert len(report.invoices) == 1
    invoices = list_invoices(order="O-PLAN")
    assert [(i["number"], i["date"], i["taxable"]) for i in invoices] == [
        ("A/2024/0001", "2024-07-15", "333.33"),
        ("A/2024/0002", "2024-08-15", "333.33"),
        ("A/2024/0003", "2024-09-15", "333.34"),
    ]
    # every rate is billed exactly once over the plan
    totals: dict[str, Decimal] = {}
    for inv in invoices:
        for rate, amount in by_rate(inv).items():
            totals[rate] = totals.get(rate, Decimal(0)) + Decimal(amount)
    assert totals == {"10.00": Decimal("300.00"), "22.00": Decimal("700.00")}
    assert by_rate(invoices[0]) == {"10.00": "100.00", "22.00": "233.33"}
    view = order_view("O-PLAN")
    assert (view.status, view.invoiced, view.scheduled_amount) == (
        "completed",
        Decimal("1000.00"),
        Decimal("0"),
    )
    assert Invoice.get_by_id(invoices[2]["id"]).kind == "final"
    # a rerun bills nothing twice
    assert run_billing(db, RunOptions(d("2024-09-15"), email=False), config).invoices == []


def test_operations_in_the_wrong_state_or_bad_input_change_nothing(db):
    import_data(
        db,
        order_document(
            MIXED,
            THOUSAND,
            {"code": "O-DONE", "status": "completed", "lines": [("1", "5", "22")]},
            {"code": "O-OFF", "status": "cancelled", "lines": [("1", "5", "22")]},
            {"code": "O-EMPTY", "status": "shipped", "lines": []},
        ),
    )
    before = snapshot()
    day = d("2024-06-01")
    cases = [
        (lambda: partial_invoice(db, "O-1000", date=day), "is shipped: a partial invoice"),
        (lambda: partial_invoice(db, "O-DONE", date=day), "is completed"),
        (lambda: down_payment_invoice(db, "O-1000", date=day, amount="1"), "is shipped"),
        (lambda: down_payment_invoice(db, "O-OFF", date=day, amount="1"), "is cancelled"),
        (
            lambda: installment_plan(db, "O-MIX", count=2, start=day, frequency="monthly"),
            "is draft: installment invoices can only be made from an order that is shipped",
        ),
        (lambda: final_invoice(db, "O-DONE", date=day), "is completed"),
        (lambda: final_invoice(db, "O-OFF", date=day), "is cancelled"),
        (lambda: final_invoice(db, "O-NONE", date=day), "unknown order 'O-NONE'"),
        (
            lambda: installment_plan(db, "O-1000", count=0, start=day, frequency="monthly"),
            "between 1 and",
        ),
        (
            lambda: installment_plan(db, "O-1000", count=-2, start=day, frequency="monthly"),
            "between 1 and",
        ),
        (
            lambda: installment_plan(db, "O-1000", count=3, start=day, frequency="often"),
            "unknown frequency",
        ),
        (
            lambda: installment_plan(db, "O-EMPTY", count=3, start=day, frequency="monthly"),
            "nothing left to invoice",
        ),
        (lambda: final_invoice(db, "O-EMPTY", date=day), "nothing left to invoice"),
        (
            lambda: partial_invoice(db, "O-MIX", date=day, due=d("2024-05-31")),
            "before the invoice date",
        ),
    ]
    for call, match in cases:
        with pytest.raises(UserError, match=match):
            call()
    assert snapshot() == before


def test_state_changes_by_hand(db):
    import_data(db, order_document(MIXED))
    assert set_order_status(db, "O-MIX", "shipped").status == "shipped"
    assert set_order_status(db, "O-MIX", "draft").status == "draft"
    partial_invoice(db, "O-MIX", date=d("2024-05-10"))
    with pytest.raises(UserError, match="has invoices"):
        set_order_status(db, "O-MIX", "cancelled")
    with pytest.raises(UserError, match="cannot become completed"):
        set_order_status(db, "O-MIX", "completed")
    assert Order.get(code="O-MIX").status == "draft"
    import_data(db, order_document(THOUSAND))
    installment_plan(db, "O-1000", count=2, start=d("2024-07-01"), frequency="monthly")
    with pytest.raises(UserError, match="has installments scheduled"):
        set_order_status(db, "O-1000", "cancelled")
    assert Order.get(code="O-1000").status == "shipped"


def test_a_final_draft_deleted_returns_the_plan_to_shipped(db):
    from tui_billing.billing.drafts import delete_draft, issue_draft

    import_data(db, order_document(THOUSAND))
    installment_plan(db, "O-1000", count=2, start=d("2024-07-01"), frequency="monthly")
    config = Config()
    run_billing(db, RunOptions(d("2024-08-01"), status="draft", email=False), config)
    final = Invoice.get(Invoice.kind == "final")
    assert (final.status, final.number, order_view("O-1000").status) == ("draft", None, "completed")
    assert delete_draft(db, final.id) == 1
    assert order_view("O-1000").status == "shipped"
    assert all(li.locked for li in OrderLine.select())  # still committed to the plan
    assert [r.amount for r in list_due(db, d("2024-08-01"))] == [Decimal("500.00")]
    report = run_billing(db, RunOptions(d("2024-08-01"), status="draft", email=False), config)
    [again] = report.invoices
    assert issue_draft(db, again.id) == "A/2024/0001"
    view = order_view("O-1000")
    assert (view.status, view.invoiced) == ("completed", Decimal("1000.00"))  # drafts count
