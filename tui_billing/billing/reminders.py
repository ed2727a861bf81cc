"""Reminders (solleciti) of overdue invoices: which customer is due which level, and
sending them through their outbox, never lost and never twice.

A customer's reminder covers its invoices overdue on the day. Level 1 is due once the
oldest of them is ``level_days[0]`` days overdue, level 2 at ``level_days[1]`` and level 3
at ``level_days[2]``, each also that many days after the previous level less the previous
threshold. The levels already reached are those of the customer's reminders that covered
any of these invoices; each (customer, level, set of invoices) is recorded once (a unique
index), so each level is sent once per set of invoices.

A reminder row is its own outbox entry, with the columns and the claim protocol of the
courtesy copies' outbox (:mod:`tui_billing.billing.courtesy_copies`): claimed "sending" by
one process before it goes to the server, "sent" the moment the server has taken it,
"failed" (and retried at the next ``--send``) when refused; one left "sending" by a process
that died is sent again, with the same Message-ID."""

from __future__ import annotations

import datetime as dt
import ssl
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from peewee import Database, Field, chunked

from tui_billing.billing.courtesy_copies import _claim_abandoned, seller_email, smtp_settings
from tui_billing.billing.late_interest import late_charges_for
from tui_billing.billing.payments import open_items
from tui_billing.billing.wording import english, said
from tui_billing.config import Config, RemindersSettings
from tui_billing.domain.i18n import N_
from tui_billing.domain.late_interest import accruals, interest_amount
from tui_billing.domain.money import ZERO
from tui_billing.domain.parties import address_lines
from tui_billing.output.mail import (
    MailAddressError,
    MailDeliveryError,
    RawMessage,
    SmtpSender,
    build_courtesy_message,
)
from tui_billing.output.reminder_letter import (
    OverdueInvoice,
    ReminderLetter,
    file_name,
    render_reminder_pdf,
    subject_and_body,
)
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, InvoiceLine, Reminder, database_proxy, utc_now
from tui_billing.store.process_owner import this_process
from tui_billing.store.transactions import write_transaction

LEVELS = (1, 2, 3)


@dataclass(frozen=True, slots=True)
class DueReminder:
    """One customer's reminder: due now (``reminder_id`` None) or recorded and not sent."""

    customer: str
    name: str
    email: str | None
    level: int
    letter: ReminderLetter
    invoice_ids: tuple[int, ...]
    status: str  # due, pending, failed, sending
    reminder_id: int | None = None
    last_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "name": self.name,
            "email": self.email,
            "language": self.letter.language,
            "level": self.level,
            "status": self.status,
            "open": f"{self.letter.open_total:.2f}",
            "interest": f"{self.letter.interest_total:.2f}",
            "iban": self.letter.iban,
            "last_error": self.last_error,
            "invoices": [
                {
                    "invoice": i.number,
                    "date": i.date.isoformat(),
                    "due_date": i.due_date.isoformat(),
                    "open": f"{i.open:.2f}",
                    "days_overdue": i.days,
                    "interest": f"{i.interest:.2f}",
                }
                for i in self.letter.invoices
            ],
        }


@dataclass
class ReminderReport:
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (customer, reason)
    skipped: str | None = None  # why nothing was sent at all
    no_email: list[str] = field(default_factory=list)  # customers without an address

    def to_json(self) -> dict[str, Any]:
        return {
            "sent": self.sent,
            "skipped": None if self.skipped is None else english(self.skipped),
            "no_email": self.no_email,
            "failed": [{"customer": c, "error": e} for c, e in self.failed],
        }


def _key(ids: Any) -> str:
    return ",".join(str(i) for i in sorted(ids))


def _ids(key: str) -> set[int]:
    return {int(part) for part in key.split(",") if part}


def _interest(db: Database, invoice_ids: list[int], on: dt.date) -> dict[int, Decimal]:
    """The late interest each invoice has accrued by ``on`` under its contract's terms."""
    owners = sorted(
        {
            cid
            for (cid,) in InvoiceLine.select(InvoiceLine.contract)
            .where(InvoiceLine.invoice.in_(invoice_ids), InvoiceLine.contract.is_null(False))
            .tuples()
        }
    )
    charges = late_charges_for(db, owners)
    wanted = set(invoice_ids)
    found: dict[int, Decimal] = {}
    for data in charges.contracts.values():
        for invoice_id, item in data.items:
            if invoice_id in wanted:
                found[invoice_id] = interest_amount(
                    accruals(item, data.terms, None, on, charges.rate_of)
                )
    return found


