"""Renewing contracts: a billing run renews the tacitly renewing contracts whose term ended
on or before its date; an operator renews a manual one (with its price change or a new
one) or lets it end. Each renewal is one transaction that records the term, applies the
price change as a step of the recurring lines from the new term's first day, and moves the
contract's end date: a rerun, or a run after a kill, finds it done and renews nothing twice
(a term number is unique per contract)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from peewee import Database

from tui_billing.billing.economics_terms import load_series
from tui_billing.billing.wording import _
from tui_billing.domain.display import day
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.indexation import MissingIndex, index_variation, month_text, shift_months
from tui_billing.domain.lifecycle import INDEX_LAG_MONTHS, Lifecycle, RenewalPrice
from tui_billing.output.interchange_write import bump_revision
from tui_billing.store.models import Contract, ContractLine, ContractTerm
from tui_billing.store.transactions import write_transaction

ONE_DAY = dt.timedelta(days=1)
MAX_RENEWALS_PER_RUN = 100  # terms one contract may catch up in one run (a typo'd date)


def frequency_of(text: str | None) -> Frequency | None:
    """A stored frequency (a name or compact JSON)."""
    if not text:
        return None
    return Frequency.parse(json.loads(text) if text.startswith("{") else text)


def lifecycle_of(contract: Contract, terms: list[ContractTerm] | None = None) -> Lifecycle:
    """The contract's life as it stands, from its row and its recorded renewals."""
    if terms is None:
        terms = list(
            ContractTerm.select()
            .where(ContractTerm.contract == contract.id)
            .order_by(ContractTerm.number)
        )
    first = terms[0].start_date - ONE_DAY if terms else contract.end_date
    return Lifecycle(
        contract.start_date,
        contract.end_date,
        frequency_of(contract.duration),
        contract.renewal or "none",
        frequency_of(contract.renewal_duration),
        contract.notice_days or 0,
        RenewalPrice.from_text(contract.renewal_price),
        max((t.number for t in terms), default=1),
        first,
        contract.cancel_notice_date,
        contract.cancel_end,
    )


@dataclass(frozen=True, slots=True)
class Renewal:
    """One term recorded by a renewal."""

    contract: str
    number: int
    start: dt.date
    end: dt.date
    price_change: str | None
    renewed_by: str

    def to_json(self) -> dict[str, object]:
        return {
            "contract": self.contract,
            "term": self.number,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "price_change": self.price_change,
            "renewed_by": self.renewed_by,
        }

    def line(self) -> str:
        if self.price_change:
            text = _("{contract}: term {number} from {start} to {end}, price {change} ({by})")
        else:
            text = _("{contract}: term {number} from {start} to {end} ({by})")
        return text.format(
            contract=self.contract,
            number=self.number,
            start=day(self.start),
            end=day(self.end),
            change=self.price_change,
            by=self.renewed_by,
        )


def price_percent(price: RenewalPrice | None, start: dt.date) -> tuple[Decimal | None, str | None]:
    """The percent a renewal starting on ``start`` changes prices by, and how it came
    about; an index review whose values are missing changes nothing and says why."""
    if price is None:
        return None, None
    if price.index is None:
        return price.percent, price.describe()
    new_month = shift_months(start, -INDEX_LAG_MONTHS)
    old_month = shift_months(new_month, -12)
    series = load_series({price.index}).get(price.index)
    if series is None:
        return None, f"{price.index} review: no such index series, price unchanged"
    try:
        variation = index_variation(series, old_month, new_month)
    except MissingIndex as exc:
        return None, f"{price.index} review: {exc.reason}, price unchanged"
    percent = (variation.percent * price.share / 100).quantize(Decimal("0.0001"))
    return percent, (
        f"{price.index} {month_text(new_month)} vs {month_text(old_month)} "
        f"{variation.percent:+}% x {_plain(price.share)}% = {_plain(percent):s}%"
    )


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value else "0"


def _apply_step(contract_id: int, start: dt.date, percent: Decimal) -> None:
    """A step of ``percent`` from ``start`` on every recurring line priced by itself (not
    a revenue share or an advance), as the interchange file writes steps."""
    for line in ContractLine.select().where(
        (ContractLine.contract == contract_id) & (ContractLine.recurring == True)  # noqa: E712
    ):
        economics = json.loads(line.economics) if line.economics else {}
        if "revenue" in economics or "advance" in economics:
            continue
        steps = [s for s in economics.get("steps", []) if s["from"] != start.isoformat()]
        steps.append({"from": start.isoformat(), "percent": _plain(percent)})
        economics["steps"] = sorted(steps, key=lambda s: s["from"])
        ContractLine.update(
            economics=json.dumps(economics, sort_keys=True, separators=(",", ":"))
        ).where(ContractLine.id == line.id).execute()


