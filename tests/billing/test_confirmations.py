"""What a confirmation names: the numbers documents would take, read without taking them
(the same numbers issuing then gives), consecutive ones as a range, and the second question
for a date after today."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tui.helpers import make_bulk
from tui_billing.billing.confirmations import issue_confirmation, number_span, rehearse
from tui_billing.billing.due import list_due
from tui_billing.billing.invoicing import create_invoices, plan_invoices
from tui_billing.billing.materialize import materialize
from tui_billing.billing.numbering import Number, NumberOrderError, preview_numbers
from tui_billing.store.database import open_database
from tui_billing.store.models import Invoice, SeriesCounter

TODAY = dt.date(2024, 3, 15)


@pytest.fixture
def bulk_db(db_target, tmp_path):
    database = open_database(make_bulk(db_target, tmp_path, contracts=2))
    materialize(database, TODAY)
    yield database
    database.close()


def test_the_numbers_previewed_are_the_numbers_given(bulk_db) -> None:
    ids = [r.id for r in list_due(bulk_db, TODAY)]
    planned = plan_invoices(bulk_db, ids, series="Z")
    items = [(s, d, t) for s, d, t, _ in planned]
    counters = list(SeriesCounter.select().dicts())
    confirmation = issue_confirmation(items, TODAY)
    assert confirmation.question == (
        "Issue 6 invoices dated 01/01/2024 to 01/03/2024, numbers Z/2024/0001-0006?"
    )
    assert confirmation.later is None
    assert list(SeriesCounter.select().dicts()) == counters  # nothing taken
    assert Invoice.select().count() == 0
    previewed = sorted(n.number for n in preview_numbers(items))
    created = create_invoices(bulk_db, ids, series="Z", status="issued")
    assert (
        sorted(c.number for c in created) == previewed == [f"Z/2024/{i:04d}" for i in range(1, 7)]
    )
    # after them, the next one continues; an earlier date is refused as issuing would
    assert [n.number for n in preview_numbers([("Z", dt.date(2024, 3, 20), "invoice")])] == [
        "Z/2024/0007"
    ]
    with pytest.raises(NumberOrderError, match="numbers must follow the dates"):
        preview_numbers([("Z", dt.date(2024, 2, 1), "invoice")])


def test_a_date_after_today_asks_again(bulk_db) -> None:
    confirmation = issue_confirmation([("Q", dt.date(2024, 3, 16), "invoice")], TODAY)
    assert confirmation.question == "Issue 1 invoice dated 16/03/2024, number Q/2024/0001?"
    assert confirmation.later is not None
    assert "Numbers must follow the dates" in confirmation.later
    assert "series Q cannot number any document dated before 16/03/2024" in confirmation.later


def test_number_span() -> None:
    def n(seq: int, text: str) -> Number:
        return Number(2026, seq, text, "fiscal")

    assert number_span([n(411, "A/2026/0411"), n(413, "A/2026/0413"), n(412, "A/2026/0412")]) == (
        "A/2026/0411-0413"
    )
    assert number_span([n(1, "A/2026/0001"), n(3, "A/2026/0003")]) == "A/2026/0001, A/2026/0003"
    assert number_span([n(1, "A/2026/0001")]) == "A/2026/0001"


def test_a_rehearsal_writes_nothing(bulk_db) -> None:
    ids = [r.id for r in list_due(bulk_db, TODAY)]
    created = rehearse(bulk_db, lambda: create_invoices(bulk_db, ids, status="issued"))
    assert len(created) == 6 and all(c.number for c in created)
    assert Invoice.select().count() == 0
    assert SeriesCounter.select().count() == 0
