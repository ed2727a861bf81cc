"""The invoices screen with Pilot: filters, open, issue a draft, PDF read back with pypdf,
courtesy copy through a real SMTP server on localhost."""

from __future__ import annotations

import datetime as dt
import email
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.billing.test_courtesy_copies import config_file
from tests.output.test_mail import make_server  # noqa: F401 - fixture
from tests.support.data import bulk_document, write_document
from tests.tui.helpers import confirmed, make_app, screen_text, wait_for

ONE_INVOICE = re.compile(r"\b1 invoice\b")  # "1 invoice", never "1 invoices"


def _setup(target: str, tmp_path, *, email_address: str | None = None) -> list[int]:
    """4 contracts of 4 customers from 2024-01-01, January invoiced as drafts."""
    from tui_billing.billing.due import list_due
    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize
    from tui_billing.cli.main import main
    from tui_billing.store.database import open_database

    doc = bulk_document(4, customers=4, collective_every=0, email=email_address)
    assert main(["--db", target, "import", write_document(tmp_path / "d.json", doc)]) == 0
    db = open_database(target)
    materialize(db, dt.date(2024, 1, 31))
    created = create_invoices(db, [r.id for r in list_due(db, dt.date(2024, 1, 31))])
    db.close()
    return [c.id for c in created]


async def _open_invoices(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: getattr(app.screen, "loading_done", False))
    await pilot.press("3")
    await wait_for(
        pilot,
        lambda: (
            type(app.screen).__name__ == "InvoicesScreen"
            and "invoice" in str(app.screen.query_one("#invoices-status").content)
        ),
    )