def _renew_once(contract: Contract, by: str, price: RenewalPrice | None) -> Renewal:
    """Record the next term of ``contract`` (its row as read in this transaction)."""
    life = lifecycle_of(contract)
    if contract.end_date is None:
        raise UserError(
            _("{contract} has no end date: it has no term to renew").format(contract=contract.code),
            contract.code,
        )
    number = life.term + 1
    start = contract.end_date + ONE_DAY
    end = life.term_end(number)
    if end is None or end < start:
        raise UserError(
            _("{contract}: no duration to renew by (duration or renewal_duration)").format(
                contract=contract.code
            ),
            f"{contract.code}.renewal_duration",
        )
    if contract.cancel_end is not None and end > contract.cancel_end:
        end = contract.cancel_end
    percent, change = price_percent(price, start)
    ContractTerm.create(
        contract=contract.id,
        number=number,
        start_date=start,
        end_date=end,
        price_change=change,
        renewed_by=by,
    )
    if percent:
        _apply_step(contract.id, start, percent)
    Contract.update(end_date=end).where(Contract.id == contract.id).execute()
    bump_revision(contract.id)
    return Renewal(contract.code, number, start, end, change, by)


def renew_due(db: Database, on: dt.date, by: str) -> list[Renewal]:
    """Renew every active, tacitly renewing contract whose term ended on or before ``on``
    (several terms when a run comes late), unless a cancellation ends it; a contract
    cancelled after its notice deadline renews once more, to its cancellation's end. One
    transaction per term. Finds nothing, through a partial index, when nothing is due."""
    done: list[Renewal] = []
    # The status is checked here, not in SQL: a condition on it makes SQLite's planner
    # scan every active contract through the status index (70 ms at 100,000 contracts).
    due = [
        cid
        for cid, status in Contract.select(Contract.id, Contract.status)
        .where(
            Contract.renewal.is_null(False)
            & (Contract.end_date <= on)
            & (Contract.renewal == "tacit")
        )
        .tuples()
        if status == "active"
    ]
    for cid in due:
        for _unused in range(MAX_RENEWALS_PER_RUN):
            with write_transaction(db):
                contract = Contract.get_by_id(cid)  # as it is now, under the writer lock
                if (
                    contract.end_date is None
                    or contract.end_date > on
                    or (
                        contract.cancel_end is not None and contract.cancel_end <= contract.end_date
                    )
                ):
                    break
                done.append(
                    _renew_once(contract, by, RenewalPrice.from_text(contract.renewal_price))
                )
    return done


def _by_code(code: str) -> Contract:
    contract = Contract.get_or_none(Contract.code == code)
    if contract is None:
        raise UserError(_("no contract {code!r}").format(code=code), "CONTRACT")
    return contract


def renew_contract(db: Database, code: str, by: str, percent: Decimal | None = None) -> Renewal:
    """Renew a contract by decision (a manual renewal waiting, or any with a duration):
    its own price change, or ``percent`` in its place."""
    with write_transaction(db):
        contract = _by_code(code)
        if contract.cancel_end is not None and contract.cancel_end <= (
            contract.end_date or contract.cancel_end
        ):
            raise UserError(
                _("{code} is cancelled: it ends on {cancel_end}").format(
                    code=code, cancel_end=contract.cancel_end
                ),
                "CONTRACT",
            )
        price = (
            RenewalPrice(percent=percent)
            if percent is not None
            else RenewalPrice.from_text(contract.renewal_price)
        )
        return _renew_once(contract, by, price)


def let_end(db: Database, code: str, on: dt.date) -> dt.date:
    """Decide not to renew: the contract ends with its current term. Returns its end."""
    with write_transaction(db):
        contract = _by_code(code)
        if contract.end_date is None:
            raise UserError(
                _("{code} has no end date: cancel it instead").format(code=code), "CONTRACT"
            )
        Contract.update(
            cancel_notice_date=on, cancel_reason="not renewed", cancel_end=contract.end_date
        ).where(Contract.id == contract.id).execute()
        bump_revision(contract.id)
        return contract.end_date


__all__ = [
    "Renewal",
    "frequency_of",
    "let_end",
    "lifecycle_of",
    "price_percent",
    "renew_contract",
    "renew_due",
]
