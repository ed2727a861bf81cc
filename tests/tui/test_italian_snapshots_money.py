"""Snapshots in Italian at 80x24 of the invoices, an invoice, the billing runs, revenue,
expiring contracts, the orders and an order's detail, over the demo database with today
pinned: Italian words are longer, and nothing needed may be cut at 80 columns (update with
``pytest tests/tui/test_italian_snapshots_money.py --snapshot-update`` and look)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.tui.helpers import make_app, make_demo
from tests.tui.test_screen_snapshots import _screen, _show
from tests.tui.test_snapshots import _with_a_run, _with_invoices

SIZE = (80, 24)
SCREENS: dict[str, Callable[[Any], Any]] = {
    "invoices": _screen("invoices.InvoicesScreen"),
    "invoice": _screen("invoice.InvoiceScreen", 1),  # A/2024/0001, issued
    "billing_runs": _screen("billing_runs.BillingRunsScreen"),
    "revenue": _screen("revenue.RevenueScreen"),
    "expiring": _screen("expiring.ExpiringScreen"),
    "orders": _screen("orders.OrdersScreen"),
    "order_detail": _screen("orders.OrdersScreen"),  # then enter on the fifth order
}
KEYS: dict[str, tuple[str, ...]] = {"order_detail": ("down", "down", "down", "down", "enter")}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> str:
    """The demo database with nine installments invoiced and one billing run, made once."""
    target = str(tmp_path_factory.mktemp("demo") / "template.sqlite")
    make_demo(target)
    _with_invoices(target)
    _with_a_run(target)
    return target


@pytest.fixture
def demo(demo_template, tmp_path, monkeypatch) -> str:
    """A copy of it as ``demo.sqlite`` in the working directory (a stable header)."""
    import shutil

    monkeypatch.chdir(tmp_path)
    shutil.copy(demo_template, tmp_path / "demo.sqlite")
    return "demo.sqlite"


@pytest.mark.parametrize("name", list(SCREENS))
def test_screen_in_italian(snap_compare, italian, demo, name: str) -> None:
    async def before(pilot) -> None:
        await _show(pilot, SCREENS[name](pilot.app))
        if name in KEYS:
            await pilot.press(*KEYS[name])
            await _show(pilot, None)

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=before)
