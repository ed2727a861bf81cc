"""The due and contract screens and dialogs in Italian at 80x24, on the demo database with
today pinned: Italian words are longer, and nothing needed may be cut at 80 columns
(update with ``--snapshot-update`` and look at every one)."""

from __future__ import annotations

import pytest

from tests.tui.contract_flows import FLOWS
from tests.tui.helpers import make_app, make_demo


@pytest.fixture
def demo(tmp_path, monkeypatch) -> str:
    """The demo database as ``demo.sqlite`` in the working directory (a stable header)."""
    monkeypatch.chdir(tmp_path)
    return make_demo("demo.sqlite")


@pytest.mark.parametrize("name", list(FLOWS))
def test_italian(snap_compare, demo, italian, name: str) -> None:
    assert snap_compare(make_app(demo), terminal_size=(80, 24), run_before=FLOWS[name])
