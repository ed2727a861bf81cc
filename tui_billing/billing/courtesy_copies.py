"""Courtesy copies by e-mail through an outbox: each issued invoice's copy is queued once,
sent once, and retried at the next run while it fails.

One process sends, one message at a time over one connection: it claims the copy in the
outbox (status "sending", its owner token, the time) before handing it to the server and
records "sent" the moment the server has taken it. So at most one copy is in flight, and a
process that dies leaves at most that one "sending". The next run tells such a copy from one
that a live process is sending now by its owner: it sends again the first (and names it:
the server may have taken it already) and leaves the second alone. Worker processes only
render the messages (the PDFs), and die with the process that started them."""

from __future__ import annotations

import datetime as dt
import os
import ssl
from collections import deque
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any

from peewee import Database, Field

from tui_billing.billing.invoice_views import invoice_document, pdf_file_name
from tui_billing.billing.wording import _, ngettext
from tui_billing.billing.worker_pool import worker_pool
from tui_billing.config import Config
from tui_billing.domain.errors import UserError
from tui_billing.output.mail import (
    MailAddressError,
    MailDeliveryError,
    RawMessage,
    SmtpSender,
    SmtpSettings,
    build_courtesy_message,
    courtesy_subject_and_body,
    password_from,
)
from tui_billing.output.pdf import render_invoice_pdf
from tui_billing.store.company_row import company_values
from tui_billing.store.models import Customer, Invoice, Outbox, database_proxy, utc_now
from tui_billing.store.process_owner import owner_alive, this_process
from tui_billing.store.transactions import write_transaction

PARALLEL_FROM = 24  # copies from which worker processes render the messages (PDFs)
RENDER_BATCH = 8  # messages a worker renders per task
# A copy claimed by a process on another host (whose life cannot be checked from here) is
# taken as abandoned after this long: far beyond what sending one message can take.
CLAIM_LEASE = dt.timedelta(minutes=30)


@dataclass
class SendReport:
    sent: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (invoice number, reason)
    skipped: str | None = None  # why nothing was sent at all
    # copies left "sending" by a process that died: sent again, perhaps for the second time
    maybe_duplicated: list[str] = field(default_factory=list)
    # copies another live process is sending right now: left to it
    in_progress: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Copy:
    """One copy to send, and the claim it may take over."""

    outbox_id: int
    invoice_id: int
    recipient: str
    number: str
    interrupted: bool = False  # left "sending" by a process that died
    dead_owner: str | None = None  # that process's token (None: recorded by no one)
    again: bool = False  # a copy already sent, sent again on request


def queue_copies(db: Database, invoice_ids: Sequence[int]) -> int:
    """Queue the copies of these invoices (issued, customer with an e-mail, not queued yet)."""
    queued = 0
    for start in range(0, len(invoice_ids), 500):
        chunk = list(invoice_ids[start : start + 500])
        rows = (
            Invoice.select(Invoice.id, Customer.email)
            .join(Customer)
            .where(
                Invoice.id.in_(chunk),
                Invoice.status != "draft",
                Customer.email.is_null(False),
                Customer.email != "",
            )
            .order_by(Invoice.id)  # queued, hence sent, in the order they were numbered
            .tuples()
        )
        already = {
            o for (o,) in Outbox.select(Outbox.invoice).where(Outbox.invoice.in_(chunk)).tuples()
        }
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
        host=s.host,
        port=s.port,
        security=s.security,
        user=s.user,
        password=password_from(s.password, config_path=config.path),
        sender=s.sender or seller_email(config),
        reply_to=s.reply_to,
        timeout=s.timeout,
    )


def _claim_abandoned(owner: str | None, claimed_at: dt.datetime | None) -> bool:
    """Whether a copy left "sending" may be taken over: its owner is gone (or unknown and
    its claim older than the lease)."""
    alive = owner_alive(owner)
    if alive is None:
        alive = claimed_at is not None and utc_now() - claimed_at < CLAIM_LEASE
    return not alive


