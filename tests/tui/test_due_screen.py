"""The due-installments screen driven with Pilot: keys select, `c` `enter` bills, and the
database says what happened."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.tui.helpers import (
    TODAY,
    confirmed,
    due_ready,
    make_app,
    make_bulk,
    screen_text,
    wait_for,
)

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


def _pending(target: str) -> dict[int, str]:
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Installment

    open_database(target)
    return {i.id: i.status for i in Installment.select()}


def _invoices(target: str) -> list[tuple]:
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Installment, Invoice

    open_database(target)
    rows = []
    for inv in Invoice.select().order_by(Invoice.id):
        billed = sorted(i.id for i in Installment.select().where(Installment.invoice == inv.id))
        rows.append((inv.status, inv.number, inv.total, billed))
    return rows


@pytest.fixture
def bulk(db_target, tmp_path) -> str:
    """12 monthly contracts from 2024-01-01 over 20 customers: on 2024-03-15, 36 due."""
    return make_bulk(db_target, tmp_path, contracts=12)


async def test_select_with_keys_then_c_enter_bills_the_selection(bulk) -> None:
    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        screen = app.screen
        table = screen.table
        assert len(table.model) == 36
        first_three = [table.model.visible_row(i) for i in range(3)]
        await pilot.press("space", "space", "space")
        assert screen.selected_ids() == {r.id for r in first_three}
        total = sum((r.amount for r in first_three), Decimal("0.00"))
        assert f"3 selected · {total:.2f} · 0 hidden by the filter" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        assert "Create invoices for 3 installments" in screen_text(app)
        await pilot.press("enter")
        assert (await confirmed(pilot)).startswith("Create 3 draft invoices dated")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreatedInvoicesScreen")
        shown = screen_text(app)
        assert "invoices created (draft)" in shown
        created = app.screen.creation.created
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "DueScreen"
        assert len(table.model) == 33  # the invoiced rows left the table, no reload
        assert all(table.model.get(r.id) is None for r in first_three)
        assert screen.table.model.selected_count == 0
    invoices = _invoices(bulk)
    billed = sorted(i for _, _, _, ids in invoices for i in ids)
    assert billed == sorted(r.id for r in first_three)
    assert all(status == "draft" and number is None for status, number, _, _ in invoices)
    assert sum(t for _, _, t, _ in invoices) == sum(c.total for c in created)
    status = _pending(bulk)
    assert all(status[r.id] == "invoiced" for r in first_three)


async def test_selection_keys_and_the_hidden_count(bulk) -> None:
    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        table = app.screen.table
        await pilot.press("a")
        assert table.model.selected_count == 36
        await pilot.press("v")
        assert table.model.selected_count == 0
        await pilot.press("space", "shift+down", "shift+down")  # row 0, then rows 1 to 3
        assert table.model.selected_count == 4
        await pilot.press("u")
        assert table.model.selected_count == 0
        customer = table.cursor_row.customer
        await pilot.press("asterisk")
        assert {r.customer for r in table.model.selected_rows()} == {customer}
        assert table.model.selected_count == sum(1 for r in table.model if r.customer == customer)
        # `/` filters: the other customers' rows go; the selection stays, none hidden
        await pilot.press("u", "slash", *"K-0001", "enter")
        assert {r.contract for r in table.model.visible_rows()} == {"K-0001"}
        await pilot.press("a", "escape")  # select K-0001's rows; escape clears the filter
        assert table.model.visible_count == 36
        await pilot.press("slash", *"K-0002", "enter")
        hidden = table.model.hidden_selected_count
        assert hidden == 3
        assert "3 selected" in screen_text(app) and "3 hidden by the filter" in screen_text(app)
        # `|` selects the rows matching a regex among the visible ones
        await pilot.press("escape", "u", "vertical_line", *r"K-000[34]$", "enter")
        assert {r.contract for r in table.model.selected_rows()} == {"K-0003", "K-0004"}
        # field filters: series B are contracts 0, 4 and 8
        await pilot.press("f", "tab", "tab", "B", "enter")
        assert {r.contract for r in table.model.visible_rows()} == {"K-0000", "K-0004", "K-0008"}
        assert table.model.hidden_selected_count == 3  # K-0003's three rows


async def test_a_future_date_previews_what_comes_due_and_a_bad_date_is_refused(bulk) -> None:
    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        table = app.screen.table
        assert len(table.model) == 36
        await pilot.press("space")
        selected = set(table.model.selected_ids)
        await pilot.press("d", *("backspace",) * 10, *"31/02/2024", "enter")
        await pilot.pause()
        date_field = app.screen.query_one("#due-date")
        assert date_field.has_class("-refused")
        assert app.reference_date == dt.date(2024, 3, 15)
        assert len(table.model) == 36
        await pilot.press(*("backspace",) * 10, *"15/05/2024", "enter")
        await due_ready(pilot)
        assert app.reference_date == dt.date(2024, 5, 15)
        assert "15/05/2024" in screen_text(app)  # the header shows the reference date
        assert len(table.model) == 60  # two more months of 12 contracts
        assert set(table.model.selected_ids) == selected  # kept across the reload
        upcoming = [r for r in table.model if r.status == "upcoming"]
        assert len(upcoming) == 24 and all(r.invoice_date > dt.date(2024, 3, 15) for r in upcoming)


async def test_enter_opens_the_lines_the_installment_will_invoice(bulk) -> None:
    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        row = app.screen.table.cursor_row
        await pilot.press("enter")
        await wait_for(pilot, lambda: "lines · taxable" in screen_text(app))
        shown = screen_text(app)
        assert "Canone" in shown and "Assistenza" in shown
        # K-0000 (or the first row's contract): 10.10 + 1.5 x 3.33 = 15.10 at 22% and 10%
        assert f"{row.amount:.2f}" in shown
        assert "2 lines · taxable" in shown
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DueScreen"


async def test_create_dialog_options_and_inline_errors(bulk) -> None:
    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        table = app.screen.table
        await pilot.press("c")  # nothing selected: a message, no dialog
        assert type(app.screen).__name__ == "DueScreen"
        await pilot.press("slash", *"K-0001", "enter", "a", "escape")
        ids = set(table.model.selected_ids)
        assert len(ids) == 3
        await pilot.press("c", *"32/01/2024", "enter")
        await pilot.pause()
        assert "no such date" in screen_text(app)
        assert _invoices(bulk) == []  # nothing saved
        await pilot.press(*("backspace",) * 10, *"31/03/2024", "tab", "Z", "enter")
        await confirmed(pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreatedInvoicesScreen")
        await pilot.press("enter")
    invoices = _invoices(bulk)
    from tui_billing.store.models import Invoice

    assert len(invoices) == 1  # one contract: one invoice per date, all dated 31/03
    assert {i.date for i in Invoice.select()} == {dt.date(2024, 3, 31)}
    assert {i.series for i in Invoice.select()} == {"Z"}
    assert sorted(invoices[0][3]) == sorted(ids)


async def test_an_engine_error_is_a_message_and_nothing_is_written(bulk) -> None:
    """Installments invoiced meanwhile (by the command line) are refused, named."""
    from tui_billing.billing.invoicing import create_invoices

    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("space", "space")
        ids = sorted(app.screen.table.model.selected_ids)
        create_invoices(app.db, ids[:1])  # someone else bills the first one
        await pilot.press("c", "enter")
        await wait_for(pilot, lambda: "already invoiced" in screen_text(app))
        assert type(app.screen).__name__ == "CreateInvoicesDialog"
        await pilot.press("escape")
        assert type(app.screen).__name__ == "DueScreen"
    invoices = _invoices(bulk)
    assert len(invoices) == 1 and invoices[0][3] == ids[:1]


async def test_issued_status_numbers_the_invoices(bulk) -> None:
    app = make_app(bulk, today=dt.date(2024, 3, 15))
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.press("space", "space", "c", "tab", "tab", "tab")
        status = app.screen.query_one("#create-status")
        status.value = "issued"
        await pilot.press("ctrl+s")
        question = await confirmed(pilot)
        assert question.startswith("Issue 2 invoices dated ")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreatedInvoicesScreen")
        shown = screen_text(app)
    numbers = [n for _, n, _, _ in _invoices(bulk)]
    assert numbers and all(n for n in numbers)
    assert all(n in shown for n in numbers)


async def test_first_paint_before_the_rest_is_read(db_target, tmp_path) -> None:
    """More rows than the first page: they all arrive, the first page is shown first."""
    from tui_billing.tui.screens import due

    target = make_bulk(db_target, tmp_path, contracts=150)
    app = make_app(target, today=dt.date(2024, 6, 15))
    pages: list[tuple[int, bool]] = []
    original = due.DueScreen._show_page

    def spy(self, message):
        pages.append((len(message.rows), message.complete))
        return original(self, message)

    due.DueScreen._show_page = spy
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await due_ready(pilot)
            assert len(app.screen.table.model) == 900
    finally:
        due.DueScreen._show_page = original
    assert pages[0] == (due.FIRST_PAGE, False)
    assert pages[-1] == (900, True)


def test_today_is_pinned() -> None:
    assert dt.date(2026, 12, 1) == TODAY


async def test_a_waiting_installment_is_listed_but_never_invoiced(tmp_path) -> None:
    """The demo's K-0125 waits for its revenue figure: the table shows it as waiting, and
    select-all then `c` `enter` bills every other row but not that one."""
    from tests.tui.helpers import make_demo

    target = make_demo(str(tmp_path / "demo.sqlite"))
    app = make_app(target)
    async with app.run_test(size=(120, 40)) as pilot:
        await due_ready(pilot)
        model = app.screen.table.model
        waiting = [r for r in model.visible_rows() if r.status == "waiting"]
        assert [r.contract for r in waiting] == ["K-0125"]
        assert model.visible_row(len(model) - 1).status == "waiting"  # last, out of the way
        assert "waiting" in screen_text(app) and "25 due · 1 waiting" in screen_text(app)
        others = [r for r in model.visible_rows() if r.status != "waiting"]
        await pilot.press("a", "c")
        await pilot.pause()
        assert f"Create invoices for {len(others)} installments" in screen_text(app)
        await pilot.press("enter")
        await confirmed(pilot)
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CreatedInvoicesScreen")
    status = _pending(target)
    assert status[waiting[0].id] == "waiting"
    assert all(status[r.id] == "invoiced" for r in others)


async def test_the_highlighted_waiting_row_names_the_figure_it_waits_for(tmp_path) -> None:
    """On the waiting row (K-0125, last) the status line says which revenue figure it waits
    for; on a due row it does not."""
    from tests.tui.helpers import make_demo

    target = make_demo(str(tmp_path / "demo.sqlite"))
    app = make_app(target)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        waits = "waits for the revenue of 2026-10 for contract K-0125"
        assert waits not in screen_text(app)
        await pilot.press("end")
        await wait_for(pilot, lambda: waits in screen_text(app))
        assert app.screen.table.cursor_row.status == "waiting"
        await pilot.press("home")
        await wait_for(pilot, lambda: waits not in screen_text(app))
        assert "25 due · 1 waiting" in screen_text(app)
