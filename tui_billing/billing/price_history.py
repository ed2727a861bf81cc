"""How the price of each indexed or stepped line of a contract came about, step by step,
and the warnings of the lines that bill at their last price for want of an index value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tui_billing.billing.billed import billed_lines
from tui_billing.billing.contract_terms import load_terms
from tui_billing.billing.wording import _
from tui_billing.domain.coverage import BilledLine
from tui_billing.domain.economics import line_price_changes
from tui_billing.domain.errors import UserError
from tui_billing.domain.price_rules import PriceChange
from tui_billing.domain.schedule import contract_installments
from tui_billing.domain.terms import ContractTerms
from tui_billing.store.models import Contract, ContractLine


@dataclass(frozen=True, slots=True)
class LineHistory:
    """The price changes of one contract line up to a date."""

    contract: str
    position: int  # 1-based, as the operator counts the lines
    description: str
    base_price: str
    changes: tuple[PriceChange, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "line": self.position,
            "description": self.description,
            "base_price": self.base_price,
            "price": f"{self.changes[-1].new_price:.2f}" if self.changes else self.base_price,
            "changes": [c.to_json() for c in self.changes],
        }


def _billing_horizon(
    terms: ContractTerms, on: dt.date, billed: Sequence[BilledLine] = ()
) -> dt.date:
    """The last day billed by the installments due on ``on`` (advance billing reaches past
    it), or invoiced already (``billed``: under other terms it may reach further)."""
    ends = [
        li.period_end
        for spec in contract_installments(terms, on)
        for li in spec.lines
        if li.period_end is not None
    ]
    invoiced = [dt.date.fromisoformat(end) for *_unused, end in billed if end]
    return max([on, *ends, *invoiced])


def price_history(contract_code: str, on: dt.date) -> list[LineHistory]:
    """The price changes of the contract's indexed and stepped lines, for what is billed by
    ``on``; UserError when there is no such contract."""
    contract = Contract.get_or_none(Contract.code == contract_code)
    if contract is None:
        raise UserError(
            _("unknown contract {contract_code!r}").format(contract_code=contract_code), "contract"
        )
    terms = load_terms([contract.id]).get(contract.id)
    if terms is None:
        return []
    billed = billed_lines(Contract._meta.database, [contract.id]).get(contract.id, [])
    changes = line_price_changes(terms, _billing_horizon(terms, on, billed))
    result = []
    for position, line in enumerate(terms.lines, 1):
        if line.key in changes:
            result.append(
                LineHistory(
                    contract_code,
                    position,
                    line.description,
                    f"{line.unit_price:.2f}",
                    tuple(changes[line.key]),
                )
            )
    return result


def index_warnings(on: dt.date, contract_code: str | None = None) -> list[tuple[str, str]]:
    """(contract, warning) for each active contract line that bills at its last price, by
    ``on`` and not yet invoiced, because an index value it needs is missing: one warning per
    line, for the first adjustment still to bill (the later ones miss the same value)."""
    query = (
        Contract.select(Contract.id)
        .join(ContractLine)
        .where((Contract.status == "active") & ContractLine.economics.is_null(False))
        .distinct()
    )
    if contract_code:
        query = query.where(Contract.code == contract_code)
    ids = [row.id for row in query]
    warnings = set()
    billed = billed_lines(Contract._meta.database, ids)
    for cid, terms in load_terms(ids).items():
        invoiced = billed.get(cid, [])
        changes = line_price_changes(terms, _billing_horizon(terms, on, invoiced))
        pending = _pending_starts(terms, on, invoiced)
        for position, line in enumerate(terms.lines, 1):
            starts = pending.get(line.key, ())
            for change in changes.get(line.key, ()):
                if change.warning and any(start >= change.start for start in starts):
                    warnings.add(
                        (terms.code, f"line {position} ({line.description}): {change.warning}")
                    )
                    break
    return sorted(warnings)


def _pending_starts(
    terms: ContractTerms, on: dt.date, billed: Sequence[BilledLine]
) -> dict[str, list[dt.date]]:
    """The period starts of each contract line's installment lines due by ``on`` and not
    yet invoiced, by line key."""
    invoiced = {(key, start, end) for key, _unused, start, end in billed}
    found: dict[str, list[dt.date]] = {}
    for spec in contract_installments(terms, on):
        for li in spec.lines:
            start, end = li.period_start, li.period_end
            if start is None or end is None:
                continue
            if (li.line_key, start.isoformat(), end.isoformat()) not in invoiced:
                found.setdefault(li.line_key, []).append(start)
    return found
