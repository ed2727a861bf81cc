"""What the contract screens show: the list of contracts, one contract with its lines and
their billing dates, and its schedule of installments past and future (also as a preview
of an edit not yet saved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from peewee import JOIN, Database, fn

from tui_billing.billing.billed import billed_lines, invoiced_installments
from tui_billing.billing.contract_editing import update_contract
from tui_billing.billing.contract_terms import load_terms, stored_frequency
from tui_billing.billing.materialize import materialize
from tui_billing.billing.renewals import lifecycle_of
from tui_billing.billing.wording import _, shown
from tui_billing.domain.billability import nothing_left, why_not_billable
from tui_billing.domain.billing_dates import BillingDates, contract_billing_dates
from tui_billing.domain.contract_plan import plan_end
from tui_billing.domain.coverage import unbilled
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import current_language
from tui_billing.domain.installments import InstallmentSpec
from tui_billing.domain.late_interest import LateTerms
from tui_billing.domain.lifecycle import Lifecycle, ended_reason
from tui_billing.domain.money import ZERO
from tui_billing.domain.schedule import contract_installments
from tui_billing.domain.terms import ContractTerms
from tui_billing.store.models import Contract, ContractLine, Customer, Installment, Invoice
from tui_billing.store.transactions import write_transaction

#: Future installments a schedule shows of an open-ended contract.
FUTURE_ROWS = 24
#: The most rows a schedule shows.
MAX_ROWS = 600


def frequency_label(text: str | None) -> str:
    """A stored frequency as an operator reads it, in the language in use: ``quarterly``,
    ``every 15 days``; ``trimestrale``, ``ogni 15 giorni``."""
    frequency = stored_frequency(text)
    return frequency.label(current_language()) if frequency is not None else ""


@dataclass(frozen=True, slots=True)
class ContractRow:
    """One contract in the list."""

    id: int
    code: str
    customer: str
    customer_name: str
    status: str
    frequency: str
    start_date: dt.date | None
    end_date: dt.date | None
    description: str
    lines: int


def list_contracts() -> list[ContractRow]:
    """Every contract, by code (a few thousand: the screen filters and sorts them)."""
    counts: dict[int, int] = dict(
        ContractLine.select(ContractLine.contract, fn.COUNT(ContractLine.id))
        .group_by(ContractLine.contract)
        .tuples()
    )
    query = (
        Contract.select(
            Contract.id,
            Contract.code,
            Customer.code,
            Customer.name,
            Contract.status,
            Contract.frequency,
            Contract.start_date,
            Contract.end_date,
            Contract.description,
        )
        .join(Customer, join_type=JOIN.LEFT_OUTER)
        .order_by(Contract.code)
        .tuples()
    )
    return [
        ContractRow(
            cid,
            code,
            customer or "",
            name or "",
            status,
            frequency_label(freq),
            start,
            end,
            description or "",
            counts.get(cid, 0),
        )
        for cid, code, customer, name, status, freq, start, end, description in query
    ]


@dataclass(frozen=True, slots=True)
class LineView:
    """One contract line with its previous and next billing date (A11)."""

    id: int
    description: str
    article: str | None
    quantity: Decimal
    unit_price: Decimal
    price_period: str
    recurring: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    vat_rate: Decimal
    frequency: str
    dates: BillingDates


@dataclass(frozen=True, slots=True)
class PaymentSettings:
    """How a contract's invoices are to be paid: each value as its invoices get it (the
    contract's own, else its customer's), and its late-payment terms."""

    language: str
    payment_method: str | None
    iban: str | None
    cost_centre: str | None
    late: LateTerms
    from_customer: frozenset[str]  # the fields whose value is the customer's


def payment_settings(contract: Contract) -> PaymentSettings:
    """The payment settings of ``contract`` (its customer's where it has none of its own)."""
    customer = contract.customer if contract.customer_id else None
    inherited = set()
    values: dict[str, str | None] = {}
    for name in ("language", "payment_method", "iban"):
        value = getattr(contract, name) or None
        if value is None and customer is not None:
            value = getattr(customer, name) or None
            if value is not None:
                inherited.add(name)
        values[name] = value
    late = LateTerms(
        contract.late_interest or "none",
        contract.late_interest_rate,
        contract.late_grace_days or 0,
        contract.late_fee if contract.late_fee is not None else ZERO,
    )
    return PaymentSettings(
        values["language"] or "it",
        values["payment_method"],
        values["iban"],
        contract.cost_centre or None,
        late,
        frozenset(inherited),
    )


@dataclass(frozen=True, slots=True)
class ContractDetail:
    """One contract as its detail screen shows it."""

    id: int
    code: str
    customer: str
    customer_name: str
    status: str
    description: str
    start_date: dt.date | None
    end_date: dt.date | None
    frequency: str
    alignment: str
    year_end_cut: bool
    timing: str
    invoice_offset_days: int
    prorate: bool
    line_display: str
    one_off_with_first: bool
    document_type: str
    series: str
    installment_amount: Decimal | None
    installment_count: int | None
    plan_end: dt.date | None
    lines: tuple[LineView, ...]
    not_billing: tuple[str, ...]  # why it will not bill; empty when it does
    payment: PaymentSettings
    # why its invoices are not to be collected automatically (returns in a row); empty else
    not_collecting: tuple[str, ...] = ()
    life: Lifecycle | None = None  # its term, end, notice deadline and what follows


def contract_detail(contract_id: int) -> ContractDetail:
    """The contract, its lines with their billing dates (from what it has invoiced and
    what it still bills), its payment settings, and why it will not bill (when it will
    not)."""
    contract = Contract.get_or_none(Contract.id == contract_id)
    if contract is None:
        raise UserError(_("no contract with id {contract_id}").format(contract_id=contract_id))
    terms = load_terms([contract_id])[contract_id]  # what it bills, its plan applied
    plan = None  # the line that bills the plan's amount: the first, when there is a plan
    if contract.installment_amount is not None and terms.lines and terms.lines[0].recurring:
        plan = terms.lines[0]
    invoiced = invoiced_installments(Contract._meta.database, contract_id)
    dates = contract_billing_dates(terms, invoiced)
    nothing = BillingDates(None, None)
    views = []
    for row in (
        ContractLine.select()
        .where(ContractLine.contract == contract_id)
        .order_by(ContractLine.position, ContractLine.id)
    ):
        # A plan's line bills for every recurring line.
        key = plan.key if plan is not None and row.recurring else str(row.id)
        views.append(
            LineView(
                row.id,
                row.description,
                row.article.code if row.article else None,
                row.quantity,
                row.unit_price,
                frequency_label(row.price_period),
                row.recurring,
                row.valid_from,
                row.valid_to,
                row.vat_rate,
                frequency_label(row.frequency),
                dates.get(key, nothing),
            )
        )
    reasons = why_not_billable(terms, [li for i in invoiced for li in i.lines])
    life = lifecycle_of(contract)
    if nothing_left() in reasons and contract.end_date is not None:
        reasons.insert(reasons.index(nothing_left()), ended_reason(life))
    count = contract.installment_count
    return ContractDetail(
        contract.id,
        contract.code,
        terms.customer or "",
        contract.customer.name if contract.customer else "",
        contract.status,
        contract.description or "",
        contract.start_date,
        contract.end_date,
        frequency_label(contract.frequency),
        contract.alignment,
        contract.year_end_cut,
        contract.timing,
        contract.invoice_offset_days,
        contract.prorate,
        contract.line_display,
        contract.one_off_with_first,
        contract.document_type,
        contract.series,
        contract.installment_amount,
        count,
        plan_end(terms, count) if count else None,
        tuple(views),
        tuple(reasons),
        payment_settings(contract),
        (contract.collection_hold,) if contract.collection_hold else (),
        life,
    )


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One installment of a contract's schedule, stored or still to come."""

    period_start: dt.date | None
    period_end: dt.date | None
    invoice_date: dt.date
    amount: Decimal
    status: str  # invoiced, due (pending, invoice date reached), pending, planned
    invoice: str | None  # its invoice's number, "draft N" while the invoice is a draft


@dataclass(frozen=True, slots=True)
class Schedule:
    """A contract's installments, past and future, in invoice-date order."""

    rows: tuple[ScheduleRow, ...]
    note: str  # what an operator should know about the list (empty when nothing)
    ends: dt.date | None = None  # the last day billed (end date, or the plan's count)

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.rows), ZERO)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _horizon(terms: ContractTerms, today: dt.date) -> dt.date:
    """How far to look ahead: the contract's end (and its offset), else some years."""
    far = today + relativedelta(years=3)
    if terms.end_date is not None:
        offset = dt.timedelta(days=max(terms.invoice_offset_days, 0))
        return max(today, min(terms.end_date + offset, today + relativedelta(years=50)))
    return far


