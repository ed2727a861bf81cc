"""Benchmark of the due table at 100,000 rows: first paint, toggle, select-all, invert, filter.

Run with ``python bench/bench_due_table.py [ROWS]``. Headless (App.run_test), prints figures
only. Each interaction is timed three ways: the widget call alone; the call plus a full
synchronous render of the screen; and a real key event from the moment it enters the app
to the end of the frame it causes (this includes Textual's frame scheduling).
Targets: first rows painted < 1.5 s, toggle < 50 ms, select-all/invert/filter < 300 ms,
peak memory < 600 MB.
"""

from __future__ import annotations

import asyncio
import gc
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events
from textual.app import App, ComposeResult
from textual.strip import Strip

from tui_billing.tui.selection import DueRow
from tui_billing.tui.widgets.due_table import DueTable


def make_rows(count: int) -> list[DueRow]:
    """Deterministic rows: 5,000 customers, quarterly periods, some one-off, some waiting."""
    customers = [f"Cliente {i:05d} S.r.l." for i in range(5_000)]
    rows = []
    for i in range(count):
        start = date(2024, 1 + (i % 4) * 3, 1)
        one_off = i % 11 == 0
        rows.append(
            DueRow(
                id=i + 1,
                customer=customers[i % len(customers)],
                contract=f"{i // 4 + 1}/2024",
                series="FE" if i % 3 else "2024/A",
                period_start=None if one_off else start,
                period_end=None if one_off else start + timedelta(days=89),
                invoice_date=start,
                amount=Decimal(100 + (i * 7919) % 99_900) / 100,
                status="waiting" if i % 13 == 0 else "due",
            )
        )
    return rows


class BenchTable(DueTable):
    """Records when the first data row is rendered."""

    first_row_at: float | None = None

    def _render_row(self, *args: object) -> Strip:  # type: ignore[override]
        if self.first_row_at is None:
            self.first_row_at = time.perf_counter()
        return super()._render_row(*args)  # type: ignore[arg-type]


class BenchApp(App[None]):
    def __init__(self, rows: list[DueRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield BenchTable(self.rows)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def main(count: int) -> None:
    t = time.perf_counter()
    rows = make_rows(count)
    print(f"rows built ({count:,})       {ms(time.perf_counter() - t)}")
    gc.collect()

    start = time.perf_counter()
    app = BenchApp(rows)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BenchTable)
        while table.first_row_at is None and time.perf_counter() - start < 30:
            await asyncio.sleep(0.001)
        assert table.first_row_at is not None
        print(f"first rows painted          {ms(table.first_row_at - start)}")
        await pilot.pause()
        assert "[ ]" in table.render_line(1).text

        def repaint() -> float:
            """Render the whole screen now, as the next frame would; return the seconds."""
            t = time.perf_counter()
            app.screen._compositor.render_strips()
            return time.perf_counter() - t

        frame = asyncio.Event()
        display = app._display

        def record_frame(screen, renderable):  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is not None:
                frame.set()

        app._display = record_frame  # type: ignore[method-assign]

        async def round_trip(key: str) -> float:
            """From the key event entering the app to the end of the frame it causes."""
            frame.clear()
            t = time.perf_counter()
            app._driver.send_message(events.Key(key, " " if key == "space" else key))  # type: ignore[union-attr]
            await asyncio.wait_for(frame.wait(), 5)
            elapsed = time.perf_counter() - t
            await pilot.pause()
            return elapsed

        print(f"{'':<27} {'call':>11}   {'+ repaint':>11}   {'key to frame':>12}")

        async def timed(label: str, key: str, direct, reset=None) -> None:  # type: ignore[no-untyped-def]
            if reset is not None:
                reset()
            await pilot.pause()
            t = time.perf_counter()
            direct()
            direct_time = time.perf_counter() - t
            painted = direct_time + repaint()
            if reset is not None:
                reset()
            await pilot.pause()
            pressed = await round_trip(key)
            print(f"{label:<27} {ms(direct_time)}   {ms(painted)}   {ms(pressed)}")

        model = table.model
        await timed("toggle (space)", "space", table.action_toggle)
        await timed("select all (a)", "a", table.action_select_all, model.clear)
        await timed("invert (v), none selected", "v", table.action_invert, model.clear)
        await timed("invert (v), all selected", "v", table.action_invert, model.select_all_visible)
        await timed("clear (u), all selected", "u", table.action_clear, model.select_all_visible)
        await timed("select customer (*)", "asterisk", table.action_select_customer, model.clear)
        await timed("page down", "pagedown", table.action_page_down, table.action_first)
        await timed("end", "end", table.action_last, table.action_first)
        await timed("home", "home", table.action_first, table.action_last)
        assert model.selected_count == 20

        for text in ("cliente 0004", "^cliente 0+1", r"/0[14]/2024-", "one-off", ""):
            await pilot.pause()
            t = time.perf_counter()
            table.apply_filter(text)
            direct_time = time.perf_counter() - t
            painted = direct_time + repaint()
            shown = f"{table.model.visible_count:,} rows"
            print(f"filter {text!r:<20} {ms(direct_time)}   {ms(painted)}   {shown:>14}")

        t = time.perf_counter()
        added, _ = table.select_matching("fe")
        print(f"select matching 'fe'        {ms(time.perf_counter() - t)}  {added:,} rows")

        ids = [row.id for row in rows[::10]]
        t = time.perf_counter()
        table.remove_rows(ids)
        print(f"remove {len(ids):,} rows          {ms(time.perf_counter() - t)}")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)       {peak:8.1f} MB")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000))
