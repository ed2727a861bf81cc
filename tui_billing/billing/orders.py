"""Invoicing orders (S1): partial, down-payment, installment and final invoices.

Each document is written by the one invoice writer (:func:`create_invoices`): the use case
stores what it bills as an installment of the order (its lines, key ``<kind>:<n>``) and
invoices it in the same write transaction, so numbering, VAT per rate and all-or-nothing
are those of every other invoice. Amounts are net of VAT, in cents:

- a partial invoice bills the order lines not invoiced yet and locks them;
- a down payment bills an amount shared among the VAT rates of what is left, in
  proportion; the final invoice deducts it rate by rate, so the VAT charged is returned;
- an installment plan splits what is left (``split_plan``): installments 1..N-1 are shared
  among the rates like down payments, the last is the final invoice;
- the final invoice bills the lines not invoiced yet, deducts the down payments and
  installments, and completes the order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import Database

from tui_billing.billing.invoice_views import list_invoices
from tui_billing.billing.invoicing import CreatedInvoice, create_invoices
from tui_billing.billing.order_views import OrderView, find_order, line_amount, order_view
from tui_billing.billing.wording import _, dated, shown
from tui_billing.domain.allocation import split_in_proportion
from tui_billing.domain.errors import UserError
from tui_billing.domain.frequency import Frequency
from tui_billing.domain.i18n import N_
from tui_billing.domain.money import ZERO, from_cents, parse_decimal, round_money, to_cents
from tui_billing.domain.plans import MAX_INSTALLMENTS, split_plan
from tui_billing.domain.stored_lines import encode_dicts
from tui_billing.domain.vocabulary import ORDER_STATUSES
from tui_billing.store.models import Customer, Installment, Invoice, InvoiceLine, Order, OrderLine
from tui_billing.store.transactions import write_transaction

#: The states an order must be in for each operation.
ALLOWED_STATES = {
    "partial": ("draft",),
    "down_payment": ("draft", "in_progress"),
    "installments": ("shipped",),
    "final": ("draft", "in_progress", "shipped"),
}
_WHAT = {
    "partial": N_("a partial invoice"),
    "down_payment": N_("a down-payment invoice"),
    "installments": N_("installment invoices"),
    "final": N_("a final invoice"),
}
#: Kinds of earlier invoices that the final invoice deducts.
DEDUCTED_KINDS = ("down_payment", "installment")

#: Manual state changes (the invoices move an order to in progress and completed).
TRANSITIONS = {
    "draft": ("shipped", "cancelled"),
    "in_progress": ("shipped", "cancelled"),
    "shipped": ("draft", "cancelled"),
    "cancelled": ("draft",),
    "completed": (),
}

_WORDS = {
    "it": {
        "down_payment": "Acconto sull'ordine {order} del {date}",
        "installment": "Rata {k} di {n} dell'ordine {order}",
        "less_invoice": "Storno {what} fattura N. {number} del {date}",
        "less_draft": "Storno {what} (bozza #{id})",
        "less_installment": "Storno rata {k} di {n}",
        "down_payment_word": "acconto",
        "installment_word": "rata",
        "rate": " - IVA {rate}%",
    },
    "en": {
        "down_payment": "Down payment on order {order} of {date}",
        "installment": "Installment {k} of {n} of order {order}",
        "less_invoice": "Less {what}, invoice No. {number} dated {date}",
        "less_draft": "Less {what} (draft #{id})",
        "less_installment": "Less installment {k} of {n}",
        "down_payment_word": "down payment",
        "installment_word": "installment",
        "rate": " - VAT {rate}%",
    },
}


@dataclass
class OrderResult:
    """What an operation did: the order after it, the invoices it created, the
    installments it scheduled."""

    order: OrderView
    invoices: list[dict[str, Any]] = field(default_factory=list)
    scheduled: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "order": self.order.to_json(),
            "invoices": self.invoices,
            "scheduled": self.scheduled,
        }


# ---------------------------------------------------------------------------------------
# What an order has and what is left
# ---------------------------------------------------------------------------------------


def _date_text(value: dt.date) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _rate_text(hundredths: int) -> str:
    text = f"{from_cents(hundredths):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass
class _State:
    """An order as the use cases see it, amounts in cents, rates in hundredths."""

    order: Order
    words: dict[str, str]
    open_lines: list[OrderLine]  # not invoiced yet
    deducted: list[tuple[Invoice, dict[int, int]]]  # down payments and installments by rate
    pending: int  # installments scheduled, not invoiced yet

    def open_by_rate(self) -> dict[int, int]:
        by_rate: dict[int, int] = {}
        for li in self.open_lines:
            rate = to_cents(li.vat_rate)
            by_rate[rate] = by_rate.get(rate, 0) + to_cents(line_amount(li.quantity, li.unit_price))
        return by_rate

    def available(self) -> dict[int, int]:
        """What is left to invoice at each VAT rate: open lines less what is deducted."""
        left = self.open_by_rate()
        for _unused, by_rate in self.deducted:
            for rate, cents in by_rate.items():
                left[rate] = left.get(rate, 0) - cents
        return dict(sorted(left.items(), reverse=True))

    @property
    def total(self) -> int:
        return sum(
            to_cents(line_amount(li.quantity, li.unit_price))
            for li in OrderLine.select().where(OrderLine.order == self.order)
        )


def _state(order: Order) -> _State:
    language = (
        Customer.select(Customer.language).where(Customer.id == order.customer_id).scalar() or "it"
    )
    open_lines = list(
        OrderLine.select()
        .where((OrderLine.order == order) & (OrderLine.locked == False))  # noqa: E712
        .order_by(OrderLine.position, OrderLine.id)
    )
    invoices = list(
        Invoice.select()
        .where((Invoice.order == order) & Invoice.kind.in_(DEDUCTED_KINDS))
        .order_by(Invoice.date, Invoice.id)
    )
    by_invoice: dict[int, dict[int, int]] = {i.id: {} for i in invoices}
    if invoices:
        for invoice_id, rate, amount in (
            InvoiceLine.select(InvoiceLine.invoice, InvoiceLine.vat_rate, InvoiceLine.amount)
            .where(InvoiceLine.invoice.in_(list(by_invoice)))
            .tuples()
        ):
            shares = by_invoice[invoice_id]
            shares[to_cents(rate)] = shares.get(to_cents(rate), 0) + to_cents(amount)
    pending = (
        Installment.select()
        .where((Installment.order == order) & (Installment.status != "invoiced"))
        .count()
    )
    return _State(
        order,
        _WORDS.get(language, _WORDS["en"]),
        open_lines,
        [(i, by_invoice[i.id]) for i in invoices],
        pending,
    )


def _check_state(order: Order, operation: str) -> None:
    allowed = ALLOWED_STATES[operation]
    if order.status not in allowed:
        raise UserError(
            _(
                "order {order} is {status}: {operation} can only be made from an order that is "
                "{allowed}"
            ).format(
                order=order.code,
                status=shown("status", order.status),
                operation=_(_WHAT[operation]),
                allowed=_(" or ").join(shown("status", s) for s in allowed),
            )
        )


def _check_no_plan(state: _State, operation: str) -> None:
    if state.pending:
        raise UserError(
            _(
                "order {order} has {pending} installments scheduled (the last is its "
                "final invoice): {operation} is not possible"
            ).format(order=state.order.code, pending=state.pending, operation=_(_WHAT[operation]))
        )


def _open(code: str, operation: str) -> _State:
    """The order ``code`` read for ``operation`` (inside its write transaction), refused
    when unknown, in the wrong state or (installments, final) with a plan scheduled."""
    order = find_order(code)
    _check_state(order, operation)
    state = _state(order)
    if operation in ("installments", "final"):
        _check_no_plan(state, operation)
    return state


def _check_dates(date: dt.date, due: dt.date | None) -> None:
    if not isinstance(date, dt.date):
        raise UserError(_("not a date"), "--date")
    if due is not None and due < date:
        raise UserError(
            _("the due date {due} is before the invoice date {date}").format(
                due=dated(due), date=dated(date)
            ),
            "--due",
        )


# ---------------------------------------------------------------------------------------
# The lines each document bills
# ---------------------------------------------------------------------------------------


def _order_lines_json(lines: Iterable[OrderLine]) -> list[dict[str, Any]]:
    return [
        {
            "line": f"order-line-{li.id}",
            "description": li.description,
            "period_start": None,
            "period_end": None,
            "quantity": f"{li.quantity.normalize():f}",
            "unit_price": f"{li.unit_price:f}",
            "amount": f"{line_amount(li.quantity, li.unit_price):.2f}",
            "vat_rate": f"{li.vat_rate:.2f}",
            "order_line": li.id,
            **({"vat_nature": li.vat_nature} if li.vat_nature else {}),
        }
        for li in lines
    ]


def _shared_lines(
    text: str, shares: dict[int, int], words: dict[str, str], sign: int = 1
) -> list[dict[str, Any]]:
    """One line per VAT rate of a shared amount (the rate named when there are several)."""
    several = len([c for c in shares.values() if c]) > 1
    result = []
    for rate, cents in shares.items():
        if not cents:
            continue
        description = text + (words["rate"].format(rate=_rate_text(rate)) if several else "")
        amount = f"{from_cents(sign * cents):.2f}"
        result.append(
            {
                "line": f"rate-{rate}",
                "description": description,
                "period_start": None,
                "period_end": None,
                "quantity": "1",
                "unit_price": amount,
                "amount": amount,
                "vat_rate": f"{from_cents(rate):.2f}",
            }
        )
    return result


def _deduction_lines(state: _State) -> list[dict[str, Any]]:
    """Negative lines returning each earlier down payment and installment, rate by rate."""
    words = state.words
    lines: list[dict[str, Any]] = []
    for invoice, by_rate in state.deducted:
        what = words[f"{invoice.kind}_word"]
        if invoice.number:
            text = words["less_invoice"].format(
                what=what, number=invoice.number, date=_date_text(invoice.date)
            )
        else:
            text = words["less_draft"].format(what=what, id=invoice.id)
        for li in _shared_lines(text, by_rate, words, sign=-1):
            li["line"] = f"less-{invoice.id}-{li['line']}"
            lines.append(li)
    return lines


def _next_key(order: Order, kind: str) -> str:
    count = Installment.select().where(Installment.order == order).count()
    return f"{kind}:{count + 1}"


def _schedule(
    order: Order,
    kind: str,
    date: dt.date,
    lines: list[dict[str, Any]],
    *,
    period: tuple[dt.date, dt.date] | None = None,
) -> Installment:
    amount = sum((Decimal(li["amount"]) for li in lines), ZERO)
    return Installment.create(
        order=order,
        key=_next_key(order, kind),
        invoice_date=date,
        amount=amount,
        lines=encode_dicts(lines),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        status="pending",
    )


def _invoice(
    db: Database,
    installments: Sequence[Installment],
    date: dt.date | None,
    due_dates: dict[int, dt.date],
) -> list[CreatedInvoice]:
    return create_invoices(
        db, [i.id for i in installments], invoice_date=date, status="issued", due_dates=due_dates
    )


def _result(
    code: str, created: Iterable[CreatedInvoice] = (), scheduled: Iterable[Installment] = ()
) -> OrderResult:
    created = list(created)
    return OrderResult(
        order_view(code),
        list_invoices(invoice_ids=[c.id for c in created]) if created else [],
        [
            {
                "installment": str(i.id),
                "invoice_date": i.invoice_date.isoformat(),
                "amount": f"{i.amount:.2f}",
            }
            for i in scheduled
        ],
    )


def _nothing_left(order: Order) -> UserError:
    return UserError(_("order {order} has nothing left to invoice").format(order=order.code))


# ---------------------------------------------------------------------------------------
# The use cases
# ---------------------------------------------------------------------------------------


def partial_invoice(
    db: Database, code: str, *, date: dt.date, due: dt.date | None = None
) -> OrderResult:
    """D1: invoice the lines of a draft order not invoiced yet and lock them; the order
    stays a draft, open for more lines."""
    _check_dates(date, due)
    with write_transaction(db):
        state = _open(code, "partial")
        order = state.order
        if not state.open_lines:
            raise UserError(
                _(
                    "order {order} has no lines left to invoice (every line is invoiced already)"
                ).format(order=order.code)
            )
        inst = _schedule(order, "partial", date, _order_lines_json(state.open_lines))
        created = _invoice(db, [inst], date, {inst.id: due} if due else {})
    return _result(order.code, created)


def down_payment_amount(state: _State, amount: Any, percent: Any) -> int:
    """The down payment in cents, from an amount or a percentage of the order total."""
    if (amount is None) == (percent is None):
        raise UserError(_("give either an amount or a percentage"), "--amount")
    if amount is not None:
        value = parse_decimal(amount, "--amount", places=2)
        cents = to_cents(value)
    else:
        text = str(percent).strip().removesuffix("%")
        value = parse_decimal(text, "--percent", places=4)
        if value > 100:
            raise UserError(_("must be at most 100, not {value}").format(value=value), "--percent")
        cents = to_cents(round_money(from_cents(state.total) * value / 100))
    if cents <= 0:
        raise UserError(
            _("the down payment must be more than zero"),
            "--amount" if amount is not None else "--percent",
        )
    return cents


def down_payment_invoice(
    db: Database,
    code: str,
    *,
    date: dt.date,
    due: dt.date | None = None,
    amount: Any = None,
    percent: Any = None,
) -> OrderResult:
    """D2: a down-payment invoice of an amount (or a percentage of the order total), never
    more than is left; shared among the VAT rates in proportion. The order is then in
    progress."""
    _check_dates(date, due)
    with write_transaction(db):
        state = _open(code, "down_payment")
        order = state.order
        cents = down_payment_amount(state, amount, percent)
        available = {r: c for r, c in state.available().items() if c > 0}
        left = sum(available.values())
        if cents > left:
            raise UserError(
                _(
                    "the down payment {amount} is more than what is left to invoice on order "
                    "{order} ({left})"
                ).format(amount=from_cents(cents), order=order.code, left=from_cents(max(left, 0))),
                "--amount" if amount is not None else "--percent",
            )
        text = state.words["down_payment"].format(order=order.code, date=_date_text(order.date))
        lines = _shared_lines(text, split_in_proportion(cents, available), state.words)
        inst = _schedule(order, "down_payment", date, lines)
        created = _invoice(db, [inst], date, {inst.id: due} if due else {})
        Order.update(status="in_progress").where(Order.id == order.id).execute()
    return _result(order.code, created)


def _final_lines(state: _State) -> list[dict[str, Any]]:
    """What the final invoice bills: the open lines less every deduction; refused when
    nothing is left or a VAT rate would go below zero."""
    order = state.order
    if not state.open_lines and not state.deducted:
        raise _nothing_left(order)
    negative = {r: c for r, c in state.available().items() if c < 0}
    if negative:
        rate, cents = next(iter(negative.items()))
        raise UserError(
            _(
                "order {order}: the down payments at VAT {rate}% exceed the lines left "
                "at that rate by {excess}"
            ).format(order=order.code, rate=_rate_text(rate), excess=from_cents(-cents))
        )
    return _order_lines_json(state.open_lines) + _deduction_lines(state)


def final_invoice(
    db: Database, code: str, *, date: dt.date, due: dt.date | None = None
) -> OrderResult:
    """The final invoice: the lines not invoiced yet, less the down payments, listing the
    earlier invoices; the order is then completed."""
    _check_dates(date, due)
    with write_transaction(db):
        state = _open(code, "final")
        order = state.order
        inst = _schedule(order, "final", date, _final_lines(state))
        created = _invoice(db, [inst], date, {inst.id: due} if due else {})
    return _result(order.code, created)


def installment_plan(
    db: Database, code: str, *, count: Any, start: dt.date, frequency: Any, issue_now: bool = False
) -> OrderResult:
    """D3: split what is left of a shipped order into ``count`` installments every
    ``frequency`` from ``start`` (remainder cents on the last, the final invoice). Issued
    now (all dated ``start``, each due on its own date plus the payment terms) or
    scheduled, so that the due list and the billing run invoice them on their dates. The
    order's lines are locked: they are committed to the plan."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise UserError(_("not a whole number: {count!r}").format(count=count), "--count")
    if not 1 <= count <= MAX_INSTALLMENTS:
        raise UserError(
            _("must be between 1 and {max_installments}, not {count}").format(
                max_installments=MAX_INSTALLMENTS, count=count
            ),
            "--count",
        )
    freq = Frequency.parse(frequency, "--frequency")
    _check_dates(start, None)
    with write_transaction(db):
        state = _open(code, "installments")
        order = state.order
        available = state.available()
        left = sum(available.values())
        if left <= 0 or not state.open_lines:
            raise _nothing_left(order)
        plan = split_plan(from_cents(left), count, freq, start)
        words = state.words
        remaining = {r: c for r, c in available.items() if c > 0}
        rows: list[Installment] = []
        deductions: list[dict[str, Any]] = []
        for k, part in enumerate(plan[:-1], start=1):
            shares = split_in_proportion(
                to_cents(part.amount), {r: c for r, c in remaining.items() if c > 0}
            )
            for rate, cents in shares.items():
                remaining[rate] -= cents
            text = words["installment"].format(k=k, n=count, order=order.code)
            rows.append(
                _schedule(
                    order,
                    "installment",
                    part.invoice_date,
                    _shared_lines(text, shares, words),
                    period=(part.period_start, part.period_end),
                )
            )
            less = words["less_installment"].format(k=k, n=count)
            for li in _shared_lines(less, shares, words, sign=-1):
                li["line"] = f"less-plan-{k}-{li['line']}"
                deductions.append(li)
        last = plan[-1]
        final_lines = _final_lines(state) + deductions
        rows.append(
            _schedule(
                order,
                "final",
                last.invoice_date,
                final_lines,
                period=(last.period_start, last.period_end),
            )
        )
        OrderLine.update(locked=True).where(OrderLine.order == order).execute()
        created: list[CreatedInvoice] = []
        if issue_now:
            terms = int(
                Customer.select(Customer.payment_terms_days)
                .where(Customer.id == order.customer_id)
                .scalar()
                or 0
            )
            due_dates = {
                row.id: part.invoice_date + dt.timedelta(days=terms)
                for row, part in zip(rows, plan, strict=True)
            }
            created = _invoice(db, rows, start, due_dates)
    return _result(order.code, created, () if issue_now else rows)


