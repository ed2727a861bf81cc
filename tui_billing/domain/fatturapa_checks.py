"""The SdI checks a FatturaPA document must pass beyond its XML schema, as pure functions.

Each check takes the document and returns the rules it breaks (empty when it passes). A
rule carries the SdI error code the Sistema di Interscambio would reject the file with
("Specifiche tecniche operative del formato della FatturaPA", list of checks 00400-00430),
or a name for the rules the SdI does not check but the law asks for (``bollo``, ``period``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tui_billing.domain.errors import UserError
from tui_billing.domain.fatturapa import FPA12, NO_CODE, TD04, FatturaPA
from tui_billing.domain.i18n import _

CENT = Decimal("0.01")
LINE_TOLERANCE = Decimal("0.01")  # 00423: PrezzoTotale vs Quantita x PrezzoUnitario
TAXABLE_TOLERANCE = Decimal("1.00")  # 00422: ImponibileImporto vs the sum of its lines
TAX_TOLERANCE = Decimal("0.01")  # 00421: Imposta vs ImponibileImporto x AliquotaIVA
BOLLO_THRESHOLD = Decimal("77.47")  # DPR 642/1972, Tariffa art. 13: above it, 2.00 EUR
BOLLO_AMOUNT = Decimal("2.00")
# Natures whose amounts count toward the bollo threshold: operations without VAT that are
# not exempt from bollo (excluded art. 15, out of scope, N3.5 declarations of intent, N3.6,
# exempt art. 10). Exports, intra-EU supplies and San Marino (N3.1-N3.4: art. 6 Tabella B
# DPR 642/72, art. 66 DL 331/93), margin schemes (N5), reverse charge (N6.x) and N7 do not.
BOLLO_NATURES: frozenset[str] = frozenset({"N1", "N2.1", "N2.2", "N3.5", "N3.6", "N4"})
PROGRESSIVE = re.compile(r"[A-Za-z0-9]{1,5}")


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """One broken rule: its SdI code (or name), where in the document, and what is wrong."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.code} {self.where}: {self.message}"


class InvalidEInvoice(UserError):
    """A document that cannot be a valid e-invoice; names the document and the first rule."""

    def __init__(self, document: str, violations: Sequence[RuleViolation | str]) -> None:
        first = str(violations[0])
        others = len(violations) - 1
        if others > 1:
            first = _("{first} (and {count} more)").format(first=first, count=others)
        elif others == 1:
            first = _("{first} (and 1 more)").format(first=first)
        super().__init__(first, document)
        self.document = document
        self.violations = tuple(violations)


def _amount(value: Decimal) -> str:
    """A decimal as the messages show it: 2 decimals when it has no more, never exponents."""
    if value == value.quantize(CENT):
        return format(value.quantize(CENT), "f")
    return format(value.normalize(), "f")


def _plain(value: Decimal) -> str:
    """A quantity or rate without trailing zeros: 2, 1.5."""
    return format(value.normalize(), "f")


def _key(rate: Decimal, nature: str | None) -> tuple[Decimal, str | None]:
    return (rate.quantize(CENT), nature)


def _label(rate: Decimal, nature: str | None) -> str:
    if nature:
        return _("summary {rate}% {nature}").format(rate=_amount(rate), nature=nature)
    return _("summary {rate}%").format(rate=_amount(rate))


def line_total_violations(doc: FatturaPA) -> list[RuleViolation]:
    """00423: PrezzoTotale = Quantita (1 when absent) x PrezzoUnitario, within 0.01."""
    found = []
    for line in doc.lines:
        quantity = line.quantity if line.quantity is not None else Decimal(1)
        if abs(line.total - quantity * line.unit_price) > LINE_TOLERANCE:
            found.append(
                RuleViolation(
                    "00423",
                    _("line {number}").format(number=line.number),
                    _(
                        "PrezzoTotale {total} != Quantita {quantity} x PrezzoUnitario {price}"
                    ).format(
                        total=_amount(line.total),
                        quantity=_plain(quantity),
                        price=_amount(line.unit_price),
                    ),
                )
            )
    return found


