"""Reminders end to end on SQLite and PostgreSQL, through a real SMTP server on localhost
that first refuses and then accepts: each level is sent once, a refused one is retried,
and the PDF letter reads back in the customer's language."""

from __future__ import annotations

import email
import io
import json

from pypdf import PdfReader

from tests.billing.test_courtesy_copies import Switchable
from tests.output.test_mail import make_server  # noqa: F401 - fixture

CUSTOMERS = [
    {
        "code": "ROSSI",
        "name": "Rossi S.r.l.",
        "email": "amministrazione@rossi.example",
        "payment_terms_days": 30,
        "language": "it",
    },
    {
        "code": "SMITH",
        "name": "Smith Ltd",
        "email": "accounts@smith.example",
        "payment_terms_days": 30,
        "language": "en",
    },
]


def contract(code: str, customer: str) -> dict:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": "2026-01-01",
        "frequency": "monthly",
        "late_interest": "fixed",
        "late_interest_rate": "10.00",
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": "1000.00", "vat_rate": "22.00"}
        ],
    }


def setup(cli, tmp_path, port: int) -> str:
    doc = tmp_path / "d.json"
    doc.write_text(
        json.dumps(
            {
                "customers": CUSTOMERS,
                "contracts": [contract("K-R", "ROSSI"), contract("K-S", "SMITH")],
            }
        )
    )
    assert cli("import", str(doc)).code == 0
    assert cli("run", "--date", "2026-01-01", "--status", "issued", "--no-email").code == 0
    config = tmp_path / "config.toml"
    config.write_text(
        "[reminders]\nlevel_days = [10, 20, 60]\n"
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'sender = "crediti@manutenzioni.example"\n'
    )
    return str(config)


def reminders(cli, config: str, day: str, *extra: str):
    return cli("--config", config, "--today", day, "reminders", "--json", *extra)


def letters(envelopes) -> dict[str, str]:
    """Recipient -> the text of the PDF letter attached."""
    found = {}
    for envelope in envelopes:
        message = email.message_from_bytes(envelope.content)
        pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
        reader = PdfReader(io.BytesIO(pdf.get_payload(decode=True)))
        found[envelope.rcpt_tos[0]] = "\n".join(p.extract_text() for p in reader.pages)
    return found


def test_each_level_is_sent_once_refused_ones_again(cli, tmp_path, make_server):  # noqa: F811
    server = make_server(Switchable())
    config = setup(cli, tmp_path, server.port)
    assert reminders(cli, config, "2026-02-05").json() == []  # 5 days late: not yet
    listed = reminders(cli, config, "2026-02-11").json()
    assert [(r["customer"], r["level"], r["status"]) for r in listed] == [
        ("ROSSI", 1, "due"),
        ("SMITH", 1, "due"),
    ]
    # 1,220.00 x 10 % x 11 / 365 = 3.6767... -> 3.68 accrued, whether billed or not
    assert [
        (i["invoice"], i["open"], i["days_overdue"], i["interest"]) for i in listed[0]["invoices"]
    ] == [("A/2026/0001", "1220.00", 11, "3.68")]
    assert listed[0]["iban"] == "IT60X0542811101000000123456"
    assert reminders(cli, config, "2026-02-11", "--min-days", "12").json() == []

    refused = reminders(cli, config, "2026-02-11", "--send")
    assert refused.code == 1, refused
    assert refused.json()["sent"] == 0 and len(refused.json()["failed"]) == 2
    assert server.handler.envelopes == []

    server.handler.accept()
    retried = reminders(cli, config, "2026-02-12", "--send").json()
    assert retried["sent"] == 2
    assert [r["status"] for r in retried["reminders"]] == ["failed", "failed"]
    again = reminders(cli, config, "2026-02-13", "--send").json()
    assert (again["sent"], again["reminders"]) == (0, [])
    assert len(server.handler.envelopes) == 2

    text = letters(server.handler.envelopes)
    rossi, smith = text["amministrazione@rossi.example"], text["accounts@smith.example"]
    assert "Sollecito di pagamento" in rossi and "A/2026/0001" in rossi
    assert "1.220,00" in rossi and "IT60 X054 2811 1010 0000 0123 456" in rossi
    assert "Payment reminder" in smith and "A/2026/0002" in smith and "1,220.00" in smith

    # Level 2: 20 days overdue and 10 days after level 1 (recorded on 11/02).
    assert reminders(cli, config, "2026-02-20").json() == []
    second = reminders(cli, config, "2026-02-21", "--send").json()
    assert [(r["customer"], r["level"]) for r in second["reminders"]] == [
        ("ROSSI", 2),
        ("SMITH", 2),
    ]
    assert second["sent"] == 2
    assert reminders(cli, config, "2026-02-22", "--send").json()["sent"] == 0
    assert len(server.handler.envelopes) == 4
    text = letters(server.handler.envelopes[2:])
    assert "Secondo sollecito di pagamento" in text["amministrazione@rossi.example"]
    assert "Second payment reminder" in text["accounts@smith.example"]