def _schedule(db: Database, contract_id: int, today: dt.date) -> Schedule:
    materialize(db, today, [contract_id])
    terms = load_terms([contract_id])[contract_id]
    stored = list(
        Installment.select(
            Installment.key,
            Installment.period_start,
            Installment.period_end,
            Installment.invoice_date,
            Installment.amount,
            Installment.status,
            Invoice.number,
            Invoice.id,
        )
        .join(Invoice, join_type=JOIN.LEFT_OUTER, on=(Installment.invoice == Invoice.id))
        .where(Installment.contract == contract_id)
        .tuples()
    )
    rows = []
    keys = set()
    for key, start, end, invoice_date, amount, status, number, invoice_id in stored:
        keys.add(key.split("+")[0])
        if status == "pending":
            status = "due" if invoice_date <= today else "pending"
        invoice = number or (_("draft {id}").format(id=invoice_id) if invoice_id else None)
        rows.append(ScheduleRow(start, end, invoice_date, amount, status, invoice))
    active = terms.status == "active"
    future: Sequence[InstallmentSpec] = contract_installments(
        replace(terms, status="active"), _horizon(terms, today)
    )
    billed = billed_lines(db, [contract_id]).get(contract_id)
    if billed:  # what is invoiced is never planned again (cut to the days it left)
        future = unbilled(terms, future, billed)
    ahead = 0
    for spec in future:
        if spec.key in keys or (active and spec.invoice_date <= today):
            continue
        if terms.end_date is None and ahead >= FUTURE_ROWS:
            break
        ahead += 1
        rows.append(
            ScheduleRow(
                spec.period_start, spec.period_end, spec.invoice_date, spec.amount, "planned", None
            )
        )
    # By period (a one-off at its date): once invoiced days are cut out of a changed
    # schedule, an installment can keep an invoice date earlier than its period's.
    rows.sort(key=lambda r: (r.period_start or r.invoice_date, r.invoice_date))
    note = ""
    if not active:
        note = _("the contract is {status}: planned installments bill once it is active").format(
            status=shown("status", terms.status)
        )
    elif terms.end_date is None and ahead >= FUTURE_ROWS:
        note = _("the next {count} are shown").format(count=FUTURE_ROWS)
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS]
        note = _("only the first {count} installments are shown").format(count=MAX_ROWS)
    return Schedule(tuple(rows), note, terms.end_date)


