"""Courtesy copies sent by the billing run to a real SMTP server on localhost: each copy
once, a refused one retried at the next run, never sent twice."""

from __future__ import annotations

import email
import io

import pytest
from pypdf import PdfReader

from tests.output.test_mail import Collector, make_server  # noqa: F401 - fixture
from tests.support.data import bulk_document, write_document
from tui_billing.store.models import Outbox


def config_file(tmp_path, port: int):
    path = tmp_path / "config.toml"
    path.write_text(
        "[company]\nname = \"Manutenzioni Adriatiche S.r.l.\"\n"
        "email = \"fatture@manutenzioni.example\"\n"
        f"[smtp]\nhost = \"127.0.0.1\"\nport = {port}\nsecurity = \"none\"\n"
        "sender = \"fatture@manutenzioni.example\"\n")
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
    assert sorted(e.rcpt_tos[0] for e in envelopes) == [f"cliente{i}@example.com"
                                                        for i in range(4)]
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
