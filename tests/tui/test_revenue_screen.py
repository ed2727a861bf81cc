"""The revenue screen in the real app: figures entered from the keyboard reach the database
and the waiting installment they unblock; bad input is named, nothing written."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pytest

from tui_billing.store.models import Contract, Installment, RevenueFigure
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.revenue import RevenueScreen

CONTRACT = {
    "code": "ROY-1",
    "customer": "ROSSI",
    "status": "active",
    "start_date": "2025-01-01",
    "frequency": "quarterly",
    "timing": "arrears",
    "lines": [
        {"description": "Royalty", "unit_price": "0", "vat_rate": "22", "revenue": {"percent": "5"}}
    ],
}


RENT = {
    "code": "AFF-1",
    "customer": "ROSSI",
    "status": "active",
    "start_date": "2025-01-01",
    "frequency": "monthly",
    "lines": [
        {
            "description": "Canone",
            "unit_price": "1000.00",
            "vat_rate": "22",
            "index": {"series": "FOI", "share": "75", "month": 1, "base_month": "2024-12"},
        }
    ],
}


@pytest.fixture
def target(sqlite_target, tmp_path):
    from tui_billing.cli.main import main

    path = tmp_path / "k.json"
    path.write_text(
        json.dumps(
            {
                "customers": [{"code": "ROSSI", "name": "Rossi"}],
                "contracts": [CONTRACT, RENT],
                "index_series": [{"code": "FOI"}],
            }
        )
    )
    assert main(["--db", sqlite_target, "import", str(path)]) == 0
    csv = tmp_path / "foi.csv"
    csv.write_text("month,value,base\n2024-12,121.5,2015\n2025-12,122.8,2015\n")
    assert main(["--db", sqlite_target, "index", "import", "FOI", str(csv)]) == 0
    assert main(["--db", sqlite_target, "due", "--date", "2025-03-31"]) == 0
    return sqlite_target


def screen_text(screen) -> str:
    from tui_billing.tui.screens.revenue import DataTable, Static

    parts = [str(w.render()) for w in screen.query(Static)]
    for table in screen.query(DataTable):
        parts += [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]
    return "\n".join(parts)


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)


def test_enter_a_figure_and_see_the_index_series(target):
    app = BillingApp(target, today=date(2025, 3, 31))
    asyncio.run(drive(app))
    app.db.close()
    from tui_billing.billing.due import due_on
    from tui_billing.store.database import open_database

    db = open_database(target)
    rows, _ = due_on(db, date(2025, 3, 31), contract="ROY-1")  # the figure unblocked it
    [row] = list(rows)
    assert (row.status, str(row.amount)) == ("pending", "500.00")  # 10,000.00 x 5%
    db.close()


async def drive(app: BillingApp) -> None:
    async with app.run_test(size=(110, 30)) as pilot:
        app.push_screen(RevenueScreen())
        await pilot.pause()
        screen = app.screen
        assert "FOI 2025-12 122.8 2015=100" in screen_text(screen)
        assert "FOI 2024-12 121.5 2015=100" in screen_text(screen)
        royalty = Installment.select().join(Contract).where(Contract.code == "ROY-1")
        assert royalty.get().status == "waiting"  # ids follow invoice dates, not contracts
        await pilot.press("n")
        for text in ("ROY-1", "2024-10-01", "2024-12-31", "abc"):
            await type_text(pilot, text)
            await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
        assert "amount: not a decimal number" in screen_text(screen)
        assert RevenueFigure.select().count() == 0
        await pilot.press("shift+tab")
        for _ in range(3):
            await pilot.press("backspace")
        await type_text(pilot, "10000.00")
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(screen)
        assert "ROY-1 01/10/2024-31/12/2024: 10,000.00 (created)" in text
        assert "ROY-1 01/10/2024-31/12/2024 10,000.00" in text
        [figure] = RevenueFigure.select()
        assert str(figure.amount) == "10000.00"
        await pilot.press("escape")  # from the form to the table
        await pilot.pause()
        assert isinstance(app.screen, RevenueScreen)
        await pilot.press("escape")  # from the table, out of the screen
        await pilot.pause()
        assert not isinstance(app.screen, RevenueScreen)


def test_the_price_history_of_the_contract_typed_is_shown(target):
    async def drive_history(app: BillingApp) -> None:
        async with app.run_test(size=(110, 40)) as pilot:
            app.push_screen(RevenueScreen())
            await pilot.pause()
            await pilot.press("n")
            await type_text(pilot, "AFF-1")
            await app.workers.wait_for_complete()  # the history is read in a thread
            await pilot.pause()
            text = screen_text(app.screen)
            # (122.8 / 121.5 - 1) x 100 = 1.0699...% -> 1.1%; 75% -> 0.825%
            assert "line 1 (Canone): base price 1,000.00" in text
            assert "variation: (122.8 / 121.5 - 1) x 100 = 1.1%" in text
            assert "price: 1000.00 x (1 + 0.825%) = 1008.25" in text

    app = BillingApp(target, today=date(2026, 1, 15))
    asyncio.run(drive_history(app))
    app.db.close()
