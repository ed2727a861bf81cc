"""SdI document types (TD01 invoice, TD02 down payment, TD04 credit note; none for a pro
forma or an order document) in `invoices --json`, and what the PDFs say about themselves:
a down payment is titled as one, a pro forma is not valid for tax purposes, and the copy
e-mailed to the customer is a courtesy copy. PDFs read back with pypdf."""

from __future__ import annotations

import email
import io
import json

from pypdf import PdfReader

from tests.output.test_mail import make_server  # noqa: F401 - fixture
from tests.support.orders import order_document

CONTRACTS = {
    "customers": [{"code": "ACME", "name": "ACME S.r.l.", "email": "fatture@acme.example"}],
    "contracts": [
        {
            "code": f"K-{n}",
            "customer": "ACME",
            "status": "active",
            "start_date": "2026-01-01",
            "frequency": "monthly",
            "series": "A",
            "lines": [
                {
                    "description": "Canone",
                    "quantity": "1",
                    "unit_price": "100.00",
                    "vat_rate": "22.00",
                }
            ],
        }
        for n in range(1, 5)
    ],
}


def _import(cli, tmp_path, document: dict, name: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(document))
    assert cli("import", str(path)).code == 0


def _pdf_text(cli, tmp_path, number: str, language: str = "it") -> str:
    target = tmp_path / f"{number.replace('/', '-')}-{language}.pdf"
    result = cli("pdf", number, "-o", str(target), "--language", language)
    assert result.code == 0, result
    return "\n".join(page.extract_text() for page in PdfReader(target).pages)


def _issue(cli, contract: str, doc_type: str) -> dict:
    rows = cli("due", "--date", "2026-01-31", "--contract", contract, "--json").json()
    result = cli(
        "invoice",
        "--installments",
        rows[0]["installment"],
        "--doc-type",
        doc_type,
        "--date",
        "2026-01-31",
        "--status",
        "issued",
        "--json",
    )
    assert result.code == 0, result
    created = result.json()
    return created[0] if isinstance(created, list) else created


def test_each_document_carries_its_sdi_code_and_says_what_it_is(cli, tmp_path):
    _import(cli, tmp_path, CONTRACTS, "contracts.json")
    _import(
        cli,
        tmp_path,
        order_document({"code": "O-1", "lines": [("1", "1000.00", "22.00")]}),
        "orders.json",
    )
    _issue(cli, "K-1", "invoice")
    _issue(cli, "K-2", "proforma")
    _issue(cli, "K-3", "credit_note")
    _issue(cli, "K-4", "order")
    down = cli("order", "down-payment", "O-1", "--percent", "30", "--date", "2026-01-31", "--json")
    assert down.code == 0, down

    listed = cli("invoices", "--json").json()
    by_type = {(i["document_type"], i["sdi_document_type"]) for i in listed}
    assert by_type == {
        ("invoice", "TD01"),
        ("invoice", "TD02"),
        ("credit_note", "TD04"),
        ("proforma", None),
        ("order", None),
    }
    numbers = {i["sdi_document_type"] or i["document_type"]: i["number"] for i in listed}

    down_payment = _pdf_text(cli, tmp_path, numbers["TD02"])
    assert "Fattura di acconto" in down_payment
    assert "Down-payment invoice" in _pdf_text(cli, tmp_path, numbers["TD02"], "en")
    invoice = _pdf_text(cli, tmp_path, numbers["TD01"])
    assert "Fattura di acconto" not in invoice

    proforma = _pdf_text(cli, tmp_path, numbers["proforma"])
    assert "Fattura pro forma" in proforma
    assert "Documento non valido ai fini fiscali" in proforma
    assert "Not valid for tax purposes" in _pdf_text(cli, tmp_path, numbers["proforma"], "en")
    for number in (numbers["TD01"], numbers["TD02"], numbers["TD04"], numbers["order"]):
        text = _pdf_text(cli, tmp_path, number)
        assert "non valido ai fini fiscali" not in text
        assert "Copia di cortesia" not in text  # the document itself, not the e-mailed copy


def test_the_emailed_copy_says_it_is_a_courtesy_copy(cli, tmp_path, make_server):  # noqa: F811
    server = make_server()
    config = tmp_path / "config.toml"
    config.write_text(
        '[company]\nname = "Manutenzioni Adriatiche S.r.l."\n'
        'email = "fatture@manutenzioni.example"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
        'sender = "fatture@manutenzioni.example"\n'
    )
    document = dict(CONTRACTS, contracts=CONTRACTS["contracts"][:1])
    document["customers"] = [dict(CONTRACTS["customers"][0], language="en")]
    document["customers"].append(
        {"code": "BETA", "name": "Beta S.p.A.", "email": "amministrazione@beta.example"}
    )
    document["contracts"] = [
        *document["contracts"],
        dict(CONTRACTS["contracts"][1], customer="BETA"),
    ]
    _import(cli, tmp_path, document, "contracts.json")
    run = cli(
        "--config", str(config), "--today", "2026-01-31", "run", "--date", "2026-01-01", "--json"
    )
    assert run.code == 0, run
    assert run.json()["emailed"] == 2
    texts = {}
    for envelope in server.handler.envelopes:
        message = email.message_from_bytes(envelope.content)
        attachment = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
        reader = PdfReader(io.BytesIO(attachment.get_payload(decode=True)))
        texts[envelope.rcpt_tos[0]] = "\n".join(p.extract_text() for p in reader.pages)
    assert "Copia di cortesia" in texts["amministrazione@beta.example"]
    assert "Courtesy copy" in texts["fatture@acme.example"]
    for number in run.json()["invoices"]:  # the PDF of the document itself says nothing
        assert "Copia di cortesia" not in _pdf_text(cli, tmp_path, number)
