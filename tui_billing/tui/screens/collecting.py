"""What the payments and collections screens share: the line that tells a recorded return,
and sending the reminders due with the line that tells how it went."""

from __future__ import annotations

import datetime as dt

from peewee import Database

from tui_billing.billing.reminders import send_reminders
from tui_billing.billing.returns import Recorded
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.tui.screens.common import day, money


def return_text(recorded: Recorded) -> str:
    """``A/2026/0012: returned on 31/01/2026, open again; charges ...``."""
    charge = recorded.bank_fee + recorded.own_fee
    text = f"{recorded.invoice}: returned on {day(recorded.date)}, open again"
    if charge > 0 and recorded.contract:
        text += f"; charges {money(charge)} on the next installment of {recorded.contract}"
    if recorded.hold:
        text += f". {recorded.contract}: {recorded.hold}"
    return text


def send_reminders_text(db: Database, config: Config, today: dt.date) -> str:
    """Record the reminders due ``today``, e-mail every one not sent yet, and say so."""
    try:
        due, report = send_reminders(db, config, today)
    except UserError as exc:
        return str(exc)
    parts = [f"Reminders: {len(due)} due, {report.sent} sent"]
    if report.skipped:
        parts.append(report.skipped)
    if report.no_email:
        parts.append("no e-mail address: " + ", ".join(report.no_email))
    if report.failed:
        parts.append(
            "not sent, retried next time: "
            + ", ".join(f"{customer} ({error})" for customer, error in report.failed)
        )
    return "; ".join(parts)


__all__ = ["return_text", "send_reminders_text"]
