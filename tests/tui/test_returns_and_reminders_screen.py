"""From the payments screen, driven with Pilot on a real database: a returned collection
recorded through its dialog reopens the invoice; the reminders due are sent to a real SMTP
server on localhost, once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from tests.output.test_mail import make_server  # noqa: F401 - fixture
from tests.tui.helpers import confirmed
from tui_billing.billing.payments import record_payment
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config, SmtpSection
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import PaymentReturn, Reminder
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.payments import PaymentsScreen
from tui_billing.tui.screens.return_dialog import ReturnDialog

TODAY = dt.date(2025, 5, 20)


@pytest.fixture
def target(db_target):
    db = open_database(db_target)
    import_data(
        db,
        {
            "customers": [
                {
                    "code": "ACME",
                    "name": "ACME S.r.l.",
                    "payment_terms_days": 30,
                    "email": "acme@example.com",
                }
            ],
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
    record_payment(db, "A/2025/0001", dt.date(2025, 1, 31), "1220.00", TODAY)
    db.close()
    return db_target


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


def test_return_dialog_and_reminders(target, make_server):  # noqa: F811
    server = make_server()
    config = Config(
        smtp=SmtpSection(
            host="127.0.0.1", port=server.port, security="none", sender="crediti@example.com"
        )
    )
    asyncio.run(_return_dialog_and_reminders(target, config, server))


async def _return_dialog_and_reminders(target, config, server):
    app = BillingApp(db_target=target, today=TODAY, config=config)
    async with app.run_test(size=(140, 34)) as pilot:
        screen = PaymentsScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert screen.query_one("#open-items").row_count == 1  # 0001 is paid

        await pilot.press("ctrl+r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog)
        dialog.query_one("#return-invoice").value = "A/2025/0001"
        dialog.query_one("#return-fee").value = "tre"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a decimal number" in text(dialog, "#return-error")
        assert PaymentReturn.select().count() == 0
        dialog.query_one("#return-fee").value = "4,50"
        dialog.query_one("#return-reason").value = "AM04"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert (
            "A/2025/0001: returned on 20/05/2025, open again; charges 4.50 on the next "
            "installment of K-1" in text(screen, "#pay-status")
        )
        assert screen.query_one("#open-items").row_count == 2
        assert [r.reason for r in PaymentReturn.select()] == ["AM04"]

        assert screen.focused is screen.query_one("#pay-invoice")  # ctrl+e works from a field
        await pilot.press("ctrl+e")
        assert "Record the payment reminders due on 20/05/2025" in await confirmed(pilot)
        assert "Reminders: 1 due, 1 sent" in text(screen, "#pay-status")
        assert [(r.level, r.status) for r in Reminder.select()] == [(1, "sent")]
        await pilot.press("ctrl+e")
        await confirmed(pilot, answer="escape")  # no: nothing sent
        assert "Reminders: 1 due, 1 sent" in text(screen, "#pay-status")
        await pilot.press("ctrl+e")
        await confirmed(pilot)
        assert "Reminders: 0 due, 0 sent" in text(screen, "#pay-status")
        assert len(server.handler.envelopes) == 1
