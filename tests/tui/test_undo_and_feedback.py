"""Undo where the law allows it and feedback, driven with Pilot on SQLite and PostgreSQL:
payments listed by customer name and deleted after a question (Esc keeps them), a returned
payment refused with the reason, drafts deleted after a question naming them, the payments
screen whole at 80x24, the dry run's warnings and whole log messages, titles, plurals."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.tui.helpers import checked, make_app, screen_text, wait_for
from tui_billing.billing.payments import open_items, record_payment
from tui_billing.billing.returns import record_return
from tui_billing.billing.run import RunOptions, run_billing
from tui_billing.config import Config, ReturnsSettings
from tui_billing.output.interchange_write import import_data
from tui_billing.store.database import open_database
from tui_billing.store.models import Installment, Invoice, Payment
from tui_billing.tui.screens.common import cut

TODAY = dt.date(2025, 5, 31)


def _contract(code: str, customer: str, frequency: str = "quarterly", start="2025-01-01"):
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": start,
        "frequency": frequency,
        "lines": [{"description": "Canone", "unit_price": "1000.00", "vat_rate": "22.00"}],
    }


CUSTOMERS = [
    {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30},
    {"code": "R-01", "name": "Rossi S.r.l.", "payment_terms_days": 30},
]


@pytest.fixture
def target(db_target):
    """ACME S.r.l.: A/2025/0001 (due 31/01, 120 days late on 31/05) and A/2025/0002, with a
    payment of 620.00 on the first; Rossi S.r.l.: a draft of 1,220.00."""
    db = open_database(db_target)
    import_data(db, {"customers": CUSTOMERS, "contracts": [_contract("K-1", "ACME")]})
    run_billing(db, RunOptions(on=dt.date(2025, 4, 1), status="issued", email=False), Config())
    import_data(db, {"customers": CUSTOMERS, "contracts": [_contract("K-2", "R-01")]})
    run_billing(db, RunOptions(on=dt.date(2025, 1, 1), status="draft", email=False), Config())
    record_payment(db, "A/2025/0001", dt.date(2025, 5, 10), "620.00", TODAY, None, "CRO 42")
    db.close()
    return db_target


def _open(number: str) -> Decimal:
    return next((b.open for b in open_items(TODAY) if b.number == number), Decimal("0.00"))


async def _payments(pilot):
    app = pilot.app
    await pilot.press("5")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "PaymentsScreen")
    return app.screen


async def _payment_list(pilot):
    """The payments view of the payments screen (ctrl+l), read."""
    app = pilot.app
    screen = app.screen
    await wait_for(pilot, lambda: screen.loads_done > 0)
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: screen.query_one("#payments-views").active == "payments-view")
    return screen


async def test_payments_screen_at_80x24_keeps_days_overdue_and_record(target) -> None:
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _payments(pilot)
        shown = screen_text(app)
        header = shown.splitlines()[0]
        assert "Payments" in header and "tui-billing" not in header
        rows = [line for line in shown.splitlines() if "A/2025/000" in line]
        assert "ACME S.r.l." in rows[0] and rows[0].split()[-1] == "120"  # not cut to "1"
        assert rows[1].split()[-1] == "30"
        assert "Record" in shown  # the button
        assert "Record payment" in shown.splitlines()[-1]  # and its key, in the footer
        assert not screen.query_one("#pay-record").region.right > 80


async def test_a_payment_is_deleted_after_a_question_and_esc_keeps_it(target) -> None:
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await _payments(pilot)
        listing = await _payment_list(pilot)
        shown = screen_text(app)
        assert "Payments" in shown.splitlines()[0]
        assert "ACME S.r.l." in shown and "A/2025/0001" in shown and "620.00" in shown
        assert "1 payment ·" in shown  # one payment, not "1 payments"

        listing.query_one("#payment-filter").value = "rossi"  # by name: nobody paid
        listing.refresh_data()
        await wait_for(pilot, lambda: listing.loads_done == 2)
        assert "0 payments" in screen_text(app)
        listing.query_one("#payment-filter").value = "acme s"
        listing.refresh_data()
        await wait_for(pilot, lambda: listing.loads_done == 3)
        assert len(listing.query_one("#payment-list-view").rows) == 1

        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        question = screen_text(app)
        assert "Delete the payment of 620.00 paid on 10/05/2025" in question
        assert "A/2025/0001 (ACME S.r.l.)" in question
        await pilot.press("escape")  # keeps it
        await wait_for(pilot, lambda: app.screen is listing)
        assert Payment.select().count() == 1

        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: listing.loads_done == 4)
        assert Payment.select().count() == 0
        assert listing.query_one("#payment-list-view").rows == [] and "620.00" not in screen_text(
            app
        )
        assert _open("A/2025/0001") == Decimal("1220.00")  # open again

        await pilot.press("escape")  # back to the open items, read again
        await wait_for(pilot, lambda: listing.view == "open-items-view")
        table = app.screen.query_one("#open-items")
        assert "1,220.00" in [str(c) for c in table.get_row_at(0)]


async def test_a_returned_payment_is_refused_with_the_reason(target) -> None:
    db = open_database(target)
    record_return(db, "A/2025/0001", dt.date(2025, 5, 20), TODAY, ReturnsSettings())
    db.close()
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await _payments(pilot)
        listing = await _payment_list(pilot)
        assert "20/05/2025" in screen_text(app)  # the Returned column
        await pilot.press("d")
        await wait_for(pilot, lambda: "Not deleted" in screen_text(app))
        assert app.screen is listing  # no question asked
        assert "was returned by the bank on 20/05/2025" in str(
            listing.query_one("#payment-list-status").render()
        )
    assert Payment.select().count() == 1


async def test_recording_clears_the_marks_of_a_corrected_form(target) -> None:
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _payments(pilot)
        screen.query_one("#pay-invoice").value = "A/2025/0002"
        screen.query_one("#pay-amount").value = "5000"  # refused: more than is open
        await checked(pilot)
        assert screen.query_one("#pay-amount").has_class("-invalid")
        screen.query_one("#pay-amount").value = "100"  # corrected
        await checked(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Payment.select().count() == 2
        marked = [f.id for f in screen.query("Input") if f.has_class("-invalid")]
        assert marked == [] and str(screen.query_one("#pay-errors").render()) == ""


async def _invoices(pilot):
    app = pilot.app
    await pilot.press("3")
    await wait_for(
        pilot,
        lambda: (
            type(app.screen).__name__ == "InvoicesScreen"
            and "invoice" in str(app.screen.query_one("#invoices-status").content)
        ),
    )
    return app.screen


async def test_a_draft_is_deleted_after_a_question_naming_it(target) -> None:
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _invoices(pilot)
        assert "3 invoices" in screen_text(app)
        screen.query_one("#inv-customer").value = "rossi"  # a name, not a code
        screen.refresh_data()
        await wait_for(pilot, lambda: "1 invoice" in screen_text(app))
        draft = Invoice.get(Invoice.status == "draft")
        billed = Installment.select().where(Installment.invoice == draft.id).count()
        assert billed == 1
        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert re.search(r"Delete draft of Rossi S\.r\.l\., 1[.,]?220[.,]00\?", screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert Invoice.get_or_none(Invoice.id == draft.id) is not None
        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("y")
        await wait_for(pilot, lambda: "0 invoices" in screen_text(app))
        assert Invoice.get_or_none(Invoice.id == draft.id) is None
        assert Installment.select().where(Installment.invoice == draft.id).count() == 0
        assert any("1 installment due again" in n.message for n in app._notifications)

        screen.query_one("#inv-customer").value = "ACME"
        screen.refresh_data()
        await wait_for(pilot, lambda: "2 invoices" in screen_text(app))
        await pilot.press("d")  # an issued invoice
        await wait_for(
            pilot, lambda: any("a credit note corrects it" in n.message for n in app._notifications)
        )
        assert type(app.screen).__name__ == "InvoicesScreen"
    assert Invoice.select().count() == 2


async def test_a_draft_opened_is_deleted_and_the_screen_closes(target) -> None:
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _invoices(pilot)
        table = screen.query_one("#invoices-table")
        draft = Invoice.get(Invoice.status == "draft")
        table.move_cursor(row=table.get_row_index(str(draft.id)))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoiceScreen")
        assert "Invoice" in screen_text(app).splitlines()[0]
        await pilot.press("d")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "Delete draft of Rossi S.r.l." in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")
        await wait_for(pilot, lambda: "2 invoices" in screen_text(app))
    assert Invoice.get_or_none(Invoice.id == draft.id) is None


async def test_every_screen_has_its_own_title(target) -> None:
    titles = {
        "1": "Due installments",
        "2": "Contracts",
        "3": "Invoices",
        "4": "Orders",
        "5": "Payments",
        "6": "Revenue",
        "7": "Billing runs",
        "8": "Collections",
    }
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        for key, title in titles.items():
            await pilot.press(f"f{key}")  # payments starts in a field: digits go there
            await wait_for(pilot, lambda title=title: title in screen_text(app).splitlines()[0])
            assert "tui-billing" not in screen_text(app).splitlines()[0]


def _monthly(code: str, customer: str, start: str) -> dict:
    return _contract(code, customer, "monthly", start)


async def test_the_dry_run_shows_its_warnings_and_a_log_message_whole(db_target) -> None:
    """A contract whose periods are dated before an invoice already numbered is re-dated:
    the CLI dry run prints it, the runs screen shows it as the dry run's log."""
    db = open_database(db_target)
    import_data(db, {"customers": CUSTOMERS, "contracts": [_monthly("K-B", "R-01", "2025-05-15")]})
    on = dt.date(2025, 5, 20)
    run_billing(db, RunOptions(on=on, status="issued", email=False), Config())
    import_data(db, {"customers": CUSTOMERS, "contracts": [_monthly("K-A", "ACME", "2025-01-01")]})
    db.close()
    app = make_app(db_target, today=on)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")
        screen = app.screen
        screen.query_one("#run-dry").value = True
        screen.query_one("#run-status").value = "issued"
        await pilot.press("r")
        await wait_for(pilot, lambda: "dry run:" in screen_text(app), timeout=60)
        shown = screen_text(app)
        assert "Dry run of 20/05/2025 (nothing written): 1 warning" in shown
        assert "warning" in shown and "K-A" in shown
        assert screen._log_entries[0].contract == "K-A"
        whole = screen._log_entries[0].message
        assert whole.startswith("dated 20/05/2025: ") and len(whole) > 56  # cut in the table
        screen.query_one("#run-log").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "LogMessageScreen")
        text = str(app.screen.query_one("#log-message").render())
        assert text == whole
        assert "contract K-A" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)
    db = open_database(db_target)
    assert Invoice.select().count() == 1  # the dry run wrote nothing
    db.close()


