"""Late charges out of VAT scope (N1) in the TUI, with Pilot: the lines of a due installment
and an invoice show them apart from the taxable base, and in the total."""

from __future__ import annotations

import datetime as dt
import json

from tests.cli.test_late_charges_vat import CONTRACT, CUSTOMER
from tests.tui.helpers import due_ready, make_app, screen_text, wait_for


def _late(target: str, tmp_path) -> None:
    """A/2025/0001 unpaid; its charges ride on the installment of 01/07/2025."""
    from tui_billing.cli.main import main

    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"customers": [CUSTOMER], "contracts": [CONTRACT]}))
    assert main(["--db", target, "import", str(path)]) == 0
    assert (
        main(["--db", target, "run", "--date", "2025-04-01", "--status", "issued", "--no-email"])
        == 0
    )


async def test_due_installment_and_invoice_show_the_charges_out_of_scope(db_target, tmp_path):
    _late(db_target, tmp_path)
    app = make_app(db_target, today=dt.date(2025, 7, 1))
    async with app.run_test(size=(160, 40)) as pilot:
        await due_ready(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "total 1,656.18" in screen_text(app))
        shown = screen_text(app)
        assert "4 lines · taxable 1,333.33 · VAT 253.33 (10%: 33.33, 22%: 220.00)" in shown
        assert "out of VAT scope 69.52 ·" in shown and "total 1,656.18" in shown
        assert shown.count(" N1 ") == 2
        await pilot.press("escape")

    from tui_billing.cli.main import main

    assert (
        main(["--db", db_target, "run", "--date", "2025-07-01", "--status", "issued", "--no-email"])
        == 0
    )
    app = make_app(db_target, today=dt.date(2025, 7, 1))
    async with app.run_test(size=(160, 40)) as pilot:
        await due_ready(pilot)
        await pilot.press("3")
        await wait_for(pilot, lambda: "A/2025/0002" in screen_text(app))
        await pilot.press("enter")  # the newest invoice first
        await wait_for(pilot, lambda: "Total 1,656.18" in screen_text(app))
        shown = screen_text(app)
        assert "Out of VAT scope (art. 15 DPR 633/72): 69.52" in shown
        assert "Taxable 1,333.33 · VAT 253.33 · Out of VAT scope 69.52 · Total 1,656.18" in shown
