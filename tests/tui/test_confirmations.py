"""What issues, numbers or runs asks first, naming it; a date after today asks twice; the
run date is the runs screen's own; keys typed in a form stay in it; a changed form asks
before it is left."""

from __future__ import annotations

import contextlib
import datetime as dt

from textual.widgets import Input

from tests.tui.helpers import confirmed, due_ready, make_app, make_bulk, screen_text, wait_for
from tui_billing.tui.screens.common import ConfirmScreen

TODAY = dt.date(2024, 3, 15)


def _counts(target: str) -> tuple[int, int, int]:
    """Invoices, issued invoices and billing runs in the database (read apart from the
    app's connection)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(target)) as db:
        return (
            db.execute("SELECT COUNT(*) FROM invoice").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM invoice WHERE number IS NOT NULL").fetchone()[0],
            db.execute("SELECT COUNT(*) FROM billing_run").fetchone()[0],
        )


async def _create_issued(pilot) -> None:
    """Every row selected, "Create invoices" as issued, submitted."""
    await pilot.press("a", "c")
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "CreateInvoicesDialog")
    pilot.app.screen.query_one("#create-status").value = "issued"
    await pilot.press("ctrl+s")


async def test_issuing_from_the_due_screen_names_the_numbers_esc_writes_nothing(
    sqlite_target, tmp_path
) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=2)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        assert len(app.screen.table.model) == 6
        await _create_issued(pilot)
        question = await confirmed(pilot, answer="escape")
        assert question.startswith("Issue 6 invoices dated 01/01/2024 to 01/03/2024, numbers ")
        assert _counts(target) == (0, 0, 0)
        assert type(app.screen).__name__ == "CreateInvoicesDialog"
        await pilot.press("ctrl+s")
        await confirmed(pilot)  # enter: yes (no date after today: asked once)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreatedInvoicesScreen")
        shown = [i.number for i in app.screen.creation.created]
    assert _counts(target) == (6, 6, 0)
    # the numbers asked about are the numbers given
    for number in shown:
        assert number.rsplit("/", 1)[0] + "/" in question
    assert f"{shown[0]}" in question or f"{sorted(shown)[0]}" in question


async def test_a_date_after_today_asks_a_second_time(sqlite_target, tmp_path) -> None:
    """Upcoming rows created with each installment's own date (01/04 with today 15/03)."""
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        app.screen.set_reference_date(dt.date(2024, 4, 15))
        await wait_for(pilot, lambda: app.screen.loading_done and len(app.screen.table.model) == 4)
        await _create_issued(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        first = str(app.screen.query_one("#confirm-question").content)
        assert first.startswith("Issue 4 invoices dated 01/01/2024 to 01/04/2024")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # asked again
        second = str(app.screen.query_one("#confirm-question").content)
        assert "1 document dated after today (15/03/2024), up to 01/04/2024" in second
        assert "Numbers must follow the dates" in second
        assert "cannot number any document dated before 01/04/2024" in second
        await pilot.press("escape")  # no, at the second question: nothing written
        await pilot.pause()
        assert _counts(target) == (0, 0, 0)
        await pilot.press("ctrl+s")
        await confirmed(pilot)
        assert "after today" in await confirmed(pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreatedInvoicesScreen")
    assert _counts(target) == (4, 4, 0)


async def test_issuing_a_draft_asks_first(sqlite_target, tmp_path) -> None:
    from tui_billing.billing.due import list_due
    from tui_billing.billing.invoicing import create_invoices
    from tui_billing.billing.materialize import materialize
    from tui_billing.store.database import open_database

    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    db = open_database(target)
    materialize(db, TODAY)
    [draft] = create_invoices(db, [r.id for r in list_due(db, TODAY)][:1])
    db.close()
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("3")
        await wait_for(pilot, lambda: "draft #" in screen_text(app))
        await pilot.press("i")
        question = await confirmed(pilot, answer="escape")
        assert question.startswith(f"Issue 1 invoice (draft #{draft.id}) dated 01/01/2024, number ")
        assert _counts(target) == (1, 0, 0)
        await pilot.press("i")
        await confirmed(pilot)
        await wait_for(pilot, lambda: any("Issued as" in n.message for n in app._notifications))
        number = question.rsplit("number ", 1)[1].rstrip("?")
        assert any(f"Issued as {number}" in n.message for n in app._notifications)
    assert _counts(target) == (1, 1, 0)


async def test_the_run_date_is_the_runs_screens_own(sqlite_target, tmp_path) -> None:
    """A date previewed on the due screen does not become the run's date."""
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        app.screen.set_reference_date(dt.date(2024, 9, 30))
        await wait_for(pilot, lambda: app.screen.loading_done)
        await pilot.press("7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")
        assert app.screen.query_one("#run-date", Input).value == "15/03/2024"
        assert "Date" in screen_text(app) and "15/03/2024" in screen_text(app)
        await pilot.press("1", "7")  # back and forth: still today
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")
        assert app.screen.query_one("#run-date", Input).value == "15/03/2024"
        await pilot.press("r")
        question = await confirmed(pilot, answer="escape")
        assert question.startswith("Start the billing run dated 15/03/2024")
        assert _counts(target) == (0, 0, 0)
        # a later date, chosen here, asks twice
        app.screen.query_one("#run-date", Input).value = "30/04/2024"
        await pilot.press("r")
        assert "dated 30/04/2024" in await confirmed(pilot)
        assert "is after today (15/03/2024)" in await confirmed(pilot, answer="escape")
        assert _counts(target) == (0, 0, 0)


async def test_keys_typed_in_a_form_stay_in_it(sqlite_target, tmp_path) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("7")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "BillingRunsScreen")
        screen = app.screen
        screen.query_one("#run-dry").focus()  # a checkbox
        await pilot.pause()
        await pilot.press(*"K-0127")
        await pilot.pause()
        assert app.screen is screen and app.current_mode == "runs"
        field = screen.query_one("#run-date", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"K-0127")
        await pilot.pause()
        assert app.screen is screen and field.value == "K-0127"
        # the navigation line names the F-keys while a field has the focus
        assert "F1 Due" in screen_text(app) and "F7 Runs" in screen_text(app)
        await pilot.press("f3")  # an F-key switches from inside the field
        await wait_for(pilot, lambda: app.current_mode == "invoices")
        await pilot.press("f7")
        await wait_for(pilot, lambda: app.current_mode == "runs")
        app.screen.query_one("#runs-table").focus()
        await pilot.pause()
        assert "1 Due" in screen_text(app)
        await pilot.press("2")  # a digit outside a field still does
        await wait_for(pilot, lambda: app.current_mode == "contracts")


async def test_leaving_a_changed_form_asks(sqlite_target, tmp_path) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("a", "c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreateInvoicesDialog")
        await pilot.press("escape")  # unchanged: leaves at once
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DueScreen")
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreateInvoicesDialog")
        await pilot.pause()
        await pilot.press("tab", *"K-0127")
        assert app.screen.query_one("#create-series", Input).value == "K-0127"
        await pilot.press("escape")
        assert (await confirmed(pilot, answer="escape")).startswith("Discard the changes")
        assert type(app.screen).__name__ == "CreateInvoicesDialog"
        assert app.screen.query_one("#create-series", Input).value == "K-0127"
        await pilot.press("escape")
        await confirmed(pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "DueScreen")


async def test_a_filled_new_contract_form_asks_before_it_is_discarded(
    sqlite_target, tmp_path
) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: app.current_mode == "contracts")
        await pilot.pause(0.3)
        await pilot.press("n")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ContractFormScreen")
        await pilot.pause()
        form = app.screen
        await pilot.press(*"K-0127")  # the first field has the focus: no screen switch
        assert app.screen is form
        await pilot.press("escape")
        assert (await confirmed(pilot, answer="escape")).startswith("Discard the changes")
        assert app.screen is form


