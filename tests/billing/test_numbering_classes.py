"""Numbering classes: invoices and credit notes share the fiscal sequence of their series and
year; pro-formas and order documents are numbered apart, each gapless, in formats of their
own, whatever path issues them (creation, drafts, batches, order invoices)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.billing.invoice_fixtures import contract, customer, d, installment, line
from tests.support.orders import MIXED, order_document
from tui_billing.billing.drafts import issue_draft
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.numbering import NumberOrderError, issue_invoices
from tui_billing.billing.orders import partial_invoice
from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_write import import_data
from tui_billing.store.models import Invoice, Series, SeriesCounter


def sequences() -> dict[tuple[str, int, str], list[tuple[int, str, str]]]:
    """(series, year, class) -> [(seq, number, document type)] of the issued documents."""
    result: dict[tuple[str, int, str], list[tuple[int, str, str]]] = {}
    for inv in (
        Invoice.select()
        .where(Invoice.seq.is_null(False))
        .order_by(Invoice.series, Invoice.year, Invoice.numbering, Invoice.seq)
    ):
        result.setdefault((inv.series, inv.year, inv.numbering), []).append(
            (inv.seq, inv.number, inv.document_type)
        )
    return result


def counters() -> dict[tuple[str, int, str], int]:
    return {(c.series.code, c.year, c.numbering): c.last_seq for c in SeriesCounter.select()}


def test_invoices_pro_formas_and_orders_in_one_series_give_gapless_sequences_each(db):
    acme = customer()
    kinds = {
        "invoice": contract("K-INV", acme),
        "proforma": contract("K-PF", acme, document_type="proforma"),
        "order": contract("K-ORD", acme, document_type="order"),
    }
    plan = [
        "invoice",
        "proforma",
        "invoice",
        "order",
        "proforma",
        "proforma",
        "invoice",
        "order",
        "invoice",
        "proforma",
    ]
    drafts = []
    for month, kind in enumerate(plan, start=1):
        date = f"2024-{month:02d}-01"
        if month % 3 == 0:  # some go through a draft, issued later
            [draft] = create_invoices(db, [installment(kinds[kind], date).id])
            drafts.append(draft.id)
            issue_draft(db, draft.id)
        else:
            [made] = create_invoices(db, [installment(kinds[kind], date).id], status="issued")
            assert made.document_type == kind
    # and a batch of drafts of every type issued at once, in date order
    batch = [
        create_invoices(db, [installment(kinds[kind], "2024-11-05").id])[0].id
        for kind in ("proforma", "invoice", "order", "invoice")
    ]
    issue_invoices(db, batch)

    got = sequences()
    assert set(got) == {("A", 2024, "fiscal"), ("A", 2024, "proforma"), ("A", 2024, "order")}
    assert got[("A", 2024, "fiscal")] == [(n, f"A/2024/{n:04d}", "invoice") for n in range(1, 7)]
    assert got[("A", 2024, "proforma")] == [
        (n, f"PF-A/2024/{n:04d}", "proforma") for n in range(1, 6)
    ]
    assert got[("A", 2024, "order")] == [(n, f"ORD-A/2024/{n:04d}", "order") for n in range(1, 4)]
    assert counters() == {
        ("A", 2024, "fiscal"): 6,
        ("A", 2024, "proforma"): 5,
        ("A", 2024, "order"): 3,
    }
    numbers = [n for (n,) in Invoice.select(Invoice.number).tuples()]
    assert len(numbers) == len(set(numbers)) == 14


def test_a_credit_note_continues_the_invoice_sequence_of_its_series(db):
    acme = customer()
    k, pf = contract("K-001", acme), contract("K-PF", acme, document_type="proforma")
    create_invoices(db, [installment(k, "2024-03-01").id], status="issued")
    create_invoices(db, [installment(pf, "2024-03-02").id], status="issued")
    # a balancing below the advances: a negative installment, invoiced as a credit note
    [credit] = create_invoices(
        db, [installment(k, "2024-03-03", line("-40.00")).id], status="issued"
    )
    [after] = create_invoices(db, [installment(k, "2024-03-04").id], status="issued")
    assert (credit.document_type, credit.number, credit.total) == (
        "credit_note",
        "A/2024/0002",
        Decimal("-48.80"),
    )
    assert after.number == "A/2024/0003"
    assert [(s, t) for s, _, t in sequences()[("A", 2024, "fiscal")]] == [
        (1, "invoice"),
        (2, "credit_note"),
        (3, "invoice"),
    ]
    assert [n for _, n, _ in sequences()[("A", 2024, "proforma")]] == ["PF-A/2024/0001"]


def test_numbers_follow_the_dates_within_each_class(db):
    acme = customer()
    k, pf = contract("K-001", acme), contract("K-PF", acme, document_type="proforma")
    create_invoices(db, [installment(k, "2024-03-10").id], status="issued")
    # an earlier pro-forma is not behind any other pro-forma: it is numbered
    [first_pf] = create_invoices(db, [installment(pf, "2024-03-01").id], status="issued")
    assert first_pf.number == "PF-A/2024/0001"
    with pytest.raises(
        NumberOrderError, match=r"a pro-forma dated 2024-02-01 .*PF-A/2024/0001 of 2024-03-01"
    ):
        create_invoices(db, [installment(pf, "2024-02-01").id], status="issued")
    with pytest.raises(
        NumberOrderError, match=r"an invoice dated 2024-03-05 .*A/2024/0001 of 2024-03-10"
    ):
        create_invoices(db, [installment(k, "2024-03-05").id], status="issued")
    assert Invoice.select().count() == 2
    assert counters() == {("A", 2024, "fiscal"): 1, ("A", 2024, "proforma"): 1}


def test_a_series_may_set_the_format_of_each_class(db):
    Series.create(code="S", format="S{year}-{seq:03d}", proforma_format="PRO-S{year}-{seq:03d}")
    acme = customer()
    made = [
        create_invoices(
            db,
            [installment(contract(code, acme, series="S", document_type=doc), "2024-05-01").id],
            status="issued",
        )[0].number
        for code, doc in (("K-1", "invoice"), ("K-2", "proforma"), ("K-3", "order"))
    ]
    assert made == ["S2024-001", "PRO-S2024-001", "ORD-S/2024/0001"]


def test_two_classes_writing_the_same_numbers_are_refused_and_nothing_is_written(db):
    Series.create(
        code="X", format="{series}/{year}/{seq:04d}", proforma_format="{series}/{year}/{seq:04d}"
    )
    k = contract("K-PF", customer(), series="X", document_type="proforma")
    inst = installment(k, "2024-05-01")
    with pytest.raises(UserError, match="would be the same") as caught:
        create_invoices(db, [inst.id], status="issued")
    assert caught.value.path == "series.proforma_format"
    assert Invoice.select().count() == 0 and SeriesCounter.select().count() == 0


def test_a_number_another_series_already_wrote_is_refused(db):
    Series.create(code="Z", format="A/{year}/{seq:04d}")  # writes series A's numbers
    acme = customer()
    create_invoices(db, [installment(contract("K-A", acme), "2024-05-01").id], status="issued")
    k = contract("K-Z", acme, series="Z")
    with pytest.raises(UserError, match="A/2024/0001 of series 'Z' .*already taken"):
        create_invoices(db, [installment(k, "2024-05-02").id], status="issued")
    assert Invoice.select().count() == 1
    assert counters() == {("A", 2024, "fiscal"): 1}


def test_order_invoices_are_fiscal_and_skip_no_number_for_pro_formas(db):
    import_data(db, order_document(MIXED))
    acme_pf = contract("K-PF", customer("PF-CUST"), document_type="proforma")
    create_invoices(db, [installment(acme_pf, "2024-05-03").id], status="issued")
    [made] = partial_invoice(db, "O-MIX", date=d("2024-05-04")).invoices
    assert made["number"] == "A/2024/0001"
    assert (made["numbering"], made["seq"]) == ("fiscal", 1)
    assert [n for _, n, _ in sequences()[("A", 2024, "proforma")]] == ["PF-A/2024/0001"]
