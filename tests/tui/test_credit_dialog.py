"""The credit-note dialog of the invoices screen, driven with Pilot: a refused amount is
named on the form and writes nothing; a partial credit asks for confirmation naming the
note's number, then issues it."""

from __future__ import annotations

import datetime as dt
import json

from tests.tui.helpers import make_app, screen_text, wait_for

DOCUMENT = {
    "customers": [{"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}],
    "contracts": [
        {
            "code": "K-1",
            "customer": "ACME",
            "status": "active",
            "start_date": "2026-01-01",
            "frequency": "monthly",
            "lines": [
                {
                    "description": "Canone",
                    "quantity": "1",
                    "unit_price": "100.00",
                    "vat_rate": "22.00",
                },
                {
                    "description": "Assistenza",
                    "quantity": "2",
                    "unit_price": "25.00",
                    "vat_rate": "10.00",
                },
            ],
        }
    ],
}


def _setup(target: str, tmp_path) -> None:
    """A/2026/0001 (January) and A/2026/0002 (February), issued."""
    from tui_billing.cli.main import main

    path = tmp_path / "k.json"
    path.write_text(json.dumps(DOCUMENT))
    assert main(["--db", target, "import", str(path)]) == 0
    assert (
        main(["--db", target, "run", "--date", "2026-02-01", "--status", "issued", "--no-email"])
        == 0
    )


async def test_credit_dialog_refuses_then_confirms_and_issues(db_target, tmp_path) -> None:
    from textual.widgets import Input, Select

    from tui_billing.store.database import open_database
    from tui_billing.store.models import Invoice

    _setup(db_target, tmp_path)
    app = make_app(db_target, today=dt.date(2026, 2, 10))
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loading_done", False))
        await pilot.press("3")
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "InvoicesScreen" and "2 invoices" in screen_text(app)
            ),
        )
        await pilot.press("down")  # newest first: A/2026/0002, then A/2026/0001
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreditDialog")
        dialog = app.screen
        assert "Credit note for A/2026/0001" in screen_text(app)
        assert "Canone" in screen_text(app) and "Assistenza" in screen_text(app)
        dialog.query_one("#credit-mode", Select).value = "amount"
        dialog.query_one("#credit-amount", Input).focus()
        await pilot.press(*"150.01", "enter")
        await wait_for(pilot, lambda: "more than the 150.00 left" in screen_text(app))
        assert "amount:" in str(dialog.query_one("#credit-error").content)
        assert type(app.screen).__name__ == "CreditDialog"
        amount = dialog.query_one("#credit-amount", Input)
        amount.value = ""
        amount.focus()
        await pilot.press(*"30,00")
        dialog.query_one("#credit-reason", Input).value = "Sconto concordato"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert app.screen.question == (
            "Issue credit note for A/2026/0001 (177.00), number "
            "A/2026/0003? Partial: 35.40 with VAT. Dated 10/02/2026."
        )
        shown = screen_text(app)
        assert "Issue credit note for A/2026/0001" in shown and "A/2026/0003?" in shown
        await pilot.press("y")
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "InvoicesScreen" and "A/2026/0003" in screen_text(app)
            ),
        )
        notes = [n.message for n in app._notifications]
        assert "Credit note A/2026/0003 issued" in notes
        await pilot.press("enter")  # the cursor stayed on A/2026/0001
        await wait_for(pilot, lambda: "credited 35.40 by A/2026/0003" in screen_text(app))
    open_database(db_target)
    note = Invoice.get(Invoice.number == "A/2026/0003")
    assert (note.document_type, note.total, note.notes, note.date) == (
        "credit_note",
        -__import__("decimal").Decimal("35.40"),
        "Sconto concordato",
        dt.date(2026, 2, 10),
    )
    assert note.corrects.number == "A/2026/0001"
    assert Invoice.select().count() == 3
