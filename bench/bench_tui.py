"""Benchmark of the TUI driven headless: app start to first paint (demo database), and the
due screen with 100,000 due installments (first rows, toggle, select all, invert, filter,
memory).

Run with ``python bench/bench_tui.py [--rows N] [--dir DIR]``. The 100,000-row database
(2,000 monthly contracts since January 2022, materialized) is built once in DIR and reused.
Interactions are timed from the key entering the app to the end of the frame it causes.
Targets: first rows < 1.5 s; toggle < 50 ms; select all and invert < 300 ms; filter
< 300 ms; peak memory < 600 MB; start to first paint on the demo database < 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events

from tui_billing.tui.widgets.due_table import DueTable

TODAY = dt.date(2026, 3, 15)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def build_database(path: Path, rows: int) -> None:
    """Monthly contracts from 2022-01-01: 51 installments each up to TODAY."""
    from tui_billing.billing.materialize import materialize
    from tui_billing.cli.main import main

    contracts = max(1, -(-rows // 51))
    from bench_seller import SELLER

    doc = {
        "company": SELLER,  # issuing needs a complete seller
        "customers": [{"code": f"C{i:04d}", "name": f"Cliente {i:04d} S.r.l."} for i in range(500)],
        "contracts": [
            {
                "code": f"K-{i:05d}",
                "customer": f"C{i % 500:04d}",
                "status": "active",
                "start_date": "2022-01-01",
                "frequency": "monthly",
                "series": "A" if i % 4 else "B",
                "lines": [
                    {
                        "description": "Canone",
                        "quantity": "1",
                        "unit_price": f"{10 + i % 7}.10",
                        "vat_rate": "22.00",
                    }
                ],
            }
            for i in range(contracts)
        ],
    }
    source = path.with_suffix(".json")
    source.write_text(json.dumps(doc))
    assert main(["--db", str(path), "import", str(source)]) == 0
    from tui_billing.store.database import open_database

    db = open_database(str(path))
    result = materialize(db, TODAY)
    db.close()
    print(f"built {path}: {contracts:,} contracts, {result.created:,} installments")


class FirstRow:
    """Records when the due table renders its first data row."""

    def __init__(self) -> None:
        self.at: float | None = None
        self._original = DueTable._render_row

    def __enter__(self) -> FirstRow:
        recorder = self
        original = self._original

        def render_row(table, *args):  # type: ignore[no-untyped-def]
            if recorder.at is None:
                recorder.at = time.perf_counter()
            return original(table, *args)

        DueTable._render_row = render_row  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        DueTable._render_row = self._original  # type: ignore[method-assign]


async def start_to_first_paint(target: str, today: dt.date, size=(80, 24)) -> float:
    from tui_billing.tui.app import BillingApp

    with FirstRow() as first:
        start = time.perf_counter()
        app = BillingApp(target, today=today)
        async with app.run_test(size=size):
            while first.at is None and time.perf_counter() - start < 60:
                await asyncio.sleep(0.001)
            assert first.at is not None
            return first.at - start


async def interactions(target: str, today: dt.date) -> None:
    from tui_billing.tui.app import BillingApp

    with FirstRow() as first:
        start = time.perf_counter()
        app = BillingApp(target, today=today)
        async with app.run_test(size=(80, 24)) as pilot:
            while first.at is None and time.perf_counter() - start < 60:
                await asyncio.sleep(0.001)
            print(f"first rows painted           {ms(first.at - start)}   (target 1500 ms)")
            screen = app.screen
            while not screen.loading_done:
                await asyncio.sleep(0.01)
            print(
                f"all rows loaded              {ms(time.perf_counter() - start)}"
                f"   ({len(screen.table.model):,} rows)"
            )
            await pilot.pause()

            frame = asyncio.Event()
            display = app._display

            def record_frame(screen_, renderable):  # type: ignore[no-untyped-def]
                display(screen_, renderable)
                if renderable is not None:
                    frame.set()

            app._display = record_frame  # type: ignore[method-assign]

            async def key(name: str, character: str | None = None) -> float:
                await pilot.pause()
                frame.clear()
                t = time.perf_counter()
                app._driver.send_message(events.Key(name, character))  # type: ignore[union-attr]
                await asyncio.wait_for(frame.wait(), 10)
                elapsed = time.perf_counter() - t
                await pilot.pause()
                return elapsed

            table = screen.table
            toggles = [await key("space", " ") for _ in range(5)]
            print(f"toggle (space), worst of 5   {ms(max(toggles))}   (target 50 ms)")
            print(
                f"select all (a)               {ms(await key('a', 'a'))}   (target 300 ms)"
                f"   {table.model.selected_count:,} selected"
            )
            print(f"invert (v)                   {ms(await key('v', 'v'))}   (target 300 ms)")
            print(f"invert (v) again             {ms(await key('v', 'v'))}   (target 300 ms)")
            await key("slash", "/")
            for ch in "cliente 000":
                last = await key(ch if ch != " " else "space", ch)
            print(
                f"filter, last key typed       {ms(last)}   (target 300 ms)"
                f"   {table.model.visible_count:,} shown"
            )
            print(f"filter off (escape)          {ms(await key('escape'))}   (target 300 ms)")
            print(f"status line                  {screen.query_one('#due-status').content}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tui-bench")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("XDG_CONFIG_HOME", str(args.dir / "config"))
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")

    demo = args.dir / "demo.sqlite"
    from tui_billing.cli.main import main as cli

    if not demo.exists():
        assert cli(["--db", str(demo), "--today", "2026-12-01", "demo"]) == 0
    demo_today = dt.date(2026, 12, 1)
    times = [asyncio.run(start_to_first_paint(str(demo), demo_today)) for _ in range(3)]
    print(
        f"demo: start to first paint   {ms(min(times))} best, {ms(max(times))} worst"
        "   (target 1000 ms)"
    )

    big = args.dir / f"due-{args.rows}.sqlite"
    if not big.exists():
        build_database(big, args.rows)
    asyncio.run(interactions(str(big), TODAY))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS)        {peak:8.1f} MB   (target 600 MB)")


if __name__ == "__main__":
    main()
