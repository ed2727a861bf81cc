"""Every document the demo issues, and every kind of fiscal document, as its FatturaPA:
valid against the official schema, passing the SdI checks, and read back by an
independent reader (a38) and compared field by field with ``invoices --json``."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from a38 import validation as a38_validation
from a38.fattura import auto_from_etree
from lxml import etree

from tests.conftest import new_pg_database
from tui_billing.billing import einvoice_documents
from tui_billing.billing.einvoice_documents import (
    einvoice_file,
    einvoice_files,
    fatturapa_document,
    fatturapa_documents,
)
from tui_billing.cli.main import main
from tui_billing.domain.errors import UserError
from tui_billing.domain.fatturapa_checks import InvalidEInvoice, sdi_violations
from tui_billing.domain.vat_natures import VAT_NATURES
from tui_billing.output.fatturapa_schema import schema_errors
from tui_billing.store.database import open_database
from tui_billing.store.models import Customer, Invoice

TODAY = dt.date.today()
LAST_MONTH_END = TODAY.replace(day=1) - dt.timedelta(days=1)
LAST_MONTH_START = LAST_MONTH_END.replace(day=1)
LONG_REASON = (
    "Riduzione concordata del canone di assistenza per il disservizio del mese: " * 4
).strip()  # 299 characters: two Causale
METHODS = {"bank_transfer": "MP05", "sepa_direct_debit": "MP19", "riba": "MP12"}


def _extra_kinds() -> dict[str, Any]:
    """Customers and contracts the demo lacks, billed in their own series E: a foreign
    business, a foreign consumer, a buyer reached by PEC only, a consumer with a codice
    fiscale only (a prorated first month with an 8-decimal price), and an order."""

    def contract(
        code: str,
        customer: str,
        price: str,
        start: dt.date,
        method: str = "bank_transfer",
        quantity: str = "1",
    ) -> dict[str, Any]:
        return {
            "code": code,
            "customer": customer,
            "status": "active",
            "start_date": start.isoformat(),
            "frequency": "monthly",
            "timing": "advance",
            "prorate": True,
            "alignment": "calendar",
            "series": "E",
            "payment_method": method,
            "lines": [
                {
                    "description": f"Canone assistenza {code}",
                    "quantity": quantity,
                    "unit_price": price,
                    "price_period": "monthly",
                    "vat_rate": "22.00",
                }
            ],
        }

    customers = [
        {
            "code": "E-DE",
            "name": "Muster Maschinenbau GmbH",
            "vat_number": "DE136695976",
            "street": "Hauptstrasse 5",
            "postal_code": "10115",
            "city": "Berlin",
            "country": "DE",
            "payment_method": "bank_transfer",
        },
        {
            "code": "E-FR",
            "name": "Jean Dupont",
            "street": "Rue de Rivoli 10",
            "postal_code": "75001",
            "city": "Paris",
            "country": "FR",
        },
        {
            "code": "E-PEC",
            "name": "Verdi Logistica S.r.l.",
            "vat_number": "IT01114601006",
            "pec": "verdi.logistica@pec.example",
            "street": "Via Appia 3",
            "postal_code": "00184",
            "city": "Roma",
            "province": "RM",
            "country": "IT",
            "iban": "IT60X0542811101000000123456",
            "payment_method": "riba",
        },
        {
            "code": "E-CF",
            "name": "Mario Rossi",
            "tax_code": "RSSMRA85T10A562S",
            "street": "Via Garibaldi 8",
            "postal_code": "60121",
            "city": "Ancona",
            "province": "AN",
            "country": "IT",
            "email": "mario.rossi@example.com",
        },
    ]
    return {
        "series": [{"code": "E", "format": "E/{year}/{seq:04d}"}],
        "customers": customers,
        "contracts": [
            contract("KE-DE", "E-DE", "400.00", LAST_MONTH_START),
            contract("KE-FR", "E-FR", "90.00", LAST_MONTH_START),
            contract("KE-PEC", "E-PEC", "250.00", LAST_MONTH_START, "riba"),
            contract(
                "KE-CF", "E-CF", "49.99", LAST_MONTH_START + dt.timedelta(days=9), quantity="3"
            ),
        ],
        "orders": [
            {
                "code": "OE-1",
                "customer": "E-PEC",
                "date": LAST_MONTH_START.isoformat(),
                "series": "E",
                "lines": [
                    {
                        "description": "Impianto di videosorveglianza",
                        "quantity": "1",
                        "unit_price": "3000.00",
                        "vat_rate": "22.00",
                    }
                ],
            }
        ],
    }


def _cli(target: str, *argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(["--db", target, *argv])
    assert code == 0, (argv, err.getvalue(), out.getvalue())
    return out.getvalue()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest, tmp_path_factory) -> dict[str, Any]:
    """The demo database once per module and database kind, with the kinds it lacks added:
    its target and ``invoices --json`` by number."""
    if request.param == "sqlite":
        target = str(tmp_path_factory.mktemp("einvoice") / "demo.sqlite")
    else:
        target = new_pg_database(request.getfixturevalue("pg_cluster"))
    _cli(target, "demo")
    extra = tmp_path_factory.mktemp("extra") / "extra.json"
    extra.write_text(json.dumps(_extra_kinds()), encoding="utf-8")
    _cli(target, "import", str(extra))
    _cli(target, "run", "--date", LAST_MONTH_END.isoformat(), "--series", "E", "--no-email")
    _cli(
        target,
        "order",
        "down-payment",
        "OE-1",
        "--percent",
        "30",
        "--date",
        LAST_MONTH_END.isoformat(),
    )
    by_customer = {
        i["customer"]: i
        for i in json.loads(_cli(target, "invoices", "--json"))
        if i["series"] == "E" and i["document_type"] == "invoice"
    }
    _cli(target, "credit", by_customer["E-CF"]["number"], "--reason", "Fattura emessa per errore")
    _cli(
        target,
        "credit",
        by_customer["E-DE"]["number"],
        "--amount",
        "100.00",
        "--reason",
        LONG_REASON,
    )
    invoices = json.loads(_cli(target, "invoices", "--json"))
    open_database(target)
    return {"target": target, "invoices": {i["number"]: i for i in invoices}}


@pytest.fixture
def stored(demo: dict[str, Any]) -> dict[str, Any]:
    """The demo database opened for this test."""
    database = open_database(demo["target"])
    yield demo
    database.close()


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _read_back(xml: bytes) -> dict[str, Any]:
    """What a38 reads from the file (the stdlib parser: no lxml in between)."""
    fattura = auto_from_etree(ET.fromstring(xml))
    header = fattura.fattura_elettronica_header
    trasmissione = header.dati_trasmissione
    ces = header.cessionario_committente
    ced = header.cedente_prestatore
    body = fattura.fattura_elettronica_body[0]
    general = body.dati_generali
    doc = general.dati_generali_documento
    vat_id = ces.dati_anagrafici.id_fiscale_iva
    return {
        "format": trasmissione.formato_trasmissione,
        "recipient_code": trasmissione.codice_destinatario,
        "recipient_pec": trasmissione.pec_destinatario,
        "seller": {
            "vat": ced.dati_anagrafici.id_fiscale_iva.id_codice,
            "name": ced.dati_anagrafici.anagrafica.denominazione,
            "regime": ced.dati_anagrafici.regime_fiscale,
            "rea": ced.iscrizione_rea.numero_rea,
            "city": ced.sede.comune,
        },
        "buyer": {
            "vat": (vat_id.id_paese, vat_id.id_codice) if vat_id.has_value() else None,
            "tax_code": ces.dati_anagrafici.codice_fiscale,
            "name": ces.dati_anagrafici.anagrafica.denominazione,
            "street": ces.sede.indirizzo,
            "postcode": ces.sede.cap,
            "city": ces.sede.comune,
            "country": ces.sede.nazione,
        },
        "type": doc.tipo_documento,
        "currency": doc.divisa,
        "date": doc.data,
        "number": doc.numero,
        "total": _dec(doc.importo_totale_documento),
        "bollo": _dec(doc.dati_bollo.importo_bollo) if doc.dati_bollo.has_value() else None,
        "reasons": list(doc.causale),
        "contracts": [(c.id_documento, c.codice_cig, c.codice_cup) for c in general.dati_contratto],
        "orders": [o.id_documento for o in general.dati_ordine_acquisto],
        "linked": [(f.id_documento, f.data) for f in general.dati_fatture_collegate],
        "lines": [
            (
                x.descrizione,
                _dec(x.quantita),
                _dec(x.prezzo_unitario),
                _dec(x.prezzo_totale),
                _dec(x.aliquota_iva),
                x.natura,
                x.data_inizio_periodo,
                x.data_fine_periodo,
                x.riferimento_amministrazione,
            )
            for x in body.dati_beni_servizi.dettaglio_linee
        ],
        "summaries": [
            (
                _dec(s.aliquota_iva),
                s.natura,
                _dec(s.imponibile_importo),
                _dec(s.imposta),
                s.esigibilita_iva,
                s.riferimento_normativo,
            )
            for s in body.dati_beni_servizi.dati_riepilogo
        ],
        "payments": [
            (
                p.condizioni_pagamento,
                d.modalita_pagamento,
                d.data_scadenza_pagamento,
                _dec(d.importo_pagamento),
                d.iban,
            )
            for p in body.dati_pagamento
            for d in p.dettaglio_pagamento
        ],
    }


def _read_lxml(xml: bytes) -> dict[str, Any]:
    """The same fields as :func:`_read_back`, read with lxml paths (fast: every document)."""
    root = etree.fromstring(xml)

    def text(path: str, at: Any = root) -> str | None:
        return at.findtext(path)

    def day(path: str, at: Any = root) -> dt.date | None:
        return _date(at.findtext(path))

    def dec(path: str, at: Any = root) -> Decimal | None:
        return _dec(at.findtext(path))

    ces = root.find("FatturaElettronicaHeader/CessionarioCommittente")
    ced = root.find("FatturaElettronicaHeader/CedentePrestatore")
    body = root.find("FatturaElettronicaBody")
    vat_id = ces.find("DatiAnagrafici/IdFiscaleIVA")
    return {
        "format": text(".//FormatoTrasmissione"),
        "recipient_code": text(".//CodiceDestinatario"),
        "recipient_pec": text(".//PECDestinatario"),
        "seller": {
            "vat": text("DatiAnagrafici/IdFiscaleIVA/IdCodice", ced),
            "name": text("DatiAnagrafici/Anagrafica/Denominazione", ced),
            "regime": text("DatiAnagrafici/RegimeFiscale", ced),
            "rea": text("IscrizioneREA/NumeroREA", ced),
            "city": text("Sede/Comune", ced),
        },
        "buyer": {
            "vat": None if vat_id is None else (text("IdPaese", vat_id), text("IdCodice", vat_id)),
            "tax_code": text("DatiAnagrafici/CodiceFiscale", ces),
            "name": text("DatiAnagrafici/Anagrafica/Denominazione", ces),
            "street": text("Sede/Indirizzo", ces),
            "postcode": text("Sede/CAP", ces),
            "city": text("Sede/Comune", ces),
            "country": text("Sede/Nazione", ces),
        },
        "type": text(".//TipoDocumento"),
        "currency": text(".//Divisa"),
        "date": day(".//DatiGeneraliDocumento/Data"),
        "number": text(".//Numero"),
        "total": dec(".//ImportoTotaleDocumento"),
        "bollo": dec(".//DatiBollo/ImportoBollo"),
        "reasons": [e.text for e in body.iter("Causale")],
        "contracts": [
            (text("IdDocumento", c), text("CodiceCIG", c), text("CodiceCUP", c))
            for c in body.iter("DatiContratto")
        ],
        "orders": [text("IdDocumento", o) for o in body.iter("DatiOrdineAcquisto")],
        "linked": [
            (text("IdDocumento", f), day("Data", f)) for f in body.iter("DatiFattureCollegate")
        ],
        "lines": [
            (
                text("Descrizione", x),
                dec("Quantita", x),
                dec("PrezzoUnitario", x),
                dec("PrezzoTotale", x),
                dec("AliquotaIVA", x),
                text("Natura", x),
                day("DataInizioPeriodo", x),
                day("DataFinePeriodo", x),
                text("RiferimentoAmministrazione", x),
            )
            for x in body.iter("DettaglioLinee")
        ],
        "summaries": [
            (
                dec("AliquotaIVA", s),
                text("Natura", s),
                dec("ImponibileImporto", s),
                dec("Imposta", s),
                text("EsigibilitaIVA", s),
                text("RiferimentoNormativo", s),
            )
            for s in body.iter("DatiRiepilogo")
        ],
        "payments": [
            (
                text("CondizioniPagamento", p),
                text("ModalitaPagamento", d),
                day("DataScadenzaPagamento", d),
                dec("ImportoPagamento", d),
                text("IBAN", d),
            )
            for p in body.iter("DatiPagamento")
            for d in p.iter("DettaglioPagamento")
        ],
    }


def _date(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _expected(invoice: dict[str, Any], method: str | None, iban: str | None) -> dict[str, Any]:
    """What the file must say, from ``invoices --json`` (and the stored payment method and
    debited IBAN, which the JSON does not show)."""
    sign = -1 if invoice["document_type"] == "credit_note" else 1
    seller, buyer = invoice["seller"], invoice["buyer"]
    abroad = (
        (buyer["vat_country"] or buyer["country"]) != "IT"
        if buyer["vat_number"]
        else buyer["country"] != "IT"
    )
    vat = (
        (buyer["vat_country"], buyer["vat_number"])
        if buyer["vat_number"]
        else (buyer["country"], "99999999999")
        if abroad
        else None
    )
    lines = []
    for line in invoice["lines"]:
        quantity, price = Decimal(line["quantity"]), Decimal(line["unit_price"]) * sign
        lines.append(
            (
                line["description"],
                quantity,
                price,
                Decimal(line["amount"]) * sign,
                Decimal(line["vat_rate"]),
                line["vat_nature"],
                _date(line["period_start"]),
                _date(line["period_end"]),
                line["cost_centre"],
            )
        )
    payments = []
    if sign == 1 and method in METHODS:
        code = METHODS[method]
        payments.append(
            (
                "TP02",
                code,
                _date(invoice["due_date"]),
                Decimal(invoice["amount_due"]),
                seller["iban"] if code == "MP05" else iban,
            )
        )
    if buyer["public_administration"]:
        recipient = ("FPA12", buyer["sdi_code"], None)
    elif abroad:
        recipient = ("FPR12", "XXXXXXX", None)
    elif buyer["sdi_code"]:
        recipient = ("FPR12", buyer["sdi_code"], None)
    else:
        recipient = ("FPR12", "0000000", buyer["pec"])
    corrects = invoice["corrects"]
    return {
        "format": recipient[0],
        "recipient_code": recipient[1],
        "recipient_pec": recipient[2],
        "seller": {
            "vat": seller["vat_number"],
            "name": seller["name"],
            "regime": seller["tax_regime"],
            "rea": seller["rea_number"],
            "city": seller["city"],
        },
        "buyer": {
            "vat": vat,
            "tax_code": None if abroad else buyer["tax_code"],
            "name": buyer["name"],
            "street": buyer["street"],
            "postcode": "00000" if buyer["country"] != "IT" else buyer["postal_code"],
            "city": buyer["city"],
            "country": buyer["country"],
        },
        "type": invoice["sdi_document_type"],
        "currency": "EUR",
        "date": _date(invoice["date"]),
        "number": invoice["number"],
        "total": Decimal(invoice["total"]) * sign,
        "bollo": _dec(invoice["stamp_duty"]),
        "linked": [(corrects["number"], _date(corrects["date"]))] if corrects else [],
        "lines": lines,
        "payments": payments,
    }


def _check_summaries(invoice: dict[str, Any], summaries: list[tuple]) -> None:
    """DatiRiepilogo against the JSON totals: taxed rows add up to taxable and VAT, N1 rows
    to what is out of scope; every nature of the lines, with its legal reference; S only
    under split payment."""
    sign = -1 if invoice["document_type"] == "credit_note" else 1
    taxed = [s for s in summaries if s[1] != "N1"]
    assert sum(s[2] for s in taxed) == Decimal(invoice["taxable"]) * sign
    assert sum(s[3] for s in summaries) == Decimal(invoice["vat"]) * sign
    assert (
        sum((s[2] for s in summaries if s[1] == "N1"), Decimal(0))
        == Decimal(invoice["out_of_scope"]) * sign
    )
    assert {s[1] for s in summaries if s[1]} == {
        li["vat_nature"] for li in invoice["lines"] if li["vat_nature"]
    }
    for rate, nature, _taxable, _tax, collectability, reference in summaries:
        if nature:
            assert (rate, collectability, reference) == (0, "I", VAT_NATURES[nature].reference)
        else:
            assert collectability == ("S" if invoice["split_payment"] else "I")


# a38 0.1.x checks two rules the SdI no longer has, or never had: 00426 as before 2019
# (CodiceDestinatario 0000000 then required a PEC; since the B2B e-invoice it means delivery
# to the buyer's tax drawer, and only a PEC with another code is refused), and a UnitaMisura
# on every line with a Quantita (optional in the schema and the SdI's checks).
_A38_ONLY = (
    "[00426] pec_destinatario has no value while codice_destinatario has value",
    "unita_misura: field must be present when quantita is set",
)


def _a38_only(error: str) -> bool:
    return any(rule in error for rule in _A38_ONLY)


def _shape(invoice: dict[str, Any], method: str | None) -> tuple:
    """What makes two documents differ in how they are written."""
    lines = invoice["lines"]
    return (
        invoice["sdi_document_type"],
        invoice["buyer"]["public_administration"],
        invoice["buyer"]["country"],
        bool(invoice["buyer"]["sdi_code"]),
        bool(invoice["buyer"]["pec"]),
        bool(invoice["buyer"]["vat_number"]),
        tuple(sorted({li["vat_nature"] or "" for li in lines})),
        invoice["split_payment"],
        invoice["stamp_duty"],
        method,
        bool(invoice["corrects"]),
        bool(invoice["contracts"]),
        bool(invoice["orders"]),
        min(len(lines), 3),
        any(len(li["unit_price"].split(".")[-1]) > 2 for li in lines),
        any(li["cost_centre"] for li in lines),
        any(li["period_start"] for li in lines),
    )


def test_every_fiscal_document_is_valid_and_reads_back_as_invoices_json(stored, monkeypatch):
    """Every document: schema, SdI checks, and read back compared with ``invoices --json``;
    a38 reads one document of each shape (it takes ~30 ms a file), must read the same and
    find no error of its own.
    Loaded in batches of 100, so that batches follow one another."""
    monkeypatch.setattr(einvoice_documents, "BATCH", 100)
    invoices = stored["invoices"]
    fiscal = [i for i in invoices.values() if i["numbering"] == "fiscal"]
    stored_terms = {
        iid: (method, iban)
        for iid, method, iban in Invoice.select(
            Invoice.id, Invoice.payment_method, Invoice.iban
        ).tuples()
    }
    requests = [(i["id"], f"{n:05d}") for n, i in enumerate(fiscal, start=1)]
    files = einvoice_files(requests, TODAY)
    docs = fatturapa_documents(requests)
    assert len(files) == len(fiscal) > 700
    shapes: set[tuple] = set()
    for invoice, file, doc in zip(fiscal, files, docs, strict=True):
        assert file.name == f"IT{invoice['seller']['tax_code']}_{doc.transmission.progressive}.xml"
        assert schema_errors(etree.fromstring(file.xml)) == []
        assert sdi_violations(doc, TODAY) == []
        read = _read_lxml(file.xml)
        shape = _shape(invoice, stored_terms[invoice["id"]][0])
        if shape not in shapes:
            shapes.add(shape)
            assert _read_back(file.xml) == read, invoice["number"]
            found = a38_validation.Validation()
            auto_from_etree(ET.fromstring(file.xml)).validate(found)
            errors = [str(e) for e in found.errors if not _a38_only(str(e))]
            assert errors == [], invoice["number"]
        _check_summaries(invoice, read.pop("summaries"))
        reasons, contracts, orders = read.pop("reasons"), read.pop("contracts"), read.pop("orders")
        assert all(0 < len(r) <= 200 for r in reasons)
        assert [c[0] for c in contracts] == [c for c in invoice["contracts"] if len(c) <= 20]
        assert orders == invoice["orders"]
        assert read == _expected(invoice, *stored_terms[invoice["id"]]), invoice["number"]
    assert len(shapes) > 20, len(shapes)


def _one(invoices: dict[str, Any], **wanted: Any) -> dict[str, Any]:
    for invoice in invoices.values():
        if all(invoice.get(k) == v for k, v in wanted.items()):
            return invoice
    raise AssertionError(f"no invoice with {wanted}")


def _root(invoice: dict[str, Any]) -> etree._Element:
    return etree.fromstring(einvoice_file(invoice["id"], "A0001", TODAY).xml)


def test_each_kind_is_written_as_the_rules_want(stored):
    invoices = stored["invoices"]
    # PA with split payment and a CIG: FPA12, office code, S, paid net of VAT.
    pa = next(
        i
        for i in invoices.values()
        if i["buyer"]["public_administration"]
        and i["numbering"] == "fiscal"
        and i["document_type"] == "invoice"
    )
    root = _root(pa)
    assert root.get("versione") == "FPA12"
    assert root.findtext(".//CodiceDestinatario") == pa["buyer"]["sdi_code"]
    assert len(pa["buyer"]["sdi_code"]) == 6
    assert root.findtext(".//DatiContratto/CodiceCIG")
    assert {e.text for e in root.iter("EsigibilitaIVA")} == {"S"}
    assert root.findtext(".//ImportoPagamento") == pa["amount_due"]
    assert Decimal(pa["amount_due"]) == Decimal(pa["total"]) - Decimal(pa["vat"])
    assert "17-ter" in " ".join(e.text for e in root.iter("Causale"))
    # Bollo with an exempt N4 line.
    bollo = next(
        i
        for i in invoices.values()
        if i["stamp_duty"] and any(li["vat_nature"] == "N4" for li in i["lines"])
    )
    root = _root(bollo)
    assert root.findtext(".//DatiBollo/BolloVirtuale") == "SI"
    assert root.findtext(".//DatiBollo/ImportoBollo") == "2.00"
    assert "art. 10 DPR 633/72" in [e.text for e in root.iter("RiferimentoNormativo")]
    # Reverse charge N6.3: no VAT, its reference.
    reverse = next(
        i for i in invoices.values() if any(li["vat_nature"] == "N6.3" for li in i["lines"])
    )
    root = _root(reverse)
    summary = next(s for s in root.iter("DatiRiepilogo") if s.findtext("Natura") == "N6.3")
    assert summary.findtext("Imposta") == "0.00"
    assert summary.findtext("RiferimentoNormativo") == "art. 17 c.6 lett. a DPR 633/72"


def test_credit_notes_whole_and_partial_carry_positive_amounts_and_the_invoice(stored):
    invoices = stored["invoices"]
    whole = _one(invoices, document_type="credit_note", customer="E-CF")
    partial = _one(invoices, document_type="credit_note", customer="E-DE")
    for note in (whole, partial):
        root = _root(note)
        assert root.findtext(".//TipoDocumento") == "TD04"
        corrected = invoices[note["corrects"]["number"]]
        assert root.findtext(".//DatiFattureCollegate/IdDocumento") == corrected["number"]
        assert root.findtext(".//DatiFattureCollegate/Data") == corrected["date"]
        assert Decimal(root.findtext(".//ImportoTotaleDocumento")) == -Decimal(note["total"]) > 0
        assert all(Decimal(e.text) > 0 for e in root.iter("PrezzoTotale"))
        assert root.find(".//DatiPagamento") is None
    assert -Decimal(whole["total"]) == Decimal(invoices[whole["corrects"]["number"]]["total"])
    assert _root(partial).findtext(".//ImponibileImporto") == "100.00"
    reasons = [e.text for e in _root(partial).iter("Causale")]
    assert len(reasons) == 2 and all(len(r) <= 200 for r in reasons)
    assert " ".join(reasons) == LONG_REASON


def test_down_payment_is_td02(stored):
    down = _one(stored["invoices"], customer="E-PEC", sdi_document_type="TD02")
    root = _root(down)
    assert root.findtext(".//TipoDocumento") == "TD02"
    assert root.findtext(".//DatiOrdineAcquisto/IdDocumento") == "OE-1"
    assert Decimal(root.findtext(".//ImportoTotaleDocumento")) == Decimal("1098.00")


def test_buyers_abroad_by_pec_and_with_a_codice_fiscale_only(stored):
    invoices = stored["invoices"]
    business = _root(_one(invoices, customer="E-DE", document_type="invoice"))
    assert business.findtext(".//CodiceDestinatario") == "XXXXXXX"
    assert business.findtext(".//CessionarioCommittente//IdPaese") == "DE"
    assert business.findtext(".//CessionarioCommittente//IdCodice") == "136695976"
    assert business.findtext(".//CessionarioCommittente/Sede/CAP") == "00000"
    consumer = _root(_one(invoices, customer="E-FR"))
    assert consumer.findtext(".//CodiceDestinatario") == "XXXXXXX"
    assert consumer.findtext(".//CessionarioCommittente//IdPaese") == "FR"
    assert consumer.findtext(".//CessionarioCommittente//IdCodice") == "99999999999"
    assert consumer.find(".//CessionarioCommittente//CodiceFiscale") is None
    pec = _root(_one(invoices, customer="E-PEC", sdi_document_type="TD01"))
    assert pec.findtext(".//CodiceDestinatario") == "0000000"
    assert pec.findtext(".//PECDestinatario") == "verdi.logistica@pec.example"
    assert pec.findtext(".//ModalitaPagamento") == "MP12"
    assert pec.findtext(".//DettaglioPagamento/IBAN") == "IT60X0542811101000000123456"
    person = _root(_one(invoices, customer="E-CF", document_type="invoice"))
    assert person.findtext(".//CodiceDestinatario") == "0000000"
    assert person.find(".//PECDestinatario") is None
    assert person.find(".//CessionarioCommittente//IdFiscaleIVA") is None
    assert person.findtext(".//CessionarioCommittente//CodiceFiscale") == "RSSMRA85T10A562S"


def test_prorated_first_month_keeps_its_eight_decimal_price(stored):
    invoice = _one(stored["invoices"], customer="E-CF", document_type="invoice")
    line = _root(invoice).find(".//DettaglioLinee")
    price = line.findtext("PrezzoUnitario")
    assert len(price.split(".")[1]) > 2
    assert Decimal(price) == Decimal(invoice["lines"][0]["unit_price"])
    assert (
        line.findtext("DataInizioPeriodo") == (LAST_MONTH_START + dt.timedelta(days=9)).isoformat()
    )
    assert line.findtext("DataFinePeriodo") == LAST_MONTH_END.isoformat()


def test_proforma_is_refused_naming_it(stored):
    proforma = _one(stored["invoices"], numbering="proforma")
    with pytest.raises(UserError) as caught:
        fatturapa_document(proforma["id"], "00001")
    assert str(caught.value).startswith(f"{proforma['number']}: is a proforma, not a fiscal")
    fiscal = _one(stored["invoices"], numbering="fiscal")
    with pytest.raises(UserError, match=rf"^{proforma['number']}: is a proforma"):
        einvoice_files([(fiscal["id"], "00001"), (proforma["id"], "00002")], TODAY)


def _issue(target: str, tmp_path, customer: dict[str, Any], status: str = "issued") -> None:
    data = {
        "customers": [customer],
        "contracts": [
            {
                "code": "K-1",
                "customer": customer["code"],
                "status": "active",
                "start_date": "2026-01-01",
                "frequency": "monthly",
                "lines": [
                    {
                        "description": "Canone",
                        "quantity": "1",
                        "unit_price": "100.00",
                        "price_period": "monthly",
                        "vat_rate": "22.00",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    _cli(target, "import", str(path))
    _cli(target, "run", "--date", "2026-01-31", "--status", status, "--no-email")


BUYER = {
    "code": "C1",
    "name": "Bianchi S.r.l.",
    "street": "Via Po 1",
    "postal_code": "10121",
    "city": "Torino",
    "province": "TO",
    "country": "IT",
}


def test_buyer_without_identifier_is_refused_naming_document_and_rule(db_target, tmp_path):
    _issue(db_target, tmp_path, BUYER)
    database = open_database(db_target)
    try:
        invoice = Invoice.get(Invoice.status == "issued")
        with pytest.raises(InvalidEInvoice) as caught:
            einvoice_file(invoice.id, "00001", dt.date(2026, 2, 1))
        assert str(caught.value) == (
            f"{invoice.number}: 00417 CessionarioCommittente: "
            "neither IdFiscaleIVA nor CodiceFiscale"
        )
        # The file is the document as issued: the buyer's VAT number given later is not in it.
        Customer.update(vat_number="01114601006", vat_country="IT").execute()
        with pytest.raises(InvalidEInvoice, match="00417"):
            einvoice_file(invoice.id, "00001", dt.date(2026, 2, 1))
    finally:
        database.close()


def test_parties_are_those_of_the_issue_and_drafts_are_refused(db_target, tmp_path):
    _issue(db_target, tmp_path, {**BUYER, "vat_number": "IT01114601006"})
    database = open_database(db_target)
    try:
        invoice = Invoice.get(Invoice.status == "issued")
        before = einvoice_file(invoice.id, "00001", dt.date(2026, 2, 1))
        Customer.update(name="Altro nome S.p.A.", street="Via Nuova 9").execute()
        after = einvoice_file(invoice.id, "00001", dt.date(2026, 2, 1))
        assert after.xml == before.xml
        assert b"Bianchi S.r.l." in after.xml and b"Altro nome" not in after.xml
        with pytest.raises(InvalidEInvoice, match=r"00403 Data: 2026-01-\d+ is after today"):
            einvoice_file(invoice.id, "00001", dt.date(2025, 12, 31))
        draft = Invoice.create(customer=invoice.customer_id, date=dt.date(2026, 2, 1))
        with pytest.raises(UserError, match=rf"^#{draft.id}: is a draft"):
            einvoice_file(draft.id, "00002", dt.date(2026, 2, 1))
    finally:
        database.close()
