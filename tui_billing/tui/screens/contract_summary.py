"""The text above a contract's lines: its billing settings, and how it is paid (language,
method, IBAN, cost centre, late-payment terms), read-only and short enough for 80 columns."""

from __future__ import annotations

from collections.abc import Sequence

from tui_billing.billing.contract_views import ContractDetail, PaymentSettings
from tui_billing.domain import display
from tui_billing.domain.i18n import N_, _, ngettext, pgettext
from tui_billing.domain.late_interest import LateTerms
from tui_billing.domain.words import word
from tui_billing.tui.contract_list import frequency_word
from tui_billing.tui.screens.common import day, money

# The invoices' language, as the operator reads its name (English, marked).
LANGUAGES = {"it": N_("Italian"), "en": N_("English")}
SEPARATOR = " · "


def _marked() -> None:  # pragma: no cover - never called: marks the words for extraction
    pgettext("alignment", "start")
    pgettext("alignment", "month end")
    pgettext("alignment", "calendar")
    pgettext("line display", "single")
    pgettext("line display", "per period")


ALIGNMENTS = {"start": "start", "month_end": "month end", "calendar": "calendar"}
LINE_DISPLAYS = {"single": "single", "per_period": "per period"}


def alignment_word(code: str) -> str:
    """An alignment code (``month_end``) as the operator reads it."""
    english = ALIGNMENTS.get(code)
    return pgettext("alignment", english) if english else code


def line_display_word(code: str) -> str:
    """A line display code (``per_period``) as the operator reads it."""
    english = LINE_DISPLAYS.get(code)
    return pgettext("line display", english) if english else code


def installments_text(count: int) -> str:
    return ngettext("{count} installment", "{count} installments", count).format(
        count=display.number(count)
    )


def settings_text(d: ContractDetail) -> str:
    """The contract's billing settings on two or three short lines."""
    frequency = frequency_word(d.frequency) or _("no frequency")
    period = _("{start} → {end}").format(
        start=day(d.start_date) or _("no start"), end=day(d.end_date) or _("open-ended")
    )
    timing = word("timing", d.timing)
    if d.invoice_offset_days:
        timing = _("{timing} {offset} days").format(
            timing=timing, offset=f"{d.invoice_offset_days:+d}"
        )
    flags = [
        name
        for name, on_ in (
            (_("year-end cut"), d.year_end_cut),
            (_("no proration"), not d.prorate),
            (_("one-offs with 1st"), d.one_off_with_first),
        )
        if on_
    ]
    first = _("{frequency} · {alignment} alignment · {timing} · {period}").format(
        frequency=frequency,
        alignment=alignment_word(d.alignment),
        timing=timing,
        period=period,
    )
    second = _("{display} lines · {document} · series {series}").format(
        display=line_display_word(d.line_display),
        document=word("document type", d.document_type),
        series=d.series,
    )
    if flags:
        second += " · " + ", ".join(flags)
    lines = [first, second]
    if d.installment_amount is not None or d.installment_count is not None:
        details = []
        if d.installment_amount is not None:
            details.append(
                _("{amount} per installment (replaces recurring prices)").format(
                    amount=money(d.installment_amount)
                )
            )
        if d.installment_count is not None:
            details.append(
                _("{installments}, to {end}").format(
                    installments=installments_text(d.installment_count), end=day(d.plan_end)
                )
            )
        lines.append(_("plan: {details}").format(details=", ".join(details)))
    if d.life is not None and (d.life.end is not None or d.life.renewal != "none"):
        life = d.life
        deadline = (
            life.notice_deadline() if life.renewal == "tacit" and not life.cancelled else None
        )
        end = day(life.end) or _("open")
        if deadline is not None:
            term = _("term {term}, ends {end}, notice by {deadline}").format(
                term=life.term, end=end, deadline=day(deadline)
            )
        else:
            term = _("term {term}, ends {end}").format(term=life.term, end=end)
        lines.append(_("{term} · at the end: {what}").format(term=term, what=life.at_end_text()))
    return "\n".join(lines)


def late_text(late: LateTerms) -> str:
    """The late-payment terms in a few words."""
    if not late.charges_anything:
        return _("no late charges")
    if late.rule == "fixed" and late.fixed_rate is not None:
        rate = _("{rate} a year").format(rate=display.percent(late.fixed_rate))
    elif late.rule == "legal":
        rate = _("legal rate")
    else:
        rate = _("no interest")
    grace = (
        _("grace {days} days").format(days=late.grace_days) if late.grace_days else _("no grace")
    )
    fee = _("fee {amount}").format(amount=money(late.fee)) if late.fee else _("no fee")
    return _("late payment: {rate}, {grace}, {fee}").format(rate=rate, grace=grace, fee=fee)


def payment_parts(p: PaymentSettings) -> list[str]:
    """The payment settings as short phrases, in reading order."""
    method = word("payment method", p.payment_method)
    language = LANGUAGES.get(p.language)
    parts = [
        _("payment: {method}").format(method=method) if method else _("payment: no method"),
        _("IBAN {iban}").format(iban=p.iban) if p.iban else _("no IBAN"),
        _("in {language}").format(language=_(language) if language else p.language),
        _("cost centre {code}").format(code=p.cost_centre)
        if p.cost_centre
        else _("no cost centre"),
        late_text(p.late),
    ]
    inherited = [
        name
        for field, name in (
            ("payment_method", _("method")),
            ("iban", _("IBAN")),
            ("language", _("language")),
        )
        if field in p.from_customer
    ]
    if inherited:
        parts.append(_("from the customer: {what}").format(what=", ".join(inherited)))
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


__all__ = [
    "alignment_word",
    "flow",
    "late_text",
    "line_display_word",
    "payment_parts",
    "payment_text",
    "settings_text",
]
