"""The expiring contracts screen in the real app: reached from the contracts screen, it
lists deadlines and the manual renewal waiting; its keys renew, renew at a typed price or
let a contract end, and what they do reaches the database; the contract detail shows the
term, the end, the notice deadline and what happens at the end."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pytest

from tui_billing.store.models import Contract, ContractTerm
from tui_billing.tui.app import BillingApp


def contract(code, renewal, **more):
    return {
        "code": code,
        "customer": "ROSSI",
        "status": "active",
        "start_date": "2025-01-01",
        "duration": "annual",
        "renewal": renewal,
        "frequency": "monthly",
        "lines": [{"description": "Assistenza", "unit_price": "100.00", "vat_rate": "22"}],
        **more,
    }


@pytest.fixture
def target(sqlite_target, tmp_path):
    from tui_billing.cli.main import main

    path = tmp_path / "k.json"
    path.write_text(
        json.dumps(
            {
                "customers": [{"code": "ROSSI", "name": "Rossi"}],
                "contracts": [
                    contract("TAC-1", "tacit", notice_days=60, renewal_price={"percent": "2"}),
                    contract("MAN-1", "manual"),
                    contract("MAN-2", "manual"),
                    contract("MAN-3", "manual"),
                ],
            }
        )
    )
    assert main(["--db", sqlite_target, "import", str(path)]) == 0
    return sqlite_target


def screen_text(screen) -> str:
    from textual.widgets import DataTable, Static

    parts = [str(w.render()) for w in screen.query(Static)]
    for table in screen.query(DataTable):
        parts += [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    return "\n".join(parts)


def test_renew_renew_at_a_new_price_and_let_end(target):
    app = BillingApp(target, today=date(2025, 11, 15))
    asyncio.run(drive(app))
    app.db.close()
    from tui_billing.store.database import open_database

    db = open_database(target)
    terms = {
        (t.contract.code, t.number, t.end_date.isoformat(), t.price_change)
        for t in ContractTerm.select()
    }
    assert terms == {("MAN-1", 2, "2026-12-31", None), ("MAN-2", 2, "2026-12-31", "+4.5%")}
    man3 = Contract.get(Contract.code == "MAN-3")
    assert (man3.cancel_end, man3.cancel_reason) == (date(2025, 12, 31), "not renewed")
    db.close()


async def drive(app: BillingApp) -> None:
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        text = screen_text(screen)
        assert "4 contracts, 3 waiting for a decision" in text
        assert "TAC-1 ROSSI 1 01/11/2025 31/12/2025 renews by itself" in text.replace("  ", " ")
        # The waiting decisions come first, by end date and code: MAN-1, MAN-2, MAN-3.
        await pilot.press("r")  # MAN-1 at its own price (none)
        await pilot.pause()
        assert "Renewed MAN-1: term 2" in screen_text(screen)
        await pilot.press("p")  # MAN-2 at a typed price: a bad one first
        for key in "tre":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        assert "price change: not a decimal number" in screen_text(screen)
        for _ in range(3):
            await pilot.press("backspace")
        for key in "4.5":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        assert "Renewed MAN-2: term 2" in screen_text(screen)
        await pilot.press("e")  # MAN-3 ends
        await pilot.pause()
        assert "MAN-3 is not renewed: it ends on 31/12/2025" in screen_text(screen)
        await pilot.press("escape")
        await pilot.pause()


def test_the_contract_detail_shows_term_end_notice_and_what_follows(target):
    from tui_billing.billing.contract_views import contract_detail
    from tui_billing.store.database import open_database
    from tui_billing.tui.screens.contract_summary import settings_text

    db = open_database(target)
    text = settings_text(contract_detail(Contract.get(Contract.code == "TAC-1").id))
    assert (
        "term 1, ends 31/12/2025, notice by 01/11/2025 · at the end: renews by itself "
        "for annual to 31/12/2026, price +2%, unless cancelled by 01/11/2025"
    ) in text
    db.close()
