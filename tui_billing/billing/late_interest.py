"""Late-payment interest and recovery fees as lines on a contract's next installments.

Materializing asks :func:`late_charges_for` once per chunk of contracts, then
:meth:`LateCharges.add_to` for each contract's computed installments. The charges of a
late invoice ride on the contract's installments that are not invoiced yet, not held back
waiting for a revenue figure, and dated after the invoice's grace period: each bills the
interest days up to its own invoice date not billed before (so catching up three periods
bills each period's days on its own invoice), the first one also the fee. What is already
billed is read back from the invoiced installments (line keys ``late-interest:<invoice id>``
with the days as their period, and ``late-fee:<invoice id>``), so each day of interest and
each fee is billed once, however often this is recomputed. A payment the bank returned
(``payment_return``) is left out: interest runs as if it had never been made. An invoice's
late charges belong to the contract of its first line. What a credit note takes off an
invoice was never owed: interest runs on the capital left. The lines carry no VAT and the
VAT nature N1: out of the scope of VAT (art. 15 DPR 633/72), so out of the taxable base and
in the total to pay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.credited import credited_amounts
from tui_billing.billing.interest_rates import list_rates
from tui_billing.billing.professional_rules import OWED_SQL
from tui_billing.domain.economics import installment_status
from tui_billing.domain.installments import InstallmentLine, InstallmentSpec
from tui_billing.domain.late_interest import (
    ONE_DAY,
    LateItem,
    LateTerms,
    accruals,
    fee_description,
    interest_amount,
    interest_description,
)
from tui_billing.domain.legal_rates import half_year_start
from tui_billing.domain.money import ZERO, from_cents
from tui_billing.domain.stored_lines import REBILLED, decode_lines
from tui_billing.domain.vat_natures import OUT_OF_SCOPE
from tui_billing.store.database import stored_date

INTEREST_KEY = "late-interest:"
FEE_KEY = "late-fee:"
LATE_VAT_RATE = Decimal("0.00")  # no VAT, and out of the taxable base:
LATE_VAT_NATURE = OUT_OF_SCOPE  # N1, excluded from VAT by art. 15 DPR 633/72

_TERMS_SQL = (
    "SELECT k.id, k.late_interest, k.late_interest_rate, k.late_grace_days, k.late_fee,"
    " COALESCE(k.language, c.language, 'it') FROM contract k"
    " LEFT OUTER JOIN customer c ON c.id = k.customer_id"
    " WHERE k.id IN ({ids}) AND (k.late_interest IN ('fixed', 'legal') OR k.late_fee > 0)"
)
_INVOICES_SQL = (
    "SELECT i.id, i.number, i.due_date,"
    f" {OWED_SQL},"  # the amount due: less VAT under split payment, less the withholding
    " (SELECT l.contract_id FROM invoice_line l"
    "  WHERE l.invoice_id = i.id AND l.contract_id IS NOT NULL"
    "  ORDER BY l.position, l.id LIMIT 1) FROM invoice i"
    " WHERE i.id IN (SELECT invoice_id FROM invoice_line WHERE contract_id IN ({ids}))"
    " AND i.status IN ('issued', 'open_item', 'posted') AND i.document_type = 'invoice'"
    " AND i.due_date IS NOT NULL AND i.total > 0"
)


@dataclass
class _Contract:
    terms: LateTerms
    language: str
    items: list[tuple[int, LateItem]] = field(default_factory=list)
    billed: set[tuple[Any, ...]] = field(default_factory=set)  # (line key, start, end) invoiced
    interest_billed: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    fees_billed: set[int] = field(default_factory=set)


@dataclass
class LateCharges:
    """The late invoices of a chunk of contracts, with what is billed of them already."""

    contracts: dict[int, _Contract] = field(default_factory=dict)
    rates: dict[dt.date, Decimal] = field(default_factory=dict)

    def rate_of(self, day: dt.date) -> Decimal | None:
        """The legal annual rate (reference rate + points) of ``day``'s half-year."""
        return self.rates.get(half_year_start(day))

    def add_to(
        self, contract_id: int, specs: Sequence[InstallmentSpec]
    ) -> Sequence[InstallmentSpec]:
        """``specs`` with the contract's late charges added to the installments that bill
        them (unchanged, the same object, when there are none)."""
        data = self.contracts.get(contract_id)
        if data is None or not data.items:
            return specs
        result = list(specs)
        still_open = [
            index
            for index, spec in enumerate(result)
            if installment_status(spec) == "pending" and _open(spec, data)
        ]
        added: dict[int, list[InstallmentLine]] = {}
        for invoice_id, item in data.items:
            covered = sorted(data.interest_billed.get(invoice_id, ()))
            fee_due = data.terms.fee > 0 and invoice_id not in data.fees_billed
            for index in still_open:
                cutoff = result[index].invoice_date
                if not item.is_late(data.terms, cutoff):
                    continue
                lines = added.setdefault(index, [])
                for first, last in _gaps(item.due_date + ONE_DAY, cutoff, covered):
                    runs = accruals(
                        item, data.terms, first - ONE_DAY, last, self.rate_of, on=cutoff
                    )
                    amount = interest_amount(runs)
                    if amount > 0:
                        lines.append(
                            InstallmentLine(
                                f"{INTEREST_KEY}{invoice_id}",
                                interest_description(item, runs, data.language),
                                runs[0].first,
                                runs[-1].last,
                                Decimal(1),
                                amount,
                                amount,
                                LATE_VAT_RATE,
                                LATE_VAT_NATURE,
                            )
                        )
                        covered = sorted([*covered, (runs[0].first, runs[-1].last)])
                if fee_due:
                    lines.append(
                        InstallmentLine(
                            f"{FEE_KEY}{invoice_id}",
                            fee_description(item, data.language),
                            None,
                            None,
                            Decimal(1),
                            data.terms.fee,
                            data.terms.fee,
                            LATE_VAT_RATE,
                            LATE_VAT_NATURE,
                        )
                    )
                    fee_due = False
        if not any(added.values()):
            return specs
        for index, lines in added.items():
            if lines:
                result[index] = replace(result[index], lines=result[index].lines + tuple(lines))
        return result


