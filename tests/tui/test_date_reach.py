"""The TUI's due and runs screens refuse a date more than ten years past today, as `due`
and `run` do: a clear message, the field marked, nothing computed or billed."""

from __future__ import annotations

import datetime as dt

from tests.tui.helpers import due_ready, make_app, make_bulk, wait_for

TODAY = dt.date(2024, 3, 15)


def _counts(target: str) -> tuple[int, int, int]:
    from tui_billing.store.database import open_database
    from tui_billing.store.models import BillingRun, Installment, Invoice

    db = open_database(target)
    try:
        return BillingRun.select().count(), Invoice.select().count(), Installment.select().count()
    finally:
        db.close()


async def test_the_due_screen_refuses_a_date_too_far_ahead(db_target, tmp_path) -> None:
    target = make_bulk(db_target, tmp_path, contracts=2)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        installments = _counts(target)[2]
        await pilot.press("d", *("backspace",) * 10, *"31/12/2099", "enter")
        await pilot.pause()
        field = app.screen.query_one("#due-date")
        assert field.has_class("-refused")
        assert app.reference_date == TODAY
        assert any(
            n.message == "reference date: 2099-12-31 is more than 10 years after today "
            "(2024-03-15); the latest date accepted is 2034-03-15"
            for n in app._notifications
        )
        assert _counts(target)[2] == installments  # nothing computed for that date
        await pilot.press(*("backspace",) * 10, *"15/03/2034", "enter")
        await due_ready(pilot)
        assert app.reference_date == dt.date(2034, 3, 15)
        assert not field.has_class("-refused")


async def test_the_runs_screen_refuses_a_date_too_far_ahead(db_target, tmp_path) -> None:
    target = make_bulk(db_target, tmp_path, contracts=2)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")
        field = app.screen.query_one("#run-date")
        field.value = "16/03/2034"
        await pilot.press("r")
        await pilot.pause(0.3)
        assert field.has_class("-refused")
        assert any(
            n.message.startswith("run date: 2034-03-16 is more than 10 years after today")
            for n in app._notifications
        )
        assert not app.screen.running
    runs, invoices, _ = _counts(target)
    assert (runs, invoices) == (0, 0)
