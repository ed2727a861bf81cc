"""TARGET2 closing days and the D-1 lead time of SEPA direct debits."""

from __future__ import annotations

from datetime import date

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.target_calendar import (
    check_collection_date,
    earliest_collection_date,
    is_target_day,
    target_closing_days,
)


def test_closing_days_of_2027():
    assert target_closing_days(2027) == {
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 1),
        date(2027, 12, 25),
        date(2027, 12, 26),
    }
    assert not is_target_day(date(2027, 3, 26))  # Good Friday
    assert not is_target_day(date(2026, 12, 12))  # Saturday
    assert is_target_day(date(2026, 12, 24))


@pytest.mark.parametrize("scheme", ["CORE", "B2B"])
def test_lead_time_is_one_target_day(scheme):
    assert earliest_collection_date(date(2026, 12, 7), scheme) == date(2026, 12, 8)
    # Thursday 24 Dec: Christmas (Friday) closes, then Saint Stephen and the weekend
    assert earliest_collection_date(date(2026, 12, 24), scheme) == date(2026, 12, 28)
    assert earliest_collection_date(date(2026, 12, 7), scheme, bank_days=2) == date(2026, 12, 10)


def test_too_early_date_is_refused_naming_the_field():
    with pytest.raises(UserError, match="too early") as error:
        check_collection_date(date(2026, 12, 7), date(2026, 12, 7), "CORE", path="c.due")
    assert error.value.path == "c.due"
    assert check_collection_date(date(2026, 12, 8), date(2026, 12, 7), "CORE") == date(2026, 12, 8)


def test_closing_day_is_refused_as_collection_date():
    with pytest.raises(UserError, match="not a TARGET2 business day"):
        check_collection_date(date(2026, 12, 25), date(2026, 12, 1), "B2B")
