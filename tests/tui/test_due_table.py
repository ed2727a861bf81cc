"""The due table and its selection model: keys change the model, the screen shows it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from tui_billing.tui.selection import DueRow, Matcher, SelectionModel, period_text
from tui_billing.tui.widgets import DueTable

Q3 = (date(2024, 7, 1), date(2024, 9, 30))
Q4 = (date(2024, 10, 1), date(2024, 12, 31))


def row(
    id: int,
    customer: str,
    amount: str = "100.00",
    *,
    contract: str | None = None,
    series: str = "FE",
    period: tuple[date, date] | None = Q3,
    status: str = "due",
) -> DueRow:
    start, end = period if period is not None else (None, None)
    return DueRow(
        id=id,
        customer=customer,
        contract=contract or f"{id}/2024",
        series=series,
        period_start=start,
        period_end=end,
        invoice_date=date(2024, 10, 2),
        amount=Decimal(amount),
        status=status,
    )


def sample_rows() -> list[DueRow]:
    """Ten rows: four customers, one one-off, one waiting, awkward cents."""
    return [
        row(1, "Rossi Mario e Figli S.n.c.", "150.00"),
        row(2, "Bianchi Impianti S.r.l.", "0.10"),
        row(3, "Rossi Mario e Figli S.n.c.", "0.20", period=Q4),
        row(4, "Comune di Vigevano", "1234.56", series="2024/A"),
        row(5, "Bianchi Impianti S.r.l.", "99.99", period=None),
        row(6, "Studio Verdi (MI)", "10.01", status="waiting"),
        row(7, "Rossi Mario e Figli S.n.c.", "0.30"),
        row(8, "Comune di Vigevano", "45.00", period=Q4),
        row(9, "Bianchi Impianti S.r.l.", "12.34"),
        row(10, "Studio Verdi (MI)", "7.77", period=Q4),
    ]


# --- SelectionModel ----------------------------------------------------------------


def test_toggle_counts_and_exact_total() -> None:
    model = SelectionModel(sample_rows())
    assert model.selected_total == Decimal("0.00")
    assert str(model.selected_total) == "0.00"
    assert model.toggle(2) is True
    assert model.toggle(3) is True
    assert model.toggle(7) is True
    assert model.selected_ids == {2, 3, 7}
    assert model.selected_count == 3
    assert model.selected_total == Decimal("0.60")  # 0.1 + 0.2 + 0.3, no float drift
    assert model.toggle(3) is False
    assert model.selected_total == Decimal("0.40")
    assert model.selected_count == 2
    assert model.is_selected(2) and not model.is_selected(3)


def test_total_exact_with_more_than_two_decimals() -> None:
    rows = [row(1, "A", "0.0001"), row(2, "B", "1.5"), row(3, "C", "1E+2")]
    model = SelectionModel(rows)
    model.select_all_visible()
    assert model.selected_total == Decimal("101.5001")
    model.toggle(1)
    assert model.selected_total == Decimal("101.5")


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError):
        SelectionModel([row(1, "A"), row(1, "B")])


def test_select_range_either_order_and_clamped() -> None:
    model = SelectionModel(sample_rows())
    assert model.select_range(3, 1) == 3
    assert model.selected_ids == {2, 3, 4}
    assert model.select_range(8, 50) == 2
    assert model.selected_ids == {2, 3, 4, 9, 10}


def test_filter_substring_case_insensitive_over_fields() -> None:
    model = SelectionModel(sample_rows())
    assert model.set_filter("rossi") is None
    assert [r.id for r in model.visible_rows()] == [1, 3, 7]
    model.set_filter("2024/a")  # series
    assert [r.id for r in model.visible_rows()] == [4]
    model.set_filter("01/10/2024-31/12/2024")  # period text
    assert [r.id for r in model.visible_rows()] == [3, 8, 10]
    model.set_filter("one-off")
    assert [r.id for r in model.visible_rows()] == [5]
    model.set_filter("5/2024")  # contract
    assert [r.id for r in model.visible_rows()] == [5]
    model.set_filter("")
    assert model.visible_count == 10


def test_filter_regex_anchors_each_field() -> None:
    model = SelectionModel(sample_rows())
    model.set_filter("^(bianchi|comune)")
    assert [r.id for r in model.visible_rows()] == [2, 4, 5, 8, 9]
    model.set_filter(r"^1\d*/2024$")  # contract field only: 1/2024 and 10/2024
    assert [r.id for r in model.visible_rows()] == [1, 10]
    assert model.filter_error is None


def test_literal_text_with_regex_characters_still_matches() -> None:
    model = SelectionModel(sample_rows())
    model.set_filter("Verdi (MI)")
    assert [r.id for r in model.visible_rows()] == [6, 10]
    model.set_filter("S.r.l.")
    assert [r.id for r in model.visible_rows()] == [2, 5, 9]


def test_invalid_regex_falls_back_to_substring_and_reports() -> None:
    model = SelectionModel(sample_rows())
    error = model.set_filter("(mi")
    assert error is not None and "invalid regular expression" in error
    assert model.filter_error == error
    assert [r.id for r in model.visible_rows()] == [6, 10]
    added, error = model.select_matching("verdi (")
    assert added == 2 and error is not None
    assert Matcher("[").error is not None
    assert Matcher("plain").regex is None


def test_hidden_selected_count_follows_filter() -> None:
    model = SelectionModel(sample_rows())
    model.select_all_visible()
    assert model.hidden_selected_count == 0
    model.set_filter("rossi")
    assert model.selected_count == 10
    assert model.hidden_selected_count == 7
    model.toggle(1)  # visible
    assert model.hidden_selected_count == 7
    model.toggle(2)  # hidden
    assert model.hidden_selected_count == 6
    assert model.selected_count == 8
    model.set_filter("")
    assert model.hidden_selected_count == 0


def test_select_all_invert_clear_work_on_visible_rows() -> None:
    model = SelectionModel(sample_rows())
    model.toggle(4)  # Comune, will be hidden
    model.set_filter("bianchi|rossi")
    model.toggle(2)
    assert model.select_all_visible() == 5
    model.invert_visible()
    assert model.selected_ids == {4}
    assert model.hidden_selected_count == 1
    model.invert_visible()
    assert model.selected_ids == {1, 2, 3, 4, 5, 7, 9}
    assert model.selected_total == Decimal("1497.49")
    assert model.clear() == 7  # clear takes hidden rows too
    assert model.selected_ids == frozenset()
    assert model.selected_total == Decimal(0)
    assert model.hidden_selected_count == 0


def test_select_matching_only_among_visible() -> None:
    model = SelectionModel(sample_rows())
    model.set_filter("rossi|bianchi")
    added, error = model.select_matching(r"^01/10/2024|one-off")
    assert error is None
    assert added == 2
    assert model.selected_ids == {3, 5}
    assert model.select_matching("") == (0, None)


def test_select_customer_includes_hidden_rows_unless_asked() -> None:
    model = SelectionModel(sample_rows())
    model.set_filter("01/07/2024")
    assert model.select_customer("Rossi Mario e Figli S.n.c.", visible_only=True) == 2
    assert model.selected_ids == {1, 7}
    assert model.select_customer("Rossi Mario e Figli S.n.c.") == 1
    assert model.selected_ids == {1, 3, 7}
    assert model.hidden_selected_count == 1
    assert model.select_customer("Nobody") == 0


def test_remove_rows_keeps_the_selection_of_others() -> None:
    model = SelectionModel(sample_rows())
    for row_id in (1, 2, 3, 6):
        model.toggle(row_id)
    model.set_filter("rossi|verdi")
    version = model.rows_version
    assert model.remove_rows([1, 6, 8, 999]) == 3
    assert model.rows_version > version
    assert model.selected_ids == {2, 3}
    assert model.selected_count == 2
    assert model.selected_total == Decimal("0.30")
    assert model.hidden_selected_count == 1  # row 2 (Bianchi) is hidden
    assert [r.id for r in model.visible_rows()] == [3, 7, 10]
    assert model.position_of(7) == 1
    assert model.get(1) is None and len(model) == 7
    model.set_filter("")
    assert [r.id for r in model.visible_rows()] == [2, 3, 4, 5, 7, 9, 10]
    model.select_all_visible()
    assert model.selected_count == 7
    model.invert_visible()
    assert model.selected_total == Decimal(0)
    assert model.select_customer("Rossi Mario e Figli S.n.c.") == 2  # 3 and 7, not 1


def test_period_text() -> None:
    assert period_text(*Q3) == "01/07/2024-30/09/2024"
    assert period_text(None, None) == "one-off"


def big_rows(count: int) -> list[DueRow]:
    start = date(2024, 1, 1)
    return [
        DueRow(
            i,
            f"Cliente {i % 5000:05d}",
            f"{i}/2024",
            "FE",
            start,
            start + timedelta(days=90),
            start,
            Decimal(i % 10_000) / 100,
            "due",
        )
        for i in range(count)
    ]


def test_operations_on_100k_rows_keep_exact_aggregates() -> None:
    """Speed is measured by bench/bench_due_table.py; here the big model must stay exact."""
    rows = big_rows(100_000)
    model = SelectionModel(rows)
    model.select_all_visible()
    assert model.selected_count == 100_000
    assert model.selected_total == sum((r.amount for r in rows), Decimal("0"))
    model.invert_visible()
    assert model.selected_count == 0
    model.select_range(10, 90_000)
    assert model.selected_count == 89_991
    model.set_filter("cliente 0001")
    assert model.hidden_selected_count == sum(
        1 for r in rows[10:90_001] if "cliente 0001" not in r.customer.lower()
    )
    model.set_filter("")
    model.remove_rows(range(0, 100_000, 7))
    expected = [r for r in rows[10:90_001] if r.id % 7 != 0]
    assert model.selected_count == len(expected)
    assert model.selected_total == sum((r.amount for r in expected), Decimal("0"))
    model.clear()
    assert model.selected_count == 0 and model.selected_total == 0


# --- DueTable with Pilot ------------------------------------------------------------


class TableApp(App[None]):
    def __init__(self, rows: list[DueRow]) -> None:
        super().__init__()
        self.rows = rows
        self.changes: list[DueTable.SelectionChanged] = []
        self.activated: list[DueRow] = []

    def compose(self) -> ComposeResult:
        yield DueTable(self.rows)

    def on_due_table_selection_changed(self, message: DueTable.SelectionChanged) -> None:
        self.changes.append(message)

    def on_due_table_row_activated(self, message: DueTable.RowActivated) -> None:
        self.activated.append(message.row)


def run(
    body: Callable[[TableApp, DueTable, Pilot[None]], Awaitable[None]],
    rows: list[DueRow] | None = None,
    size: tuple[int, int] = (80, 24),
) -> None:
    async def main() -> None:
        app = TableApp(sample_rows() if rows is None else rows)
        async with app.run_test(size=size) as pilot:
            table = app.query_one(DueTable)
            await pilot.pause()
            await body(app, table, pilot)

    asyncio.run(main())


def lines(table: DueTable) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


def test_shows_header_rows_and_marks_within_80_columns() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        shown = lines(table)
        assert all(len(line) <= 80 for line in shown)
        header = shown[0]
        for label in ("Customer", "Contract", "Series", "Period", "Inv.date", "Amount"):
            assert label in header
        assert shown[1].startswith("[ ] Rossi Mari")
        assert "01/07/24-30/09/24" in shown[1]  # short dates below 100 columns
        assert "02/10/24" in shown[1]
        assert "one-off" in shown[5]
        assert "waiting" in shown[6]
        # amounts right-aligned under the header, two decimals, grouped
        amount_end = header.index("Amount") + len("Amount")
        assert shown[4][:amount_end].endswith("1,234.56")
        assert shown[2][:amount_end].endswith("0.10")
        # long names are cut with an ellipsis rather than pushing columns out
        wide = [row(1, "Ferramenta Esposito & C. di Esposito Gennaro e Figli S.a.s.")]
        table.set_rows(wide)
        await pilot.pause()
        assert "…" in table.render_line(1).text
        assert len(table.render_line(1).text) <= 80
        svg = app.export_screenshot()
        assert "Ferramenta" in svg

    run(body)


def test_space_toggles_and_moves_down() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("space", "space")
        assert table.model.selected_ids == {1, 2}
        assert table.cursor_position == 2
        shown = lines(table)
        assert shown[1].startswith("[x]") and shown[2].startswith("[x]")
        assert shown[3].startswith("[ ]")
        last = app.changes[-1]
        assert (last.count, last.total, last.hidden) == (2, Decimal("150.10"), 0)
        await pilot.press("up", "space")
        assert table.model.selected_ids == {1}
        assert app.changes[-1].total == Decimal("150.00")

    run(body)


def test_shift_arrows_extend_the_selection() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("down", "shift+down", "shift+down")
        assert table.model.selected_ids == {2, 3, 4}
        assert table.cursor_position == 3
        await pilot.press("down", "down", "shift+up")
        assert table.model.selected_ids == {2, 3, 4, 5, 6}

    run(body)


def test_select_all_clear_invert_and_customer_keys() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        assert table.model.selected_count == 10
        assert app.changes[-1].total == Decimal("1560.27")
        await pilot.press("u")
        assert table.model.selected_count == 0
        assert app.changes[-1].count == 0
        await pilot.press("space", "v")
        assert table.model.selected_ids == set(range(2, 11))
        await pilot.press("u", "home", "asterisk")
        assert table.model.selected_ids == {1, 3, 7}
        assert app.changes[-1].total == Decimal("150.50")
        assert all(lines(table)[y].startswith("[x]") for y in (1, 3, 7))

    run(body)


def test_cursor_moves_and_scrolls() -> None:
    rows = [row(i, f"Customer {i:03d}") for i in range(1, 101)]

    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        assert table.cursor_row is not None and table.cursor_row.id == 1
        await pilot.press("down", "down")
        assert table.cursor_position == 2
        await pilot.press("pagedown")
        assert table.cursor_position == 2 + table.page_rows
        await pilot.press("end")
        assert table.cursor_position == 99
        shown = lines(table)
        assert "Customer" in shown[0] and "Contract" in shown[0]  # header stays on top
        assert "Customer 100" in shown[-1]
        await pilot.press("pageup")
        assert table.cursor_position == 99 - table.page_rows
        await pilot.press("home", "up")
        assert table.cursor_position == 0
        assert "Customer 001" in lines(table)[1]

    run(body, rows)


def test_filter_hides_rows_and_counts_hidden_selection() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        assert table.apply_filter("rossi") is None
        await pilot.pause()
        shown = lines(table)
        assert [line for line in shown[1:] if line.strip()] == shown[1:4]
        assert all("Rossi" in line for line in shown[1:4])
        assert "Bianchi" not in "".join(shown)
        assert app.changes[-1].hidden == 7
        await pilot.press("v")
        assert table.model.selected_count == 7
        assert (app.changes[-1].count, app.changes[-1].hidden) == (7, 7)
        error = table.apply_filter("((")
        assert error is not None
        table.apply_filter("")
        await pilot.pause()
        assert "Bianchi" in "".join(lines(table))

    run(body)


def test_filter_after_scrolling_shows_the_remaining_rows() -> None:
    rows = [row(i, "Wanted" if i in (3, 97) else f"Other {i}") for i in range(1, 101)]

    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("end")
        table.apply_filter("wanted")
        await pilot.pause()
        shown = lines(table)
        assert shown[1].startswith("[ ] Wanted") and shown[2].startswith("[ ] Wanted")
        assert table.cursor_row is not None and table.cursor_row.id == 97

    run(body, rows)


def test_select_matching_from_the_widget() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        table.apply_filter("bianchi|comune")
        added, error = table.select_matching("one-off|2024/a")
        await pilot.pause()
        assert (added, error) == (2, None)
        assert table.model.selected_ids == {4, 5}
        assert app.changes[-1].total == Decimal("1334.55")

    run(body)


def test_removing_rows_keeps_selection_of_others() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("space", "space", "space", "space")  # rows 1-4, cursor on row 5
        assert table.remove_rows([2, 4, 5]) == 3
        await pilot.pause()
        assert table.model.selected_ids == {1, 3}
        assert app.changes[-1].count == 2
        assert app.changes[-1].total == Decimal("150.20")
        assert table.cursor_row is not None and table.cursor_row.id == 6
        shown = lines(table)
        assert shown[1].startswith("[x] Rossi") and shown[2].startswith("[x] Rossi")
        assert "1234.56" not in "".join(shown)
        table.set_rows([*sample_rows()[:3], row(11, "New S.p.A.")])
        await pilot.pause()
        assert table.model.selected_ids == {1, 3}
        assert table.model.visible_count == 4

    run(body)


def test_enter_posts_row_activated() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert [r.id for r in app.activated] == [3]

    run(body)


def test_mouse_click_moves_cursor_and_mark_column_toggles() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.click(DueTable, offset=(20, 4))
        assert table.cursor_position == 3
        assert table.model.selected_count == 0
        await pilot.click(DueTable, offset=(1, 2))
        assert table.cursor_position == 1
        assert table.model.selected_ids == {2}
        assert app.changes[-1].count == 1
        await pilot.click(DueTable, offset=(1, 0))  # header: nothing
        assert table.model.selected_ids == {2}

    run(body)


def test_empty_table_is_harmless() -> None:
    async def body(app: TableApp, table: DueTable, pilot: Pilot[None]) -> None:
        await pilot.press("space", "a", "v", "asterisk", "enter", "down", "end", "shift+down")
        assert table.model.selected_count == 0
        assert table.cursor_row is None
        assert app.activated == []
        assert "Customer" in lines(table)[0]

    run(body, [])


def test_bindings_have_ids_and_tooltips() -> None:
    from textual.binding import Binding

    bindings = [b for b in DueTable.BINDINGS if isinstance(b, Binding)]
    assert len(bindings) == len(DueTable.BINDINGS)
    assert all(b.id and b.id.startswith("due_table.") and b.tooltip for b in bindings)
    keys = {b.key for b in bindings}
    assert {"space", "shift+up", "shift+down", "a", "u", "v", "asterisk", "enter"} <= keys
