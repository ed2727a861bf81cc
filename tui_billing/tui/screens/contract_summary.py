"""The text above a contract's lines: its billing settings, and how it is paid (language,
method, IBAN, cost centre, late-payment terms), read-only and short enough for 80 columns."""

from __future__ import annotations

from collections.abc import Sequence

from tui_billing.billing.contract_views import ContractDetail, PaymentSettings
from tui_billing.domain import display
from tui_billing.domain.late_interest import LateTerms
from tui_billing.tui.screens.common import day, money

METHODS = {
    "bank_transfer": "bank transfer",
    "sepa_direct_debit": "SEPA direct debit",
    "riba": "RiBa",
    "cash": "cash",
    "card": "card",
}
LANGUAGES = {"it": "Italian", "en": "English"}
SEPARATOR = " · "


def settings_text(d: ContractDetail) -> str:
    """The contract's billing settings on two or three short lines."""
    frequency = d.frequency or "no frequency"
    period = f"{day(d.start_date) or 'no start'} → {day(d.end_date) or 'open-ended'}"
    timing = d.timing + (f" {d.invoice_offset_days:+d} days" if d.invoice_offset_days else "")
    flags = [
        name
        for name, on_ in (
            ("year-end cut", d.year_end_cut),
            ("no proration", not d.prorate),
            ("one-offs with 1st", d.one_off_with_first),
        )
        if on_
    ]
    first = f"{frequency} · {d.alignment} alignment · {timing} · {period}"
    second = f"{d.line_display} lines · {d.document_type} · series {d.series}"
    if flags:
        second += " · " + ", ".join(flags)
    lines = [first, second]
    if d.installment_amount is not None or d.installment_count is not None:
        plan = "plan: "
        if d.installment_amount is not None:
            plan += f"{money(d.installment_amount)} per installment (replaces recurring prices)"
        if d.installment_count is not None:
            plan += (
                f"{', ' if d.installment_amount is not None else ''}"
                f"{display.count(d.installment_count, 'installment')}, to {day(d.plan_end)}"
            )
        lines.append(plan)
    if d.life is not None and (d.life.end is not None or d.life.renewal != "none"):
        life = d.life
        deadline = (
            life.notice_deadline() if life.renewal == "tacit" and not life.cancelled else None
        )
        term = f"term {life.term}, ends {day(life.end) or 'open'}"
        if deadline is not None:
            term += f", notice by {day(deadline)}"
        lines.append(f"{term} · at the end: {life.at_end()}")
    return "\n".join(lines)


def late_text(late: LateTerms) -> str:
    """The late-payment terms in a few words."""
    if not late.charges_anything:
        return "no late charges"
    if late.rule == "fixed" and late.fixed_rate is not None:
        rate = f"{display.percent(late.fixed_rate)} a year"
    elif late.rule == "legal":
        rate = "legal rate"
    else:
        rate = "no interest"
    grace = f"grace {late.grace_days} days" if late.grace_days else "no grace"
    fee = f"fee {money(late.fee)}" if late.fee else "no fee"
    return f"late payment: {rate}, {grace}, {fee}"


def payment_parts(p: PaymentSettings) -> list[str]:
    """The payment settings as short phrases, in reading order."""
    method = METHODS.get(p.payment_method or "", p.payment_method or "")
    parts = [
        f"payment: {method}" if method else "payment: no method",
        f"IBAN {p.iban}" if p.iban else "no IBAN",
        f"in {LANGUAGES.get(p.language, p.language)}",
        f"cost centre {p.cost_centre}" if p.cost_centre else "no cost centre",
        late_text(p.late),
    ]
    inherited = [
        name
        for field, name in (
            ("payment_method", "method"),
            ("iban", "IBAN"),
            ("language", "language"),
        )
        if field in p.from_customer
    ]
    if inherited:
        parts.append("from the customer: " + ", ".join(inherited))
    return parts


def flow(parts: Sequence[str], width: int) -> str:
    """``parts`` joined by a dot, a new line where the next part would pass ``width``
    (a part is never broken: the widget wraps one longer than a line)."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + len(SEPARATOR) + len(part) <= width:
            lines[-1] += SEPARATOR + part
        else:
            lines.append(part)
    return "\n".join(lines)


def payment_text(p: PaymentSettings, width: int) -> str:
    """The payment settings in lines of at most ``width`` cells."""
    return flow(payment_parts(p), width)


__all__ = ["flow", "late_text", "payment_parts", "payment_text", "settings_text"]
