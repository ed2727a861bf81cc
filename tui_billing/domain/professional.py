"""A professional seller's document: the social-security contribution charged to the
customer (rivalsa INPS 4%, or a cassa previdenziale's contributo integrativo) and the
withholding tax (ritenuta d'acconto) the customer keeps back and pays to the State, as
pure rules.

Order of the computation, each amount rounded half up to the cent:

1. fees = the document's lines that are not out of VAT scope (N1: the bollo charged,
   late charges, expenses paid in the customer's name are neither fees nor withheld);
2. contribution = fees x contribution rate; it is subject to VAT at the fees' rate (the
   rate of the largest share of the fees), and joins that rate's VAT summary;
3. VAT per rate on its lines plus the contribution of that rate;
4. withholding base = (fees + the contribution when it is subject to ritenuta) x base
   percent; withholding = base x withholding rate;
5. net to pay = total - withholding (- VAT under split payment).

Law: ritenuta d'acconto art. 25 DPR 600/73 (20% of the fees, at payment, by a customer
who is a withholding agent, art. 23: businesses, professionals, public bodies,
condominiums; never a private consumer). Rivalsa INPS 4% of a professional enrolled in
the gestione separata (art. 2 c. 26 L. 335/1995; the 4% charged to the customer, art. 1
c. 212 L. 662/1996): part of the fee, so subject to VAT and to ritenuta (Ris. Min.
Finanze 11/07/1996 n. 109). A cassa's contributo integrativo (e.g. lawyers' 4%) is
subject to VAT but not to ritenuta.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.money import ZERO, round_money
from tui_billing.domain.parsing import Reader
from tui_billing.domain.vat_natures import is_out_of_scope

WITHHOLDING_KINDS = ("RT01", "RT02")  # TipoRitenuta: natural persons, legal persons
# CausalePagamento of the FatturaPA 1.2.3 schema (the model 770's payment reasons).
PAYMENT_REASONS = (
    "A",
    "B",
    "C",
    "D",
    "E",
    "G",
    "H",
    "I",
    "L",
    "L1",
    "M",
    "M1",
    "M2",
    "N",
    "O",
    "O1",
    "P",
    "Q",
    "R",
    "S",
    "T",
    "U",
    "V",
    "V1",
    "V2",
    "W",
    "X",
    "Y",
    "ZO",
)
FUNDS = tuple(f"TC{n:02d}" for n in range(1, 23))  # TipoCassa TC01..TC22
INPS = "TC22"  # INPS gestione separata: the rivalsa 4%
DEFAULT_WITHHOLDING_RATE = Decimal("20")
DEFAULT_CONTRIBUTION_RATE = Decimal("4")
HUNDRED = Decimal(100)

# The company settings this module reads (``company`` in the interchange file).
PROFESSIONAL_SETTINGS = (
    "withholding_kind",
    "withholding_rate",
    "withholding_base",
    "withholding_reason",
    "contribution_fund",
    "contribution_rate",
    "contribution_withheld",
)

_FUND_NAMES = {
    "TC01": "Cassa Forense",
    "TC02": "Cassa dottori commercialisti",
    "TC03": "Cassa geometri",
    "TC04": "Inarcassa",
    "TC05": "Cassa notariato",
    "TC06": "Cassa ragionieri",
    "TC07": "ENASARCO",
    "TC08": "ENPACL",
    "TC09": "ENPAM",
    "TC10": "ENPAF",
    "TC11": "ENPAV",
    "TC12": "ENPAIA",
    "TC13": "Fondo spedizionieri",
    "TC14": "INPGI",
    "TC15": "ONAOSI",
    "TC16": "CASAGIT",
    "TC17": "EPPI",
    "TC18": "EPAP",
    "TC19": "ENPAB",
    "TC20": "ENPAPI",
    "TC21": "ENPAP",
    "TC22": "INPS",
}


def fund_name(code: str) -> str:
    """The cassa's usual name: ``TC22`` -> ``INPS``."""
    return _FUND_NAMES.get(code, code)