def line_nature_violations(doc: FatturaPA) -> list[RuleViolation]:
    """00400: a 0% line needs a Natura; 00401: a line with VAT must have none."""
    found = []
    for line in doc.lines:
        if line.vat_rate == 0 and not line.nature:
            found.append(
                RuleViolation(
                    "00400",
                    _("line {number}").format(number=line.number),
                    _("AliquotaIVA 0.00 without Natura"),
                )
            )
        elif line.vat_rate != 0 and line.nature:
            found.append(
                RuleViolation(
                    "00401",
                    _("line {number}").format(number=line.number),
                    _("Natura {nature} with AliquotaIVA {rate}").format(
                        nature=line.nature, rate=_amount(line.vat_rate)
                    ),
                )
            )
    return found


def social_security_violations(doc: FatturaPA) -> list[RuleViolation]:
    """00413/00414: Natura on a 0% contribution and only there; 00415: Ritenuta needs
    DatiRitenuta. Also 00411: a line subject to ritenuta needs DatiRitenuta."""
    found = []
    for index, fund in enumerate(doc.social_security, start=1):
        where = _("DatiCassaPrevidenziale {index} ({fund})").format(index=index, fund=fund.fund)
        if fund.vat_rate == 0 and not fund.nature:
            found.append(RuleViolation("00413", where, _("AliquotaIVA 0.00 without Natura")))
        elif fund.vat_rate != 0 and fund.nature:
            found.append(
                RuleViolation(
                    "00414",
                    where,
                    _("Natura {nature} with AliquotaIVA {rate}").format(
                        nature=fund.nature, rate=_amount(fund.vat_rate)
                    ),
                )
            )
        if fund.withholding and not doc.withholdings:
            found.append(RuleViolation("00415", where, _("Ritenuta SI without DatiRitenuta")))
    if not doc.withholdings:
        found.extend(
            RuleViolation(
                "00411",
                _("line {number}").format(number=line.number),
                _("Ritenuta SI without DatiRitenuta"),
            )
            for line in doc.lines
            if line.withholding
        )
    return found


def summary_nature_violations(doc: FatturaPA) -> list[RuleViolation]:
    """00429: a 0% summary needs a Natura; 00430: a summary with VAT must have none;
    00420: split payment (EsigibilitaIVA S) is never reverse charge (N6.x)."""
    found = []
    for summary in doc.summaries:
        where = _label(summary.vat_rate, summary.nature)
        if summary.vat_rate == 0 and not summary.nature:
            found.append(RuleViolation("00429", where, _("AliquotaIVA 0.00 without Natura")))
        elif summary.vat_rate != 0 and summary.nature:
            found.append(
                RuleViolation(
                    "00430",
                    where,
                    _("Natura {nature} with AliquotaIVA {rate}").format(
                        nature=summary.nature, rate=_amount(summary.vat_rate)
                    ),
                )
            )
        if summary.collectability == "S" and (summary.nature or "").startswith("N6"):
            found.append(
                RuleViolation(
                    "00420", where, _("EsigibilitaIVA S (split payment) with reverse charge")
                )
            )
    return found