def set_order_status(db: Database, code: str, status: str) -> OrderView:
    """A manual state change: ship, cancel, back to draft. The invoices themselves move an
    order to in progress and completed; an order with invoices is never cancelled."""
    if status not in ORDER_STATUSES:
        raise UserError(
            _("unknown state {status!r} (one of {order_statuses})").format(
                status=status, order_statuses=", ".join(ORDER_STATUSES)
            ),
            "status",
        )
    with write_transaction(db):
        order = find_order(code)
        if status != order.status:
            if status not in TRANSITIONS[order.status]:
                allowed = ", ".join(shown("status", s) for s in TRANSITIONS[order.status]) or _(
                    "none"
                )
                raise UserError(
                    _(
                        "order {order} is {status}: it cannot become {new_status} (possible: "
                        "{allowed})"
                    ).format(
                        order=order.code,
                        status=shown("status", order.status),
                        new_status=shown("status", status),
                        allowed=allowed,
                    ),
                    "status",
                )
            has_invoices = Invoice.select().where(Invoice.order == order).exists()
            if status in ("cancelled", "draft") and has_invoices:
                raise UserError(
                    _("order {order} has invoices: it cannot become {status}").format(
                        order=order.code, status=shown("status", status)
                    ),
                    "status",
                )
            if _state(order).pending:
                raise UserError(
                    _("order {order} has installments scheduled: it cannot become {status}").format(
                        order=order.code, status=shown("status", status)
                    ),
                    "status",
                )
            Order.update(status=status).where(Order.id == order.id).execute()
    return order_view(order.code)


__all__ = [
    "ALLOWED_STATES",
    "OrderResult",
    "down_payment_invoice",
    "final_invoice",
    "installment_plan",
    "partial_invoice",
    "set_order_status",
]