@dataclass(frozen=True, slots=True)
class ProfessionalTerms:
    """What a professional seller charges and has withheld; None fields: not at all."""

    withholding_kind: str | None = None  # RT01 / RT02; None: no ritenuta
    withholding_rate: Decimal = DEFAULT_WITHHOLDING_RATE  # percent
    withholding_base: Decimal = HUNDRED  # percent of the fees (and contribution) withheld on
    withholding_reason: str = "A"  # CausalePagamento
    contribution_fund: str | None = None  # TipoCassa; None: no contribution
    contribution_rate: Decimal = DEFAULT_CONTRIBUTION_RATE  # percent of the fees
    contribution_withheld: bool = True  # the contribution is in the withholding base

    @property
    def any(self) -> bool:
        return self.withholding_kind is not None or self.contribution_fund is not None

    @classmethod
    def of(cls, values: dict[str, Any] | None) -> ProfessionalTerms:
        """The terms of the company settings (``read_professional``'s keys)."""
        values = values or {}
        if not values.get("withholding_kind") and not values.get("contribution_fund"):
            return cls()

        def rate(key: str, default: Decimal) -> Decimal:
            value = values.get(key)
            return default if value is None else Decimal(value)

        return cls(
            withholding_kind=values.get("withholding_kind") or None,
            withholding_rate=rate("withholding_rate", DEFAULT_WITHHOLDING_RATE),
            withholding_base=rate("withholding_base", HUNDRED),
            withholding_reason=values.get("withholding_reason") or "A",
            contribution_fund=values.get("contribution_fund") or None,
            contribution_rate=rate("contribution_rate", DEFAULT_CONTRIBUTION_RATE),
            contribution_withheld=bool(values.get("contribution_withheld")),
        )


def _percent(r: Reader, key: str, default: Decimal) -> Decimal:
    value = r.decimal(key, default, places=2)
    if not 0 <= value <= 100:
        raise UserError(_("must be a percentage between 0 and 100"), r.at(key))
    return value


def read_professional(r: Reader) -> dict[str, Any]:
    """The company's professional settings from user data (import, form): withholding kind
    (RT01/RT02, or none), rate and base (percent of the fees) and payment reason; the
    contribution's cassa (TipoCassa TC01..TC22, TC22 INPS), rate and whether it is
    subject to ritenuta (by default only INPS's rivalsa is)."""
    kind = (
        r.choice("withholding_kind", WITHHOLDING_KINDS, None)
        if r.optional_text("withholding_kind")
        else None
    )
    fund = (
        r.choice("contribution_fund", FUNDS, None) if r.optional_text("contribution_fund") else None
    )
    return {
        "withholding_kind": kind,
        "withholding_rate": _percent(r, "withholding_rate", DEFAULT_WITHHOLDING_RATE),
        "withholding_base": _percent(r, "withholding_base", HUNDRED),
        "withholding_reason": r.choice("withholding_reason", PAYMENT_REASONS, "A"),
        "contribution_fund": fund,
        "contribution_rate": _percent(r, "contribution_rate", DEFAULT_CONTRIBUTION_RATE),
        "contribution_withheld": r.boolean("contribution_withheld", fund == INPS),
    }


@dataclass(frozen=True, slots=True)
class ProfessionalAmounts:
    """A document's figures with its contribution and withholding (None: not charged)."""

    fees: Decimal  # the lines subject to contribution and withholding
    contribution: Decimal | None  # ImportoContributoCassa
    contribution_base: Decimal | None  # ImponibileCassa: the fees
    contribution_vat_rate: Decimal | None
    contribution_vat_nature: str | None
    withholding_base: Decimal | None
    withholding: Decimal | None  # ImportoRitenuta
    taxable: Decimal  # the lines (not N1) plus the contribution
    vat: Decimal
    total: Decimal  # taxable + VAT + the lines out of VAT scope
    net_due: Decimal  # total - withholding (- VAT under split payment)
    summary: tuple[tuple[Decimal, str | None, Decimal, Decimal], ...]  # rate, nature, base, VAT


def _fees_rate(lines: list[tuple[Decimal, Decimal, str | None]]) -> tuple[Decimal, str | None]:
    """The VAT rate (and nature) of the largest share of the fees; ties: the higher rate."""
    shares: dict[tuple[Decimal, str | None], Decimal] = {}
    for amount, rate, nature in lines:
        key = (Decimal(rate), nature)
        shares[key] = shares.get(key, ZERO) + amount
    if not shares:
        return Decimal("22"), None
    return max(shares, key=lambda key: (abs(shares[key]), key[0], key[1] or ""))


