"""Snapshots in Italian at 80x24 of the payments screen (both views), the collections screen
and the returned-collection dialog, on the demo database, today pinned: Italian words are
longer, and nothing needed may be cut at 80 columns (update them with
``pytest tests/tui/test_italian_snapshots_payments.py --snapshot-update`` and look)."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app, make_demo, screen_text, wait_for
from tests.tui.test_payment_snapshots import _steady, payment_list, payments
from tests.tui.test_snapshots import _due

SIZE = (80, 24)


@pytest.fixture
def demo(tmp_path, monkeypatch) -> str:
    """The demo database as ``demo.sqlite`` in the working directory (a stable header)."""
    monkeypatch.chdir(tmp_path)
    return make_demo("demo.sqlite")


def test_payments_screen_in_italian(snap_compare, demo, italian) -> None:
    async def before(pilot) -> None:
        await payments(pilot)
        await _steady(pilot)
        shown = screen_text(pilot.app)
        assert "Partite aperte al 01/12/2026" in shown and "25.803,73" in shown

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=before)


def test_payment_list_in_italian(snap_compare, demo, italian) -> None:
    async def before(pilot) -> None:
        await payment_list(pilot)
        await _steady(pilot)
        assert "668 incassi, 1 restituito dalla banca" in screen_text(pilot.app)

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=before)


def test_collections_screen_in_italian(snap_compare, demo, italian) -> None:
    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("8")
        await wait_for(pilot, lambda: getattr(pilot.app.screen, "loads_done", 0) > 0)
        await _steady(pilot)
        assert "AM04 Fondi insufficienti" in screen_text(pilot.app)  # the reason, whole

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=before)


def test_return_dialog_in_italian(snap_compare, demo, italian) -> None:
    async def before(pilot) -> None:
        await payments(pilot)
        await pilot.press("escape", "ctrl+r")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ReturnDialog")
        await _steady(pilot)
        assert "Data dell'insoluto" in screen_text(pilot.app)

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=before)