def _letter(
    customer: Customer,
    level: int,
    on: dt.date,
    items: list[Any],
    interest: dict[int, Decimal],
    config: Config,
) -> ReminderLetter:
    company = company_values() or {}
    name = company.get("name") or config.company.name
    lines = (
        tuple(address_lines(company))
        if company
        else tuple(line for line in (config.company.address,) if line)
    )
    iban = company.get("iban") or config.company.iban or None
    overdue = tuple(
        OverdueInvoice(
            b.number or f"#{b.invoice_id}",
            b.date,
            b.due_date,
            b.open,
            b.days_overdue(on),
            interest.get(b.invoice_id, ZERO),
        )
        for b in items
    )
    language = "it" if (customer.language or "it") == "it" else "en"
    return ReminderLetter(
        level,
        on,
        language,
        name,
        lines,
        customer.name,
        tuple(
            address_lines(
                {
                    k: getattr(customer, k)
                    for k in ("street", "postal_code", "city", "province", "country")
                }
            )
        ),
        overdue,
        iban,
    )


def due_reminders(
    db: Database, on: dt.date, config: Config, *, min_days: int | None = None
) -> list[DueReminder]:
    """The reminders to send on ``on``: those due now, and those recorded and not sent yet
    (refused, or left by a process that died), one per customer, by customer code."""
    settings: RemindersSettings = config.reminders
    overdue = [b for b in open_items(on) if b.days_overdue(on) > 0]
    by_customer: dict[str, list[Any]] = defaultdict(list[Any])
    for b in overdue:
        by_customer[b.customer].append(b)
    if not by_customer:
        return []
    customers = {
        c.code: c
        for chunk in chunked(sorted(by_customer), 500)
        for c in Customer.select().where(Customer.code.in_(list(chunk)))
    }
    recorded: dict[int, list[Reminder]] = defaultdict(list)
    for chunk in chunked([c.id for c in customers.values()], 500):
        for row in Reminder.select().where(Reminder.customer.in_(list(chunk))):
            recorded[row.customer_id].append(row)
    interest = _interest(db, [b.invoice_id for b in overdue], on)
    result = []
    for code in sorted(by_customer):
        customer = customers[code]
        items = by_customer[code]
        ids = {b.invoice_id for b in items}
        oldest = max(b.days_overdue(on) for b in items)
        if min_days is not None and oldest < min_days:
            continue
        touching = [r for r in recorded[customer.id] if _ids(r.invoices) & ids]
        last = max(touching, key=lambda r: (r.level, r.id), default=None)
        if last is not None and last.status != "sent":
            if last.status == "sending" and not _claim_abandoned(last.claimed_by, last.claimed_at):
                continue  # another live process is sending it now
            mine = [b for b in items if b.invoice_id in _ids(last.invoices)]
            result.append(
                DueReminder(
                    code,
                    customer.name,
                    last.recipient,
                    last.level,
                    _letter(customer, last.level, last.date, mine, interest, config),
                    tuple(sorted(b.invoice_id for b in mine)),
                    last.status,
                    last.id,
                    last.last_error,
                )
            )
            continue
        level = (last.level if last else 0) + 1
        if level > len(LEVELS) or oldest < settings.level_days[level - 1]:
            continue
        if last is not None:
            wait = settings.level_days[level - 1] - settings.level_days[level - 2]
            if (on - last.date).days < wait:
                continue
        result.append(
            DueReminder(
                code,
                customer.name,
                customer.email or None,
                level,
                _letter(customer, level, on, items, interest, config),
                tuple(sorted(ids)),
                "due",
            )
        )
    return result


def _record(db: Database, due: list[DueReminder], on: dt.date) -> list[DueReminder]:
    """Record the reminders due now (once each: the unique index decides between two
    processes); the ones to send, with their ids."""
    out = []
    with write_transaction(db):
        for d in due:
            if d.reminder_id is not None:
                out.append(d)
                continue
            customer_id = Customer.get(Customer.code == d.customer).id
            key = _key(d.invoice_ids)
            Reminder.insert(
                customer=customer_id, level=d.level, invoices=key, date=on, recipient=d.email
            ).on_conflict_ignore().execute()
            row = Reminder.get(
                Reminder.customer == customer_id,
                Reminder.level == d.level,
                Reminder.invoices == key,
            )
            if row.status in ("pending", "failed"):
                out.append(
                    DueReminder(
                        d.customer,
                        d.name,
                        d.email,
                        d.level,
                        d.letter,
                        d.invoice_ids,
                        row.status,
                        row.id,
                    )
                )
    return out


