"""The contracts, contract detail and installment plan screens driven from the keyboard
with Pilot, each flow checked in the database afterwards."""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
from decimal import Decimal

import pytest
from textual.widgets import Select, Static

from tests.billing.contract_data import TODAY, contract_id, installments, invoice_july, load
from tests.tui.helpers import choose, fill
from tui_billing.billing.materialize import materialize
from tui_billing.output.interchange_export import export_document
from tui_billing.store.database import open_database
from tui_billing.store.models import Contract, ContractLine
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.contract_detail import ContractDetailScreen
from tui_billing.tui.screens.contract_form import ContractFormScreen, LineFormScreen
from tui_billing.tui.screens.contracts import ContractsScreen
from tui_billing.tui.screens.plan import PREVIEW_DELAY, PlanScreen
from tui_billing.tui.widgets.form_fields import FieldRow

D = dt.date


def sync(flow):
    """Run an async Pilot flow as a plain test (fixtures still come by name)."""

    @functools.wraps(flow)
    def test(*args, **kwargs):
        asyncio.run(flow(*args, **kwargs))

    return test


@pytest.fixture
def target(sqlite_target, monkeypatch):
    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    db = open_database(sqlite_target)
    load(db)
    return sqlite_target


@pytest.fixture
def any_target(db_target, monkeypatch):
    """The data set on SQLite and on PostgreSQL."""
    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    load(open_database(db_target))
    return db_target


def app_for(target: str) -> BillingApp:
    return BillingApp(db_target=target, today=TODAY)


def table_rows(screen, selector: str) -> list[list[str]]:
    table = screen.query_one(selector)  # a DataTable or a RecordTable
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


@sync
async def test_create_a_contract_with_two_lines(target):
    app = app_for(target)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractsScreen())
        await pilot.pause()  # the screen has read what it shows
        await pilot.press("n")
        assert isinstance(app.screen, ContractFormScreen)
        await fill(pilot, "code", "K-100")
        await fill(pilot, "customer", "BIANCHI")
        await fill(pilot, "start_date", "2024-10-01")
        await choose(pilot, app.screen.query_one("#row-frequency #kind", Select), "q")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ContractDetailScreen)
        for description, price, vat in (("Canone", "120.00", "22"), ("Assistenza", "30", "10")):
            await pilot.press("n")
            assert isinstance(app.screen, LineFormScreen)
            await fill(pilot, "description", description)
            await fill(pilot, "unit_price", price)
            await fill(pilot, "vat_rate", vat)
            await pilot.press("enter")  # enter in a field saves
            await pilot.pause()
            assert isinstance(app.screen, ContractDetailScreen)
        rows = table_rows(app.screen, "#lines")
        assert [r[0] for r in rows] == ["Canone", "Assistenza"]
        assert rows[0][-1] == "—"  # a draft bills nothing: no next date
        await pilot.press("a")
        await pilot.pause()
        assert "active" in str(app.screen.query_one("#detail-title", Static).content)
        # nothing invoiced yet: the October quarter, due on activation, is billed next
        assert table_rows(app.screen, "#lines")[0][-2:] == ["—", "01/10/2024"]

    contract = Contract.get(Contract.code == "K-100")
    assert (contract.status, contract.customer.code, contract.frequency) == (
        "active",
        "BIANCHI",
        "quarterly",
    )
    assert [
        (li.description, li.unit_price, li.vat_rate)
        for li in ContractLine.select()
        .where(ContractLine.contract == contract)
        .order_by(ContractLine.position)
    ] == [
        ("Canone", Decimal("120.0000"), Decimal("22.00")),
        ("Assistenza", Decimal("30.0000"), Decimal("10.00")),
    ]
    materialize(Contract._meta.database, TODAY)
    assert installments("K-100") == [(D(2024, 10, 1), D(2024, 10, 1), "150.00", "pending")]


