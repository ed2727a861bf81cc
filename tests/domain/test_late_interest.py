"""The arithmetic of late-payment interest, against examples worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.domain.late_interest import (
    LateItem,
    LateTerms,
    accruals,
    check_late_terms,
    interest_amount,
    interest_description,
)
from tui_billing.domain.legal_rates import (
    PUBLISHED_REFERENCE_RATES,
    half_year_start,
    parse_half_year,
)

D = dt.date.fromisoformat
LEGAL = LateTerms("legal")


def legal_rate(day: dt.date) -> Decimal | None:
    reference = PUBLISHED_REFERENCE_RATES.get(half_year_start(day))
    return None if reference is None else reference + 8


def test_half_year_rate_change_each_half_at_its_rate():
    # 1,000.00 due 31/05/2025, paid 31/07/2025:
    #   1/6 - 30/6: 30 days at 3.15 + 8 = 11.15 %: 1,000 x 11.15 % x 30 / 365 = 9.16438356
    #   1/7 - 31/7: 31 days at 2.15 + 8 = 10.15 %: 1,000 x 10.15 % x 31 / 365 = 8.62054794
    #   17.78493150... -> 17.78
    item = LateItem(
        "A/1",
        D("2025-05-31"),
        Decimal("1000.00"),
        payments=((D("2025-07-31"), Decimal("1000.00")),),
    )
    runs = accruals(item, LEGAL, None, D("2025-12-31"), legal_rate)
    assert [(r.first, r.last, r.days, r.base, r.rate) for r in runs] == [
        (D("2025-06-01"), D("2025-06-30"), 30, Decimal("1000.00"), Decimal("11.15")),
        (D("2025-07-01"), D("2025-07-31"), 31, Decimal("1000.00"), Decimal("10.15")),
    ]
    assert interest_amount(runs) == Decimal("17.78")
    assert interest_description(item, runs, "en") == (
        "Late-payment interest on invoice A/1 due 31/05/2025: 30 days 01/06/2025-30/06/2025 "
        "at 11.15% on 1,000.00; 31 days 01/07/2025-31/07/2025 at 10.15% on 1,000.00"
    )


def test_partial_payment_lowers_the_base_after_its_day():
    # 2,000.00 due 31/01/2026 at a fixed 12 %; 1,500.00 paid 15/02, 500.00 paid 10/03:
    #   1/2 - 15/2: 15 days on 2,000.00: 2,000 x 12 % x 15 / 365 = 9.86301369
    #   16/2 - 10/3: 23 days on 500.00:    500 x 12 % x 23 / 365 = 3.78082191
    #   13.64383561... -> 13.64
    item = LateItem(
        "A/2",
        D("2026-01-31"),
        Decimal("2000.00"),
        payments=((D("2026-02-15"), Decimal("1500.00")), (D("2026-03-10"), Decimal("500.00"))),
    )
    runs = accruals(item, LateTerms("fixed", Decimal("12")), None, D("2026-06-30"), legal_rate)
    assert [(r.days, r.base) for r in runs] == [(15, Decimal("2000.00")), (23, Decimal("500.00"))]
    assert interest_amount(runs) == Decimal("13.64")


def test_each_day_once_when_billed_in_two_parts():
    # 1,220.00 due 01/05/2026, unpaid, at 10.15 %: billed through 31/05, then through 30/06.
    #   2/5 - 31/5: 30 days: 1,220 x 10.15 % x 30 / 365 = 10.17780821 -> 10.18
    #   1/6 - 30/6: 30 days: the same, 10.18; 60 days at once would be 20.36 as well.
    item = LateItem("A/3", D("2026-05-01"), Decimal("1220.00"))
    first = accruals(item, LEGAL, None, D("2026-05-31"), legal_rate)
    second = accruals(item, LEGAL, first[-1].last, D("2026-06-30"), legal_rate)
    assert (first[0].first, first[-1].last, second[0].first, second[-1].last) == (
        D("2026-05-02"),
        D("2026-05-31"),
        D("2026-06-01"),
        D("2026-06-30"),
    )
    assert (interest_amount(first), interest_amount(second)) == (Decimal("10.18"), Decimal("10.18"))
    assert accruals(item, LEGAL, D("2026-06-30"), D("2026-06-30"), legal_rate) == []


def test_grace_period_is_a_tolerance():
    terms = LateTerms("fixed", Decimal("10"), grace_days=10)
    due = D("2026-01-31")
    on_time = LateItem(
        "A/4", due, Decimal("1000.00"), payments=((D("2026-02-10"), Decimal("1000.00")),)
    )
    assert not on_time.is_late(terms, D("2026-03-01"))
    assert accruals(on_time, terms, None, D("2026-03-01"), legal_rate) == []
    # 600.00 paid within the grace, 400.00 on 20/02 (20 days late): 400 x 10 % x 20 / 365
    #   = 2.19178082 -> 2.19; the 600.00 owe nothing.
    late = LateItem(
        "A/5",
        due,
        Decimal("1000.00"),
        payments=((D("2026-02-05"), Decimal("600.00")), (D("2026-02-20"), Decimal("400.00"))),
    )
    assert not late.is_late(terms, D("2026-02-10"))  # grace not over yet: nothing
    runs = accruals(late, terms, None, D("2026-03-01"), legal_rate)
    assert [(r.first, r.last, r.base) for r in runs] == [
        (D("2026-02-01"), D("2026-02-20"), Decimal("400.00"))
    ]
    assert interest_amount(runs) == Decimal("2.19")


def test_payments_cover_late_charges_first_and_interest_never_runs_on_them():
    # An invoice of 1,050.00 carrying 50.00 of late charges: capital 1,000.00. 300.00 paid
    # on 10/02 go to the charges (50.00) and then 250.00 to the capital (750.00 left).
    #   1/2 - 10/2: 10 days on 1,000.00 at 10 %: 2.73972602
    #   11/2 - 20/2: 10 days on 750.00 at 10 %:  2.05479452  -> 4.79452054 -> 4.79
    item = LateItem(
        "A/6",
        D("2026-01-31"),
        Decimal("1000.00"),
        Decimal("50.00"),
        ((D("2026-02-10"), Decimal("300.00")),),
    )
    runs = accruals(item, LateTerms("fixed", Decimal("10")), None, D("2026-02-20"), legal_rate)
    assert [(r.days, r.base) for r in runs] == [(10, Decimal("1000.00")), (10, Decimal("750.00"))]
    assert interest_amount(runs) == Decimal("4.79")


def test_unknown_half_year_rate_stops_the_count():
    item = LateItem("A/7", D("2026-06-20"), Decimal("100.00"))
    runs = accruals(item, LEGAL, None, D("2026-08-31"), legal_rate)
    assert runs[-1].last == D("2026-06-30")  # 2026-H2 is not in the table: billed later


def test_italian_description_and_rules():
    item = LateItem("A/2026/0001", D("2026-01-31"), Decimal("1220.00"))
    runs = accruals(item, LEGAL, None, D("2026-03-31"), legal_rate)
    assert interest_description(item, runs) == (
        "Interessi di mora fattura A/2026/0001 scaduta il 31/01/2026: 59 gg dal 01/02/2026 "
        "al 31/03/2026 al 10,15% su 1.220,00"
    )
    # 1,220.00 x 10.15 % x 59 / 365 = 20.01635616 -> 20.02
    assert interest_amount(runs) == Decimal("20.02")
    with pytest.raises(UserError, match="is required when late_interest is 'fixed'") as err:
        check_late_terms("fixed", None, 0, None, "contracts[1]")
    assert err.value.path == "contracts[1].late_interest_rate"
    assert check_late_terms(None, None, None, None).charges_anything is False
    assert check_late_terms("none", None, 0, Decimal("40")).charges_anything is True


def test_half_year_names():
    assert parse_half_year("2026-H2") == D("2026-07-01")
    assert parse_half_year("2026s1") == D("2026-01-01")
    assert parse_half_year("2026-07-01") == D("2026-07-01")
    with pytest.raises(UserError, match="starts on 1 January or 1 July"):
        parse_half_year("2026-02-01", "half_year")
