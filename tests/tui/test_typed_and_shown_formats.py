"""Forms take dates and amounts as people type them (06/12/2026, 12.345,67), the same in
every form; totals are shown with thousands separators (1,800.00)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from textual.widgets import DataTable, Input, Static

from tests.support.orders import MIXED, order_document
from tests.tui.helpers import checked, due_ready, make_app, screen_text
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import Invoice, Order, Payment, RevenueFigure
from tui_billing.tui.screens.order_forms import OrderForm
from tui_billing.tui.screens.orders import OrdersScreen
from tui_billing.tui.screens.payments import PaymentsScreen
from tui_billing.tui.screens.revenue import RevenueScreen

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")

CUSTOMER = {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}


def _contract(code: str, price: str, **extra) -> dict:
    line = {"description": "Canone", "unit_price": price, "vat_rate": "22.00"}
    return {
        "code": code,
        "customer": "ACME",
        "status": "active",
        "start_date": "2024-01-01",
        "frequency": "monthly",
        "lines": [line | extra],
    }


def _load(target: str, document: dict) -> None:
    db = open_database(target)
    import_data(db, document)
    db.close()


def _field(screen, selector: str) -> Input:
    return screen.query_one(selector, Input)


async def test_a_due_total_has_thousands_separators(sqlite_target) -> None:
    _load(sqlite_target, {"customers": [CUSTOMER], "contracts": [_contract("K-1", "600.00")]})
    app = make_app(sqlite_target, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(100, 24)) as pilot:
        await due_ready(pilot)
        assert len(app.screen.table.model) == 3
        await pilot.press("space", "space", "space")
        await pilot.pause()
        shown = screen_text(app)
        assert "3 selected · 1,800.00" in shown
        assert "1800.00" not in shown


async def test_the_payment_form_takes_italian_dates_and_amounts(sqlite_target) -> None:
    from tui_billing.billing.run import RunOptions, run_billing
    from tui_billing.config import Config

    _load(sqlite_target, {"customers": [CUSTOMER], "contracts": [_contract("K-1", "10000.00")]})
    db = open_database(sqlite_target)
    run_billing(db, RunOptions(on=dt.date(2024, 1, 1), status="issued", email=False), Config())
    db.close()
    app = make_app(sqlite_target, today=dt.date(2026, 12, 6))
    async with app.run_test(size=(120, 30)) as pilot:
        screen = PaymentsScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert _field(screen, "#pay-date").value == "06/12/2026"
        _field(screen, "#pay-invoice").value = "A/2024/0001"
        _field(screen, "#pay-amount").value = "12.345,67"
        await checked(pilot)
        errors = str(screen.query_one("#pay-errors", Static).render())
        assert "12345.67 is more than the 12200.00 still open" in errors  # read, not refused
        _field(screen, "#pay-amount").value = "1.234,56"
        _field(screen, "#pay-date").value = "06/12/26"
        await checked(pilot)
        assert str(screen.query_one("#pay-errors", Static).render()) == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        open_row = [str(c) for c in screen.query_one("#open-items", DataTable).get_row_at(0)]
        assert open_row[4:7] == ["12,200.00", "1,234.56", "10,965.44"]
    [payment] = Payment.select()
    assert (payment.amount, payment.date) == (Decimal("1234.56"), dt.date(2026, 12, 6))


async def test_the_revenue_form_takes_italian_dates_and_amounts(sqlite_target) -> None:
    royalty = _contract("ROY-1", "0", revenue={"percent": "5"}) | {"frequency": "quarterly"}
    _load(sqlite_target, {"customers": [CUSTOMER], "contracts": [royalty]})
    app = make_app(sqlite_target, today=dt.date(2026, 12, 6))
    async with app.run_test(size=(110, 30)) as pilot:
        screen = RevenueScreen()
        await app.push_screen(screen)
        await pilot.pause()
        values = {"contract": "ROY-1", "start": "01/01/2024", "end": "31/03/24"}
        for name, value in values.items():
            _field(screen, f"#revenue-{name}").value = value
        _field(screen, "#revenue-amount").value = "12.345,67"
        screen.action_save()
        await pilot.pause()
        status = str(screen.query_one("#revenue-status", Static).render())
        assert "ROY-1 01/01/2024-31/03/2024: 12,345.67 (created)" in status
        for name in ("start", "end", "amount"):
            _field(screen, f"#revenue-{name}").value = "31/02/2024" if name == "start" else "1"
        screen.action_save()
        await pilot.pause()
        assert "from: no such date" in str(screen.query_one("#revenue-status", Static).render())
    [figure] = RevenueFigure.select()
    assert (figure.amount, figure.period_start) == (Decimal("12345.67"), dt.date(2024, 1, 1))


async def test_the_order_forms_take_italian_dates_and_amounts(sqlite_target) -> None:
    _load(sqlite_target, order_document(MIXED))
    app = make_app(sqlite_target, today=dt.date(2026, 12, 6))
    async with app.run_test(size=(110, 36)) as pilot:
        screen = OrdersScreen()
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, OrderForm)
        assert _field(form, "#date").value == "06/12/2026"
        _field(form, "#amount").value = "12.345,67"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "more than what is left" in str(form.query_one("#error", Static).content)
        _field(form, "#amount").value = "300,00"
        _field(form, "#date").value = "31/02/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "invoice date: no such date" in str(form.query_one("#error", Static).content)
        _field(form, "#date").value = "06/12/2026"
        _field(form, "#due").value = "05/01/27"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # the question naming the invoice: yes
        await pilot.pause()
        assert app.screen is screen
    [invoice] = Invoice.select().where(Invoice.order == Order.get(code="O-MIX"))
    assert (invoice.taxable, invoice.date, invoice.due_date) == (
        Decimal("300.00"),
        dt.date(2026, 12, 6),
        dt.date(2027, 1, 5),
    )


def test_names_cut_in_tables_end_with_an_ellipsis() -> None:
    from tui_billing.tui.screens.common import cut
    from tui_billing.tui.widgets.line_table import fit_cell

    assert cut("Logistica Adriatica S.p.A.", 12) == "Logistica A…"
    assert cut("Rossi", 12) == "Rossi" and cut("Rossi", 0) == ""
    assert fit_cell("Logistica Adriatica", 10) == "Logistica…"
    assert fit_cell("1,800.00", 10, right=True) == "  1,800.00"
    assert fit_cell("Rossi", 8) == "Rossi   "
