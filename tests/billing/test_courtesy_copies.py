"""Courtesy copies sent by the billing run to a real SMTP server on localhost: each copy
once, a refused one retried at the next run, never sent twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter

import psutil
import pytest
from pypdf import PdfReader

from tests.output.test_mail import Collector, make_server  # noqa: F401 - fixture
from tests.support.data import bulk_document, write_document
from tui_billing.store.models import Invoice, Outbox, utc_now


def config_file(tmp_path, port: int):
    path = tmp_path / "config.toml"
    path.write_text(
        '[company]\nname = "Manutenzioni Adriatiche S.r.l."\n'
        'email = "fatture@manutenzioni.example"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'sender = "fatture@manutenzioni.example"\n'
    )
    return str(path)


class Switchable(Collector):
    """Refuses every recipient until told to accept."""

    def __init__(self) -> None:
        super().__init__(refuse_rcpt="550 mailbox unavailable")

    def accept(self) -> None:
        self.refuse_rcpt = None


def test_run_mails_each_copy_once_and_retries_refused_ones(cli, tmp_path, make_server):  # noqa: F811
    server = make_server(Switchable())
    config = config_file(tmp_path, server.port)
    doc = bulk_document(4, customers=4, collective_every=0, email="cliente{i}@example.com")
    cli("import", write_document(tmp_path / "d.json", doc))

    first = cli("--config", config, "run", "--date", "2024-01-31", "--json")
    assert first.code == 0, first
    report = first.json()
    assert report["invoices_created"] == 4 and report["emailed"] == 0
    assert len(report["email_failed"]) == 4 and "550" in report["email_failed"][0]["error"]
    assert {o.status for o in Outbox.select()} == {"failed"}

    server.handler.accept()
    second = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert second["invoices_created"] == 0 and second["emailed"] == 4
    envelopes = server.handler.envelopes
    assert sorted(e.rcpt_tos[0] for e in envelopes) == [f"cliente{i}@example.com" for i in range(4)]
    message = email.message_from_bytes(envelopes[0].content)
    number = message["Subject"].split("n. ")[1].split(" ")[0]
    assert message["Subject"].startswith("Copia di cortesia fattura n. ")
    attachment = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    text = PdfReader(io.BytesIO(attachment.get_payload(decode=True))).pages[0].extract_text()
    assert number in text and "Manutenzioni Adriatiche" in text

    third = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert third["emailed"] == 0
    assert len(server.handler.envelopes) == 4  # a sent copy is never sent again
    assert {(o.status, o.attempts) for o in Outbox.select()} == {("sent", 2)}


@pytest.mark.slow
def test_many_copies_are_sent_by_worker_processes(cli, tmp_path, make_server):  # noqa: F811
    server = make_server()
    config = config_file(tmp_path, server.port)
    doc = bulk_document(30, customers=30, collective_every=0, email="c{i}@example.com")
    cli("import", write_document(tmp_path / "d.json", doc))
    report = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert report["emailed"] == 30
    assert len({e.rcpt_tos[0] for e in server.handler.envelopes}) == 30


class SlowServer(Collector):
    """Takes each message, then waits a little before saying so (a slow server): a run killed
    meanwhile never learns that the server has it."""

    delay = 0.03

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(self.delay)
        return reply


def _number_and_id(envelope) -> tuple[str, str]:
    message = email.message_from_bytes(envelope.content)
    return message["Subject"].split("n. ")[1].split(" ")[0], message["Message-ID"]


def _kill_mid_send(
    target: str, config: str, on: str, server, after: int, rng: random.Random
) -> list[psutil.Process]:
    """Start ``run`` in a process, SIGKILL it once the server has ``after`` more messages (at
    a random instant of a message in flight); its worker processes, as they were."""
    seen = len(server.handler.received)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_billing",
            "--db",
            target,
            "--config",
            config,
            "run",
            "--date",
            on,
            "--json",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while len(server.handler.received) < seen + after:
        assert proc.poll() is None, "the run ended before it was killed"
        assert time.monotonic() < deadline, "the run sent nothing"
        time.sleep(0.002)
    time.sleep(rng.uniform(0, SlowServer.delay))
    workers = psutil.Process(proc.pid).children(recursive=True)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    return workers


@pytest.mark.slow
def test_a_run_killed_while_sending_resends_at_most_the_copy_in_flight(
    sqlite_target,
    tmp_path,
    make_server,  # noqa: F811
    capsys,
):
    """workers = 0 (one per core), 24 copies a month, a slow server; ten runs killed while
    they send, each followed by a rerun. The killed run's workers die with it; the rerun
    sends again at most the one copy that was in flight, and names it in email_resent."""
    from tui_billing.cli.main import main

    server = make_server(SlowServer())
    config = config_file(tmp_path, server.port)
    with open(config, "a") as f:
        f.write("[billing]\nworkers = 0\n")
    assert (
        main(
            [
                "--db",
                sqlite_target,
                "import",
                write_document(
                    tmp_path / "d.json",
                    bulk_document(24, customers=24, collective_every=0, email="c{i}@example.com"),
                ),
            ]
        )
        == 0
    )
    rng = random.Random(19)
    ends = [dt.date(2024, m + 1, 1) - dt.timedelta(days=1) for m in range(1, 11)]
    for trial, end in enumerate(ends):
        first = len(server.handler.received)
        workers = _kill_mid_send(
            sqlite_target, config, end.isoformat(), server, after=rng.randint(1, 12), rng=rng
        )
        if (os.cpu_count() or 1) > 1:
            assert workers, "workers = 0 sends through worker processes here"
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert alive == [], f"trial {trial}: workers outlived the run: {alive}"

        capsys.readouterr()
        assert (
            main(
                [
                    "--db",
                    sqlite_target,
                    "--config",
                    config,
                    "run",
                    "--date",
                    end.isoformat(),
                    "--json",
                ]
            )
            == 0
        )
        rerun = json.loads(capsys.readouterr().out)
        assert rerun["invoices_created"] == 0 and rerun["email_failed"] == []

        received = [_number_and_id(e) for e in server.handler.envelopes[first:]]
        counts = Counter(received)
        duplicated = sorted(number for (number, _), n in counts.items() if n > 1)
        assert len(counts) == 24 and set(counts.values()) <= {1, 2}, counts
        assert len(duplicated) <= 1, f"trial {trial}: {duplicated} sent twice"
        assert set(duplicated) <= set(rerun["email_resent"]), (trial, rerun["email_resent"])
        assert len(rerun["email_resent"]) <= 1
    assert {o.status for o in Outbox.select()} == {"sent"}
    assert Outbox.select().count() == 240


def test_a_copy_another_live_process_is_sending_is_left_to_it(cli, tmp_path, make_server):  # noqa: F811
    """A copy claimed by a process that still runs is not sent (it is that process's to
    send); once that process is gone, the next run sends it and names it as maybe sent
    twice. A copy claimed by no one known (left by an older version) is taken over too."""
    from tui_billing.store.process_owner import _token

    server = make_server()
    config = config_file(tmp_path, server.port)
    doc = bulk_document(3, customers=3, collective_every=0, email="cliente{i}@example.com")
    cli("import", write_document(tmp_path / "d.json", doc))
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        process = psutil.Process(other.pid)
        owner = _token(socket.gethostname(), other.pid, process.create_time())
        first = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
        assert first["emailed"] == 3
        numbers = sorted(first["invoices"])
        Outbox.update(status="pending", sent_at=None).execute()
        busy = Outbox.select().join(Invoice).where(Invoice.number == numbers[0]).get()
        Outbox.update(status="sending", claimed_by=owner, claimed_at=utc_now()).where(
            Outbox.id == busy.id
        ).execute()
        orphan = Outbox.select().join(Invoice).where(Invoice.number == numbers[1]).get()
        Outbox.update(status="sending", claimed_by=None).where(Outbox.id == orphan.id).execute()

        second = cli("--config", config, "run", "--date", "2024-01-31", "--json")
        assert second.json()["emailed"] == 2
        assert second.json()["email_resent"] == [numbers[1]]
        assert f"courtesy copy of {numbers[0]} is being sent by another process" in second.err
        assert Outbox.get_by_id(busy.id).status == "sending"
    finally:
        other.kill()
        other.wait()
    third = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert third["emailed"] == 1 and third["email_resent"] == [numbers[0]]
    assert {o.status for o in Outbox.select()} == {"sent"}
    assert {o.claimed_by for o in Outbox.select()} == {None}


class SilentOnFirstData(Collector):
    """Takes the first message but answers only after the client has given up."""

    async def handle_DATA(self, server, session, envelope):
        reply = await super().handle_DATA(server, session, envelope)
        if len(self.received) == 1:
            await asyncio.sleep(1.5)
        return reply


def test_a_copy_the_server_did_not_acknowledge_is_named_when_sent_again(cli, tmp_path, make_server):  # noqa: F811
    """A timeout after the message went out leaves it unknown whether the server took it:
    the next run sends it again and names it, like a copy in flight when a run died."""
    server = make_server(SilentOnFirstData())
    config = config_file(tmp_path, server.port)
    with open(config, "a") as f:
        f.write("timeout = 0.5\n")
    doc = bulk_document(3, customers=3, collective_every=0, email="cliente{i}@example.com")
    cli("import", write_document(tmp_path / "d.json", doc))
    first = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert first["emailed"] == 0 and len(first["email_failed"]) == 3
    assert "timed out" in first["email_failed"][0]["error"]
    timed_out = first["email_failed"][0]["invoice"]
    second = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert second["emailed"] == 3 and second["email_resent"] == [timed_out]
    numbers = [_number_and_id(e)[0] for e in server.handler.envelopes]
    assert numbers.count(timed_out) == 2 and len(numbers) == 4


def test_a_send_cut_short_by_an_error_is_named_when_sent_again(
    cli,
    tmp_path,
    make_server,  # noqa: F811
    monkeypatch,
):
    """Anything but a delivery failure while a copy is handed over (here an error raised
    after the server took it) ends the run; the copy is left, claimed by no one, for the
    next run, which sends it again and names it, even from the same process."""
    from tui_billing.output.mail import SmtpSender

    server = make_server()
    config = config_file(tmp_path, server.port)
    doc = bulk_document(3, customers=3, collective_every=0, email="cliente{i}@example.com")
    cli("import", write_document(tmp_path / "d.json", doc))
    send = SmtpSender.send

    def send_then_fail(self, message):
        send(self, message)
        if len(server.handler.received) == 2:
            raise RuntimeError("cut short")

    monkeypatch.setattr(SmtpSender, "send", send_then_fail)
    assert cli("--config", config, "run", "--date", "2024-01-31", "--json").code == 70
    monkeypatch.setattr(SmtpSender, "send", send)
    cut = _number_and_id(server.handler.envelopes[1])[0]
    assert [(o.status, o.claimed_by) for o in Outbox.select().order_by(Outbox.id)] == [
        ("sent", None),
        ("sending", None),
        ("pending", None),
    ]
    again = cli("--config", config, "run", "--date", "2024-01-31", "--json").json()
    assert again["emailed"] == 2 and again["email_resent"] == [cut]
    assert {o.status for o in Outbox.select()} == {"sent"}