@sync
async def test_a_new_price_changes_pending_installments_and_not_invoiced_ones(any_target):
    target = any_target
    db = open_database(target)
    invoice_july(db)
    app = app_for(target)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractsScreen())
        await pilot.pause()  # the screen has read what it shows
        await pilot.press("enter")  # K-001 is the first row
        assert isinstance(app.screen, ContractDetailScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, LineFormScreen)
        await fill(pilot, "unit_price", "60.00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        rows = table_rows(app.screen, "#installments")
        assert rows[0][1:] == [
            "01/07/2024-30/09/2024",
            "01/07/2024",
            "150.00",
            "invoiced",
            "A/2024/0001",
        ]
        assert rows[1][1:5] == ["01/10/2024-31/12/2024", "01/10/2024", "180.00", "due"]
        assert rows[2][3:5] == ["180.00", "planned"]
    assert installments("K-001") == [
        (D(2024, 7, 1), D(2024, 7, 1), "150.00", "invoiced"),
        (D(2024, 10, 1), D(2024, 10, 1), "180.00", "pending"),
    ]


@sync
async def test_activate_suspend_close_from_the_list(target):
    app = app_for(target)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractsScreen())
        await pilot.pause()  # the screen has read what it shows
        await pilot.press("down")  # K-002, draft
        await pilot.press("a")
        await pilot.pause()
        assert Contract.get(Contract.code == "K-002").status == "active"
        await pilot.press("s")
        await pilot.pause()
        assert Contract.get(Contract.code == "K-002").status == "suspended"
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("n")  # no: stays suspended
        await pilot.pause()
        assert Contract.get(Contract.code == "K-002").status == "suspended"
        await pilot.press("x", "y")
        await pilot.pause()
        assert Contract.get(Contract.code == "K-002").status == "closed"
        assert table_rows(app.screen, "#contracts")[1][2] == "closed"
        await pilot.press("down", "down", "a")  # K-004 has no customer and no lines
        await pilot.pause()
        assert Contract.get(Contract.code == "K-004").status == "draft"


@sync
async def test_search_filter_and_sort(target):
    app = app_for(target)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = ContractsScreen()
        await app.push_screen(screen)
        await pilot.pause()  # the screen has read what it shows
        await pilot.press("slash", *"bianchi")
        await pilot.pause()
        assert [r[0] for r in table_rows(screen, "#contracts")] == ["K-002"]
        await pilot.press("enter")  # back to the table, the search stays
        assert [r[0] for r in table_rows(screen, "#contracts")] == ["K-002"]
        await pilot.press("escape")  # clears it
        await pilot.pause()
        assert len(table_rows(screen, "#contracts")) == 4
        await pilot.press("f")
        await choose(pilot, app.screen.query_one("#row-status", FieldRow).widget, "s")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [r[0] for r in table_rows(screen, "#contracts")] == ["K-003"]
        await pilot.press("escape", "o")  # clear; sort by customer
        await pilot.pause()
        assert [r[0] for r in table_rows(screen, "#contracts")] == [
            "K-004",
            "K-002",
            "K-001",
            "K-003",
        ]
        assert "sort: customer" in str(screen.query_one("#contracts-summary", Static).content)


@sync
async def test_plan_edit_previews_then_saves(any_target):
    target = any_target
    app = app_for(target)
    cid = contract_id("K-001")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = PlanScreen(cid)
        await app.push_screen(screen)
        await pilot.pause()
        assert [r[3] for r in table_rows(screen, "#installments")][:2] == ["150.00", "150.00"]
        await fill(pilot, "installment_amount", "99.90")
        await fill(pilot, "installment_count", "3")
        await pilot.pause(PREVIEW_DELAY * 3)
        rows = table_rows(screen, "#installments")
        assert [(r[1], r[3], r[4]) for r in rows] == [
            ("01/07/2024-30/09/2024", "99.90", "due"),
            ("01/10/2024-31/12/2024", "99.90", "due"),
            ("01/01/2025-31/03/2025", "99.90", "planned"),
        ]
        assert "PREVIEW" in str(screen.query_one("#plan-summary", Static).content)
        assert Contract.get_by_id(cid).installment_amount is None  # nothing saved yet
        assert installments("K-001")[0][2] == "150.00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "PREVIEW" not in str(screen.query_one("#plan-summary", Static).content)
    contract = Contract.get_by_id(cid)
    assert (contract.installment_amount, contract.installment_count) == (Decimal("99.90"), 3)
    assert installments("K-001") == [
        (D(2024, 7, 1), D(2024, 7, 1), "99.90", "pending"),
        (D(2024, 10, 1), D(2024, 10, 1), "99.90", "pending"),
    ]


