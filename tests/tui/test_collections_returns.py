"""The collections screen driven with Pilot on a real database: a direct debit presented
and paid is returned from the presented list (the return dialog), then listed among the
returns with its fee, and due to be presented again; the reminders due are sent from there
to a real SMTP server on localhost, once."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest

from tests.output.test_mail import make_server  # noqa: F401 - fixture
from tests.support.collection_db import DATA
from tests.tui.helpers import confirmed, screen_text, wait_for
from tui_billing.billing.payments import record_payment
from tui_billing.billing.presenting import present_sdd
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config, SmtpSection
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import Collection, Invoice, PaymentReturn, Reminder
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.collections import CollectionsScreen, CollectionsTable
from tui_billing.tui.screens.return_dialog import ReturnDialog

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def target(db_target):
    data = json.loads(json.dumps(DATA))
    data["customers"][0]["email"] = "bianchi@example.com"  # DD1
    db = open_database(db_target)
    import_data(db, data, today=TODAY)
    run_billing(db, RunOptions(on=dt.date(2026, 1, 1), status="issued", email=False), Config())
    first = Invoice.get(Invoice.number == "A/2026/0001")
    present_sdd(
        db,
        due_to=dt.date(2026, 1, 31),
        today=dt.date(2026, 1, 20),
        now=dt.datetime(2026, 1, 20, 9),
        invoice_ids=[first.id],
    )
    record_payment(db, "A/2026/0001", dt.date(2026, 2, 2), "122.00", TODAY)
    db.close()
    return db_target


def test_return_and_reminders_from_collections(target, make_server):  # noqa: F811
    server = make_server()
    config = Config(
        smtp=SmtpSection(
            host="127.0.0.1", port=server.port, security="none", sender="crediti@example.com"
        )
    )
    asyncio.run(_return_and_reminders(target, config, server))
    open_database(target)
    assert [c.status for c in Collection.select()] == ["returned"]
    assert [(r.invoice.number, str(r.bank_fee), r.reason) for r in PaymentReturn.select()] == [
        ("A/2026/0001", "4.50", "AM04")
    ]


def text(screen, selector: str) -> str:
    return str(screen.query_one(selector).render())


async def _return_and_reminders(target, config, server):
    app = BillingApp(db_target=target, today=TODAY, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("8")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CollectionsScreen)
        await wait_for(pilot, lambda: screen.loads_done >= 1)
        due = screen.query_one(CollectionsTable)
        assert [r.contract for r in due.model] == ["A/2026/0002", "A/2026/0003"]
        presented = screen.query_one("#collections-presented")
        assert presented.row_count == 1
        assert screen.query_one("#collections-returns").row_count == 0

        presented.focus()
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReturnDialog)
        assert dialog.query_one("#return-invoice").value == "A/2026/0001"
        dialog.query_one("#return-fee").value = "4,50"
        dialog.query_one("#return-reason").value = "AM04"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: screen.loads_done >= 2)
        assert app.screen is screen
        assert (
            "A/2026/0001: returned on 02/03/2026, open again; charges 4.50 on the next "
            "installment of K-DD1" in text(screen, "#collections-status")
        )
        # Due to be presented again, and listed among the returns with its charge to bill.
        assert [r.contract for r in due.model] == ["A/2026/0001", "A/2026/0002", "A/2026/0003"]
        returns = screen.query_one("#collections-returns")
        assert returns.row_count == 1
        assert returns.get_row_at(0) == [  # at 80 columns: no customer, the fees in one
            "A/2026/0001",
            "02/03/2026",
            "4.50",
            "to bill",
            "AM04",
        ]
        assert "Returned: 1 (m sends the reminders due)" in screen_text(app)

        # Without the presented list's focus the dialog asks for the invoice.
        due.focus()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReturnDialog)
        assert app.screen.query_one("#return-invoice").value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        await pilot.press("m")
        assert "e-mail those not sent yet?" in await confirmed(pilot)  # it asks first
        status = text(screen, "#collections-status")
        assert status.startswith("Reminders: 2 due, 1 sent"), status
        assert "no e-mail address: DD2" in status
        assert [(r.customer.code, r.status) for r in Reminder.select()] == [("DD1", "sent")]
        await pilot.press("m")
        await confirmed(pilot)
        assert text(screen, "#collections-status").startswith("Reminders: 1 due, 0 sent")
        assert len(server.handler.envelopes) == 1
