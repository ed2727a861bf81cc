"""Editing contracts: validated whole, written whole or not at all, invoiced installments
never touched, pending ones recomputed; and the installment plan billed by materializing."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from tests.billing.contract_data import (
    TODAY,
    contract_id,
    contracts_document,
    installments,
    invoice_july,
    load,
)
from tui_billing.billing.contract_editing import (
    add_line,
    create_contract,
    current_record,
    remove_line,
    set_status,
    update_contract,
    update_line,
)
from tui_billing.billing.contract_views import (
    contract_detail,
    contract_schedule,
    list_contracts,
    preview_schedule,
)
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.materialize import materialize
from tui_billing.domain.billability import NOTHING_LEFT
from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_export import export_document
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Contract, ContractLine, Installment, Invoice

D = dt.date


def test_create_a_contract_with_two_lines(db):
    load(db)
    cid = create_contract(
        db,
        {
            "code": "K-010",
            "customer": "BIANCHI",
            "start_date": "2024-10-01",
            "frequency": "quarterly",
            "alignment": "calendar",
        },
    )
    add_line(
        db,
        cid,
        {
            "description": "Canone",
            "quantity": "1",
            "unit_price": "100.00",
            "vat_rate": "22",
            "recurring": True,
        },
    )
    add_line(db, cid, {"article": "MAN", "quantity": "2", "recurring": False})
    contract = Contract.get_by_id(cid)
    assert (contract.status, contract.customer.code, contract.alignment) == (
        "draft",
        "BIANCHI",
        "calendar",
    )
    lines = list(
        ContractLine.select().where(ContractLine.contract == cid).order_by(ContractLine.position)
    )
    assert [(li.description, li.unit_price, li.recurring, li.position) for li in lines] == [
        ("Canone", Decimal("100.0000"), True, 0),
        ("Manutenzione caldaia", Decimal("50.0000"), False, 1),  # from the article
    ]
    set_status(db, cid, "active")
    materialize(db, TODAY, [cid])
    # the price is per installment (no price period); the one-off is 2 x 50 on its own
    assert sorted(installments("K-010"), key=str) == [
        (None, D(2024, 10, 1), "100.00", "pending"),
        (D(2024, 10, 1), D(2024, 10, 1), "100.00", "pending"),
    ]
    update_contract(db, cid, {"one_off_with_first": True})
    materialize(db, TODAY, [cid])
    assert installments("K-010") == [(D(2024, 10, 1), D(2024, 10, 1), "200.00", "pending")]


def test_a_price_change_recomputes_pending_installments_and_never_invoiced_ones(db):
    load(db)
    cid = contract_id("K-001")
    invoice_july(db)
    line_id = current_record(cid)["lines"][0]["id"]
    revision = Contract.get_by_id(cid).revision

    assert update_line(db, cid, line_id, {"unit_price": "60.00"}) is True

    assert Contract.get_by_id(cid).revision == revision + 1
    materialize(db, TODAY, [cid])
    assert installments("K-001") == [
        (D(2024, 7, 1), D(2024, 7, 1), "150.00", "invoiced"),
        (D(2024, 10, 1), D(2024, 10, 1), "180.00", "pending"),
    ]
    assert Invoice.get().taxable == Decimal("150.00")


def test_bad_input_is_refused_and_changes_nothing(db):
    load(db)
    cid = contract_id("K-001")
    before = export_document()
    line_id = current_record(cid)["lines"][0]["id"]
    cases = [
        (
            lambda: update_contract(db, cid, {"start_date": "2024-02-30"}),
            "contract.start_date",
            "not a valid date",
        ),
        (
            lambda: update_contract(db, cid, {"end_date": "2024-01-01"}),
            "contract.end_date",
            "before",
        ),
        (
            lambda: update_contract(db, cid, {"installment_amount": "12,5x"}),
            "contract.installment_amount",
            "not a decimal",
        ),
        (
            lambda: update_contract(db, cid, {"customer": "NOBODY"}),
            "contract.customer",
            "unknown customer",
        ),
        (lambda: update_contract(db, cid, {"series": "Z"}), "contract.series", "unknown series"),
        (
            lambda: update_contract(db, cid, {"frequency": None}),
            "contract.lines[0].frequency",
            "needs a frequency",
        ),
        (
            lambda: update_line(db, cid, line_id, {"unit_price": "-5"}),
            "line.unit_price",
            "negative",
        ),
        (
            lambda: update_line(db, cid, line_id, {"valid_from": "32/01/2024"}),
            "line.valid_from",
            "not a valid date",
        ),
        (
            lambda: add_line(db, cid, {"description": "X", "unit_price": "abc", "vat_rate": "22"}),
            "line.unit_price",
            "not a decimal",
        ),
        (lambda: create_contract(db, {"code": "K-001"}), "contract.code", "exists already"),
        (lambda: set_status(db, contract_id("K-004"), "active"), "K-004.status", "no customer"),
        (
            lambda: set_status(db, cid, "closed") or set_status(db, cid, "active"),
            "K-001.status",
            "closed contract cannot",
        ),
    ]
    for call, path, words in cases:
        with pytest.raises(UserError) as caught:
            call()
        assert caught.value.path == path, (path, caught.value)
        assert words in caught.value.message
        if path != "K-001.status":
            assert export_document() == before, path


def test_values_typed_the_italian_way_are_understood(db):
    load(db)
    cid = contract_id("K-002")
    update_contract(
        db,
        cid,
        {
            "start_date": "1/9/2024",
            "end_date": "31.12.2025",
            "installment_amount": "1.234,50",
            "customer": "rossi",
            "series": "b",
        },
    )
    line = add_line(db, cid, {"article": "man", "unit_price": "12,5", "quantity": "1,5"})
    contract = Contract.get_by_id(cid)
    assert (
        contract.start_date,
        contract.end_date,
        contract.installment_amount,
        contract.customer.code,
        contract.series,
    ) == (D(2024, 9, 1), D(2025, 12, 31), Decimal("1234.50"), "ROSSI", "B")
    row = ContractLine.get_by_id(line)
    assert (row.article.code, row.unit_price, row.quantity) == (
        "MAN",
        Decimal("12.5000"),
        Decimal("1.5000"),
    )
    with pytest.raises(UserError) as caught:
        update_contract(db, cid, {"end_date": "31/02/2025"})
    assert caught.value.path == "contract.end_date"


def test_statuses_activate_suspend_close(db):
    load(db)
    cid = contract_id("K-002")
    set_status(db, cid, "active")
    materialize(db, TODAY, [cid])
    assert [row[3] for row in installments("K-002")] == ["pending", "pending"]
    set_status(db, cid, "suspended")
    materialize(db, TODAY, [cid])
    assert installments("K-002") == []  # nothing pending while suspended
    set_status(db, cid, "active")
    set_status(db, cid, "closed")
    assert Contract.get_by_id(cid).status == "closed"
    with pytest.raises(UserError):
        set_status(db, cid, "suspended")


def test_remove_a_line_keeps_what_it_invoiced(db):
    load(db)
    cid = contract_id("K-001")
    extra = add_line(
        db, cid, {"description": "Telecontrollo", "unit_price": "10.00", "vat_rate": "22"}
    )
    materialize(db, TODAY, [cid])
    july = Installment.get(
        (Installment.contract == cid) & (Installment.period_start == D(2024, 7, 1))
    )
    assert july.amount == Decimal("160.00")
    create_invoices(db, [july.id])
    remove_line(db, cid, extra)
    materialize(db, TODAY, [cid])
    assert installments("K-001") == [
        (D(2024, 7, 1), D(2024, 7, 1), "160.00", "invoiced"),
        (D(2024, 10, 1), D(2024, 10, 1), "150.00", "pending"),
    ]


def test_installment_plan_amount_and_count(db):
    load(db)
    cid = contract_id("K-001")
    update_contract(db, cid, {"installment_amount": "99.90", "installment_count": "3"})
    schedule = contract_schedule(db, cid, TODAY)
    assert [(r.period_start, r.amount, r.status) for r in schedule.rows] == [
        (D(2024, 7, 1), Decimal("99.90"), "due"),
        (D(2024, 10, 1), Decimal("99.90"), "due"),
        (D(2025, 1, 1), Decimal("99.90"), "planned"),
    ]
    assert schedule.total == Decimal("299.70")
    stored = Installment.get(
        (Installment.contract == cid) & (Installment.period_start == D(2024, 7, 1))
    )
    line_id = str(ContractLine.get(ContractLine.contract == cid).id)
    assert json.loads(stored.lines)[0]["line"] == line_id  # as the first recurring line
    assert "Manutenzione caldaia" in stored.lines
    detail = contract_detail(cid)
    assert detail.plan_end == D(2025, 3, 31)
    # nothing invoiced yet: July, due since then, is billed next
    assert (detail.lines[0].dates.previous, detail.lines[0].dates.next) == (None, D(2024, 7, 1))
    create_invoices(
        db, [i.id for i in Installment.select().where(Installment.contract == cid)], status="issued"
    )  # July and October
    detail = contract_detail(cid)
    assert (detail.lines[0].dates.previous, detail.lines[0].dates.next) == (
        D(2024, 10, 1),
        D(2025, 1, 1),
    )
    assert detail.not_billing == ()
    materialize(db, D(2026, 1, 1), [cid])
    assert len(installments("K-001")) == 3
    create_invoices(
        db, [Installment.get((Installment.contract == cid) & (Installment.status == "pending")).id]
    )
    detail = contract_detail(cid)  # the third and last is invoiced
    assert (detail.lines[0].dates.previous, detail.lines[0].dates.next) == (D(2025, 1, 1), None)
    assert detail.not_billing == (NOTHING_LEFT,)


def test_preview_changes_nothing_and_shows_invoiced_ones_as_they_are(db):
    load(db)
    cid = contract_id("K-001")
    invoice_july(db)
    before = export_document()
    stored = installments("K-001")
    preview = preview_schedule(db, cid, {"installment_amount": "10.00", "timing": "arrears"}, TODAY)
    assert preview.rows[0].status == "invoiced" and preview.rows[0].amount == Decimal("150.00")
    assert preview.rows[0].invoice == "A/2024/0001"
    # the July period is invoiced: moved to arrears, it is not billed a second time
    assert [(r.period_start, r.invoice_date, r.amount, r.status) for r in preview.rows[1:3]] == [
        (D(2024, 10, 1), D(2024, 12, 31), Decimal("10.00"), "planned"),
        (D(2025, 1, 1), D(2025, 3, 31), Decimal("10.00"), "planned"),
    ]
    assert export_document() == before
    assert installments("K-001") == stored
    with pytest.raises(UserError) as caught:
        preview_schedule(db, cid, {"start_date": "2024-13-01"}, TODAY)
    assert caught.value.path == "contract.start_date"


def test_a_plan_set_after_invoicing_never_bills_an_invoiced_period_again(db):
    load(db)
    cid = contract_id("K-001")
    invoice_july(db)
    update_contract(db, cid, {"installment_amount": "90.00", "timing": "arrears"})
    materialize(db, D(2025, 1, 31), [cid])
    assert installments("K-001") == [
        (D(2024, 7, 1), D(2024, 7, 1), "150.00", "invoiced"),
        (D(2024, 10, 1), D(2024, 12, 31), "90.00", "pending"),
    ]
    update_contract(db, cid, {"installment_amount": None, "timing": "advance"})
    materialize(db, D(2025, 1, 31), [cid])
    assert [row[3] for row in installments("K-001")] == ["invoiced", "pending", "pending"]
    assert [row[0] for row in installments("K-001")] == [
        D(2024, 7, 1),
        D(2024, 10, 1),
        D(2025, 1, 1),
    ]


def test_a_plan_amount_is_fixed_whatever_steps_its_lines_had(db):
    doc = contracts_document()
    doc["contracts"][0]["lines"][0]["steps"] = [{"from": "2024-10-01", "amount": "10.00"}]
    import_data(db, doc)
    cid = contract_id("K-001")
    assert [r.amount for r in contract_schedule(db, cid, TODAY).rows[:2]] == [
        Decimal("150.00"),
        Decimal("180.00"),
    ]  # (50 + 10) x 3 from October
    update_contract(db, cid, {"installment_amount": "99.00"})
    assert [r.amount for r in contract_schedule(db, cid, TODAY).rows[:2]] == [
        Decimal("99.00"),
        Decimal("99.00"),
    ]
    assert current_record(cid)["lines"][0]["steps"]  # the line keeps its steps


def test_plan_fields_round_trip_through_the_interchange_format(db):
    load(db)
    update_contract(
        db, contract_id("K-001"), {"installment_amount": "75.5", "installment_count": 8}
    )
    record = next(k for k in export_document()["contracts"] if k["code"] == "K-001")
    assert (record["installment_amount"], record["installment_count"]) == ("75.50", 8)
    assert (
        next(k for k in export_document()["contracts"] if k["code"] == "K-002")[
            "installment_amount"
        ]
        is None
    )


def test_list_contracts(db):
    load(db)
    rows = list_contracts()
    assert [(r.code, r.customer, r.status, r.frequency, r.lines) for r in rows] == [
        ("K-001", "ROSSI", "active", "quarterly", 1),
        ("K-002", "BIANCHI", "draft", "monthly", 1),
        ("K-003", "ROSSI", "suspended", "every 2 weeks", 1),
        ("K-004", "", "draft", "annual", 0),
    ]
    detail = contract_detail(contract_id("K-004"))
    assert "no customer" in detail.not_billing and "no lines" in detail.not_billing


@pytest.mark.parametrize(
    ("changes", "path", "message"),
    [
        ({"start_date": "01/01/0001"}, "contract.start_date", "outside the dates accepted"),
        ({"end_date": "2200-01-01"}, "contract.end_date", "outside the dates accepted"),
        (
            {"invoice_offset_days": "9223372036854775807"},
            "contract.invoice_offset_days",
            "must be a whole number",
        ),
        ({"invoice_offset_days": "400"}, "contract.invoice_offset_days", "must be at most 366"),
        ({"late_grace_days": "²"}, "contract.late_grace_days", "must be a whole number"),
        ({"cost_centre": "CC\x1b[1m"}, "contract.cost_centre", "control characters"),
        ({"description": "x" * 201}, "contract.description", "longer than 200 characters"),
    ],
)
def test_the_settings_form_is_checked_as_an_import(db, changes, path, message):
    """The TUI's forms go through the same reading as an import: same bounds, same words."""
    load(db)
    cid = contract_id("K-001")
    before = export_document()
    with pytest.raises(UserError) as caught:
        update_contract(db, cid, changes)
    assert caught.value.path == path and message in caught.value.message
    assert export_document() == before


def test_a_line_description_may_hold_newlines_only(db):
    load(db)
    cid = contract_id("K-001")
    add_line(
        db,
        cid,
        {
            "description": "Canone\nmensile",
            "quantity": "1",
            "unit_price": "10",
            "vat_rate": "22",
            "recurring": False,
        },
    )
    with pytest.raises(UserError) as caught:
        add_line(
            db,
            cid,
            {
                "description": "Canone\tmensile",
                "quantity": "1",
                "unit_price": "10",
                "vat_rate": "22",
                "recurring": False,
            },
        )
    assert caught.value.path == "line.description"
