"""Snapshots at 80x24, in Italian, of the records hub and the screens it opens (customers,
a customer form, articles, series, interest rates, the company) and of the ``?`` help, on
the demo database, today pinned: Italian words are longer, and nothing needed may be cut
(update them with ``pytest tests/tui/test_italian_snapshots_shell.py --snapshot-update``
and look)."""

from __future__ import annotations

import pytest

from tests.tui.helpers import make_app
from tests.tui.test_screen_snapshots import SCREENS, _show
from tests.tui.test_screen_snapshots import demo as demo  # the fixture

SIZE = (80, 24)

# screen -> keys pressed from the due screen (the records hub is key 9)
BY_KEYS: dict[str, tuple[str, ...]] = {
    "records": ("9",),
    "records_keys_help": ("9", "question_mark"),
    "customers": ("9", "c"),
    "articles": ("9", "a"),
    "series": ("9", "s"),
    "interest_rates": ("9", "r"),
    "company_form": ("9", "o"),
}
PUSHED = ("customer_form", "article_form", "series_form", "interest_rate_form")


@pytest.mark.parametrize("name", [*BY_KEYS, *PUSHED])
def test_italian_screen(snap_compare, demo, italian, name: str) -> None:
    async def before(pilot) -> None:
        await _show(pilot, SCREENS[name](pilot.app) if name in PUSHED else None)
        for key in BY_KEYS.get(name, ()):
            await pilot.press(key)
            await _show(pilot, None)

    assert snap_compare(make_app(demo), terminal_size=SIZE, run_before=before)
