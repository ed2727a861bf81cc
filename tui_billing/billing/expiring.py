"""Contracts coming to a deadline: those whose notice deadline or end falls within a
window, and the manual renewals waiting for a decision, with what will happen, the yearly
value at stake and the price change at renewal."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from tui_billing.billing.renewals import frequency_of, lifecycle_of
from tui_billing.domain.lifecycle import Lifecycle, yearly_value
from tui_billing.store.models import Contract, ContractLine, ContractTerm, Customer


@dataclass(frozen=True, slots=True)
class Expiring:
    """One contract near its end."""

    contract: str
    customer: str
    term: int
    end: dt.date
    deadline: dt.date | None  # the last day a cancellation notice ends it at ``end``
    action: str  # renews, ends, renews_then_ends, decision
    at_end: str  # in words
    yearly_value: Decimal
    price_change: str | None
    waiting: bool  # a manual renewal waiting for a decision
    at_end_text: str = ""  # ``at_end`` in the language in use (JSON keeps the English)

    def to_json(self) -> dict[str, object]:
        return {
            "contract": self.contract,
            "customer": self.customer,
            "term": self.term,
            "end_date": self.end.isoformat(),
            "notice_deadline": self.deadline.isoformat() if self.deadline else None,
            "action": self.action,
            "at_end": self.at_end,
            "yearly_value": f"{self.yearly_value:.2f}",
            "price_change": self.price_change,
            "waiting_decision": self.waiting,
        }


def _action(life: Lifecycle) -> str:
    if life.cancel_end is not None:
        return "renews_then_ends" if life.end and life.cancel_end > life.end else "ends"
    return {"tacit": "renews", "manual": "decision"}.get(life.renewal, "ends")


def expiring(on: dt.date, within: int = 60) -> list[Expiring]:
    """Active contracts whose notice deadline or end falls in ``[on, on + within]``, and
    the manual renewals not decided yet (also those past their end), by date."""
    last = on + dt.timedelta(days=within)
    candidates = list(
        Contract.select().where(
            (Contract.status == "active")
            & Contract.end_date.is_null(False)
            & ((Contract.end_date >= on) | (Contract.renewal == "manual"))
        )
    )
    if not candidates:
        return []
    ids = [k.id for k in candidates]
    terms: dict[int, list[ContractTerm]] = {}
    for term in (
        ContractTerm.select().where(ContractTerm.contract.in_(ids)).order_by(ContractTerm.number)
    ):
        terms.setdefault(term.contract_id, []).append(term)
    lines: dict[int, list[ContractLine]] = {}
    for line in ContractLine.select().where(
        ContractLine.contract.in_(ids) & (ContractLine.recurring == True)  # noqa: E712
    ):
        lines.setdefault(line.contract_id, []).append(line)
    customers: dict[int | None, str] = {
        c.id: c.code for c in Customer.select(Customer.id, Customer.code)
    }
    found = []
    for k in candidates:
        assert k.end_date is not None  # selected with one
        life = lifecycle_of(k, terms.get(k.id, []))
        deadline = (
            life.notice_deadline() if life.renewal == "tacit" and not life.cancelled else None
        )
        waiting = life.renewal == "manual" and not life.cancelled
        near = on <= k.end_date <= last or (deadline is not None and on <= deadline <= last)
        if not (near or (waiting and k.end_date < on)):
            continue
        value = yearly_value(
            [
                (
                    li.quantity,
                    li.unit_price,
                    frequency_of(li.price_period or li.frequency or k.frequency),
                )
                for li in lines.get(k.id, [])
            ]
        )
        found.append(
            Expiring(
                k.code,
                customers.get(k.customer_id, ""),
                life.term,
                k.end_date,
                deadline,
                _action(life),
                life.at_end(),
                value,
                life.price.describe() if life.price and life.renewal != "none" else None,
                waiting,
                life.at_end_text(),
            )
        )
    found.sort(key=lambda e: (min(e.end, e.deadline or e.end), e.contract))
    return found


__all__ = ["Expiring", "expiring"]
