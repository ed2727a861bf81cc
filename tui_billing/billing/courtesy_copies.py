"""Courtesy copies by e-mail through an outbox: each issued invoice's copy is queued once,
sent once, and retried at the next run while it fails."""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from peewee import Database

from tui_billing.billing.invoice_views import invoice_document, pdf_file_name
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.output.mail import (
    MailAddressError,
    MailDeliveryError,
    SmtpSender,
    SmtpSettings,
    build_courtesy_message,
    courtesy_subject_and_body,
    password_from,
)
from tui_billing.output.pdf import render_invoice_pdf
from tui_billing.store.company_row import company_values
from tui_billing.store.database import open_in_worker, reopen_target
from tui_billing.store.models import Customer, Invoice, Outbox, database_proxy, utc_now
from tui_billing.store.transactions import write_transaction

PARALLEL_FROM = 24  # copies from which PDFs are rendered and sent by worker processes


@dataclass
class SendReport:
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (invoice number, reason)
    skipped: str | None = None  # why nothing was sent at all
    # copies left "sending" by a process that died: sent again, perhaps for the second time
    maybe_duplicated: list[str] = field(default_factory=list)


def queue_copies(db: Database, invoice_ids: Sequence[int]) -> int:
    """Queue the copies of these invoices (issued, customer with an e-mail, not queued yet)."""
    queued = 0
    for start in range(0, len(invoice_ids), 500):
        chunk = list(invoice_ids[start:start + 500])
        rows = (Invoice.select(Invoice.id, Customer.email)
                .join(Customer)
                .where(Invoice.id.in_(chunk), Invoice.status != "draft",
                       Customer.email.is_null(False), Customer.email != "")
                .order_by(Invoice.id)  # queued, hence sent, in the order they were numbered
                .tuples())
        already = {o for (o,) in Outbox.select(Outbox.invoice).where(Outbox.invoice.in_(chunk))
                   .tuples()}
        new = [{"invoice": iid, "recipient": email} for iid, email in rows if iid not in already]
        if new:
            with write_transaction(db):
                Outbox.insert_many(new).on_conflict_ignore().execute()
            queued += len(new)
    return queued


def smtp_settings(config: Config) -> SmtpSettings | None:
    """The SMTP settings of the configuration; None when no server is configured."""
    s = config.smtp
    if not s.host:
        return None
    return SmtpSettings(
        host=s.host, port=s.port, security=s.security, user=s.user,
        password=password_from(s.password, config_path=config.path),
        sender=s.sender or seller_email(config), reply_to=s.reply_to, timeout=s.timeout,
    )


def seller_email(config: Config) -> str:
    """The company's e-mail address: the database's seller, else the configuration's."""
    stored = company_values()
    return (stored or {}).get("email") or config.company.email


def pending_copies() -> list[tuple[int, int, str]]:
    """(outbox id, invoice id, recipient) of every copy still to send."""
    return list(Outbox.select(Outbox.id, Outbox.invoice, Outbox.recipient)
                .where(Outbox.status != "sent").order_by(Outbox.id).tuples())


def message_id(outbox_id: int, invoice_id: int, sender: str) -> str:
    """The copy's Message-ID, the same at every attempt: should a copy go out twice (the
    process died after the server took it, before "sent" was recorded), the recipient's
    mail system can recognise the second as the same message."""
    domain = sender.rpartition("@")[2].strip(" >") or "tui-billing.invalid"
    return f"<courtesy.{invoice_id}.{outbox_id}@{domain}>"


def _message(config: Config, settings: SmtpSettings, outbox_id: int, invoice_id: int,
             recipient: str):
    doc = replace(invoice_document(invoice_id, config.company), courtesy_copy=True)
    invoice = Invoice.get_by_id(invoice_id)
    customer = invoice.customer
    subject, body = courtesy_subject_and_body(
        doc.language, doc.number or "", doc.date, f"{doc.total:.2f} EUR",
        doc.company.name, customer.name,
    )
    return build_courtesy_message(
        sender=(doc.company.name, settings.sender), to=(customer.name, recipient),
        subject=subject, body=body, pdf_bytes=render_invoice_pdf(doc),
        pdf_filename=pdf_file_name(invoice), reply_to=settings.reply_to,
        message_id=message_id(outbox_id, invoice_id, settings.sender),
    )


def _mark(outbox_id: int, status: str, error: str | None = None, *,
          attempt: bool = False) -> None:
    """Record one copy's state at once, in its own transaction (``attempt``: count one)."""
    changes: dict = {Outbox.status: status}
    if attempt:
        changes[Outbox.attempts] = Outbox.attempts + 1
    if status == "sent":
        changes[Outbox.sent_at] = utc_now()
    if status in ("sent", "failed"):
        changes[Outbox.last_error] = error
    with write_transaction(database_proxy.obj):
        Outbox.update(changes).where(Outbox.id == outbox_id).execute()


