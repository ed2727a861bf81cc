"""Invoice line descriptions carry the competence period, in English and Italian."""

from __future__ import annotations

from tests.domain.helpers import d
from tui_billing.domain.descriptions import format_date, line_description, period_suffix


def test_english_and_italian_period_descriptions() -> None:
    start, end = d("2024-07-01"), d("2024-09-30")
    assert (
        line_description("Maintenance", start, end) == "Maintenance - period 01/07/2024-30/09/2024"
    )
    assert (
        line_description("Manutenzione", start, end, "it")
        == "Manutenzione - competenza dal 01/07/2024 al 30/09/2024"
    )


def test_one_off_lines_carry_no_period() -> None:
    assert line_description("Setup", None, None, "it") == "Setup"


def test_unknown_language_falls_back_to_english() -> None:
    assert (
        period_suffix(d("2024-01-01"), d("2024-01-31"), "de") == " - period 01/01/2024-31/01/2024"
    )
    assert format_date(d("0999-03-04")) == "04/03/0999"