def copies_to_send(
    outbox_ids: Sequence[int] | None = None, *, again: bool = False
) -> tuple[list[Copy], list[str]]:
    """The copies not sent yet (or these, with ``again`` even if sent), and the numbers of
    those another live process is sending now."""
    query = (
        Outbox.select(
            Outbox.id,
            Outbox.invoice,
            Outbox.recipient,
            Outbox.status,
            Outbox.claimed_by,
            Outbox.claimed_at,
            Invoice.number,
        )
        .join(Invoice)
        .order_by(Outbox.id)
    )
    if outbox_ids is not None:
        query = query.where(Outbox.id.in_(list(outbox_ids)))
    if not again:
        query = query.where(Outbox.status != "sent")
    copies: list[Copy] = []
    busy: list[str] = []
    for oid, iid, recipient, status, owner, claimed_at, number in query.tuples():
        name = number or str(oid)
        if status != "sending":
            copies.append(Copy(oid, iid, recipient, name, again=again))
        elif _claim_abandoned(owner, claimed_at):
            copies.append(
                Copy(oid, iid, recipient, name, interrupted=True, dead_owner=owner, again=again)
            )
        else:
            busy.append(name)
    return copies, busy


def seller_email(config: Config) -> str:
    """The company's e-mail address: the database's seller, else the configuration's."""
    stored = company_values()
    return (stored or {}).get("email") or config.company.email


def message_id(outbox_id: int, invoice_id: int, sender: str) -> str:
    """The copy's Message-ID, the same at every attempt: should a copy go out twice (the
    process died after the server took it, before "sent" was recorded), the recipient's
    mail system can recognise the second as the same message."""
    domain = sender.rpartition("@")[2].strip(" >") or "tui-billing.invalid"
    return f"<courtesy.{invoice_id}.{outbox_id}@{domain}>"


def _message(
    config: Config, settings: SmtpSettings, outbox_id: int, invoice_id: int, recipient: str
) -> EmailMessage:
    doc = replace(invoice_document(invoice_id, config.company), courtesy_copy=True)
    invoice = Invoice.get_by_id(invoice_id)
    customer = invoice.customer
    subject, body = courtesy_subject_and_body(
        doc.language,
        doc.number or "",
        doc.date,
        f"{doc.total:.2f} EUR",
        doc.company.name,
        customer.name,
        through_sdi=bool(config.einvoice.dir),
    )
    return build_courtesy_message(
        sender=(doc.company.name, settings.sender),
        to=(customer.name, recipient),
        subject=subject,
        body=body,
        pdf_bytes=render_invoice_pdf(doc),
        pdf_filename=pdf_file_name(invoice),
        reply_to=settings.reply_to,
        message_id=message_id(outbox_id, invoice_id, settings.sender),
    )


Rendered = tuple[Copy, RawMessage | None, str | None]  # the message, or why it cannot be built


def _render(config: Config, settings: SmtpSettings, copy: Copy) -> Rendered:
    try:
        message = _message(config, settings, copy.outbox_id, copy.invoice_id, copy.recipient)
    except MailAddressError as exc:
        return copy, None, str(exc)
    return copy, RawMessage.of(message), None


def _render_batch(config: Config, settings: SmtpSettings, copies: list[Copy]) -> list[Rendered]:
    """In a worker process: the messages of these copies, PDFs included."""
    return [_render(config, settings, copy) for copy in copies]