async def test_escape_from_a_typed_revenue_figure_asks_before_it_is_emptied(
    sqlite_target, tmp_path
) -> None:
    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("6")
        await wait_for(pilot, lambda: app.current_mode == "revenue")
        await pilot.pause(0.3)
        screen = app.screen
        await pilot.press("n")  # the contract field; unchanged: escape goes to the table
        await pilot.press("escape")
        assert not isinstance(app.screen.focused, Input) and app.screen is screen
        await pilot.press("n", *"K-0001", "tab", *"01/01/2024")
        await pilot.press("escape")
        assert (await confirmed(pilot, answer="escape")).startswith("Discard the changes")
        assert screen.query_one("#revenue-start", Input).value == "01/01/2024"
        await pilot.press("escape")
        await confirmed(pilot)
        assert screen.query_one("#revenue-contract", Input).value == ""
        assert screen.query_one("#revenue-start", Input).value == ""
        assert not isinstance(screen.focused, Input)


async def test_escape_from_a_changed_return_dialog_asks(sqlite_target, tmp_path) -> None:
    from tui_billing.tui.screens.return_dialog import ReturnDialog

    target = make_bulk(sqlite_target, tmp_path, contracts=1)
    app = make_app(target, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        due = app.screen
        app.push_screen(ReturnDialog(app.db, "A/2024/0001", TODAY, app.config.returns))
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnDialog))
        await pilot.pause()
        await pilot.press("escape")  # unchanged: closes at once
        await wait_for(pilot, lambda: app.screen is due)
        app.push_screen(ReturnDialog(app.db, "A/2024/0001", TODAY, app.config.returns))
        await wait_for(pilot, lambda: isinstance(app.screen, ReturnDialog))
        await pilot.pause()
        await pilot.press(*"4,50")  # the fee field has the focus
        dialog = app.screen
        await pilot.press("escape")
        assert (await confirmed(pilot, answer="escape")).startswith("Discard the changes")
        assert app.screen is dialog
        assert dialog.query_one("#return-fee", Input).value == "4,50"
        await pilot.press("escape")
        await confirmed(pilot)
        await wait_for(pilot, lambda: app.screen is due)
