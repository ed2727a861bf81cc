"""What people read is formatted in one place (tui_billing/domain/display.py): no screen,
command or document writes a date or an amount format of its own."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tui_billing"
INLINE = re.compile(r"%d/%m/%Y|:,\.2f")


def test_no_inline_date_or_amount_format_in_the_tui_the_cli_or_the_documents() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for layer in ("tui", "cli", "output")
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []


def test_the_check_sees_an_inline_format() -> None:
    assert INLINE.search('f"{value:%d/%m/%Y}"') and INLINE.search('f"{total:,.2f}"')
    assert not INLINE.search("display.day(value)")
