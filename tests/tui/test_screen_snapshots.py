"""Snapshots at 80x24 and 120x40 of the screens and dialogs the other snapshot files do not
show, each opened straight over the due screen of the demo database, today pinned (update
them with ``pytest tests/tui/test_screen_snapshots.py --snapshot-update`` and look)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input

from tests.tui.helpers import make_app, make_demo
from tests.tui.test_snapshots import SIZES, _due


def _screen(path: str, *args: Any) -> Callable[[Any], Any]:
    """A maker of the screen class at ``path`` ("module.Class") given the app."""

    def make(app) -> Any:
        import importlib

        module, _, name = path.rpartition(".")
        cls = getattr(importlib.import_module(f"tui_billing.tui.screens.{module}"), name)
        return cls(*(a(app) if callable(a) else a for a in args))

    return make


SCREENS: dict[str, Callable[[Any], Any]] = {
    "orders": _screen("orders.OrdersScreen"),
    "revenue": _screen("revenue.RevenueScreen"),
    "collections": _screen("collections.CollectionsScreen"),
    "expiring": _screen("expiring.ExpiringScreen"),
    "interest_rates": _screen("interest_rates.InterestRatesScreen"),
    "series": _screen("series.SeriesScreen"),
    "company_form": _screen("company_form.CompanyFormScreen"),
    "customer_form": _screen("customer_form.CustomerFormScreen"),
    "article_form": _screen("articles.ArticleFormScreen"),
    "series_form": _screen("series.SeriesFormScreen"),
    "interest_rate_form": _screen("interest_rates.InterestRateFormScreen"),
    "contract_form": _screen("contract_form.ContractFormScreen"),
    "keys_help": _screen("keys.KeysScreen", lambda app: app.screen),
    "invoice": _screen("invoice.InvoiceScreen", 1),  # A/2024/0001, issued
    "order_detail": _screen("orders.OrdersScreen"),  # then enter on the first order
    # the dialogs of the invoices (A/2024/0001, issued) and of an order
    "credit_dialog": _screen("credit_dialog.CreditDialog", 1, lambda app: app.today),
    "pdf_dialog": _screen("invoice_actions.PdfDialog", 1),
    "einvoice_path": _screen(
        "einvoice_actions.PathDialog",
        "Write the e-invoice XML",
        "/srv/fatture",
        "A file, or a folder for its SdI name (IT01234560017_00001.xml)",
    ),
    "order_invoicing": _screen("order_forms.DownPaymentForm", "O-001", lambda app: app.today),
}
KEYS: dict[str, tuple[str, ...]] = {"order_detail": ("enter",)}


def _params():
    return [
        pytest.param(name, size, id=f"{name}-{size[0]}x{size[1]}")
        for name in SCREENS
        for size in SIZES
    ]


@pytest.fixture
def demo(tmp_path, monkeypatch) -> str:
    """The demo database as ``demo.sqlite`` in the working directory (a stable header)."""
    monkeypatch.chdir(tmp_path)
    return make_demo("demo.sqlite")


async def _show(pilot, screen) -> None:
    """Push ``screen`` over the due screen (None: wait for the current one) and let it read."""
    if screen is not None:
        await _due(pilot)
        await pilot.app.push_screen(screen)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.3)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor is caught on or off at random
        if field.id in ("pdf-path", "path-input"):
            field.value = "/srv/fatture"  # not the test's own working directory
    await pilot.pause(0.1)


@pytest.mark.parametrize(("name", "size"), _params())
def test_screen(snap_compare, demo, name: str, size: tuple[int, int]) -> None:
    async def before(pilot) -> None:
        await _show(pilot, SCREENS[name](pilot.app))
        if name in KEYS:
            await pilot.press(*KEYS[name])
            await _show(pilot, None)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)