@sync
async def test_bad_input_is_refused_next_to_the_field_and_nothing_is_saved(target):
    before = export_document()
    app = app_for(target)
    cid = contract_id("K-001")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ContractFormScreen(cid))
        await pilot.pause()  # the screen has read what it shows
        await fill(pilot, "description", "Changed")
        await fill(pilot, "start_date", "2024-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ContractFormScreen)  # still open
        row = form.query_one("#row-start_date", FieldRow)
        assert row.has_class("-invalid")
        assert "not a valid date" in str(row.query_one(".field-error", Static).content)
        assert app.focused is row.widget
        await pilot.press("escape")
        await app.push_screen(LineFormScreen(cid, ContractLine.get().id))
        await pilot.pause()  # the screen has read what it shows
        await fill(pilot, "unit_price", "12,50.3")
        await pilot.press("ctrl+s")
        await pilot.pause()
        row = app.screen.query_one("#row-unit_price", FieldRow)
        assert "not a decimal number" in str(row.query_one(".field-error", Static).content)
        await pilot.press("escape")
        plan = PlanScreen(cid)
        await app.push_screen(plan)
        await pilot.pause()  # the screen has read what it shows
        await fill(pilot, "installment_amount", "ten")
        await pilot.pause(PREVIEW_DELAY * 3)
        row = plan.query_one("#row-installment_amount", FieldRow)
        assert "not a decimal number" in str(row.query_one(".field-error", Static).content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    assert export_document() == before


@sync
async def test_an_engine_error_is_a_message_not_a_traceback(target):
    app = app_for(target)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = ContractsScreen()
        await app.push_screen(screen)
        await pilot.pause()  # the screen has read what it shows
        Contract.delete().where(Contract.code == "K-001").execute()  # another operator
        for key in ("e", "p", "a"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
        messages = [n.message for n in app._notifications]
        assert messages and all("no contract with id" in m for m in messages), messages
        await pilot.press("r")  # reloaded: the contract is gone from the list
        assert [r[0] for r in table_rows(screen, "#contracts")] == ["K-002", "K-003", "K-004"]


def test_every_binding_has_an_id_and_a_tooltip():
    from textual.binding import Binding

    from tui_billing.tui.screens.common import ConfirmScreen
    from tui_billing.tui.screens.contracts import FilterScreen
    from tui_billing.tui.widgets.record_table import RecordTable

    seen = set()
    for cls, prefix in (
        (ContractsScreen, "contracts."),
        (FilterScreen, "contract_filter."),
        (ContractDetailScreen, "contract_detail."),
        (ContractFormScreen, "contract_form."),
        (LineFormScreen, "line_form."),
        (PlanScreen, "plan."),
        (ConfirmScreen, "confirm."),
        (RecordTable, "record_table."),
    ):
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding), (cls, binding)
            assert binding.id and binding.id.startswith(prefix), (cls, binding)
            assert binding.tooltip, binding.id
            assert binding.id not in seen, binding.id
            seen.add(binding.id)


@sync
async def test_a_line_left_without_vat_takes_the_articles_rate_else_the_ordinary_one(target):
    """The VAT field starts empty, saying what empty means (no 22.00 that looks typed):
    saved empty, a line takes its article's rate, a line without an article 22%."""
    from tui_billing.store.models import Article

    Article.update(vat_rate=Decimal("10")).where(Article.code == "MAN").execute()
    app = app_for(target)
    cid = contract_id("K-001")
    async with app.run_test(size=(80, 24)) as pilot:
        for article, description in (("MAN", ""), ("", "Assistenza")):
            await app.push_screen(LineFormScreen(cid), lambda _result: None)
            await pilot.pause()  # the form has read what it shows
            vat = app.screen.query_one("#row-vat_rate", FieldRow).widget
            assert vat.value == ""
            assert "22" in vat.placeholder and "article" in vat.placeholder
            if article:
                await fill(pilot, "article", article)
            else:
                await fill(pilot, "description", description)
                await fill(pilot, "unit_price", "30")
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not isinstance(app.screen, LineFormScreen), "refused"
    rates = [
        (li.description, li.vat_rate)
        for li in ContractLine.select()
        .where(ContractLine.contract == cid)
        .order_by(ContractLine.position)
    ]
    assert rates[-2:] == [
        ("Manutenzione caldaia", Decimal("10.00")),
        ("Assistenza", Decimal("22.00")),
    ]
