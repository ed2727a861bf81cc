"""What the payments and collections screens share: the line that tells a recorded return,
and sending the reminders due with the line that tells how it went."""

from __future__ import annotations

import datetime as dt

from peewee import Database
from textual.widgets import Static

from tui_billing.billing.reminders import send_reminders
from tui_billing.billing.returns import Recorded
from tui_billing.config import Config
from tui_billing.domain import display
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.tui.screens.base import BillingScreen
from tui_billing.tui.screens.common import confirm, day, money


def return_text(recorded: Recorded) -> str:
    """``A/2026/0012: returned on 31/01/2026, open again; charges ...``."""
    charge = recorded.bank_fee + recorded.own_fee
    values = {
        "invoice": recorded.invoice,
        "day": day(recorded.date),
        "charge": money(charge),
        "contract": recorded.contract,
    }
    if charge > 0 and recorded.contract:
        text = _(
            "{invoice}: returned on {day}, open again; charges {charge} on the next "
            "installment of {contract}"
        ).format(**values)
    else:
        text = _("{invoice}: returned on {day}, open again").format(**values)
    if recorded.hold:
        text += f". {recorded.contract}: {recorded.hold}"
    return text


def send_reminders_text(db: Database, config: Config, today: dt.date) -> str:
    """Record the reminders due ``today``, e-mail every one not sent yet, and say so."""
    try:
        due, report = send_reminders(db, config, today)
    except UserError as exc:
        return str(exc)
    parts = [
        _("Reminders: {due} due, {sent} sent").format(
            due=display.number(len(due)), sent=display.number(report.sent)
        )
    ]
    if report.skipped:
        parts.append(report.skipped)
    if report.no_email:
        customers = ", ".join(report.no_email)
        parts.append(_("no e-mail address: {customers}").format(customers=customers))
    if report.failed:
        parts.append(
            _("not sent, retried next time: {customers}").format(
                customers=", ".join(f"{customer} ({error})" for customer, error in report.failed)
            )
        )
    return "; ".join(parts)


def ask_send_reminders(screen: BillingScreen, status: Static) -> None:
    """Ask first (they go out by e-mail), then record the reminders due today, e-mail every
    one not sent yet, and say how it went on ``status``."""
    app = screen.app
    today = app.today

    def send() -> None:
        status.update(send_reminders_text(app.db, app.config, today))

    confirm(
        screen,
        _("Record the payment reminders due on {day} and e-mail those not sent yet?").format(
            day=day(today)
        ),
        send,
    )


__all__ = ["ask_send_reminders", "return_text", "send_reminders_text"]
