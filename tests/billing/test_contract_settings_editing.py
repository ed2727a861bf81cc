"""Editing a contract's payment and late-payment settings and a line's economics as an
operator types them: each value stored as the import stores it, a bad one refused with
its field named and nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.billing.contract_data import TODAY, add_index_series, contract_id, load
from tui_billing.billing.contract_editing import (
    add_line,
    create_contract,
    current_record,
    update_contract,
    update_line,
)
from tui_billing.billing.contract_views import contract_schedule
from tui_billing.billing.economics_input import parse_steps, steps_text
from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_export import export_document
from tui_billing.store.models import Contract, ContractLine

IBAN = "IT60X0542811101000000123456"


def test_payment_and_late_payment_settings_are_stored(db):
    load(db)
    cid = contract_id("K-001")
    update_contract(
        db,
        cid,
        {
            "language": "en",
            "payment_method": "sepa_direct_debit",
            "iban": "it60 x054 2811 1010 0000 0123 456",
            "cost_centre": "MAN-NORD",
            "late_interest": "fixed",
            "late_interest_rate": "9,50",
            "late_grace_days": "10",
            "late_fee": "40,00",
        },
    )
    k = Contract.get_by_id(cid)
    assert (k.language, k.payment_method, k.iban, k.cost_centre) == (
        "en",
        "sepa_direct_debit",
        IBAN,
        "MAN-NORD",
    )
    assert (k.late_interest, k.late_interest_rate, k.late_grace_days, k.late_fee) == (
        "fixed",
        Decimal("9.50"),
        10,
        Decimal("40.00"),
    )
    update_contract(
        db,
        cid,
        {
            "late_interest": "legal",
            "late_interest_rate": None,
            "late_grace_days": "0",
            "late_fee": None,
            "language": None,
            "payment_method": None,
            "iban": None,
        },
    )
    k = Contract.get_by_id(cid)
    assert (k.late_interest, k.late_interest_rate, k.late_grace_days, k.late_fee) == (
        "legal",
        None,
        None,
        None,
    )
    assert (k.language, k.payment_method, k.iban) == (None, None, None)


@pytest.mark.parametrize(
    ("changes", "path", "words"),
    [
        ({"iban": "IT60X0542811101000000123457"}, "contract.iban", "not a valid IBAN"),
        ({"language": "de"}, "contract.language", "unknown value"),
        ({"payment_method": "cheque"}, "contract.payment_method", "unknown value"),
        ({"late_interest": "fixed"}, "contract.late_interest_rate", "is required"),
        (
            {"late_interest": "legal", "late_interest_rate": "8"},
            "contract.late_interest_rate",
            "only used",
        ),
        ({"late_grace_days": "-1"}, "contract.late_grace_days", "at least 0"),
        ({"late_fee": "forty"}, "contract.late_fee", "not a decimal"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(db, changes, path, words):
    load(db)
    before = export_document()
    with pytest.raises(UserError) as caught:
        update_contract(db, contract_id("K-001"), changes)
    assert caught.value.path == path
    assert words in caught.value.message
    assert export_document() == before


def test_line_economics_typed_in_a_form_are_stored(db):
    load(db)
    add_index_series(db)
    cid = contract_id("K-001")
    line_id = current_record(cid)["lines"][0]["id"]
    update_line(
        db,
        cid,
        line_id,
        {
            "index": {"series": "FOI", "share": "75%", "month": "1", "base_month": "10/2023"},
            "steps": "01/10/2024 +10; 2025-07-01 +3,5%",
        },
    )
    line = current_record(cid)["lines"][0]
    assert line["index"] == {"series": "FOI", "share": "75", "month": 1, "base_month": "2023-10"}
    assert line["steps"] == [
        {"from": "2024-10-01", "amount": "10"},
        {"from": "2025-07-01", "percent": "3.5"},
    ]
    # the step-up bills: (50 + 10) x 3 from October
    assert [r.amount for r in contract_schedule(db, cid, TODAY).rows[:2]] == [
        Decimal("150.00"),
        Decimal("180.00"),
    ]
    # an empty series, percent or balance is no rule, whatever the other fields hold
    update_line(
        db,
        cid,
        line_id,
        {
            "index": {"series": "", "share": "75"},
            "steps": "",
            "revenue": {"percent": "", "minimum": True},
        },
    )
    assert ContractLine.get_by_id(line_id).economics is None
    revenue = add_line(
        db,
        cid,
        {
            "description": "Royalty",
            "unit_price": "500",
            "vat_rate": "22",
            "revenue": {"percent": "5", "minimum": True},
            "advance": {"balance": None, "rate": "1"},
        },
    )
    assert ContractLine.get_by_id(revenue).economics == (
        '{"revenue":{"minimum":true,"percent":"5"}}'
    )


@pytest.mark.parametrize(
    ("values", "path", "words"),
    [
        ({"steps": "1/7/2026 fifty"}, "line.steps", "step 1 '1/7/2026 fifty': write a date"),
        ({"steps": "01/07/2026 +5; 31/02/2027 +3%"}, "line.steps", "step 2"),
        ({"steps": "01/07/2026 +5; 2026-07-01 +3%"}, "line.steps", "same day"),
        (
            {"index": {"series": "FOI", "share": "75", "month": "13", "base_month": "2024-10"}},
            "line.index.month",
            "from 1 to 12",
        ),
        (
            {"index": {"series": "FOI", "share": "120", "month": "1", "base_month": "2024-10"}},
            "line.index.share",
            "at most 100",
        ),
        (
            {"index": {"series": "FOI", "share": "75", "month": "1", "base_month": "2024"}},
            "line.index.base_month",
            "not a month",
        ),
        (
            {"index": {"series": "FOI", "month": "1", "base_month": "2024-10"}},
            "line.index.share",
            "is required",
        ),
        ({"revenue": {"percent": "5"}, "recurring": False}, "line.revenue", "only a recurring"),
        (
            {"revenue": {"percent": "5"}, "advance": {"balance": "annual"}},
            "line.advance",
            "not both",
        ),
    ],
)
def test_bad_economics_are_refused_naming_the_field(db, values, path, words):
    load(db)
    cid = contract_id("K-001")
    line_id = current_record(cid)["lines"][0]["id"]
    before = export_document()
    with pytest.raises(UserError) as caught:
        update_line(db, cid, line_id, values)
    assert caught.value.path == path
    assert words in caught.value.message
    assert export_document() == before


def test_an_unknown_index_series_is_refused_by_every_edit(db):
    load(db)
    add_index_series(db)
    cid = contract_id("K-001")
    line_id = current_record(cid)["lines"][0]["id"]
    before = export_document()
    typo = {"series": "FIO", "share": "75", "month": "1", "base_month": "10/2024"}
    with pytest.raises(UserError) as caught:
        update_line(db, cid, line_id, {"index": typo})
    assert str(caught.value) == "line.index.series: unknown index series 'FIO' (known: FOI)"
    with pytest.raises(UserError) as caught:
        add_line(
            db, cid, {"description": "Canone", "unit_price": "100", "vat_rate": "22", "index": typo}
        )
    assert caught.value.path == "line.index.series"
    with pytest.raises(UserError) as caught:
        create_contract(
            db,
            {
                "code": "K-900",
                "customer": "ROSSI",
                "frequency": "monthly",
                "lines": [
                    {"description": "Canone", "unit_price": "100", "vat_rate": "22", "index": typo}
                ],
            },
        )
    assert str(caught.value) == (
        "contract.lines[0].index.series: unknown index series 'FIO' (known: FOI)"
    )
    assert export_document() == before
    # the series as a known one regardless of case; a missing month value stays a warning
    update_line(db, cid, line_id, {"index": {**typo, "series": "foi"}})
    assert current_record(cid)["lines"][0]["index"]["series"] == "FOI"


def test_step_ups_text_round_trips():
    steps = parse_steps(" 01/07/2026 +50 ;2027-07-01 -3%\n1.1.2028 + 1.234,5 ")
    assert steps == [
        {"from": "2026-07-01", "amount": "50"},
        {"from": "2027-07-01", "percent": "-3"},
        {"from": "2028-01-01", "amount": "1234.5"},
    ]
    assert steps_text(steps) == "01/07/2026 +50; 01/07/2027 -3%; 01/01/2028 +1234.5"
    assert parse_steps(steps_text(steps)) == steps
    assert parse_steps("") == [] and steps_text(None) == ""
    assert dt.date.fromisoformat(steps[0]["from"]) == dt.date(2026, 7, 1)
