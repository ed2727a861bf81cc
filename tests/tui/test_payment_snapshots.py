"""Snapshots of the payments screen's two views, its questions and dialogs, and the other
questions and dialogs of undo and feedback, at 80x24 and 120x40 on the demo database, today
pinned (update them with ``pytest tests/tui/test_payment_snapshots.py --snapshot-update``
and look)."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app, make_demo, screen_text, wait_for
from tests.tui.test_snapshots import SIZES, _due, _with_a_run, _with_invoices


@pytest.fixture
def demo(tmp_path, monkeypatch) -> str:
    """The demo database as ``demo.sqlite`` in the working directory (a stable header)."""
    monkeypatch.chdir(tmp_path)
    return make_demo("demo.sqlite")


async def _steady(pilot) -> None:
    """No blinking cursor in a snapshot."""
    for field in pilot.app.screen.query("Input"):
        field.cursor_blink = False
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_payments_screen(snap_compare, demo, size) -> None:
    async def before(pilot) -> None:
        await payments(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


async def payments(pilot) -> None:
    """The payments screen (key 5), read."""
    await _due(pilot)
    await pilot.press("5")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "loads_done", 0) > 0)


async def payment_list(pilot) -> None:
    """The payments screen's second view: the payments recorded (ctrl+l)."""
    await payments(pilot)
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: pilot.app.screen.view == "payments-view")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_payment_list(snap_compare, demo, size) -> None:
    async def before(pilot) -> None:
        await payment_list(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_payment_delete_question(snap_compare, demo, size) -> None:
    async def before(pilot) -> None:
        await payment_list(pilot)
        await _steady(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmScreen")
        await pilot.pause(0.1)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_payment_filtered_and_delete_refused(snap_compare, demo, size) -> None:
    """The list filtered by a customer's name, and the refusal to delete a payment the bank
    returned (the demo's one return)."""

    async def before(pilot) -> None:
        await payment_list(pilot)
        await pilot.press("f", *"logistica", "enter")
        await wait_for(pilot, lambda: "payments" in screen_text(pilot.app))
        returned = next(
            r for r in pilot.app.screen.query_one("#payment-list-view").rows if r.returned
        )
        await _steady(pilot)
        table = pilot.app.screen.query_one("#payment-list")
        table.move_cursor(row=table.get_row_index(str(returned.id)))
        await pilot.press("d")
        await wait_for(pilot, lambda: "Not deleted" in screen_text(pilot.app))
        await pilot.pause(0.1)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_return_dialog(snap_compare, demo, size) -> None:
    """The returned-collection dialog, opened on the open item under the cursor."""

    async def before(pilot) -> None:
        await payments(pilot)
        await pilot.press("escape", "ctrl+r")  # to the table: its first open item
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ReturnDialog")
        await _steady(pilot)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_reminders_question(snap_compare, demo, size) -> None:
    """Sending the reminders due asks first: they go out by e-mail."""

    async def before(pilot) -> None:
        await payments(pilot)
        await _steady(pilot)
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmScreen")
        await pilot.pause(0.1)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_draft_delete_question(snap_compare, demo, size) -> None:
    _with_invoices(demo)

    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("3")
        await wait_for(
            pilot, lambda: "invoices" in str(pilot.app.screen.query_one("#invoices-status").content)
        )
        await _steady(pilot)
        await pilot.press("d")  # the newest: a draft
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ConfirmScreen")
        await pilot.pause(0.1)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_run_log_message(snap_compare, demo, size) -> None:
    _with_a_run(demo)

    async def before(pilot) -> None:
        await _due(pilot)
        await pilot.press("7")
        await wait_for(
            pilot, lambda: "Log of run" in str(pilot.app.screen.query_one("#run-log-title").content)
        )
        await _steady(pilot)
        pilot.app.screen.query_one("#run-log").focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "LogMessageScreen")
        await pilot.pause(0.1)

    assert snap_compare(make_app(demo), terminal_size=size, run_before=before)