async def test_a_waiting_installment_names_the_figure_it_waits_for(tmp_path) -> None:
    from tests.tui.helpers import make_demo
    from tui_billing.billing.due import iter_due
    from tui_billing.tui.screens.due import due_row
    from tui_billing.tui.screens.installment import InstallmentScreen

    today = dt.date(2026, 12, 1)
    target = make_demo(str(tmp_path / "demo.sqlite"), today)
    app = make_app(target, today=today)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loading_done", False))
        [waiting] = [i for i in iter_due(app.db, today, waiting=True) if i.status == "waiting"]
        await app.push_screen(InstallmentScreen(due_row(waiting, today)))
        await wait_for(pilot, lambda: "Not billed yet" in screen_text(app))
        assert (
            f"it waits for the revenue of 2026-10 for contract {waiting.contract}"
            in screen_text(app)
        )


async def test_a_long_customer_name_in_the_open_items_ends_with_an_ellipsis(
    sqlite_target,
) -> None:
    name = "Logistica Adriatica Trasporti Internazionali S.p.A."
    db = open_database(sqlite_target)
    customers = [{"code": "LOG", "name": name, "payment_terms_days": 30}]
    import_data(db, {"customers": customers, "contracts": [_contract("K-9", "LOG")]})
    run_billing(db, RunOptions(on=dt.date(2025, 4, 1), status="issued", email=False), Config())
    db.close()
    app = make_app(sqlite_target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _payments(pilot)
        await wait_for(pilot, lambda: "A/2025/0001" in screen_text(app))
        [row] = [line for line in screen_text(app).splitlines() if "A/2025/0001" in line]
        assert "Logistica Adriatica" in row and name not in row
        width = screen.query_one("#open-items").columns["customer"].width
        assert cut(name, width) in row and cut(name, width).endswith("…")
