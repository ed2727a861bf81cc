"""Snapshots of the contracts list, a contract's detail and its installment plan, at 80x24
and 120x40, on fixed data and a fixed today."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.billing.contract_data import TODAY, contract_id, load
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.materialize import materialize
from tui_billing.store.database import open_database
from tui_billing.store.models import Installment
from tui_billing.tui.app import BillingApp
from tui_billing.tui.screens.contract_detail import ContractDetailScreen
from tui_billing.tui.screens.contracts import ContractsScreen
from tui_billing.tui.screens.plan import PlanScreen

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def app(sqlite_target, monkeypatch):
    monkeypatch.delenv("TUI_BILLING_CONFIG", raising=False)
    db = open_database(sqlite_target)
    load(db)
    cid = contract_id("K-001")
    materialize(db, TODAY, [cid])
    first = (
        Installment.select()
        .where(Installment.contract == cid)
        .order_by(Installment.invoice_date)
        .first()
    )
    create_invoices(db, [first.id], status="issued")
    db.close()
    return BillingApp(db_target=sqlite_target, today=TODAY)


def screen_of(make):
    async def run_before(pilot) -> None:
        pilot.app.sub_title = "contracts.sqlite · 15/11/2024"  # not the temporary path
        await pilot.app.push_screen(make())
        await pilot.pause()
        # Past the plan preview's quiet delay, and every message queued while mounting.
        await pilot.app.workers.wait_for_complete()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False  # a blinking cursor is caught on or off at random
        await pilot.pause(0.5)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_contracts_list(app, snap_compare, size):
    assert snap_compare(app, terminal_size=size, run_before=screen_of(ContractsScreen))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_contract_detail(app, snap_compare, size):
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=screen_of(lambda: ContractDetailScreen(contract_id("K-001"))),
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_installment_plan(app, snap_compare, size):
    assert snap_compare(
        app, terminal_size=size, run_before=screen_of(lambda: PlanScreen(contract_id("K-001")))
    )
