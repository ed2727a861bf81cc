"""The contract settings form (language, payment, IBAN, cost centre, late-payment terms)
and the line form's economics, driven from the keyboard at 80x24 with Pilot; what is saved
is read back from the database, and a refused value leaves it as it was."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from textual.widgets import Select, Static

from tests.billing.contract_data import TODAY, add_index_series, contract_id, load
from tests.tui.helpers import choose, fill, screen_text
from tui_billing.billing.customer_editing import set_archived
from tui_billing.output.interchange_export import export_document
from tui_billing.store.database import open_database
from tui_billing.store.models import Contract, ContractLine
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.contract_detail import ContractDetailScreen
from tui_billing.tui.screens.contract_form import ContractFormScreen, LineFormScreen
from tui_billing.tui.widgets.form_fields import FieldRow

IBAN = "IT60X0542811101000000123456"


@pytest.fixture
def target(sqlite_target):
    db = open_database(sqlite_target)
    load(db)
    add_index_series(db)
    return sqlite_target


@pytest.fixture
def any_target(db_target):
    """The data set on SQLite and on PostgreSQL."""
    db = open_database(db_target)
    load(db)
    add_index_series(db)
    return db_target


def row(app, name: str) -> FieldRow:
    return app.screen.query_one(f"#row-{name}", FieldRow)


def refusal(app, name: str) -> str:
    return str(row(app, name).query_one(".field-error", Static).content)


async def press_tab_to(pilot, name: str, limit: int = 40) -> None:
    """Tab from field to field until ``name`` has the focus (as an operator would)."""
    await pilot.pause()  # the form has read what its fields show
    for _ in range(limit):
        if pilot.app.focused is row(pilot.app, name).widget:
            return
        await pilot.press("tab")
    raise AssertionError(f"tab never reached {name}")


async def test_every_new_setting_round_trips(any_target):
    app = BillingApp(db_target=any_target, today=TODAY)
    cid = contract_id("K-001")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractDetailScreen(cid))
        await pilot.pause()  # the detail reads its lines in a worker
        await pilot.press("b")
        assert isinstance(app.screen, ContractFormScreen)
        assert row(app, "late_interest_rate").widget.disabled  # no fixed rate yet
        await choose(pilot, row(app, "language").widget, "e")
        await choose(pilot, row(app, "payment_method").widget, "se")
        await fill(pilot, "iban", "it60 x054 2811 1010 0000 0123 456")
        await fill(pilot, "cost_centre", "MAN-NORD")
        await choose(pilot, row(app, "late_interest").widget, "f")
        assert not row(app, "late_interest_rate").widget.disabled
        await fill(pilot, "late_interest_rate", "9,5")
        await fill(pilot, "late_grace_days", "15")
        await fill(pilot, "late_fee", "40")
        # the last field is on the screen at 80x24: the form scrolls to it
        assert "Recovery fee" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractDetailScreen)

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
            15,
            Decimal("40.00"),
        )

        await pilot.press("b")  # the form shows what was saved; legal drops the fixed rate
        values = app.screen.values()
        assert {
            key: values[key]
            for key in (
                "language",
                "payment_method",
                "iban",
                "cost_centre",
                "late_interest",
                "late_interest_rate",
                "late_grace_days",
                "late_fee",
            )
        } == {
            "language": "en",
            "payment_method": "sepa_direct_debit",
            "iban": IBAN,
            "cost_centre": "MAN-NORD",
            "late_interest": "fixed",
            "late_interest_rate": "9.5",  # shown as a rate: no trailing zeros
            "late_grace_days": "15",
            "late_fee": "40.00",
        }
        await choose(pilot, row(app, "late_interest").widget, "l")
        assert row(app, "late_interest_rate").widget.disabled
        await choose(pilot, row(app, "language").widget, "c")  # back to the customer's
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractDetailScreen)
    k = Contract.get_by_id(cid)
    assert (k.late_interest, k.late_interest_rate, k.language) == ("legal", None, None)


async def test_a_bad_iban_is_refused_with_its_message_and_nothing_is_written(target):
    before = export_document()
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractFormScreen(contract_id("K-001")))
        await fill(pilot, "cost_centre", "CC-1")
        await fill(pilot, "iban", "IT60X0542811101000000123457")  # one digit wrong
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractFormScreen)  # still open, the values kept
        iban = row(app, "iban")
        assert iban.has_class("-invalid") and app.focused is iban.widget
        assert refusal(app, "iban") == (
            "'IT60X0542811101000000123457' is not a valid IBAN (check digits)"
        )
        shown = " ".join(screen_text(app).split())  # the message wraps beside the field
        assert "IBAN IT60X0542811101000000123457 'IT60X" in shown
        assert "is not a valid IBAN (check digits)" in shown
        assert [r.field_name for r in app.screen.query(FieldRow) if r.has_class("-invalid")] == [
            "iban"
        ]  # one message
        assert app.screen.values()["cost_centre"] == "CC-1"
    assert export_document() == before


async def test_bad_late_terms_are_named_and_nothing_is_written(target):
    before = export_document()
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractFormScreen(contract_id("K-001")))
        await pilot.pause()  # the form has read the contract
        await choose(pilot, row(app, "late_interest").widget, "f")
        await pilot.press("ctrl+s")  # fixed, but no rate
        await pilot.pause()
        assert "is required" in refusal(app, "late_interest_rate")
        await fill(pilot, "late_interest_rate", "9.5")
        await fill(pilot, "late_grace_days", "-3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert refusal(app, "late_interest_rate") == ""
        assert "at least 0" in refusal(app, "late_grace_days")
        await fill(pilot, "late_grace_days", "5")
        await fill(pilot, "late_fee", "quaranta")
        await pilot.press("enter")
        await pilot.pause()
        assert "not a decimal number" in refusal(app, "late_fee")
        assert isinstance(app.screen, ContractFormScreen)
    assert export_document() == before


async def test_a_new_contract_takes_the_settings(target):
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractFormScreen())
        await fill(pilot, "code", "K-200")
        await fill(pilot, "customer", "rossi")
        await choose(pilot, row(app, "payment_method").widget, "r")
        await fill(pilot, "iban", IBAN)
        await press_tab_to(pilot, "late_interest")
        await pilot.press("enter", "l", "enter")
        await fill(pilot, "late_fee", "40,00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ContractFormScreen)
    k = Contract.get(Contract.code == "K-200")
    assert (k.status, k.payment_method, k.iban, k.late_interest, k.late_fee) == (
        "draft",
        "riba",
        IBAN,
        "legal",
        Decimal("40.00"),
    )


async def test_a_new_contract_suggests_no_archived_customer(target):
    set_archived(open_database(target), "BIANCHI", True)
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractFormScreen())
        await fill(pilot, "customer", "bi")
        await pilot.pause()
        widget = row(app, "customer").widget
        assert widget.suggester is not None
        assert await widget.suggester.get_suggestion("bi") is None
        assert await widget.suggester.get_suggestion("ro") == "ROSSI"


async def test_line_economics_round_trip(any_target):
    app = BillingApp(db_target=any_target, today=TODAY)
    cid = contract_id("K-001")
    line_id = ContractLine.get(ContractLine.contract == cid).id
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractDetailScreen(cid))
        await pilot.pause()  # the detail reads its lines in a worker
        await pilot.press("enter")
        assert isinstance(app.screen, LineFormScreen)
        assert row(app, "index_share").widget.disabled  # until a series is typed
        await fill(pilot, "index_series", "FOI")
        assert not row(app, "index_share").widget.disabled
        await fill(pilot, "index_share", "75")
        await fill(pilot, "index_month", "1")
        await fill(pilot, "index_base_month", "10/2024")
        await fill(pilot, "steps", "01/07/2025 +10; 01/07/2026 +2,5%")
        assert "Step-ups" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractDetailScreen)
        assert json.loads(ContractLine.get_by_id(line_id).economics) == {
            "index": {"series": "FOI", "share": "75", "month": 1, "base_month": "2024-10"},
            "steps": [
                {"from": "2025-07-01", "amount": "10"},
                {"from": "2026-07-01", "percent": "2.5"},
            ],
        }

        await pilot.press("enter")  # shown as saved; a cleared series drops the index
        values = app.screen.values()
        assert values["index"] == {
            "series": "FOI",
            "share": "75",
            "month": "1",
            "base_month": "2024-10",
        }
        assert values["steps"] == "01/07/2025 +10; 01/07/2026 +2.5%"
        await fill(pilot, "index_series", "")
        await pilot.pause()
        assert row(app, "index_month").widget.disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "index" not in json.loads(ContractLine.get_by_id(line_id).economics)

        await pilot.press("n")  # a revenue line with a guaranteed minimum
        await fill(pilot, "description", "Royalty")
        await fill(pilot, "unit_price", "500")
        await fill(pilot, "vat_rate", "22")
        assert row(app, "revenue_minimum").widget.disabled
        await fill(pilot, "revenue_percent", "5")
        row(app, "revenue_minimum").widget.focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractDetailScreen)
    royalty = ContractLine.get(ContractLine.description == "Royalty")
    assert json.loads(royalty.economics) == {"revenue": {"percent": "5", "minimum": True}}


async def test_an_advance_and_its_balance_from_the_line_form(target):
    app = BillingApp(db_target=target, today=TODAY)
    cid = contract_id("K-002")
    line_id = ContractLine.get(ContractLine.contract == cid).id
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LineFormScreen(cid, line_id))
        await pilot.pause()  # the form has read the line
        assert row(app, "advance_rate").widget.disabled
        await choose(pilot, app.screen.query_one("#row-advance_balance #kind", Select), "a")
        assert not row(app, "advance_rate").widget.disabled
        await fill(pilot, "advance_rate", "1,1")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, LineFormScreen)
    assert json.loads(ContractLine.get_by_id(line_id).economics) == {
        "advance": {"balance": "annual", "rate": "1.1"}
    }


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("steps", "01/07/2025 dieci", "step 1 '01/07/2025 dieci': write a date and a change"),
        ("index_share", "150", "at most 100"),
        ("index_base_month", "ottobre", "not a month"),
    ],
)
async def test_bad_economics_are_named_and_nothing_is_written(target, name, text, words):
    before = export_document()
    app = BillingApp(db_target=target, today=TODAY)
    cid = contract_id("K-001")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LineFormScreen(cid, ContractLine.get().id))
        await fill(pilot, "index_series", "FOI")
        await fill(pilot, "index_share", "75")
        await fill(pilot, "index_month", "1")
        await fill(pilot, "index_base_month", "2024-10")
        await fill(pilot, name, text)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LineFormScreen)
        assert words in refusal(app, name)
        assert app.focused is row(app, name).widget
        assert [r.field_name for r in app.screen.query(FieldRow) if r.has_class("-invalid")] == [
            name
        ]
    assert export_document() == before


async def test_an_unknown_index_series_is_refused_beside_the_field(any_target):
    before = export_document()
    app = BillingApp(db_target=any_target, today=TODAY)
    cid = contract_id("K-001")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractDetailScreen(cid))
        await pilot.pause()  # the detail reads its lines in a worker
        await pilot.press("enter")
        assert isinstance(app.screen, LineFormScreen)
        await fill(pilot, "index_series", "FIO")
        await fill(pilot, "index_share", "75")
        await fill(pilot, "index_month", "1")
        await fill(pilot, "index_base_month", "10/2024")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, LineFormScreen)
        assert refusal(app, "index_series") == "unknown index series 'FIO' (known: FOI)"
        assert app.focused is row(app, "index_series").widget
        assert [r.field_name for r in app.screen.query(FieldRow) if r.has_class("-invalid")] == [
            "index_series"
        ]
    assert export_document() == before


async def test_economics_on_a_one_off_line_are_refused_at_the_field(target):
    before = export_document()
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(LineFormScreen(contract_id("K-001")))
        await fill(pilot, "description", "Installazione")
        await fill(pilot, "unit_price", "300")
        await fill(pilot, "vat_rate", "22")
        row(app, "recurring").widget.focus()
        await pilot.press("space")  # a one-off
        await fill(pilot, "revenue_percent", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "only a recurring line" in refusal(app, "revenue_percent")
    assert export_document() == before
