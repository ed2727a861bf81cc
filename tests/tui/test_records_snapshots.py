"""Snapshots of the records hub and its lists (update them with ``pytest
tests/tui/test_records_snapshots.py --snapshot-update`` and look)."""

from __future__ import annotations

import pytest

from tests.billing.contract_data import TODAY, load
from tests.tui.helpers import make_app, screen_text, wait_for
from tui_billing.billing.article_editing import create_article
from tui_billing.store.database import open_database

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def records(tmp_path, monkeypatch) -> str:
    """Two articles and two series as ``records.sqlite`` in the working directory."""
    monkeypatch.chdir(tmp_path)
    db = open_database("records.sqlite")
    load(db)
    create_article(db, {"code": "PUL", "name": "Pulizia uffici", "price": "35.5", "vat_rate": "22"})
    db.close()
    return "records.sqlite"


async def _open(pilot, *keys: str) -> None:
    await pilot.press("9", *keys)
    await wait_for(
        pilot,
        lambda: (
            "reading" not in screen_text(pilot.app)
            and getattr(pilot.app.screen, "records", [None]) != []
        ),
    )
    await pilot.pause(0.1)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_records_hub(snap_compare, records, size) -> None:
    async def before(pilot) -> None:
        await _open(pilot)

    assert snap_compare(make_app(records, today=TODAY), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_articles_list(snap_compare, records, size) -> None:
    async def before(pilot) -> None:
        await _open(pilot, "a")

    assert snap_compare(make_app(records, today=TODAY), terminal_size=size, run_before=before)


def test_series_list(snap_compare, records) -> None:
    async def before(pilot) -> None:
        await _open(pilot, "s")

    assert snap_compare(make_app(records, today=TODAY), terminal_size=(80, 24), run_before=before)


def test_article_form(snap_compare, records) -> None:
    async def before(pilot) -> None:
        await _open(pilot, "a")
        await pilot.press("e")
        await pilot.pause(0.2)
        pilot.app.screen.focused.cursor_blink = False

    assert snap_compare(make_app(records, today=TODAY), terminal_size=(80, 24), run_before=before)