def professional_amounts(
    lines: Iterable[tuple[Decimal, Decimal, str | None]],
    terms: ProfessionalTerms,
    *,
    withholding_agent: bool,
    split_payment: bool,
    contribution: Decimal | None = None,
    withholding: Decimal | None = None,
    withholding_base: Decimal | None = None,
    contribution_vat: tuple[Decimal, str | None] | None = None,
) -> ProfessionalAmounts:
    """The figures of a document with lines (amount, VAT rate, nature) under ``terms``:
    contribution, then VAT, then withholding (none towards a customer who is not a
    withholding agent). ``contribution`` and ``withholding``, when given, replace the
    computed amounts, and ``contribution_vat`` the contribution's VAT rate and nature (a
    credit note takes back its invoice's, in proportion)."""
    lines = [(Decimal(a), Decimal(r), n) for a, r, n in lines]
    fee_lines = [li for li in lines if not is_out_of_scope(li[2])]
    fees = sum((li[0] for li in fee_lines), ZERO)
    outside = sum((li[0] for li in lines if is_out_of_scope(li[2])), ZERO)
    c_amount = c_base = c_rate = None
    c_nature: str | None = None
    groups: dict[tuple[Decimal, str | None], Decimal] = {}
    for amount, rate, nature in fee_lines:
        key = (rate.quantize(Decimal("0.01")), nature)
        groups[key] = groups.get(key, ZERO) + amount
    if terms.contribution_fund is not None:
        c_base = fees
        c_amount = (
            contribution
            if contribution is not None
            else round_money(fees * terms.contribution_rate / HUNDRED)
        )
        c_rate, c_nature = contribution_vat or _fees_rate(fee_lines)
        c_rate = c_rate.quantize(Decimal("0.01"))
        groups[(c_rate, c_nature)] = groups.get((c_rate, c_nature), ZERO) + c_amount
    summary = tuple(
        (rate, nature, base, round_money(base * rate / HUNDRED) if nature is None else ZERO)
        for (rate, nature), base in sorted(
            groups.items(), key=lambda item: (item[0][1] or "", item[0][0])
        )
    )
    taxable = sum((row[2] for row in summary), ZERO)
    vat = sum((row[3] for row in summary), ZERO)
    total = taxable + vat + outside
    w_base = w_amount = None
    if terms.withholding_kind is not None and withholding_agent:
        subject = fees + (
            c_amount if c_amount is not None and terms.contribution_withheld else ZERO
        )
        w_base = (
            withholding_base
            if withholding_base is not None
            else round_money(subject * terms.withholding_base / HUNDRED)
        )
        w_amount = (
            withholding
            if withholding is not None
            else round_money(w_base * terms.withholding_rate / HUNDRED)
        )
    net = total - (w_amount or ZERO) - (vat if split_payment else ZERO)
    return ProfessionalAmounts(
        fees=fees,
        contribution=c_amount,
        contribution_base=c_base,
        contribution_vat_rate=c_rate,
        contribution_vat_nature=c_nature,
        withholding_base=w_base,
        withholding=w_amount,
        taxable=taxable,
        vat=vat,
        total=total,
        net_due=net,
        summary=summary,
    )


def proportional(amount: Decimal | None, part: Decimal, whole: Decimal) -> Decimal | None:
    """``amount`` x part / whole, half up to the cent (None stays None; 0 when whole is 0)."""
    if amount is None:
        return None
    return round_money(amount * part / whole) if whole else ZERO


def contribution_label(fund: str, rate: Decimal) -> str:
    """The contribution's line on a document: ``Rivalsa INPS 4% (art. 2 c. 26 L.
    335/1995)`` or ``Contributo integrativo Cassa Forense 4%``."""
    shown = format(rate.normalize(), "f")
    if fund == INPS:
        return f"Rivalsa INPS {shown}% (art. 2 c. 26 L. 335/1995)"
    return f"Contributo integrativo {fund_name(fund)} {shown}%"


def withholding_label(rate: Decimal, base: Decimal) -> str:
    """``Ritenuta d'acconto 20% su 1040.00 (art. 25 DPR 600/73)``, amounts Italian style."""
    shown = format(rate.normalize(), "f").replace(".", ",")
    amount = f"{base:,.2f}".translate(str.maketrans(",.", ".,"))
    return f"Ritenuta d'acconto {shown}% su {amount} (art. 25 DPR 600/73)"


__all__ = [
    "FUNDS",
    "INPS",
    "PAYMENT_REASONS",
    "PROFESSIONAL_SETTINGS",
    "WITHHOLDING_KINDS",
    "ProfessionalAmounts",
    "ProfessionalTerms",
    "contribution_label",
    "fund_name",
    "professional_amounts",
    "proportional",
    "read_professional",
    "withholding_label",
]
