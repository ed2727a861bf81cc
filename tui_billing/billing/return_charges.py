"""The charges of returned collections as lines of the contract's next installment.

Materializing asks :func:`return_charges_for` once per chunk of contracts, then
:meth:`ReturnCharges.add_to` for each contract's computed installments. A return's charges
(the bank's fee and the company's own, as fixed when it was recorded) ride on the first
installment not invoiced yet whose invoice date is on or after the return, as lines keyed
``returned:<return id>`` (and ``returned-own:<return id>`` when the own fee is taxed apart).
What is billed already is read back from the invoiced installments, so each return's
charges are billed once however often this is recomputed, and a rerun or a second run
bills nothing again (the invoice and its installment are committed together)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from peewee import Database

from tui_billing.billing.late_interest import FEE_KEY, INTEREST_KEY
from tui_billing.domain.economics import installment_status
from tui_billing.domain.money import from_cents
from tui_billing.domain.return_charges import (
    CHARGE_KEY,
    OWN_FEE_KEY,
    charge_description,
    charge_parts,
    parse_vat_treatment,
)
from tui_billing.domain.schedule import InstallmentLine, InstallmentSpec
from tui_billing.domain.stored_lines import REBILLED, decode_lines
from tui_billing.store.database import stored_date

_CHARGE_KEYS = (INTEREST_KEY, FEE_KEY, CHARGE_KEY, OWN_FEE_KEY)

_RETURNS_SQL = (
    "SELECT r.id, r.contract_id, r.date, r.bank_fee, r.own_fee, r.bank_fee_vat, r.own_fee_vat,"
    " i.number, i.date, COALESCE(k.language, c.language, 'it')"
    " FROM payment_return r JOIN invoice i ON i.id = r.invoice_id"
    " JOIN contract k ON k.id = r.contract_id"
    " LEFT OUTER JOIN customer c ON c.id = k.customer_id"
    " WHERE r.contract_id IN ({ids}) AND (r.bank_fee > 0 OR r.own_fee > 0)"
    " ORDER BY r.date, r.id"
)


@dataclass(frozen=True, slots=True)
class _Return:
    id: int
    date: dt.date
    lines: tuple[InstallmentLine, ...]


@dataclass
class ReturnCharges:
    """The unbilled return charges of a chunk of contracts."""

    contracts: dict[int, list[_Return]] = field(default_factory=dict)

    def add_to(
        self, contract_id: int, specs: Sequence[InstallmentSpec]
    ) -> Sequence[InstallmentSpec]:
        """``specs`` with the contract's unbilled return charges on its next installment
        (unchanged, the same object, when there are none)."""
        charges = self.contracts.get(contract_id)
        if not charges:
            return specs
        result = list(specs)
        changed = False
        for charge in charges:
            for index, spec in enumerate(result):
                if (
                    installment_status(spec) == "pending"
                    and spec.invoice_date >= charge.date
                    and any(not li.line_key.startswith(_CHARGE_KEYS) for li in spec.lines)
                ):
                    result[index] = replace(spec, lines=spec.lines + charge.lines)
                    changed = True
                    break
        return result if changed else specs


def _in(values: Sequence[int]) -> str:
    return ",".join(str(int(v)) for v in values)


def return_charges_for(db: Database, contract_ids: Sequence[int]) -> ReturnCharges:
    """The return charges of these contracts not billed yet (one query when none has any)."""
    charges = ReturnCharges()
    if not contract_ids:
        return charges
    rows = list(db.execute_sql(_RETURNS_SQL.format(ids=_in(contract_ids))))
    if not rows:
        return charges
    billed: set[int] = set()
    for (text,) in db.execute_sql(
        "SELECT lines FROM installment WHERE status = 'invoiced' AND contract_id IN "
        f"({_in(sorted({r[1] for r in rows}))})"
    ):
        for li in decode_lines(text):
            key = str(li.get("line"))
            if key.startswith((CHARGE_KEY, OWN_FEE_KEY)) and REBILLED not in li:
                billed.add(int(key.rpartition(":")[2]))
    for rid, cid, day, bank, own, bank_vat, own_vat, number, inv_date, language in rows:
        if rid in billed:
            continue
        parts = charge_parts(
            rid,
            from_cents(bank),
            from_cents(own),
            parse_vat_treatment(bank_vat),
            parse_vat_treatment(own_vat),
        )
        lines = tuple(
            InstallmentLine(
                part.key,
                charge_description(number, stored_date(inv_date), language, part.own_part),
                None,
                None,
                Decimal(1),
                part.amount,
                part.amount,
                part.vat.rate,
                part.vat.nature,
            )
            for part in parts
        )
        charges.contracts.setdefault(cid, []).append(_Return(rid, stored_date(day), lines))
    return charges


__all__ = ["ReturnCharges", "return_charges_for"]
