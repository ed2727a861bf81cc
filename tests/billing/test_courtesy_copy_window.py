"""The one way a courtesy copy goes out twice: the run dies after the SMTP server took the
message and before the outbox recorded it. Each copy is recorded the moment it is sent, so
only that copy is sent again (with the same Message-ID, and named); the copies before it are
never resent."""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys

from tests.billing.test_courtesy_copies import config_file
from tests.output.test_mail import Collector, make_server  # noqa: F401 - fixture
from tests.support.data import bulk_document, write_document
from tui_billing.store.models import Invoice, Outbox


class KillsTheSenderOnData(Collector):
    """Takes every message; on the ``nth`` one it kills the sending process before the
    client can read the reply, as a crash right after the server accepted it."""

    def __init__(self, nth: int) -> None:
        super().__init__()
        self.nth = nth
        self.victim: int | None = None

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.received) == self.nth and self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)
        return reply


def _message_ids(envelopes) -> list[str]:
    return [email.message_from_bytes(e.content)["Message-ID"] for e in envelopes]


def test_a_copy_accepted_just_before_a_crash_is_the_only_one_sent_again(
    cli,
    tmp_path,
    db_target,
    make_server,  # noqa: F811
):
    handler = KillsTheSenderOnData(nth=3)
    server = make_server(handler)
    config = config_file(tmp_path, server.port)
    doc = bulk_document(5, customers=5, collective_every=0, email="cliente{i}@example.com")
    cli("import", write_document(tmp_path / "d.json", doc))

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_billing",
            "--db",
            db_target,
            "--config",
            config,
            "run",
            "--date",
            "2024-01-31",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    handler.victim = proc.pid
    assert proc.wait(timeout=120) == -signal.SIGKILL
    from tui_billing.store.database import open_database

    open_database(db_target)
    numbers = [n for (n,) in Invoice.select(Invoice.number).order_by(Invoice.id).tuples()]
    assert len(numbers) == 5
    states = [(o.invoice.number, o.status, o.attempts) for o in Outbox.select().order_by(Outbox.id)]
    assert states == [
        (numbers[0], "sent", 1),
        (numbers[1], "sent", 1),
        (numbers[2], "sending", 1),
        (numbers[3], "pending", 0),
        (numbers[4], "pending", 0),
    ]

    rerun = cli("--config", config, "run", "--date", "2024-01-31", "--json")
    assert rerun.code == 0, rerun
    report = rerun.json()
    assert report["invoices_created"] == 0 and report["emailed"] == 3
    assert report["email_resent"] == [numbers[2]]
    assert f"courtesy copy of {numbers[2]} was being sent when a run stopped" in rerun.err
    envelopes = handler.envelopes
    recipients = [e.rcpt_tos[0] for e in envelopes]
    assert len(envelopes) == 6
    assert sorted(set(recipients)) == sorted(f"cliente{i}@example.com" for i in range(5))
    assert recipients.count(recipients[2]) == 2  # only the copy of the crash, twice
    ids = _message_ids(envelopes)
    assert ids[2] == ids[3] and len(set(ids)) == 5  # the duplicate carries the same id
    assert {(o.status, o.attempts) for o in Outbox.select()} == {("sent", 1)} | {("sent", 2)}
    assert Outbox.get(Outbox.status == "sent", Outbox.attempts == 2).invoice.number == numbers[2]
    again = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert again["emailed"] == 0 and again["email_resent"] == []
    assert len(handler.envelopes) == 6
