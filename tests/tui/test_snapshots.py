"""Snapshots of the main screens at 80x24 and 120x40 on the demo database, today pinned
(update them with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tui.helpers import TODAY, make_app, make_demo, wait_for

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo(tmp_path, monkeypatch) -> str:
    """The demo database as ``demo.sqlite`` in the working directory (a stable header)."""
    monkeypatch.chdir(tmp_path)
    return make_demo("demo.sqlite")


async def _due(pilot) -> None:
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "loading_done", False))
    await pilot.pause(0.1)


def _with_invoices(target: str) -> None:
    """Nine installments of the demo invoiced: three issued, the rest drafts."""
    from tui_billing.billing.due import list_due
    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database

    db = open_database(target)
    materialize(db, TODAY)
    due = [r.id for r in list_due(db, TODAY)]
    create_invoices(db, due[:3], status="issued", invoice_date=TODAY)
    create_invoices(db, due[3:9])
    db.close()


def _with_a_run(target: str) -> None:
    """One billing run of the demo, its times pinned."""
    from tui_billing.billing.run import RunOptions, run_billing
    from tui_billing.config import Config
    from tui_billing.store.database import open_database
    from tui_billing.store.models import BillingRun, BillingRunLog

    db = open_database(target)
    run_billing(db, RunOptions(on=TODAY, email=False), Config())
    stamp = dt.datetime(2026, 12, 1, 2, 30)
    BillingRun.update(started_at=stamp, finished_at=stamp).execute()
    BillingRunLog.update(at=stamp).execute()
    db.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_due_screen(snap_compare, demo, size) -> None:
    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("space", "space", "down", "space")

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_create_invoices_dialog(snap_compare, demo, size) -> None:
    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("space", "space", "space", "slash", *"Rossi", "enter", "c")
        await pilot.pause(0.1)
        pilot.app.screen.query_one("#create-date").cursor_blink = False  # a steady cursor
        await pilot.pause()

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirm_issuing_dialog(snap_compare, demo, size) -> None:
    """The question before issuing: the invoices, their dates and numbers."""

    async def before(pilot) -> None:
        from tui_billing.tui.screens.common import ConfirmScreen

        await _due(pilot)
        await pilot.press("space", "space", "space", "c")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CreateInvoicesDialog")
        pilot.app.screen.query_one("#create-status").value = "issued"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.pause(0.1)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_invoices_screen(snap_compare, demo, size) -> None:
    _with_invoices(demo)

    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("3")
        await wait_for(
            pilot, lambda: "invoices" in str(pilot.app.screen.query_one("#invoices-status").content)
        )

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_billing_run_screen(snap_compare, demo, size) -> None:
    _with_a_run(demo)

    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("7")
        await wait_for(
            pilot, lambda: "Log of run" in str(pilot.app.screen.query_one("#run-log-title").content)
        )

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "name", ["contract_filter", "line_form", "created_invoices", "installment"]
)
def test_contract_dialogs(snap_compare, demo, name, size) -> None:
    """The contract filter, a new contract line, what "Create invoices" made and a due
    installment opened (issue 15: a snapshot of every dialog at both sizes)."""
    from tests.tui.contract_flows import FLOWS

    assert snap_compare(make_app(demo), terminal_size=size, run_before=FLOWS[name])