def _send_batch(config: Config, settings: SmtpSettings, batch: list[tuple[int, int, str]],
                ssl_context: ssl.SSLContext | None = None) -> list[tuple[int, str | None]]:
    """Send a batch over one connection, recording each copy as it goes; (outbox id,
    error or None) for each.

    The message is built (PDF included) before the copy is marked "sending", and "sent" is
    committed the moment the server has taken it: a process that dies in between (a few
    milliseconds) leaves the copy "sending", and the next run sends it again, with the
    same Message-ID. That is the only way a copy goes out twice."""
    results: list[tuple[int, str | None]] = []
    try:
        with SmtpSender(settings, ssl_context=ssl_context) as sender:
            for outbox_id, invoice_id, recipient in batch:
                sending = False
                try:
                    message = _message(config, settings, outbox_id, invoice_id, recipient)
                    _mark(outbox_id, "sending", attempt=True)
                    sending = True
                    sender.send(message)
                except (MailDeliveryError, MailAddressError) as exc:
                    results.append((outbox_id, str(exc)))
                    _mark(outbox_id, "failed", str(exc), attempt=not sending)
                    if isinstance(exc, MailDeliveryError) and exc.kind in ("connection",
                                                                           "timeout"):
                        break
                    continue
                _mark(outbox_id, "sent")
                results.append((outbox_id, None))
    except MailDeliveryError as exc:
        pass_error = str(exc)
        rest = [(o, pass_error) for o, _, _ in batch[len(results):]]
    else:
        rest = [(o, "not sent: the connection was lost") for o, _, _ in batch[len(results):]]
    for outbox_id, error in rest:
        _mark(outbox_id, "failed", error, attempt=True)
    return results + rest


def _report(results: list[tuple[int, str | None]], report: SendReport) -> None:
    """Count what a batch did (each copy's state is already recorded)."""
    for outbox_id, error in results:
        if error is None:
            report.sent += 1
        else:
            number = (Invoice.select(Invoice.number).join(Outbox)
                      .where(Outbox.id == outbox_id).scalar())
            report.failed.append((number or str(outbox_id), error))


def interrupted_copies() -> list[str]:
    """Numbers of the invoices whose copy was being sent when a process died: the server
    may have taken it, so the next send may be a duplicate (with the same Message-ID)."""
    return [number or str(oid) for oid, number in
            Outbox.select(Outbox.id, Invoice.number).join(Invoice)
            .where(Outbox.status == "sending").order_by(Outbox.id).tuples()]


def send_pending(
    db: Database,
    config: Config,
    *,
    ssl_context: ssl.SSLContext | None = None,
    workers: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Send every queued or failed copy; a copy recorded as sent is never sent again."""
    report = SendReport()
    todo = pending_copies()
    if not todo:
        return report
    report.maybe_duplicated = interrupted_copies()
    settings = smtp_settings(config)
    if settings is None:
        report.skipped = f"{len(todo)} courtesy copies wait: no [smtp] host in the configuration"
        return report
    workers = workers or config.billing.workers or os.cpu_count() or 1
    if len(todo) < PARALLEL_FROM or workers < 2 or ssl_context is not None:
        for start in range(0, len(todo), 50):
            _report(_send_batch(config, settings, todo[start:start + 50], ssl_context), report)
            if progress:
                progress(min(start + 50, len(todo)), len(todo))
        return report
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from multiprocessing import get_context

    size = max(1, min(50, len(todo) // workers))
    batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    done = 0
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                             initializer=open_in_worker,
                             initargs=(reopen_target(db),)) as pool:
        futures = [pool.submit(_send_batch, config, settings, batch) for batch in batches]
        for future in as_completed(futures):
            results = future.result()
            _report(results, report)
            done += len(results)
            if progress:
                progress(done, len(todo))
    return report



def send_copy(
    db: Database,
    config: Config,
    invoice_id: int,
    *,
    again: bool = False,
    ssl_context: ssl.SSLContext | None = None,
) -> str:
    """Send one invoice's courtesy copy now (queued first if it was not); returns the
    recipient. A copy already sent is refused unless ``again``. Raises UserError when the
    invoice is a draft, its customer has no e-mail, no server is configured or the server
    refuses it (the outbox then records the failure, for the next run to retry)."""
    row = (Invoice.select(Invoice.id, Invoice.number, Invoice.status, Customer.email)
           .join(Customer).where(Invoice.id == invoice_id).tuples().first())
    if row is None:
        raise UserError(f"no such invoice: {invoice_id}", "invoice")
    _, number, status, email = row
    name = number or f"draft #{invoice_id}"
    if status == "draft":
        raise UserError(f"{name} is a draft: issue it before sending its copy", "invoice")
    if not email:
        raise UserError(f"{name}: the customer has no e-mail address", "customer.email")
    settings = smtp_settings(config)
    if settings is None:
        raise UserError("no [smtp] host in the configuration: nothing can be sent", "smtp.host")
    queue_copies(db, [invoice_id])
    outbox = Outbox.get(Outbox.invoice == invoice_id)
    if outbox.status == "sent" and not again:
        raise UserError(f"the copy of {name} was already sent on {outbox.sent_at:%d/%m/%Y}",
                        "invoice")
    report = SendReport()
    _report(_send_batch(config, settings, [(outbox.id, invoice_id, outbox.recipient)],
                        ssl_context), report)
    if report.failed:
        raise UserError(f"copy of {name} not sent: {report.failed[0][1]}", outbox.recipient)
    return outbox.recipient