async def test_list_filter_open_and_issue(db_target, tmp_path) -> None:
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Invoice

    ids = _setup(db_target, tmp_path)
    app = make_app(db_target, today=dt.date(2024, 1, 31))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_invoices(pilot)
        assert "4 invoices" in screen_text(app)
        await pilot.press("f", *"C002", "enter")
        await wait_for(pilot, lambda: ONE_INVOICE.search(screen_text(app)) is not None)
        assert "Cliente 002" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Total" in screen_text(app))
        shown = screen_text(app)
        assert "Canone" in shown and "Assistenza" in shown
        assert "VAT 10%" in shown and "VAT 22%" in shown
        await pilot.press("i")
        assert "number A/2024/0001" in await confirmed(pilot)
        await wait_for(pilot, lambda: "A/2024/0001" in screen_text(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "A/2024/0001" in screen_text(app))
        # a bad date in a filter is refused where it is typed; the list stays
        app.screen.query_one("#inv-from").focus()
        await pilot.pause()
        await pilot.press(*"31/13/2024", "enter")
        await pilot.pause()
        assert app.screen.query_one("#inv-from").has_class("-refused"), (
            app.screen.query_one("#inv-from").value,
            app.screen.focused,
            [n.message for n in app._notifications],
        )
        assert ONE_INVOICE.search(screen_text(app))
    open_database(db_target)
    issued = Invoice.get(Invoice.number == "A/2024/0001")
    assert issued.status == "issued" and issued.customer.code == "C002"
    assert Invoice.select().where(Invoice.status == "draft").count() == 3
    assert issued.id in ids


async def test_issuing_again_is_a_message_not_a_crash(db_target, tmp_path) -> None:
    _setup(db_target, tmp_path)
    app = make_app(db_target, today=dt.date(2024, 1, 31))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_invoices(pilot)
        await pilot.press("i")
        await confirmed(pilot)
        await wait_for(pilot, lambda: any("Issued as" in n.message for n in app._notifications))
        await pilot.pause(0.3)
        await pilot.press("i")  # the same row: issued now
        await wait_for(pilot, lambda: any("only drafts" in n.message for n in app._notifications))
        assert app.is_running


async def test_write_the_pdf(sqlite_target, tmp_path) -> None:
    _setup(sqlite_target, tmp_path)
    out = tmp_path / "pdfs"
    out.mkdir()
    app = make_app(sqlite_target, today=dt.date(2024, 1, 31))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_invoices(pilot)
        await pilot.press("i")  # the newest first: K-0000's, series B
        await confirmed(pilot)
        await wait_for(pilot, lambda: "B/2024/0001" in screen_text(app))
        await pilot.press("p")
        await pilot.pause()
        field = app.screen.query_one("#pdf-path")
        field.value = str(tmp_path / "missing" / "x.pdf")
        await pilot.press("enter")
        error = app.screen.query_one("#pdf-path-error")
        await wait_for(pilot, lambda: "no such directory" in str(error.content))
        assert error.display and field.has_class("-refused")
        database = Path(sqlite_target).read_bytes()
        field.value = sqlite_target
        await pilot.press("enter")
        await wait_for(pilot, lambda: "is the open database" in str(error.content))
        assert Path(sqlite_target).read_bytes()[:16] == database[:16] == b"SQLite format 3\x00"
        field.value = str(out)
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")
    written = out / "B-2024-0001.pdf"
    text = PdfReader(written).pages[0].extract_text()
    assert "B/2024/0001" in text and "Cliente 000" in text


async def test_send_the_courtesy_copy(sqlite_target, tmp_path, make_server) -> None:  # noqa: F811
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Outbox

    server = make_server()
    config = config_file(tmp_path, server.port)
    _setup(sqlite_target, tmp_path, email_address="cliente{i}@example.com")
    from tui_billing.tui.app import BillingApp

    app = BillingApp(sqlite_target, config_path=Path(config), today=dt.date(2024, 1, 31))
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_invoices(pilot)
        await pilot.press("m")  # a draft has no copy
        await wait_for(pilot, lambda: any("is a draft" in n.message for n in app._notifications))
        await pilot.press("i")
        await confirmed(pilot)
        await wait_for(pilot, lambda: "B/2024/0001" in screen_text(app))
        await pilot.press("m")
        await confirmed(pilot)
        await wait_for(
            pilot, lambda: any("Courtesy copy sent" in n.message for n in app._notifications)
        )
        await pilot.press("m")  # not twice without asking
        await confirmed(pilot)
        await wait_for(pilot, lambda: any("already sent" in n.message for n in app._notifications))
    assert len(server.handler.envelopes) == 1
    message = email.message_from_bytes(server.handler.envelopes[0].content)
    assert message["To"].endswith("<cliente0@example.com>")
    assert "B/2024/0001" in message["Subject"]
    pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    assert (
        "B/2024/0001" in PdfReader(io.BytesIO(pdf.get_payload(decode=True))).pages[0].extract_text()
    )
    open_database(sqlite_target)
    assert [(o.status, o.attempts) for o in Outbox.select()] == [("sent", 1)]


@pytest.mark.parametrize("width", [80, 120])
async def test_columns_fit_the_width(sqlite_target, tmp_path, width) -> None:
    _setup(sqlite_target, tmp_path)
    app = make_app(sqlite_target, today=dt.date(2024, 1, 31))
    async with app.run_test(size=(width, 24)) as pilot:
        await _open_invoices(pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Invoice" in line and "Total" in line)
        assert ("Taxable" in header) == (width >= 100)
        assert all(len(line) <= width for line in lines)


async def test_issuing_a_draft_in_italian(italian, sqlite_target, tmp_path) -> None:
    """The invoices list and the question before issuing speak Italian: statuses from the
    glossary, amounts as 1.234,56, the number the draft will take."""
    from tests.tui.helpers import confirmed, make_app, make_bulk, screen_text, wait_for
    from tui_billing.billing.due import list_due
    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database

    today = dt.date(2024, 3, 15)
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    db = open_database(target)
    materialize(db, today)
    [draft] = create_invoices(db, [r.id for r in list_due(db, today)][:1])
    db.close()
    app = make_app(target, today=today)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loading_done", False))
        await pilot.press("3")
        await wait_for(pilot, lambda: f"bozza n. {draft.id}" in screen_text(app))
        shown = screen_text(app)
        assert "1 fattura" in shown and "Stato" in shown and " bozza " in shown
        await pilot.press("i")
        question = await confirmed(pilot)
        assert question.startswith(
            f"Emettere 1 fattura (bozza n. {draft.id}) con data 01/01/2024, numero "
        )
        await wait_for(
            pilot, lambda: any("Emessa con numero" in n.message for n in app._notifications)
        )
        await wait_for(pilot, lambda: " emessa " in screen_text(app))