def _gaps(
    first: dt.date, last: dt.date, covered: Sequence[tuple[dt.date, dt.date]]
) -> list[tuple[dt.date, dt.date]]:
    """The days of ``[first, last]`` outside the sorted ``covered`` ranges, as ranges."""
    gaps = []
    day = first
    for start, end in covered:
        if end < day:
            continue
        if start > last:
            break
        if start > day:
            gaps.append((day, start - ONE_DAY))
        day = max(day, end + ONE_DAY)
    if day <= last:
        gaps.append((day, last))
    return gaps


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _open(spec: InstallmentSpec, data: _Contract) -> bool:
    """Whether the installment still has a contract line to invoice."""
    return any(
        (li.line_key, _iso(li.period_start), _iso(li.period_end)) not in data.billed
        for li in spec.lines
        if not li.line_key.startswith((INTEREST_KEY, FEE_KEY))
    )


def _in(values: Sequence[int]) -> str:
    return ",".join(str(int(v)) for v in values)


def late_charges_for(db: Database, contract_ids: Sequence[int]) -> LateCharges:
    """Read what the late charges of these contracts need: a few queries per chunk, and
    just one when no contract of the chunk charges for late payment."""
    charges = LateCharges()
    if not contract_ids:
        return charges
    for cid, rule, rate, grace, fee, language in db.execute_sql(
        _TERMS_SQL.format(ids=_in(contract_ids))
    ):
        charges.contracts[cid] = _Contract(
            LateTerms(
                rule or "none",
                from_cents(rate) if rate is not None else None,
                int(grace or 0),
                from_cents(fee or 0),
            ),
            language,
        )
    if not charges.contracts:
        return charges
    invoices = [
        row
        for row in db.execute_sql(_INVOICES_SQL.format(ids=_in(list(charges.contracts))))
        if row[4] in charges.contracts
    ]
    if not invoices:
        return charges
    payments: dict[int, list[tuple[dt.date, Decimal]]] = {}
    for invoice_id, day, cents in db.execute_sql(
        "SELECT invoice_id, date, amount FROM payment WHERE invoice_id IN "
        f"({_in([r[0] for r in invoices])})"
        " AND id NOT IN (SELECT payment_id FROM payment_return) ORDER BY date, id"
    ):
        payments.setdefault(invoice_id, []).append((stored_date(day), from_cents(cents)))
    owners = sorted({r[4] for r in invoices})
    charged_on = _read_billed(db, owners, charges)
    credited = credited_amounts(r[0] for r in invoices)
    for invoice_id, number, due, total, owner in invoices:
        data = charges.contracts[owner]
        charged = charged_on.get(invoice_id, ZERO)
        capital = from_cents(total) - charged
        taken = credited.get(invoice_id)
        if taken is not None:  # never owed: credited capital, and late charges credited
            capital -= taken.owed - taken.out_of_scope
            charged = max(ZERO, charged - taken.out_of_scope)
        item = LateItem(
            number or f"#{invoice_id}",
            stored_date(due),
            max(ZERO, capital),
            charged,
            tuple(payments.get(invoice_id, ())),
        )
        if item.capital_open(item.grace_end(data.terms)) > 0:
            data.items.append((invoice_id, item))
    for data in charges.contracts.values():
        data.items.sort(key=lambda pair: (pair[1].due_date, pair[0]))
    if any(d.terms.rule == "legal" and d.items for d in charges.contracts.values()):
        charges.rates = legal_rates()
    return charges


def _read_billed(db: Database, owners: list[int], charges: LateCharges) -> dict[int, Decimal]:
    """Fill in what the owners' invoiced installments billed; returns the late charges
    billed on each invoice (by invoice id)."""
    charged_on: dict[int, Decimal] = {}
    for cid, invoice_id, text in db.execute_sql(
        "SELECT contract_id, invoice_id, lines FROM installment WHERE status = 'invoiced'"
        f" AND contract_id IN ({_in(owners)})"
    ):
        data = charges.contracts[cid]
        for li in decode_lines(text):
            key = str(li.get("line"))
            if REBILLED in li:  # credited to be billed again: its days and fee are not billed
                if invoice_id is not None and key.startswith((INTEREST_KEY, FEE_KEY)):
                    charged_on[invoice_id] = charged_on.get(invoice_id, ZERO) + Decimal(
                        li["amount"]
                    )
                continue
            data.billed.add((key, li.get("period_start"), li.get("period_end")))
            if key.startswith(INTEREST_KEY):
                data.interest_billed.setdefault(int(key[len(INTEREST_KEY) :]), []).append(
                    (
                        dt.date.fromisoformat(li["period_start"]),
                        dt.date.fromisoformat(li["period_end"]),
                    )
                )
            elif key.startswith(FEE_KEY):
                data.fees_billed.add(int(key[len(FEE_KEY) :]))
            else:
                continue
            if invoice_id is not None:
                charged_on[invoice_id] = charged_on.get(invoice_id, ZERO) + Decimal(li["amount"])
    return charged_on


def legal_rates() -> dict[dt.date, Decimal]:
    """The legal annual rate of each half-year in the table: reference rate + points."""
    return {rate.half_year_start: rate.rate for rate in list_rates()}


__all__ = ["FEE_KEY", "INTEREST_KEY", "LateCharges", "late_charges_for", "legal_rates"]
