"""Numbering: progressive per series and year, gapless, only when issued, following dates."""

from __future__ import annotations

import pytest

from tests.billing.invoice_fixtures import contract, customer, d, installment
from tui_billing.billing.drafts import delete_draft, issue_draft
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.numbering import format_number, issue_invoice, issue_invoices
from tui_billing.domain.errors import UserError
from tui_billing.store.models import Invoice, Series, SeriesCounter


def numbers():
    return [
        (i.series, i.year, i.seq, i.number)
        for i in Invoice.select()
        .where(Invoice.seq.is_null(False))
        .order_by(Invoice.series, Invoice.year, Invoice.seq)
    ]


def test_gapless_per_series_and_year_across_a_year_change(db):
    Series.create(code="B", format="B-{seq:05d}/{year}")
    acme = customer()
    ka, kb = contract("K-A", acme), contract("K-B", acme, series="B")
    dates = ["2024-11-01", "2024-12-01", "2024-12-31", "2025-01-01", "2025-02-01"]
    for date in dates:
        create_invoices(db, [installment(ka, date).id, installment(kb, date).id], status="issued")
    assert numbers() == [
        ("A", 2024, 1, "A/2024/0001"),
        ("A", 2024, 2, "A/2024/0002"),
        ("A", 2024, 3, "A/2024/0003"),
        ("A", 2025, 1, "A/2025/0001"),
        ("A", 2025, 2, "A/2025/0002"),
        ("B", 2024, 1, "B-00001/2024"),
        ("B", 2024, 2, "B-00002/2024"),
        ("B", 2024, 3, "B-00003/2024"),
        ("B", 2025, 1, "B-00001/2025"),
        ("B", 2025, 2, "B-00002/2025"),
    ]
    counters = {(c.series.code, c.year): c.last_seq for c in SeriesCounter.select()}
    assert counters == {("A", 2024): 3, ("A", 2025): 2, ("B", 2024): 3, ("B", 2025): 2}


def test_drafts_have_no_number_and_deleting_one_leaves_no_hole(db):
    k = contract("K-001", customer())
    drafts = [create_invoices(db, [installment(k, f"2024-0{m}-01").id])[0] for m in (1, 2, 3)]
    assert all(x.number is None for x in drafts)
    assert all(i.seq is None and i.number is None for i in Invoice.select())
    assert SeriesCounter.select().count() == 0
    delete_draft(db, drafts[1].id)
    assert issue_draft(db, drafts[0].id) == "A/2024/0001"
    assert issue_draft(db, drafts[2].id) == "A/2024/0002"
    shown = Invoice.get_by_id(drafts[2].id)
    assert (shown.status, shown.year, shown.seq) == ("issued", 2024, 2)
    assert shown.issued_at is not None
    with pytest.raises(UserError, match="only drafts"):
        issue_draft(db, drafts[2].id)


def test_a_batch_is_numbered_in_date_order(db):
    k = contract("K-001", customer())
    created = [
        create_invoices(db, [installment(k, date).id])[0]
        for date in ("2024-03-15", "2024-01-10", "2024-02-20", "2024-01-10")
    ]
    issued = dict(issue_invoices(db, [c.id for c in created]))
    by_date = sorted(created, key=lambda c: (c.date, c.id))
    assert [issued[c.id] for c in by_date] == [f"A/2024/000{n}" for n in (1, 2, 3, 4)]


def test_an_invoice_dated_before_the_last_issued_one_is_refused(db):
    k = contract("K-001", customer())
    [late] = create_invoices(db, [installment(k, "2024-03-10").id], status="issued")
    [early] = create_invoices(db, [installment(k, "2024-03-01").id])
    with pytest.raises(UserError, match=r"dated 2024-03-01 .*A/2024/0001 of 2024-03-10"):
        issue_invoice(db, early.id)
    assert Invoice.get_by_id(early.id).status == "draft"
    with pytest.raises(UserError, match="numbers must follow the dates"):
        create_invoices(db, [installment(k, "2024-02-01").id], status="issued")
    assert Invoice.select().count() == 2  # the refused creation wrote nothing
    # re-dated on issue, it takes the next number
    assert issue_draft(db, early.id, invoice_date=d("2024-03-10")) == "A/2024/0002"
    # another year of the same series is independent
    [next_year] = create_invoices(db, [installment(k, "2025-01-02").id], status="issued")
    assert next_year.number == "A/2025/0001"
    assert late.number == "A/2024/0001"


def test_unknown_series_is_created_with_the_default_format(db):
    k = contract("K-001", customer(), series="NEW")
    [created] = create_invoices(db, [installment(k, "2024-05-01").id], status="issued")
    assert created.number == "NEW/2024/0001"
    assert Series.get(Series.code == "NEW").format == "{series}/{year}/{seq:04d}"


def test_a_broken_series_format_is_a_user_error_and_writes_nothing(db):
    Series.create(code="X", format="X-{number}")
    k = contract("K-001", customer(), series="X")
    inst = installment(k, "2024-05-01")
    with pytest.raises(UserError, match="number format"):
        create_invoices(db, [inst.id], status="issued")
    assert Invoice.select().count() == 0


def test_format_number():
    assert format_number("{series}/{year}/{seq:04d}", "A", 2024, 7) == "A/2024/0007"
    assert format_number("B-{seq:05d}/{year}", "B", 2025, 12) == "B-00012/2025"
    with pytest.raises(UserError):
        format_number("{series}/{year}", "A", 2024, 1)
    with pytest.raises(UserError):
        format_number("{seq:04d", "A", 2024, 1)


def test_a_counter_behind_the_invoices_continues_after_the_highest_number(db):
    k = contract("K-001", customer())
    for date in ("2024-01-01", "2024-02-01"):
        create_invoices(db, [installment(k, date).id], status="issued")
    SeriesCounter.update(last_seq=0).execute()  # e.g. invoices numbered by other means
    [third] = create_invoices(db, [installment(k, "2024-03-01").id], status="issued")
    assert third.number == "A/2024/0003"
    assert SeriesCounter.get().last_seq == 3
    [fourth] = create_invoices(db, [installment(k, "2024-04-01").id], status="issued")
    assert fourth.number == "A/2024/0004"
