"""The due and contract screens and dialogs in Italian at 80x24, on the demo database with
today pinned: Italian words are longer, and nothing needed may be cut at 80 columns
(update with ``--snapshot-update`` and look at every one). Each screen is also read for
English left on it: none of the English texts of these screens may show."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from tests.tui.contract_flows import FLOWS, Flow
from tests.tui.helpers import make_app, make_demo, screen_text
from tui_billing import locale_build

TUI = locale_build.PACKAGE_DIR / "tui"
SOURCES = [
    *(
        TUI / "screens" / f"{name}.py"
        for name in (
            "due",
            "create_invoices",
            "contracts",
            "contract_detail",
            "contract_form",
            "contract_status",
            "contract_summary",
            "installment",
            "plan",
        )
    ),
    TUI / "selection.py",
    TUI / "contract_list.py",
]


@cache
def english_texts() -> list[re.Pattern[str]]:
    """The English texts of these screens that read differently in Italian (whole words,
    without values to fill in), as patterns."""
    texts = []
    italian = {(m.id, m.context): m.string for m in locale_build.read(locale_build.po_path("it"))}
    for message in locale_build.extract(SOURCES):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        string = italian.get((message.id, message.context)) or ""
        strings = string if isinstance(string, tuple) else (string,)
        for english in ids:
            if "{" in english or len(english) < 4 or english in strings:
                continue
            texts.append(re.compile(rf"(?<![\w/]){re.escape(english)}(?![\w])"))
    return texts


def english_left(text: str) -> list[str]:
    """The English texts of these screens found in ``text`` (the navigation bar, the
    application's own keys and the records' data aside)."""
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith("1 ")  # the navigation bar: the application shell's words
    ]
    shown = "\n".join(lines)
    return [p.pattern for p in english_texts() if p.search(shown)]


def checked(flow: Flow) -> Flow:
    async def run_before(pilot) -> None:
        await flow(pilot)
        assert english_left(screen_text(pilot.app)) == []

    return run_before


@pytest.fixture
def demo(tmp_path, monkeypatch) -> str:
    """The demo database as ``demo.sqlite`` in the working directory (a stable header)."""
    monkeypatch.chdir(tmp_path)
    return make_demo("demo.sqlite")


@pytest.mark.parametrize("name", list(FLOWS))
def test_italian(snap_compare, demo, italian, name: str) -> None:
    assert snap_compare(make_app(demo), terminal_size=(80, 24), run_before=checked(FLOWS[name]))


def test_the_english_check_finds_english() -> None:
    assert english_left("Codice  Customer  Stato") != []
    assert english_left("Codice  Cliente  Stato  Totale") == []
    assert all(Path(source).exists() for source in SOURCES)