def summary_amount_violations(doc: FatturaPA) -> list[RuleViolation]:
    """00419: every rate of the lines has a summary; 00422: ImponibileImporto = the sum of
    the lines' PrezzoTotale and contributions of its rate and nature (+ Arrotondamento),
    within 1.00; 00421: Imposta = ImponibileImporto x AliquotaIVA / 100 rounded half up,
    within 0.01."""
    sums: dict[tuple[Decimal, str | None], Decimal] = {}
    for line in doc.lines:
        key = _key(line.vat_rate, line.nature)
        sums[key] = sums.get(key, Decimal(0)) + line.total
    for fund in doc.social_security:
        key = _key(fund.vat_rate, fund.nature)
        sums[key] = sums.get(key, Decimal(0)) + fund.amount
    found: list[RuleViolation] = []
    summarized = {_key(s.vat_rate, s.nature) for s in doc.summaries}
    found.extend(
        RuleViolation("00419", _label(*key), _("lines of this rate have no DatiRiepilogo"))
        for key in sums
        if key not in summarized
    )
    for summary in doc.summaries:
        where = _label(summary.vat_rate, summary.nature)
        expected = sums.get(_key(summary.vat_rate, summary.nature), Decimal(0))
        expected += summary.rounding or 0
        if abs(summary.taxable - expected) > TAXABLE_TOLERANCE:
            found.append(
                RuleViolation(
                    "00422",
                    where,
                    _("ImponibileImporto {taxable} != {expected}, the sum of its lines").format(
                        taxable=_amount(summary.taxable), expected=_amount(expected)
                    ),
                )
            )
        tax = (summary.taxable * summary.vat_rate / 100).quantize(CENT, ROUND_HALF_UP)
        if abs(summary.tax - tax) > TAX_TOLERANCE:
            found.append(
                RuleViolation(
                    "00421",
                    where,
                    _("Imposta {tax} != ImponibileImporto {taxable} x {rate}% = {expected}").format(
                        tax=_amount(summary.tax),
                        taxable=_amount(summary.taxable),
                        rate=_plain(summary.vat_rate),
                        expected=_amount(tax),
                    ),
                )
            )
    return found


def party_violations(doc: FatturaPA) -> list[RuleViolation]:
    """00417: the buyer has an IdFiscaleIVA or a CodiceFiscale; 00427: CodiceDestinatario
    has 6 characters for FPA12, 7 for FPR12; 00426: PECDestinatario only with 0000000."""
    found = []
    buyer = doc.buyer
    if buyer.vat_id is None and not buyer.tax_code:
        found.append(
            RuleViolation(
                "00417", "CessionarioCommittente", _("neither IdFiscaleIVA nor CodiceFiscale")
            )
        )
    transmission = doc.transmission
    size = 6 if transmission.format == FPA12 else 7
    if len(transmission.recipient_code) != size:
        found.append(
            RuleViolation(
                "00427",
                "CodiceDestinatario",
                _("{code} has {length} characters, {format} needs {size}").format(
                    code=repr(transmission.recipient_code),
                    length=len(transmission.recipient_code),
                    format=transmission.format,
                    size=size,
                ),
            )
        )
    if transmission.recipient_pec and transmission.recipient_code != NO_CODE:
        found.append(
            RuleViolation(
                "00426",
                "PECDestinatario",
                _("given with CodiceDestinatario {code} (only with {none})").format(
                    code=transmission.recipient_code, none=NO_CODE
                ),
            )
        )
    return found


