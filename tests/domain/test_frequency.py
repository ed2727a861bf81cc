"""Frequencies: names, {"every", "unit"}, adding them to dates, labels."""

from __future__ import annotations

import pytest

from tests.domain.helpers import d
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency


@pytest.mark.parametrize(
    ("name", "every", "unit", "months"),
    [
        ("daily", 1, "day", None),
        ("weekly", 1, "week", None),
        ("monthly", 1, "month", 1),
        ("bimonthly", 2, "month", 2),
        ("quarterly", 3, "month", 3),
        ("fourmonthly", 4, "month", 4),
        ("semiannual", 6, "month", 6),
        ("annual", 1, "year", 12),
    ],
)
def test_named_frequencies(name: str, every: int, unit: str, months: int | None) -> None:
    frequency = Frequency.parse(name)
    assert frequency == Frequency(every, unit)
    assert frequency.months == months
    assert frequency.to_json() == name
    assert frequency.name == name


def test_every_n_units() -> None:
    frequency = Frequency.parse({"every": 2, "unit": "week"})
    assert frequency == Frequency(2, "week")
    assert frequency.months is None
    assert frequency.days == 14
    assert frequency.to_json() == {"every": 2, "unit": "week"}
    assert Frequency.parse({"every": 3, "unit": "month"}).to_json() == "quarterly"
    assert Frequency.parse({"every": 2, "unit": "year"}).months == 24
    assert Frequency.parse('{"every": 10, "unit": "day"}') == Frequency(10, "day")


def test_parse_is_lenient_on_spelling() -> None:
    assert Frequency.parse(" Quarterly ") == Frequency(3, "month")
    assert Frequency.parse("trimestrale") == Frequency(3, "month")
    assert Frequency.parse({"every": "2", "unit": "months"}) == Frequency(2, "month")


@pytest.mark.parametrize(
    ("value", "message", "path"),
    [
        ("fortnightly", "unknown frequency 'fortnightly'", "contracts[0].frequency"),
        (
            {"every": 0, "unit": "month"},
            "must be between 1 and 1000",
            "contracts[0].frequency.every",
        ),
        (
            {"every": True, "unit": "month"},
            "must be a whole number",
            "contracts[0].frequency.every",
        ),
        ({"every": 1.5, "unit": "month"}, "must be a whole number", "contracts[0].frequency.every"),
        (
            {"every": 2, "unit": "hour"},
            "unknown frequency unit 'hour'",
            "contracts[0].frequency.unit",
        ),
        ({"every": 2}, "must be one of day, week, month, year", "contracts[0].frequency.unit"),
        (
            {"every": 2, "unit": "day", "x": 1},
            "unknown frequency key 'x'",
            "contracts[0].frequency",
        ),
        (12, "unknown frequency '12'", "contracts[0].frequency"),
        ("{not json", "unknown frequency '{not json'", "contracts[0].frequency"),
    ],
)
def test_bad_frequencies_name_the_field(value: object, message: str, path: str) -> None:
    with pytest.raises(UserError) as caught:
        Frequency.parse(value, "contracts[0].frequency")  # type: ignore[arg-type]
    assert caught.value.message == message
    assert caught.value.path == path


def test_direct_construction_is_checked() -> None:
    with pytest.raises(UserError):
        Frequency(0, "month")
    with pytest.raises(UserError):
        Frequency(1, "fortnight")


def test_add_is_computed_from_the_anchor_and_clamped() -> None:
    monthly = Frequency(1, "month")
    anchor = d("2024-01-31")
    assert [monthly.add(anchor, k) for k in range(5)] == [
        d("2024-01-31"),
        d("2024-02-29"),
        d("2024-03-31"),
        d("2024-04-30"),
        d("2024-05-31"),
    ]
    annual = Frequency(1, "year")
    assert annual.add(d("2024-02-29"), 1) == d("2025-02-28")
    assert annual.add(d("2024-02-29"), 4) == d("2028-02-29")
    assert Frequency(2, "week").add(d("2024-12-25"), 1) == d("2025-01-08")
    assert Frequency(1, "day").add(d("2024-02-28"), 2) == d("2024-03-01")


def test_labels_in_english_and_italian() -> None:
    assert Frequency.parse("quarterly").label() == "quarterly"
    assert Frequency.parse("quarterly").label("it") == "trimestrale"
    assert Frequency.parse("fourmonthly").label("it") == "quadrimestrale"
    assert Frequency(2, "week").label("en") == "every 2 weeks"
    assert Frequency(5, "month").label("it") == "ogni 5 mesi"
    assert str(Frequency(1, "year")) == "annual"
