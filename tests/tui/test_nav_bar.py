"""The navigation line names every screen at any width: padded at 120 columns, packed at
100, shortened from the right below (at 80: ``8 Coll 9 Rec``); a click on a destination goes there."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app, screen_text, wait_for
from tui_billing.tui.widgets.nav_bar import NavBar


def nav_line(app) -> str:
    return screen_text(app).splitlines()[-2]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (
            120,
            " 1 Due   2 Contracts   3 Invoices   4 Orders   5 Payments   6 Revenue   7 Runs "
            "  8 Collections   9 Records ",
        ),
        (
            100,
            "1 Due 2 Contracts 3 Invoices 4 Orders 5 Payments 6 Revenue 7 Runs 8 Collections "
            "9 Records",
        ),
        (80, "1 Due 2 Contracts 3 Invoices 4 Orders 5 Payments 6 Revenue 7 Runs 8 Coll 9 Rec"),
        (70, "1 Due 2 Contracts 3 Invoices 4 Orders 5 Pay 6 Rev 7 Runs 8 Coll 9 Rec"),
        (57, "1 Due 2 Contr 3 Inv 4 Ord 5 Pay 6 Rev 7 Runs 8 Coll 9 Rec"),
    ],
)
async def test_every_destination_fits(tmp_path, width: int, expected: str) -> None:
    app = make_app(str(tmp_path / "nav.sqlite"))
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        assert nav_line(app).rstrip() == expected.rstrip()


async def test_click_on_collections_at_80_columns(tmp_path) -> None:
    app = make_app(str(tmp_path / "nav.sqlite"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        x = nav_line(app).index("8 Coll") + 3
        await pilot.click(NavBar, offset=(x, 0))
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CollectionsScreen")
        assert app.current_mode == "collections"