def _rendered(
    db: Database, config: Config, settings: SmtpSettings, copies: list[Copy], workers: int
) -> Generator[Rendered, None, None]:
    """Each copy's message, in order: built here, or by worker processes when there are
    many (a few batches ahead of the sending, so memory stays flat)."""
    if len(copies) < PARALLEL_FROM or workers < 2:
        for copy in copies:
            yield _render(config, settings, copy)
        return
    size = max(1, min(RENDER_BATCH, len(copies) // workers))
    batches = iter([copies[i : i + size] for i in range(0, len(copies), size)])
    pool = worker_pool(db, workers)
    try:
        running: deque[Any] = deque()
        while True:
            while len(running) < workers * 2 and (batch := next(batches, None)) is not None:
                running.append(pool.submit(_render_batch, config, settings, batch))
            if not running:
                return
            yield from running.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _claim(copy: Copy, owner: str) -> bool:
    """Mark the copy "sending" by ``owner`` (one attempt more), unless another process has
    it or it was sent meanwhile; True when claimed."""
    takeable = Outbox.status.in_(
        ("pending", "failed", "sent") if copy.again else ("pending", "failed")
    )
    if copy.interrupted:
        takeable |= (Outbox.status == "sending") & (Outbox.claimed_by == copy.dead_owner)
    with write_transaction(database_proxy.obj):
        return bool(
            Outbox.update(
                {
                    Outbox.status: "sending",
                    Outbox.claimed_by: owner,
                    Outbox.claimed_at: utc_now(),
                    Outbox.attempts: Outbox.attempts + 1,
                }
            )
            .where(Outbox.id == copy.outbox_id, takeable)
            .execute()
        )


def _finish(copy: Copy, owner: str, error: str | None) -> None:
    """Record the outcome of a claimed copy at once: sent, or failed with ``error``."""
    changes: dict[Field[Any], Any] = {
        Outbox.status: "failed" if error else "sent",
        Outbox.last_error: error,
        Outbox.claimed_by: None,
        Outbox.claimed_at: None,
    }
    if not error:
        changes[Outbox.sent_at] = utc_now()
    with write_transaction(database_proxy.obj):
        Outbox.update(changes).where(
            Outbox.id == copy.outbox_id, Outbox.claimed_by == owner
        ).execute()


def _release_unknown(copy: Copy, owner: str, error: str) -> None:
    """The server did not answer in time: it may have taken the message. The copy stays
    "sending", claimed by no one, so the next run sends it again and names it."""
    with write_transaction(database_proxy.obj):
        Outbox.update(
            {Outbox.last_error: error, Outbox.claimed_by: None, Outbox.claimed_at: None}
        ).where(Outbox.id == copy.outbox_id, Outbox.claimed_by == owner).execute()


def _fail_unsent(copies: list[Copy], error: str, report: SendReport) -> None:
    """Record copies not tried (the server is unreachable) as failed, one attempt more. A
    copy left "sending" by a dead process stays so: the next run names it again."""
    ids = [c.outbox_id for c in copies]
    for start in range(0, len(ids), 500):
        with write_transaction(database_proxy.obj):
            Outbox.update(
                {
                    Outbox.status: "failed",
                    Outbox.last_error: error,
                    Outbox.attempts: Outbox.attempts + 1,
                }
            ).where(
                Outbox.id.in_(ids[start : start + 500]), Outbox.status.in_(("pending", "failed"))
            ).execute()
    report.failed.extend((c.number, error) for c in copies)


def _deliver(
    sender: SmtpSender, copy: Copy, message: RawMessage, owner: str
) -> MailDeliveryError | MailAddressError | None:
    """Hand one claimed copy to the server and record the outcome; the failure, if any.
    When the outcome is unknown (no answer in time, or anything but a delivery failure)
    the copy is left for the next run to send again and name."""
    try:
        sender.send(message)
    except (MailDeliveryError, MailAddressError) as exc:
        if isinstance(exc, MailDeliveryError) and exc.kind == "timeout":
            _release_unknown(copy, owner, str(exc))
        else:
            _finish(copy, owner, str(exc))
        return exc
    except BaseException as exc:
        _release_unknown(copy, owner, f"interrupted: {exc!r}")
        raise
    _finish(copy, owner, None)
    return None


def _send(
    db: Database,
    config: Config,
    settings: SmtpSettings,
    copies: list[Copy],
    report: SendReport,
    *,
    ssl_context: ssl.SSLContext | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Send the copies one at a time over one connection, recording each as it goes.

    The message is built (PDF included) before the copy is claimed, and "sent" is committed
    the moment the server has taken it: a process that dies in between leaves that one copy
    "sending", and the next run sends it again, with the same Message-ID. That is the only
    way a copy goes out twice, and so is a copy the server did not acknowledge in time. When
    the server cannot be reached (or drops the connection, or times out) the copies not
    tried yet are recorded as failed, for the next run."""
    owner = this_process()
    rendered = _rendered(db, config, settings, copies, workers)
    done = 0
    try:
        with SmtpSender(settings, ssl_context=ssl_context) as sender:
            for copy, message, error in rendered:
                done += 1
                if progress:
                    progress(done, len(copies))
                if not _claim(copy, owner):
                    continue  # another process took it, or sent it, meanwhile
                if message is None:  # it could not be built (an address refused)
                    _finish(copy, owner, error)
                    report.failed.append((copy.number, error or ""))
                    continue
                failure = _deliver(sender, copy, message, owner)
                if failure is None:
                    report.sent += 1
                    continue
                report.failed.append((copy.number, str(failure)))
                if isinstance(failure, MailDeliveryError) and failure.kind in (
                    "connection",
                    "timeout",
                ):
                    _fail_unsent(copies[done:], f"not sent: {failure}", report)
                    return
    except MailDeliveryError as exc:  # the connection could not be opened
        _fail_unsent(copies[done:], str(exc), report)
    finally:
        rendered.close()


def send_pending(
    db: Database,
    config: Config,
    *,
    ssl_context: ssl.SSLContext | None = None,
    workers: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Send every queued or failed copy; a copy recorded as sent is never sent again, and a
    copy another live process is sending is left to it."""
    report = SendReport()
    copies, report.in_progress = copies_to_send()
    if not copies:
        return report
    settings = smtp_settings(config)
    if settings is None:
        report.skipped = ngettext(
            "{count} courtesy copy waits: no [smtp] host in the configuration",
            "{count} courtesy copies wait: no [smtp] host in the configuration",
            len(copies),
        ).format(count=len(copies))
        return report
    report.maybe_duplicated = [c.number for c in copies if c.interrupted]
    workers = workers or config.billing.workers or os.cpu_count() or 1
    _send(
        db,
        config,
        settings,
        copies,
        report,
        ssl_context=ssl_context,
        workers=workers,
        progress=progress,
    )
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
    row = (
        Invoice.select(Invoice.id, Invoice.number, Invoice.status, Customer.email)
        .join(Customer)
        .where(Invoice.id == invoice_id)
        .tuples()
        .first()
    )
    if row is None:
        raise UserError(_("no such invoice: {invoice_id}").format(invoice_id=invoice_id), "invoice")
    _unused, number, status, email = row
    name = number or _("draft #{id}").format(id=invoice_id)
    if status == "draft":
        raise UserError(
            _("{name} is a draft: issue it before sending its copy").format(name=name), "invoice"
        )
    if not email:
        raise UserError(
            _("{name}: the customer has no e-mail address").format(name=name), "customer.email"
        )
    settings = smtp_settings(config)
    if settings is None:
        raise UserError(_("no [smtp] host in the configuration: nothing can be sent"), "smtp.host")
    queue_copies(db, [invoice_id])
    outbox = Outbox.get(Outbox.invoice == invoice_id)
    if outbox.status == "sent" and not again:
        raise UserError(
            _("the copy of {name} was already sent on {sent_at:%d/%m/%Y}").format(
                name=name, sent_at=outbox.sent_at
            ),
            "invoice",
        )
    copies, busy = copies_to_send([outbox.id], again=again)
    if busy:
        raise UserError(
            _("the copy of {name} is being sent right now by another process").format(name=name),
            "invoice",
        )
    report = SendReport()
    _send(db, config, settings, copies, report, ssl_context=ssl_context)
    if report.failed:
        raise UserError(
            _("copy of {name} not sent: {failed}").format(name=name, failed=report.failed[0][1]),
            outbox.recipient,
        )
    return outbox.recipient
