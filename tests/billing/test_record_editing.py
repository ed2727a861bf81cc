"""Articles, series and the legal interest rates edited as the TUI edits them: validated as
the import validates, each refusal naming the field and changing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.billing.contract_data import TODAY, invoice_july, load
from tui_billing.billing.article_editing import (
    create_article,
    delete_article,
    get_article,
    list_articles,
    update_article,
)
from tui_billing.billing.interest_rate_editing import create_rate, search_rates, update_rate
from tui_billing.billing.series_editing import (
    create_series,
    delete_series,
    get_series,
    list_series,
    update_series,
)
from tui_billing.domain.errors import UserError
from tui_billing.store.models import (
    Article,
    ContractLine,
    Invoice,
    InvoiceLine,
    LegalInterestRate,
    Series,
)


def _articles() -> list[tuple]:
    return list(Article.select().order_by(Article.code).tuples())


def _series() -> list[tuple]:
    return list(Series.select().order_by(Series.code).tuples())


def _rates() -> list[tuple]:
    return list(LegalInterestRate.select().order_by(LegalInterestRate.half_year_start).tuples())


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": "X", "name": "X", "price": "abc", "vat_rate": "22"}, "article.price", "decimal"),
        ({"code": "X", "name": "X", "price": "10", "vat_rate": "122"}, "article.vat_rate", "0"),
        ({"code": "X", "price": "10", "vat_rate": "22"}, "article.name", "required"),
        ({"code": "X", "name": "X", "vat_rate": "22", "kind": "car"}, "article.kind", "unknown"),
        (
            {"code": "X", "name": "X", "vat_rate": "22", "colour": "red"},
            "article.colour",
            "unknown",
        ),
        ({"code": "X", "name": "X", "vat_rate": "0"}, "article.vat_nature", ""),
        ({"code": "MAN", "name": "Again", "vat_rate": "22"}, "article.code", "exists already"),
    ],
)
def test_a_refused_article_names_the_field_and_writes_nothing(db, values, field, message):
    load(db)
    before = _articles()
    with pytest.raises(UserError) as refused:
        create_article(db, values)
    assert refused.value.path == field
    assert message in refused.value.message
    assert _articles() == before


def test_articles_are_created_searched_edited_and_deleted_when_unused(db):
    load(db)
    assert (
        create_article(
            db, {"code": "INST", "name": "Installazione", "price": "1.234,50", "vat_rate": "22"}
        )
        == "INST"
    )
    assert get_article("INST").price == Decimal("1234.50")
    assert [a.code for a in list_articles("install")] == ["INST"]
    assert [a.code for a in list_articles("man")] == ["MAN"]  # the code, any case
    assert [a.code for a in list_articles("caldaia")] == ["MAN"]  # the name
    assert update_article(
        db, "INST", {"code": "INST2", "name": "Installazione", "price": "99", "vat_rate": "10"}
    )
    assert (get_article("INST2").price, get_article("INST2").vat_rate) == (
        Decimal("99"),
        Decimal("10"),
    )
    delete_article(db, "INST2")
    assert [a.code for a in list_articles()] == ["MAN"]


def test_an_article_in_use_is_edited_not_deleted_and_issued_invoices_keep_their_price(db):
    load(db)
    invoice_july(db)
    lines_before = list(
        InvoiceLine.select(
            InvoiceLine.description, InvoiceLine.unit_price, InvoiceLine.amount
        ).tuples()
    )
    totals_before = list(Invoice.select(Invoice.number, Invoice.total).tuples())
    contract_lines_before = list(ContractLine.select(ContractLine.unit_price).tuples())
    assert get_article("MAN").in_use
    update_article(
        db, "MAN", {"code": "MAN", "name": "Manutenzione nuova", "price": "75", "vat_rate": "22"}
    )
    assert get_article("MAN").price == Decimal("75")
    assert (
        list(
            InvoiceLine.select(
                InvoiceLine.description, InvoiceLine.unit_price, InvoiceLine.amount
            ).tuples()
        )
        == lines_before
    )
    assert list(Invoice.select(Invoice.number, Invoice.total).tuples()) == totals_before
    assert list(ContractLine.select(ContractLine.unit_price).tuples()) == contract_lines_before
    before = _articles()
    with pytest.raises(UserError) as refused:
        delete_article(db, "MAN")
    assert refused.value.path == "article.code"
    assert "cannot be deleted" in refused.value.message
    assert _articles() == before


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"code": "C", "format": "{series}/{year}"}, "series.format"),
        ({"code": "C", "format": "{series}/{year}/{nope}"}, "series.format"),
        ({"code": "C", "proforma_format": "{series}/{year}/{seq:04d}"}, "series.proforma_format"),
        ({"code": "C", "prefix": "X"}, "series.prefix"),
        ({"code": "A"}, "series.code"),
        ({"description": "no code"}, "series.code"),
    ],
)
def test_a_refused_series_names_the_field_and_writes_nothing(db, values, field):
    load(db)
    before = _series()
    with pytest.raises(UserError) as refused:
        create_series(db, values)
    assert refused.value.path == field
    assert _series() == before


def test_a_series_is_created_searched_and_edited_while_unused(db):
    load(db)
    assert (
        create_series(
            db, {"code": "C", "description": "Corrispettivi", "format": "C-{year}-{seq:05d}"}
        )
        == "C"
    )
    assert [s.code for s in list_series("corrisp")] == ["C"]
    assert [s.code for s in list_series("c")] == ["C"]
    assert update_series(db, "C", {"description": "Ricevute", "format": "R/{year}/{seq}"}, TODAY)
    assert (get_series("C").description, get_series("C").format) == ("Ricevute", "R/{year}/{seq}")
    delete_series(db, "C")
    assert "C" not in [s.code for s in list_series()]


def test_a_series_used_this_year_cannot_be_reformatted(db):
    load(db)
    invoice_july(db)  # A/2024/0001
    number = Invoice.get(Invoice.number.is_null(False)).number
    before = _series()
    with pytest.raises(UserError) as refused:
        update_series(db, "A", {"description": "Fatture", "format": "FT-{year}-{seq:05d}"}, TODAY)
    assert refused.value.path == "series.format"
    assert number in refused.value.message and "2024" in refused.value.message
    assert _series() == before
    with pytest.raises(UserError) as renamed:
        update_series(db, "A", {"code": "Z", "description": "Fatture"}, TODAY)
    assert renamed.value.path == "series.code"
    with pytest.raises(UserError) as deleted:
        delete_series(db, "A")
    assert deleted.value.path == "series.code"
    assert _series() == before
    # the description may change; another class's format too; and from next year the format
    update_series(
        db,
        "A",
        {"description": "Fatture 2024", "proforma_format": "PRO-{series}/{year}/{seq}"},
        TODAY,
    )
    assert get_series("A").proforma_format == "PRO-{series}/{year}/{seq}"
    update_series(
        db, "A", {"description": "Fatture", "format": "FT-{year}-{seq:05d}"}, dt.date(2025, 1, 2)
    )
    assert get_series("A").format == "FT-{year}-{seq:05d}"
    assert Invoice.get(Invoice.number.is_null(False)).number == number  # issued: unchanged
    create_series(db, {"code": "N", "format": "N/{year}/{seq:04d}"})  # a new one: allowed
    assert get_series("N").numbered == 0


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"half_year": "2026-H3", "reference_rate": "2"}, "rate.half_year"),
        ({"half_year": "2026-03-01", "reference_rate": "2"}, "rate.half_year"),
        ({"half_year": "2027-H1", "reference_rate": "abc"}, "rate.reference_rate"),
        ({"half_year": "2027-H1", "reference_rate": "250"}, "rate.reference_rate"),
        ({"half_year": "2027-H1", "reference_rate": "2.125"}, "rate.reference_rate"),
        ({"half_year": "2027-H1", "reference_rate": "2", "points": "x"}, "rate.points"),
        ({"half_year": "2027-H1"}, "rate.reference_rate"),
        ({"half_year": "2027-H1", "reference_rate": "2", "ecb": "1"}, "rate.ecb"),
        ({"half_year": "2026-H1", "reference_rate": "2"}, "rate.half_year"),  # overlaps
    ],
)
def test_a_refused_rate_names_the_field_and_writes_nothing(db, values, field):
    before = _rates()
    assert before  # the published rates are in every database
    with pytest.raises(UserError) as refused:
        create_rate(db, values)
    assert refused.value.path == field
    assert _rates() == before


def test_rates_are_added_and_corrected_one_half_year_each(db):
    rate = create_rate(db, {"half_year": "2027-H1", "reference_rate": "1,75"})
    assert (rate.reference_rate, rate.points, rate.rate) == (
        Decimal("1.75"),
        Decimal("8"),
        Decimal("9.75"),
    )
    assert [r.half_year_start for r in search_rates("2027")] == [dt.date(2027, 1, 1)]
    assert update_rate(
        db, dt.date(2027, 1, 1), {"half_year": "2027-H1", "reference_rate": "1.50", "points": "8"}
    )
    assert search_rates("2027-H1")[0].rate == Decimal("9.50")
    before = _rates()
    with pytest.raises(UserError) as moved:  # onto a half-year that has its row
        update_rate(db, dt.date(2027, 1, 1), {"half_year": "2026-H1", "reference_rate": "1"})
    assert moved.value.path == "rate.half_year"
    assert _rates() == before
    update_rate(db, dt.date(2027, 1, 1), {"half_year": "2027-H2", "reference_rate": "1.50"})
    assert [r.half_year_start for r in search_rates("2027")] == [dt.date(2027, 7, 1)]


def test_a_refused_edit_changes_nothing(db):
    load(db)
    before = (_articles(), _series())
    with pytest.raises(UserError) as article:
        update_article(db, "MAN", {"code": "MAN", "name": "", "vat_rate": "22"})
    assert article.value.path == "article.name"
    with pytest.raises(UserError) as series:
        update_series(db, "A", {"format": "{series}/{year}/{seq:04d}", "order_format": "{x}"})
    assert series.value.path == "series.order_format"
    assert (_articles(), _series()) == before
