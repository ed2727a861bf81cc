"""Which revenue figure a waiting installment waits for, read from its lines."""

from __future__ import annotations

from datetime import date

from tui_billing.domain.revenue_wait import awaited_span, span_text, waiting_text


def test_the_awaited_figure_is_read_in_both_languages() -> None:
    en = "Royalties - waiting for the revenue of 01/11/2026-30/11/2026 (12/2026)"
    it = "Royalties - in attesa del fatturato dal 01/10/2026 al 31/12/2026"
    assert awaited_span(en) == (date(2026, 11, 1), date(2026, 11, 30))
    assert awaited_span(it) == (date(2026, 10, 1), date(2026, 12, 31))
    assert awaited_span("Canone dicembre 2026") is None


def test_the_figure_is_said_as_the_revenue_screen_takes_it() -> None:
    assert span_text(date(2026, 11, 1), date(2026, 11, 30)) == "2026-11"
    assert span_text(date(2026, 10, 1), date(2026, 12, 31)) == "2026-10 to 2026-12"
    assert span_text(date(2026, 11, 15), date(2026, 12, 14)) == "15/11/2026 to 14/12/2026"


def test_waiting_text_names_the_figure_and_the_contract() -> None:
    lines = [
        {"description": "Canone"},
        {"description": "Royalties - waiting for the revenue of 01/11/2026-30/11/2026"},
    ]
    assert waiting_text(lines, "K-0127") == ("waits for the revenue of 2026-11 for contract K-0127")
    assert waiting_text([{"description": "Canone"}], "K-0127") == ""
