"""The orders screen driven with Pilot on SQLite and PostgreSQL: search, state filter, the
detail view, the invoicing forms with inline errors; the database is checked afterwards."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, Static

from tests.support.orders import MIXED, THOUSAND, order_document
from tests.tui.helpers import confirmed, wait_for
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import Invoice, Order, OrderLine
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.order_forms import OrderForm
from tui_billing.tui.screens.orders import OrderDetailScreen, OrdersScreen

TODAY = dt.date(2024, 6, 3)


@pytest.fixture
def target(db_target):
    db = open_database(db_target)
    import_data(
        db,
        order_document(
            MIXED,
            THOUSAND,
            {"code": "O-OLD", "status": "completed", "lines": [("1", "5.00", "22.00")]},
        ),
    )
    db.close()
    return db_target


def rows(screen: OrdersScreen) -> list[str]:
    table = screen.query_one("#orders", DataTable)
    return [str(key.value) for key in table.rows]


def text(widget: Static) -> str:
    return str(widget.content)


async def open_screen(app: BillingApp) -> OrdersScreen:
    screen = OrdersScreen()
    await app.push_screen(screen)
    return screen


async def move_to(pilot, screen: OrdersScreen, code: str) -> None:
    table = screen.query_one("#orders", DataTable)
    table.move_cursor(row=rows(screen).index(code))
    await pilot.pause()


async def type_into(pilot, screen, field_id: str, value: str) -> None:
    field = screen.query_one(f"#{field_id}", Input)
    field.value = value
    await pilot.pause()


def test_bindings_have_ids_and_tooltips():
    for binding in OrdersScreen.BINDINGS + OrderForm.BINDINGS + OrderDetailScreen.BINDINGS:
        assert binding.id and binding.id.startswith("orders."), binding
        assert binding.tooltip, binding


def test_search_filter_and_detail(target):
    asyncio.run(_search_filter_and_detail(target))


async def _search_filter_and_detail(target):
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_screen(app)
        await pilot.pause()
        assert rows(screen) == ["O-1000", "O-MIX", "O-OLD"]
        await pilot.press("s")  # draft
        assert rows(screen) == ["O-MIX"]
        for _ in range(3):  # in progress, shipped, completed
            await pilot.press("s")
        assert rows(screen) == ["O-OLD"]
        await pilot.press("s")  # cancelled
        assert rows(screen) == []
        await pilot.press("s")  # all
        assert rows(screen) == ["O-1000", "O-MIX", "O-OLD"]
        await pilot.press("slash")
        await pilot.press(*"mix")
        assert rows(screen) == ["O-MIX"]
        await pilot.press("enter")  # back to the list
        await pilot.press("enter")  # open the order
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, OrderDetailScreen)
        lines = detail.query_one("#lines", DataTable)
        assert lines.row_count == 2
        assert "Total 1,000.00" in text(detail.query_one("#figures", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")  # clears the search
        assert rows(screen) == ["O-1000", "O-MIX", "O-OLD"]


def test_down_payment_form_validates_inline_then_writes(target):
    asyncio.run(_down_payment_form_validates_inline_then_writes(target))


async def _down_payment_form_validates_inline_then_writes(target):
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_screen(app)
        await pilot.pause()
        await move_to(pilot, screen, "O-MIX")
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, OrderForm)
        await type_into(pilot, form, "amount", "1200")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "left" in text(form.query_one("#error", Static)))
        error = text(form.query_one("#error", Static))
        assert "more than what is left" in error and "Traceback" not in error
        assert app.screen is form
        await type_into(pilot, form, "amount", "30%")
        await type_into(pilot, form, "date", "2024-13-01")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "invoice date: no such date" in text(form.query_one("#error", Static))
        await type_into(pilot, form, "date", "2024-06-03")
        await pilot.press("ctrl+s")
        question = await confirmed(pilot)
        assert question == (
            "Issue 1 down-payment invoice dated 03/06/2024, number A/2024/0001 for order O-MIX?"
        )
        await pilot.pause()
        assert app.screen is screen
        assert "created A/2024/0001" in text(screen.query_one("#message", Static))
    db = open_database(target)
    order = Order.get(code="O-MIX")
    assert order.status == "in_progress"
    [invoice] = Invoice.select().where(Invoice.order == order)
    assert (invoice.kind, invoice.taxable, invoice.vat, invoice.date) == (
        "down_payment",
        Decimal("300.00"),
        Decimal("58.80"),
        TODAY,
    )
    db.close()


def test_partial_then_final_and_installments_from_the_keyboard(target):
    asyncio.run(_partial_then_final_and_installments_from_the_keyboard(target))


async def _partial_then_final_and_installments_from_the_keyboard(target):
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await open_screen(app)
        await pilot.pause()
        await move_to(pilot, screen, "O-MIX")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")  # submits from the date field
        assert "Issue 1 partial invoice dated 03/06/2024" in await confirmed(pilot)
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "nothing left" in text(form.query_one("#error", Static)))
        await pilot.press("escape")
        await pilot.pause()
        assert text(screen.query_one("#message", Static)) == "nothing written"

        await move_to(pilot, screen, "O-1000")
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        await type_into(pilot, form, "count", "0")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must be at least 1" in text(form.query_one("#error", Static))
        await type_into(pilot, form, "count", "3")
        await pilot.press("ctrl+s")
        assert (await confirmed(pilot)).startswith("Schedule 3 installment invoices")
        await pilot.pause()
        assert app.screen is screen
        assert "3 installments scheduled" in text(screen.query_one("#message", Static))

        await move_to(pilot, screen, "O-OLD")
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "O-OLD is completed" in text(app.screen.query_one("#error", Static))
        )
        await pilot.press("escape")
    db = open_database(target)
    mix = Order.get(code="O-MIX")
    assert mix.status == "draft"
    assert [i.kind for i in Invoice.select().where(Invoice.order == mix)] == ["partial"]
    assert all(li.locked for li in OrderLine.select().where(OrderLine.order == mix))
    plan = Order.get(code="O-1000")
    from tui_billing.store.models import Installment

    assert [
        i.amount
        for i in Installment.select()
        .where(Installment.order == plan)
        .order_by(Installment.invoice_date)
    ] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert Invoice.select().where(Invoice.order == Order.get(code="O-OLD")).count() == 0
    db.close()