def document_violations(doc: FatturaPA, today: date) -> list[RuleViolation]:
    """00403: the document date is not after ``today``; ``period``: every line's period
    starts no later than it ends; 00418: a credit note is not dated before the invoice
    it corrects; 00425: Numero holds a digit; 00002: ProgressivoInvio (the file name's
    progressive) is 1-5 letters or digits."""
    found = []
    if doc.issue_date > today:
        found.append(
            RuleViolation(
                "00403",
                "Data",
                _("{day} is after today {today}").format(
                    day=doc.issue_date.isoformat(), today=today.isoformat()
                ),
            )
        )
    for line in doc.lines:
        if line.period_start and line.period_end and line.period_start > line.period_end:
            found.append(
                RuleViolation(
                    "period",
                    _("line {number}").format(number=line.number),
                    _("DataInizioPeriodo {start} after DataFinePeriodo {end}").format(
                        start=line.period_start.isoformat(), end=line.period_end.isoformat()
                    ),
                )
            )
    if doc.document_type == TD04:
        for linked in doc.linked_invoices:
            if linked.document_date and linked.document_date > doc.issue_date:
                found.append(
                    RuleViolation(
                        "00418",
                        "DatiFattureCollegate",
                        _(
                            "credit note dated {day} before invoice {invoice} of {invoice_day}"
                        ).format(
                            day=doc.issue_date.isoformat(),
                            invoice=linked.document_id,
                            invoice_day=linked.document_date.isoformat(),
                        ),
                    )
                )
    if not any(ch.isdigit() for ch in doc.number):
        found.append(
            RuleViolation(
                "00425", "Numero", _("{number} holds no digit").format(number=repr(doc.number))
            )
        )
    if not PROGRESSIVE.fullmatch(doc.transmission.progressive):
        found.append(
            RuleViolation(
                "00002",
                "ProgressivoInvio",
                _("{value} is not 1-5 letters or digits").format(
                    value=repr(doc.transmission.progressive)
                ),
            )
        )
    return found


def stamp_duty_violations(
    doc: FatturaPA, natures: Iterable[str] = BOLLO_NATURES
) -> list[RuleViolation]:
    """``bollo``: above 77.47 EUR of amounts without VAT subject to bollo (``natures``) the
    document carries DatiBollo of 2.00; at or below it, none."""
    subject = frozenset(natures)
    amount = sum((line.total for line in doc.lines if line.nature in subject), Decimal(0))
    amount += sum(
        (fund.amount for fund in doc.social_security if fund.nature in subject), Decimal(0)
    )
    stamp = doc.stamp_duty
    if abs(amount) > BOLLO_THRESHOLD:
        if stamp is None:
            return [
                RuleViolation(
                    "bollo",
                    "DatiBollo",
                    _("missing: {amount} without VAT exceeds {threshold}").format(
                        amount=_amount(abs(amount)), threshold=BOLLO_THRESHOLD
                    ),
                )
            ]
        if stamp.amount != BOLLO_AMOUNT:
            return [
                RuleViolation(
                    "bollo",
                    "DatiBollo",
                    _("ImportoBollo {amount} != {expected}").format(
                        amount=_amount(stamp.amount), expected=BOLLO_AMOUNT
                    ),
                )
            ]
    elif stamp is not None:
        return [
            RuleViolation(
                "bollo",
                "DatiBollo",
                _(
                    "present, but only {amount} without VAT subject to bollo "
                    "(threshold {threshold})"
                ).format(amount=_amount(abs(amount)), threshold=BOLLO_THRESHOLD),
            )
        ]
    return []


CHECKS: tuple[Callable[[FatturaPA], list[RuleViolation]], ...] = (
    line_total_violations,
    line_nature_violations,
    social_security_violations,
    summary_nature_violations,
    summary_amount_violations,
    party_violations,
    stamp_duty_violations,
)


def sdi_violations(doc: FatturaPA, today: date) -> list[RuleViolation]:
    """Every rule beyond the schema that ``doc`` breaks: lines, summaries, parties, bollo,
    then the document's dates and numbers."""
    found = [violation for check in CHECKS for violation in check(doc)]
    found.extend(document_violations(doc, today))
    return found


def check_sdi_rules(doc: FatturaPA, today: date) -> None:
    """Raise InvalidEInvoice naming ``doc.number`` and the first broken rule, if any."""
    found = sdi_violations(doc, today)
    if found:
        raise InvalidEInvoice(doc.number, found)


__all__ = [
    "BOLLO_NATURES",
    "BOLLO_THRESHOLD",
    "InvalidEInvoice",
    "RuleViolation",
    "check_sdi_rules",
    "document_violations",
    "line_nature_violations",
    "line_total_violations",
    "party_violations",
    "sdi_violations",
    "social_security_violations",
    "stamp_duty_violations",
    "summary_amount_violations",
    "summary_nature_violations",
]