def _claim(reminder: DueReminder, owner: str) -> bool:
    row = Reminder.get_by_id(reminder.reminder_id)
    takeable = Reminder.status.in_(("pending", "failed"))
    if row.status == "sending" and _claim_abandoned(row.claimed_by, row.claimed_at):
        takeable |= (Reminder.status == "sending") & (Reminder.claimed_by == row.claimed_by)
    with write_transaction(database_proxy.obj):
        return bool(
            Reminder.update(
                {
                    Reminder.status: "sending",
                    Reminder.claimed_by: owner,
                    Reminder.claimed_at: utc_now(),
                    Reminder.attempts: Reminder.attempts + 1,
                }
            )
            .where(Reminder.id == reminder.reminder_id, takeable)
            .execute()
        )


def _finish(reminder_id: int, owner: str, error: str | None) -> None:
    changes: dict[Field[Any], Any] = {
        Reminder.status: "failed" if error else "sent",
        Reminder.last_error: error,
        Reminder.claimed_by: None,
        Reminder.claimed_at: None,
    }
    if not error:
        changes[Reminder.sent_at] = utc_now()
    with write_transaction(database_proxy.obj):
        Reminder.update(changes).where(
            Reminder.id == reminder_id, Reminder.claimed_by == owner
        ).execute()


def _message(reminder: DueReminder, sender: str, reply_to: str | None) -> RawMessage:
    letter = reminder.letter
    subject, body = subject_and_body(letter)
    domain = sender.rpartition("@")[2].strip(" >") or "tui-billing.invalid"
    return RawMessage.of(
        build_courtesy_message(
            sender=(letter.company, sender),
            to=(reminder.name, reminder.email or ""),
            subject=subject,
            body=body,
            pdf_bytes=render_reminder_pdf(letter),
            pdf_filename=file_name(letter, reminder.customer),
            reply_to=reply_to,
            message_id=f"<reminder.{reminder.reminder_id}@{domain}>",
        )
    )


def send_reminders(
    db: Database,
    config: Config,
    on: dt.date,
    *,
    min_days: int | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> tuple[list[DueReminder], ReminderReport]:
    """Record the reminders due on ``on`` and send every one not sent yet; a customer
    without an e-mail address is reported and nothing is recorded for it."""
    report = ReminderReport()
    due = due_reminders(db, on, config, min_days=min_days)
    report.no_email = [d.customer for d in due if not d.email]
    sendable = [d for d in due if d.email]
    settings = smtp_settings(config)
    if settings is None:
        report.skipped = said(N_("no [smtp] host in the configuration: nothing sent"))
        return due, report
    if not sendable:
        return due, report
    queued = _record(db, sendable, on)
    owner = this_process()
    try:
        with SmtpSender(settings, ssl_context=ssl_context) as sender:
            for reminder in queued:
                assert reminder.reminder_id is not None  # recorded
                try:
                    message = _message(
                        reminder, settings.sender or seller_email(config), settings.reply_to
                    )
                except MailAddressError as exc:
                    if _claim(reminder, owner):
                        _finish(reminder.reminder_id, owner, str(exc))
                    report.failed.append((reminder.customer, str(exc)))
                    continue
                if not _claim(reminder, owner):
                    continue
                try:
                    sender.send(message)
                except (MailDeliveryError, MailAddressError) as exc:
                    _finish(reminder.reminder_id, owner, str(exc))
                    report.failed.append((reminder.customer, str(exc)))
                    continue
                _finish(reminder.reminder_id, owner, None)
                report.sent += 1
    except MailDeliveryError as exc:  # the connection could not be opened
        with write_transaction(db):
            Reminder.update({Reminder.status: "failed", Reminder.last_error: str(exc)}).where(
                Reminder.id.in_([r.reminder_id for r in queued]), Reminder.status == "pending"
            ).execute()
        report.failed.extend((r.customer, str(exc)) for r in queued)
    return due, report


__all__ = ["DueReminder", "ReminderReport", "due_reminders", "send_reminders"]
