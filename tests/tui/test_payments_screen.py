"""The payments screen driven with Pilot on a real database: open items with their days
overdue, inline validation, recording a payment."""

from __future__ import annotations

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from tests.tui.helpers import checked
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import Payment
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.payments import PaymentsScreen

TODAY = dt.date(2025, 5, 20)


@pytest.fixture
def target(db_target):
    db = open_database(db_target)
    import_data(
        db,
        {
            "customers": [{"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}],
            "contracts": [
                {
                    "code": "K-1",
                    "customer": "ACME",
                    "status": "active",
                    "start_date": "2025-01-01",
                    "frequency": "quarterly",
                    "lines": [
                        {"description": "Canone", "unit_price": "1000.00", "vat_rate": "22.00"}
                    ],
                }
            ],
        },
    )
    run_billing(db, RunOptions(on=dt.date(2025, 4, 1), status="issued", email=False), Config())
    db.close()
    return db_target


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def test_open_items_validation_and_recording(target):
    asyncio.run(_open_items_validation_and_recording(target))


async def _open_items_validation_and_recording(target):
    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = PaymentsScreen()
        await app.push_screen(screen)
        await pilot.pause()
        table = screen.query_one("#open-items")
        assert table.row_count == 2
        assert [str(c) for c in table.get_row_at(0)] == [
            "A/2025/0001",
            "ACME S.r.l.",
            "01/01/2025",
            "31/01/2025",
            "1,220.00",
            "0.00",
            "1,220.00",
            "109",
        ]
        assert "Open items on 20/05/2025: 2, 2,440.00 open; 2 overdue" in text(
            screen, "#payments-title"
        )

        invoice = screen.query_one("#pay-invoice")
        assert screen.focused is invoice  # typed in first: digits are not screen keys
        await pilot.press(*"A/2025/0001")
        assert invoice.value == "A/2025/0001" and app.screen is screen
        invoice.value = ""
        await pilot.press("escape", "enter")  # to the table; fill the form from its first row
        await pilot.pause()
        amount = screen.query_one("#pay-amount")
        assert (screen.query_one("#pay-invoice").value, amount.value) == ("A/2025/0001", "1,220.00")
        amount.value = "1300"
        await checked(pilot)
        assert "Amount: 1300.00 is more than the 1220.00 still open on A/2025/0001" in text(
            screen, "#pay-errors"
        )
        assert screen.query_one("#pay-record").disabled
        assert amount.has_class("-invalid")
        screen.query_one("#pay-date").value = "2025-05-21"
        await checked(pilot)
        assert "Date: 2025-05-21 is after today (2025-05-20)" in text(screen, "#pay-errors")
        await pilot.press("ctrl+s")  # refused: nothing written
        await pilot.pause()
        assert Payment.select().count() == 0

        amount.value = "620,00"
        screen.query_one("#pay-date").value = "2025-05-10"
        screen.query_one("#pay-reference").value = "CRO 42"
        await checked(pilot)
        assert text(screen, "#pay-errors") == ""
        assert not screen.query_one("#pay-record").disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        [payment] = Payment.select()
        assert (payment.amount, payment.date, payment.reference) == (
            Decimal("620.00"),
            dt.date(2025, 5, 10),
            "CRO 42",
        )
        assert [str(c) for c in table.get_row_at(0)][5:7] == ["620.00", "600.00"]
        assert "Recorded 620.00 on A/2025/0001" in text(screen, "#pay-status")
        bindings = {b.id: b for b in screen.BINDINGS}
        assert all(b.tooltip for b in bindings.values())
        assert {"payments.record", "payments.pay_selected", "payments.refresh"} <= set(bindings)


def test_the_two_views_and_their_keys(target):
    asyncio.run(_the_two_views_and_their_keys(target))


async def _the_two_views_and_their_keys(target):
    """Key 5 opens the open items with the focus in the invoice field; ctrl+l shows the
    payments recorded (the list's keys in the footer, the form's gone), digits typed in its
    filter stay there, Esc goes back; a payment recorded shows in the list."""
    from tests.tui.helpers import screen_text, wait_for

    app = BillingApp(db_target=target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await wait_for(pilot, lambda: getattr(app.screen, "loads_done", 0) > 0)
        screen = app.screen
        assert isinstance(screen, PaymentsScreen)
        assert screen.focused is screen.query_one("#pay-invoice")
        await pilot.press(*"A/2025/0002", "tab", *"100", "enter")  # typed, recorded
        await wait_for(pilot, lambda: Payment.select().count() == 1)
        assert app.screen is screen and "Recorded 100.00 on A/2025/0002" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "Record payment" in footer and "Delete" not in footer

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: screen.view == "payments-view")
        shown = screen_text(app)
        assert "1 payment ·" in shown and "A/2025/0002" in shown and "100.00" in shown
        footer = shown.splitlines()[-1]
        assert "Delete" in footer and "Filter" in footer and "Record payment" not in footer
        await pilot.press("ctrl+s")  # the form's key does nothing here
        assert Payment.select().count() == 1
        loads = screen.loads_done
        await pilot.press("f", *"2025/0001", "enter")  # digits stay in the filter
        await wait_for(pilot, lambda: screen.loads_done > loads)
        assert app.screen is screen and screen.query_one("#payment-filter").value == "2025/0001"
        assert "0 payments" in screen_text(app)

        await pilot.press("escape")  # from the table: back to the open items
        await wait_for(pilot, lambda: screen.view == "open-items-view")
        assert screen.focused is screen.query_one("#open-items")