def contract_schedule(db: Database, contract_id: int, today: dt.date) -> Schedule:
    """The contract's installments: the stored ones (brought up to ``today``: invoiced,
    due, pending) and those still to come (planned)."""
    return _schedule(db, contract_id, today)


class _Preview(Exception):
    """Ends a preview's transaction, so that nothing of it stays."""

    def __init__(self, schedule: Schedule) -> None:
        super().__init__("preview")
        self.schedule = schedule


def preview_schedule(
    db: Database, contract_id: int, changes: Mapping[str, Any], today: dt.date
) -> Schedule:
    """The schedule the contract would have with ``changes`` saved, computed by saving
    them inside a transaction that is then rolled back: exactly what saving gives, with
    invoiced installments as they are. Raises UserError for a bad change (nothing kept)."""
    try:
        with write_transaction(db):
            update_contract(db, contract_id, changes)
            raise _Preview(_schedule(db, contract_id, today))
    except _Preview as preview:
        return preview.schedule


__all__ = [
    "ContractDetail",
    "ContractRow",
    "LineView",
    "PaymentSettings",
    "Schedule",
    "ScheduleRow",
    "contract_detail",
    "contract_schedule",
    "frequency_label",
    "list_contracts",
    "payment_settings",
    "preview_schedule",
]
