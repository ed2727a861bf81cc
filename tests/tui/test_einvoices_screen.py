"""E-invoices on the invoices screen with Pilot: each document's state, a rejection in red
with the SdI's error, and the keys that export the pending ones, read receipts and write
one XML."""

from __future__ import annotations

import datetime as dt
import json

from tests.support.einvoice_data import einvoice_document
from tests.support.sdi_receipts import write_receipt
from tests.tui.helpers import confirmed, make_app, screen_text, wait_for


def _issue(target: str, tmp_path) -> None:
    from tui_billing.cli.main import main

    path = tmp_path / "data.json"
    path.write_text(json.dumps(einvoice_document(3)))
    assert main(["--db", target, "import", str(path)]) == 0
    assert (
        main(
            [
                "--db",
                target,
                "--today",
                "2026-01-31",
                "run",
                "--date",
                "2026-01-31",
                "--status",
                "issued",
                "--no-email",
            ]
        )
        == 0
    )


async def _answer(pilot, key: str, path) -> None:
    """Press ``key`` and give ``path`` to the dialog it opens."""
    app = pilot.app
    await pilot.press(key)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "PathDialog")
    app.screen.query_one("#path-input").value = str(path)
    await pilot.press("enter")
    if key == "e":  # exporting sends: asked first
        assert (await confirmed(pilot)).startswith("Export every pending e-invoice to")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "InvoicesScreen")


async def test_export_receipts_and_one_xml_from_the_invoices_screen(db_target, tmp_path):
    _issue(db_target, tmp_path)
    hot, inbox = tmp_path / "hot", tmp_path / "inbox"
    hot.mkdir()
    inbox.mkdir()
    app = make_app(db_target, today=dt.date(2026, 2, 1))
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loading_done", False))
        await pilot.press("3")
        await wait_for(pilot, lambda: "3 invoices" in screen_text(app))
        assert screen_text(app).count("pending") == 3

        await _answer(pilot, "e", hot)
        await wait_for(pilot, lambda: screen_text(app).count("exported") >= 3)
        assert len(list(hot.iterdir())) == 3

        write_receipt(inbox, "RC", "IT01234560017_00001.xml")
        write_receipt(inbox, "NS", "IT01234560017_00003.xml")
        await _answer(pilot, "r", inbox)
        await wait_for(pilot, lambda: "rejected" in screen_text(app))
        assert "delivered" in screen_text(app)
        table = app.screen.query_one("#invoices-table")
        number = {table.get_row_at(i)[0]: i for i in range(table.row_count)}
        table.move_cursor(row=number["A/2026/0003"])
        await wait_for(
            pilot, lambda: "SdI rejected IT01234560017_00003.xml: 00423" in screen_text(app)
        )
        cell = table.get_row_at(number["A/2026/0003"])[4]
        assert cell.plain == "rejected" and "red" in str(cell.style)

        table.move_cursor(row=number["A/2026/0002"])
        await pilot.pause()
        one = tmp_path / "one.xml"
        await _answer(pilot, "x", one)
        await wait_for(pilot, lambda: one.exists())
        assert one.read_bytes() == (hot / "IT01234560017_00002.xml").read_bytes()

        table.move_cursor(row=number["A/2026/0003"])
        await pilot.press("enter")
        await wait_for(pilot, lambda: "SdI: 00423" in screen_text(app))
        assert "e-invoice rejected (00423, 00417)" in screen_text(app)
