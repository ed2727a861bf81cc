"""FatturaPA documents of every kind the writer must handle, as model values.

Each builder returns a valid document; tests and the bench derive broken ones with
``dataclasses.replace``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from tui_billing.domain.fatturapa import (
    FPA12,
    FPR12,
    NO_CODE,
    TD01,
    TD02,
    TD04,
    TD06,
    Address,
    Buyer,
    Contacts,
    FatturaPA,
    FiscalId,
    Line,
    Payment,
    PaymentDetail,
    ReaRegistration,
    RelatedDocument,
    Seller,
    SocialSecurity,
    StampDuty,
    Transmission,
    VatSummary,
    Withholding,
)

TODAY = date(2026, 4, 30)
SELLER_VAT = FiscalId("IT", "01234567890")
IBAN = "IT60X0542811101000000123456"

SELLER = Seller(
    vat_id=SELLER_VAT,
    tax_code="01234567890",
    name="Rossi Servizi S.r.l.",
    tax_regime="RF01",
    address=Address("Via Roma", "20121", "Milano", "IT", number="10", province="MI"),
    rea=ReaRegistration("MI", "1234567", "LN", capital=D("10000.00"), sole_shareholder="SM"),
    contacts=Contacts(phone="0212345678", email="fatture@rossiservizi.it"),
)

BUSINESS = Buyer(
    vat_id=FiscalId("IT", "09876543210"),
    name="Bianchi Costruzioni S.p.A.",
    address=Address("Corso Italia", "10121", "Torino", "IT", number="5", province="TO"),
)


def _transmission(
    progressive: str, fmt: str = FPR12, code: str = "ABC1234", pec: str | None = None
) -> Transmission:
    return Transmission(SELLER_VAT, progressive, fmt, code, pec)


def b2b_two_rates() -> FatturaPA:
    """An ordinary B2B invoice with lines at 22% and 10%, bank transfer."""
    return FatturaPA(
        transmission=_transmission("00001"),
        seller=SELLER,
        buyer=BUSINESS,
        document_type=TD01,
        issue_date=date(2026, 4, 1),
        number="A/2026/0012",
        lines=(
            Line(
                1,
                "Canone manutenzione aprile 2026",
                D("38.00"),
                D("76.00"),
                D("22.00"),
                quantity=D("2.00"),
                unit="mesi",
                period_start=date(2026, 4, 1),
                period_end=date(2026, 4, 30),
            ),
            Line(2, "Assistenza “on site” – intervento", D("150.00"), D("150.00"), D("22.00")),
            Line(
                3,
                "Materiale di consumo",
                D("12.50"),
                D("37.50"),
                D("10.00"),
                quantity=D("3"),
                unit="pz",
            ),
        ),
        summaries=(
            VatSummary(D("22.00"), D("226.00"), D("49.72"), collectability="I"),
            VatSummary(D("10.00"), D("37.50"), D("3.75"), collectability="I"),
        ),
        total=D("316.97"),
        reasons=("Servizi di manutenzione aprile 2026",),
        purchase_orders=(RelatedDocument("PO-2026-77", date(2026, 1, 15)),),
        payments=(
            Payment(
                "TP02",
                (
                    PaymentDetail(
                        "MP05", D("316.97"), date(2026, 5, 31), iban=IBAN, bank="Banca Esempio"
                    ),
                ),
            ),
        ),
    )


def pa_split_payment() -> FatturaPA:
    """An FPA12 invoice to a municipality: split payment (S), CIG/CUP, cost centre."""
    return FatturaPA(
        transmission=_transmission("00002", FPA12, "UFY9MH"),
        seller=SELLER,
        buyer=Buyer(
            tax_code="80012345678",
            name="Comune di Esempio",
            address=Address(
                "Piazza Municipio", "20010", "Esempio", "IT", number="1", province="MI"
            ),
        ),
        document_type=TD01,
        issue_date=date(2026, 4, 2),
        number="A/2026/0013",
        lines=(
            Line(
                1,
                "Manutenzione impianti primo trimestre 2026",
                D("1200.00"),
                D("3600.00"),
                D("22.00"),
                quantity=D("3.00"),
                unit="mesi",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 3, 31),
                admin_ref="CDC-042",
            ),
            Line(
                2,
                "Canone pro rata 10 giorni",
                D("12.34567891"),
                D("123.46"),
                D("22.00"),
                quantity=D("10"),
                unit="giorni",
                admin_ref="CDC-042",
            ),
        ),
        summaries=(
            VatSummary(
                D("22.00"),
                D("3723.46"),
                D("819.16"),
                collectability="S",
                legal_reference="Scissione dei pagamenti art. 17-ter DPR 633/72",
            ),
        ),
        total=D("4542.62"),
        contracts=(
            RelatedDocument(
                "CTR-2025-9", date(2025, 12, 1), cig="Z1A2B3C4D5", cup="J41B20000010001"
            ),
        ),
        payments=(
            Payment("TP02", (PaymentDetail("MP05", D("3723.46"), date(2026, 5, 2), iban=IBAN),)),
        ),
    )


def exempt_with_bollo() -> FatturaPA:
    """Exempt (N4) lines to a private person above 77.47 EUR: bollo charged as a line."""
    return FatturaPA(
        transmission=_transmission("0000A", code=NO_CODE, pec="mario.verdi@pec.example.it"),
        seller=SELLER,
        buyer=Buyer(
            tax_code="VRDMRA80A01F205X",
            first_name="Mario",
            last_name="Verdi",
            address=Address("Via Verdi", "20100", "Milano", "IT", province="MI"),
        ),
        document_type=TD01,
        issue_date=date(2026, 4, 3),
        number="A/2026/0014",
        lines=(
            Line(1, "Visita specialistica", D("120.00"), D("120.00"), D("0.00"), nature="N4"),
            Line(2, "Imposta di bollo", D("2.00"), D("2.00"), D("0.00"), nature="N1"),
        ),
        summaries=(
            VatSummary(
                D("0.00"),
                D("120.00"),
                D("0.00"),
                nature="N4",
                legal_reference="Esente art. 10 DPR 633/72",
            ),
            VatSummary(
                D("0.00"),
                D("2.00"),
                D("0.00"),
                nature="N1",
                legal_reference="Escluso art. 15 DPR 633/72",
            ),
        ),
        stamp_duty=StampDuty(D("2.00")),
        total=D("122.00"),
        payments=(
            Payment("TP02", (PaymentDetail("MP05", D("122.00"), date(2026, 4, 30), iban=IBAN),)),
        ),
    )


def reverse_charge() -> FatturaPA:
    """A construction subcontract under reverse charge (N6.3), paid by RiBa in two."""
    return FatturaPA(
        transmission=_transmission("00003"),
        seller=SELLER,
        buyer=BUSINESS,
        document_type=TD01,
        issue_date=date(2026, 4, 4),
        number="A/2026/0015",
        lines=(
            Line(
                1,
                "Subappalto opere murarie cantiere via Po",
                D("5000.00"),
                D("5000.00"),
                D("0.00"),
                nature="N6.3",
            ),
        ),
        summaries=(
            VatSummary(
                D("0.00"),
                D("5000.00"),
                D("0.00"),
                nature="N6.3",
                legal_reference="Inversione contabile art. 17 c. 6 lett. a DPR 633/72",
            ),
        ),
        total=D("5000.00"),
        payments=(
            Payment(
                "TP01",
                (
                    PaymentDetail("MP12", D("2500.00"), date(2026, 5, 31)),
                    PaymentDetail("MP12", D("2500.00"), date(2026, 6, 30)),
                ),
            ),
        ),
    )


def credit_note() -> FatturaPA:
    """A credit note (TD04) of part of invoice A/2026/0007."""
    return FatturaPA(
        transmission=_transmission("00004"),
        seller=SELLER,
        buyer=BUSINESS,
        document_type=TD04,
        issue_date=date(2026, 4, 5),
        number="NC/2026/0001",
        lines=(
            Line(
                1,
                "Storno canone marzo 2026 (fattura A/2026/0007)",
                D("100.00"),
                D("100.00"),
                D("22.00"),
            ),
        ),
        summaries=(VatSummary(D("22.00"), D("100.00"), D("22.00"), collectability="I"),),
        total=D("122.00"),
        reasons=("Nota di credito per storno parziale della fattura A/2026/0007",),
        linked_invoices=(RelatedDocument("A/2026/0007", date(2026, 3, 31), line_numbers=(2,)),),
    )


def down_payment() -> FatturaPA:
    """A down-payment invoice (TD02), collected by SEPA direct debit."""
    return FatturaPA(
        transmission=_transmission("00005"),
        seller=SELLER,
        buyer=BUSINESS,
        document_type=TD02,
        issue_date=date(2026, 4, 6),
        number="A/2026/0016",
        lines=(Line(1, "Acconto 30% ordine PO-2026-80", D("300.00"), D("300.00"), D("22.00")),),
        summaries=(VatSummary(D("22.00"), D("300.00"), D("66.00"), collectability="I"),),
        total=D("366.00"),
        reasons=("Acconto su ordine PO-2026-80",),
        payments=(
            Payment("TP03", (PaymentDetail("MP19", D("366.00"), date(2026, 4, 20), iban=IBAN),)),
        ),
    )


def professional_fee() -> FatturaPA:
    """A professional's fee (TD06): INPS 4% rivalsa (TC22), ritenuta d'acconto 20% (RT01)."""
    professional = Seller(
        vat_id=FiscalId("IT", "12345678903"),
        tax_code="BNCLRA75C41H501Z",
        first_name="Laura",
        last_name="Bianchi",
        tax_regime="RF01",
        address=Address("Via Appia", "00184", "Roma", "IT", number="22", province="RM"),
        contacts=Contacts(email="laura.bianchi@example.it"),
    )
    return FatturaPA(
        transmission=Transmission(FiscalId("IT", "12345678903"), "00006", FPR12, "ABC1234"),
        seller=professional,
        buyer=BUSINESS,
        document_type=TD06,
        issue_date=date(2026, 4, 7),
        number="P/2026/0003",
        lines=(
            Line(
                1,
                "Consulenza aprile 2026",
                D("1000.00"),
                D("1000.00"),
                D("22.00"),
                withholding=True,
            ),
        ),
        summaries=(VatSummary(D("22.00"), D("1040.00"), D("228.80"), collectability="I"),),
        withholdings=(Withholding("RT01", D("208.00"), D("20.00"), "A"),),
        social_security=(
            SocialSecurity(
                "TC22",
                D("4.00"),
                D("40.00"),
                D("22.00"),
                taxable_base=D("1000.00"),
                withholding=True,
            ),
        ),
        total=D("1268.80"),
        payments=(
            Payment("TP02", (PaymentDetail("MP05", D("1060.80"), date(2026, 5, 7), iban=IBAN),)),
        ),
    )


ALL_DOCUMENTS = {
    "b2b_two_rates": b2b_two_rates,
    "pa_split_payment": pa_split_payment,
    "exempt_with_bollo": exempt_with_bollo,
    "reverse_charge": reverse_charge,
    "credit_note": credit_note,
    "down_payment": down_payment,
    "professional_fee": professional_fee,
}
