"""The SdI checks beyond the schema: each rule refused with its code, within its tolerance."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from tests.support.fatturapa_documents import (
    ALL_DOCUMENTS,
    TODAY,
    b2b_two_rates,
    credit_note,
    exempt_with_bollo,
    pa_split_payment,
    professional_fee,
    reverse_charge,
)
from tui_billing.domain.fatturapa import (
    FatturaPA,
    Line,
    RelatedDocument,
    StampDuty,
    VatSummary,
)
from tui_billing.domain.fatturapa_checks import (
    InvalidEInvoice,
    check_sdi_rules,
    sdi_violations,
    stamp_duty_violations,
)


def codes(doc: FatturaPA, today: date = TODAY) -> list[str]:
    return [v.code for v in sdi_violations(doc, today)]


def messages(doc: FatturaPA, today: date = TODAY) -> list[str]:
    return [str(v) for v in sdi_violations(doc, today)]


def with_line(doc: FatturaPA, index: int, **changes) -> FatturaPA:
    lines = list(doc.lines)
    lines[index] = replace(lines[index], **changes)
    return replace(doc, lines=tuple(lines))


def with_summary(doc: FatturaPA, index: int, **changes) -> FatturaPA:
    summaries = list(doc.summaries)
    summaries[index] = replace(summaries[index], **changes)
    return replace(doc, summaries=tuple(summaries))


@pytest.mark.parametrize("name", sorted(ALL_DOCUMENTS))
def test_every_fixture_passes(name):
    assert sdi_violations(ALL_DOCUMENTS[name](), TODAY) == []
    check_sdi_rules(ALL_DOCUMENTS[name](), TODAY)


# 00423 line totals


def test_00423_line_total_not_quantity_times_price():
    doc = with_line(b2b_two_rates(), 0, total=D("228.00"), unit_price=D("38.00"), quantity=D("2"))
    assert messages(doc)[0] == (
        "00423 line 1: PrezzoTotale 228.00 != Quantita 2 x PrezzoUnitario 38.00"
    )


def test_00423_no_quantity_means_one():
    doc = with_line(b2b_two_rates(), 1, total=D("151.00"))
    assert "00423" in codes(doc)


def test_00423_tolerance_of_one_cent():
    base = with_line(pa_split_payment(), 1, unit_price=D("12.345"), total=D("123.46"))
    assert "00423" not in codes(base)  # 123.45 computed, 123.46 written: within 0.01
    off = with_line(pa_split_payment(), 1, unit_price=D("12.344"), total=D("123.46"))
    assert "00423" in codes(off)  # 123.44 computed: 0.02 off


# 00400 / 00401 natures on lines, 00429 / 00430 in the summary


def test_00400_zero_rate_line_without_nature():
    doc = with_line(exempt_with_bollo(), 0, nature=None)
    assert messages(doc)[0] == "00400 line 1: AliquotaIVA 0.00 without Natura"


def test_00401_nature_on_a_taxed_line():
    doc = with_line(b2b_two_rates(), 2, nature="N4")
    assert "00401 line 3: Natura N4 with AliquotaIVA 10.00" in messages(doc)


def test_00429_zero_rate_summary_without_nature():
    doc = with_summary(reverse_charge(), 0, nature=None)
    assert "00429" in codes(doc)
    assert "00419" in codes(doc)  # the N6.3 line has no summary any more


def test_00430_nature_on_a_taxed_summary():
    doc = with_summary(b2b_two_rates(), 1, nature="N2.2")
    assert "00430" in codes(doc)


def test_00420_split_payment_with_reverse_charge():
    doc = with_summary(reverse_charge(), 0, collectability="S")
    assert codes(doc) == ["00420"]


# 00419 / 00421 / 00422 summary per rate and nature


def test_00419_rate_without_summary():
    doc = replace(b2b_two_rates(), summaries=b2b_two_rates().summaries[:1])
    assert messages(doc) == ["00419 summary 10.00%: lines of this rate have no DatiRiepilogo"]


def test_00422_taxable_beyond_one_euro():
    assert (
        codes(with_summary(b2b_two_rates(), 0, taxable=D("227.00"), tax=D("49.94"))) == []
    )  # 1.00 off: tolerated
    doc = with_summary(b2b_two_rates(), 0, taxable=D("227.01"), tax=D("49.94"))
    assert messages(doc) == [
        "00422 summary 22.00%: ImponibileImporto 227.01 != 226.00, the sum of its lines"
    ]


def test_00422_rounding_counts_in_the_taxable():
    doc = with_summary(b2b_two_rates(), 0, taxable=D("228.50"), tax=D("50.27"))
    assert "00422" in codes(doc)
    assert codes(with_summary(doc, 0, rounding=D("2.50"))) == []


def test_00422_contribution_counts_in_its_rate():
    doc = professional_fee()
    assert codes(replace(doc, social_security=())) == ["00422"]  # 1040 vs 1000 lines


def test_00421_tax_not_taxable_times_rate():
    assert codes(with_summary(b2b_two_rates(), 0, tax=D("49.73"))) == []  # within 0.01
    doc = with_summary(b2b_two_rates(), 0, tax=D("49.74"))
    assert messages(doc) == [
        "00421 summary 22.00%: Imposta 49.74 != ImponibileImporto 226.00 x 22% = 49.72"
    ]


def test_00421_nature_summary_carries_no_tax():
    doc = with_summary(exempt_with_bollo(), 0, tax=D("1.00"))
    assert codes(doc) == ["00421"]


def test_00421_rounds_half_up():
    line = Line(1, "x", D("0.25"), D("0.25"), D("10.00"))
    doc = replace(
        b2b_two_rates(),
        lines=(line,),
        summaries=(VatSummary(D("10.00"), D("0.25"), D("0.03")),),
        payments=(),
    )
    assert codes(doc) == []  # 0.025 rounds to 0.03


# cassa previdenziale and ritenuta


def test_00413_00414_natures_of_a_contribution():
    doc = professional_fee()
    fund = replace(doc.social_security[0], vat_rate=D("0.00"))
    assert "00413" in codes(replace(doc, social_security=(fund,)))
    fund = replace(doc.social_security[0], nature="N4")
    assert "00414" in codes(replace(doc, social_security=(fund,)))


def test_00415_00411_ritenuta_without_dati_ritenuta():
    found = codes(replace(professional_fee(), withholdings=()))
    assert found == ["00415", "00411"]


# parties


def test_00417_buyer_without_vat_number_or_tax_code():
    doc = b2b_two_rates()
    doc = replace(doc, buyer=replace(doc.buyer, vat_id=None, tax_code=None))
    assert messages(doc) == ["00417 CessionarioCommittente: neither IdFiscaleIVA nor CodiceFiscale"]
    assert codes(replace(doc, buyer=replace(doc.buyer, tax_code="09876543210"))) == []


def test_00427_recipient_code_length_by_format():
    pa = pa_split_payment()
    assert codes(replace(pa, transmission=replace(pa.transmission, recipient_code="ABC1234"))) == [
        "00427"
    ]
    b2b = b2b_two_rates()
    assert codes(replace(b2b, transmission=replace(b2b.transmission, recipient_code="UFY9MH"))) == [
        "00427"
    ]


def test_00426_pec_only_with_code_0000000():
    doc = b2b_two_rates()
    doc = replace(doc, transmission=replace(doc.transmission, recipient_pec="x@pec.it"))
    assert codes(doc) == ["00426"]


# dates and numbers


def test_00403_document_dated_after_today():
    doc = b2b_two_rates()
    assert codes(doc, today=doc.issue_date) == []
    assert messages(doc, today=date(2026, 3, 31)) == [
        "00403 Data: 2026-04-01 is after today 2026-03-31"
    ]


def test_period_start_after_end():
    doc = with_line(b2b_two_rates(), 0, period_start=date(2026, 5, 1))
    assert messages(doc) == [
        "period line 1: DataInizioPeriodo 2026-05-01 after DataFinePeriodo 2026-04-30"
    ]


def test_00418_credit_note_before_the_invoice_it_corrects():
    doc = credit_note()
    linked = RelatedDocument("A/2026/0007", date(2026, 4, 6))
    assert codes(replace(doc, linked_invoices=(linked,))) == ["00418"]


def test_00425_number_without_a_digit():
    assert codes(replace(b2b_two_rates(), number="ABC")) == ["00425"]


def test_00002_progressive_of_the_file_name():
    doc = b2b_two_rates()
    for bad in ("", "123456", "00-01"):
        assert codes(replace(doc, transmission=replace(doc.transmission, progressive=bad))) == [
            "00002"
        ]


# bollo


def test_bollo_missing_above_threshold():
    doc = replace(exempt_with_bollo(), stamp_duty=None)
    assert messages(doc) == ["bollo DatiBollo: missing: 122.00 without VAT exceeds 77.47"]


def test_bollo_wrong_amount():
    doc = replace(exempt_with_bollo(), stamp_duty=StampDuty(D("1.81")))
    assert codes(doc) == ["bollo"]


def test_bollo_not_due_at_or_below_threshold():
    doc = with_line(exempt_with_bollo(), 0, unit_price=D("75.47"), total=D("75.47"))
    doc = with_summary(doc, 0, taxable=D("75.47"))
    assert codes(doc) == ["bollo"]  # 77.47 exactly: not above, DatiBollo is wrong
    assert codes(replace(doc, stamp_duty=None)) == []


def test_bollo_ignores_reverse_charge_and_taxed_amounts():
    assert stamp_duty_violations(reverse_charge()) == []  # 5000.00 under N6.3
    assert stamp_duty_violations(b2b_two_rates()) == []
    # the nature list is a parameter: a caller may count N6.3 too
    assert [v.code for v in stamp_duty_violations(reverse_charge(), {"N6.3"})] == ["bollo"]


# the error


def test_invalid_document_raises_one_error_naming_document_and_rule():
    doc = with_line(b2b_two_rates(), 0, total=D("228.00"))
    with pytest.raises(InvalidEInvoice) as caught:
        check_sdi_rules(doc, TODAY)
    assert str(caught.value) == (
        "A/2026/0012: 00423 line 1: PrezzoTotale 228.00 != Quantita 2 x PrezzoUnitario 38.00"
        " (and 1 more)"
    )
    assert [v.code for v in caught.value.violations] == ["00423", "00422"]
    assert caught.value.path == "A/2026/0012"
