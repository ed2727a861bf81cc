"""The FatturaPA writer: every kind of document written, valid against the official schema,
passing the SdI checks, and read back field by field by an independent reader (a38)."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from a38 import validation as a38_validation
from a38.fattura import auto_from_etree
from lxml import etree

from tests.support.fatturapa_documents import ALL_DOCUMENTS, TODAY, b2b_two_rates
from tui_billing.domain.fatturapa import FatturaPA, Line
from tui_billing.domain.fatturapa_checks import InvalidEInvoice, sdi_violations
from tui_billing.output.fatturapa_schema import fatturapa_schema, schema_errors
from tui_billing.output.fatturapa_xml import (
    NS,
    fatturapa_xml,
    format_decimal,
    plain_text,
    sdi_file_name,
)

NAMES = sorted(ALL_DOCUMENTS)


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


def _a38_address(sede: Any) -> dict[str, Any]:
    return {
        "street": sede.indirizzo,
        "number": sede.numero_civico,
        "postcode": sede.cap,
        "city": sede.comune,
        "province": sede.provincia,
        "country": sede.nazione,
    }


def _model_address(address: Any) -> dict[str, Any]:
    return {
        "street": plain_text(address.street),
        "number": address.number,
        "postcode": address.postcode,
        "city": address.city,
        "province": address.province,
        "country": address.country,
    }


def _a38_related(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": r.id_documento,
            "date": r.data,
            "lines": list(r.riferimento_numero_linea),
            "item": r.num_item,
            "cig": r.codice_cig,
            "cup": r.codice_cup,
        }
        for r in items
    ]


def _model_related(items: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": r.document_id,
            "date": r.document_date,
            "lines": list(r.line_numbers),
            "item": r.item,
            "cig": r.cig,
            "cup": r.cup,
        }
        for r in items
    ]


def a38_view(fattura: Any) -> dict[str, Any]:
    """What a38 read, as plain values."""
    header = fattura.fattura_elettronica_header
    dt = header.dati_trasmissione
    ced = header.cedente_prestatore
    ces = header.cessionario_committente
    body = fattura.fattura_elettronica_body[0]
    gen = body.dati_generali
    doc = gen.dati_generali_documento
    rea = ced.iscrizione_rea
    ces_vat = ces.dati_anagrafici.id_fiscale_iva
    contatti = ced.contatti
    return {
        "versione": fattura.get_versione(),
        "sender": (dt.id_trasmittente.id_paese, dt.id_trasmittente.id_codice),
        "progressive": dt.progressivo_invio,
        "format": dt.formato_trasmissione,
        "recipient_code": dt.codice_destinatario,
        "recipient_pec": dt.pec_destinatario,
        "seller": {
            "vat": (
                ced.dati_anagrafici.id_fiscale_iva.id_paese,
                ced.dati_anagrafici.id_fiscale_iva.id_codice,
            ),
            "tax_code": ced.dati_anagrafici.codice_fiscale,
            "name": ced.dati_anagrafici.anagrafica.denominazione,
            "first_name": ced.dati_anagrafici.anagrafica.nome,
            "last_name": ced.dati_anagrafici.anagrafica.cognome,
            "regime": ced.dati_anagrafici.regime_fiscale,
            "address": _a38_address(ced.sede),
            "rea": (
                rea.ufficio,
                rea.numero_rea,
                _dec(rea.capitale_sociale),
                rea.socio_unico,
                rea.stato_liquidazione,
            )
            if rea.has_value()
            else None,
            "contacts": (contatti.telefono, contatti.fax, contatti.email)
            if contatti.has_value()
            else None,
        },
        "buyer": {
            "vat": (ces_vat.id_paese, ces_vat.id_codice) if ces_vat.has_value() else None,
            "tax_code": ces.dati_anagrafici.codice_fiscale,
            "name": ces.dati_anagrafici.anagrafica.denominazione,
            "first_name": ces.dati_anagrafici.anagrafica.nome,
            "last_name": ces.dati_anagrafici.anagrafica.cognome,
            "address": _a38_address(ces.sede),
        },
        "type": doc.tipo_documento,
        "currency": doc.divisa,
        "date": doc.data,
        "number": doc.numero,
        "total": _dec(doc.importo_totale_documento),
        "reasons": list(doc.causale),
        "bollo": _dec(doc.dati_bollo.importo_bollo) if doc.dati_bollo.has_value() else None,
        "withholdings": [
            (
                r.tipo_ritenuta,
                _dec(r.importo_ritenuta),
                _dec(r.aliquota_ritenuta),
                r.causale_pagamento,
            )
            for r in doc.dati_ritenuta
        ],
        "funds": [
            (
                c.tipo_cassa,
                _dec(c.al_cassa),
                _dec(c.importo_contributo_cassa),
                _dec(c.imponibile_cassa),
                _dec(c.aliquota_iva),
                c.ritenuta == "SI",
                c.natura,
            )
            for c in doc.dati_cassa_previdenziale
        ],
        "orders": _a38_related(gen.dati_ordine_acquisto),
        "contracts": _a38_related(gen.dati_contratto),
        "linked": _a38_related(gen.dati_fatture_collegate),
        "lines": [
            (
                x.numero_linea,
                x.descrizione,
                _dec(x.quantita),
                x.unita_misura,
                x.data_inizio_periodo,
                x.data_fine_periodo,
                _dec(x.prezzo_unitario),
                _dec(x.prezzo_totale),
                _dec(x.aliquota_iva),
                x.natura,
                x.ritenuta == "SI",
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
                [
                    (
                        d.modalita_pagamento,
                        d.data_scadenza_pagamento,
                        _dec(d.importo_pagamento),
                        d.iban,
                        d.istituto_finanziario,
                    )
                    for d in p.dettaglio_pagamento
                ],
            )
            for p in body.dati_pagamento
        ],
    }


def model_view(doc: FatturaPA) -> dict[str, Any]:
    """What the model holds, in the shape of :func:`a38_view`."""
    seller, buyer, t = doc.seller, doc.buyer, doc.transmission
    rea, contacts = seller.rea, seller.contacts
    return {
        "versione": t.format,
        "sender": (t.sender_id.country, t.sender_id.code),
        "progressive": t.progressive,
        "format": t.format,
        "recipient_code": t.recipient_code,
        "recipient_pec": t.recipient_pec,
        "seller": {
            "vat": (seller.vat_id.country, seller.vat_id.code),
            "tax_code": seller.tax_code,
            "name": seller.name,
            "first_name": None if seller.name else seller.first_name,
            "last_name": None if seller.name else seller.last_name,
            "regime": seller.tax_regime,
            "address": _model_address(seller.address),
            "rea": (rea.office, rea.number, rea.capital, rea.sole_shareholder, rea.liquidation)
            if rea
            else None,
            "contacts": (contacts.phone, contacts.fax, contacts.email) if contacts else None,
        },
        "buyer": {
            "vat": (buyer.vat_id.country, buyer.vat_id.code) if buyer.vat_id else None,
            "tax_code": buyer.tax_code,
            "name": buyer.name,
            "first_name": None if buyer.name else buyer.first_name,
            "last_name": None if buyer.name else buyer.last_name,
            "address": _model_address(buyer.address),
        },
        "type": doc.document_type,
        "currency": doc.currency,
        "date": doc.issue_date,
        "number": doc.number,
        "total": doc.total,
        "reasons": list(doc.reasons),
        "bollo": doc.stamp_duty.amount if doc.stamp_duty else None,
        "withholdings": [(w.kind, w.amount, w.rate, w.payment_reason) for w in doc.withholdings],
        "funds": [
            (f.fund, f.rate, f.amount, f.taxable_base, f.vat_rate, f.withholding, f.nature)
            for f in doc.social_security
        ],
        "orders": _model_related(doc.purchase_orders),
        "contracts": _model_related(doc.contracts),
        "linked": _model_related(doc.linked_invoices),
        "lines": [
            (
                x.number,
                plain_text(x.description),
                x.quantity,
                x.unit,
                x.period_start,
                x.period_end,
                x.unit_price,
                x.total,
                x.vat_rate,
                x.nature,
                x.withholding,
                x.admin_ref,
            )
            for x in doc.lines
        ],
        "summaries": [
            (s.vat_rate, s.nature, s.taxable, s.tax, s.collectability, s.legal_reference)
            for s in doc.summaries
        ],
        "payments": [
            (p.terms, [(d.method, d.due_date, d.amount, d.iban, d.bank) for d in p.details])
            for p in doc.payments
        ],
    }


@pytest.mark.parametrize("name", NAMES)
def test_document_is_valid_and_reads_back_field_by_field(name):
    doc = ALL_DOCUMENTS[name]()
    assert sdi_violations(doc, TODAY) == []
    data = fatturapa_xml(doc, TODAY)

    root = etree.fromstring(data)
    assert schema_errors(root) == []
    assert fatturapa_schema().validate(root)

    fattura = auto_from_etree(ET.fromstring(data))  # the stdlib parser: no lxml in between
    assert a38_view(fattura) == model_view(doc)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "professional_fee"])
def test_a38_finds_no_error_either(name):
    # a38 0.1.8 crashes validating a DatiCassaPrevidenziale with Ritenuta SI (it calls
    # has_value() on a list), so the professional's fee is read back but not validated by it.
    fattura = auto_from_etree(ET.fromstring(fatturapa_xml(ALL_DOCUMENTS[name](), TODAY)))
    found = a38_validation.Validation()
    fattura.validate(found)
    assert [str(e) for e in found.errors] == []


def test_root_namespaces_and_version_as_in_the_agenzia_examples():
    data = fatturapa_xml(b2b_two_rates(), TODAY)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<p:FatturaElettronica ')
    root = etree.fromstring(data)
    assert root.tag == f"{{{NS}}}FatturaElettronica"
    assert root.get("versione") == "FPR12"
    assert root.nsmap == {
        "p": NS,
        "ds": "http://www.w3.org/2000/09/xmldsig#",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    # children are unqualified, as the schema's elementFormDefault wants
    assert [child.tag for child in root] == ["FatturaElettronicaHeader", "FatturaElettronicaBody"]
    pa = etree.fromstring(fatturapa_xml(ALL_DOCUMENTS["pa_split_payment"](), TODAY))
    assert pa.get("versione") == "FPA12"
    assert pa.findtext("FatturaElettronicaHeader/DatiTrasmissione/FormatoTrasmissione") == "FPA12"


def test_decimals_as_the_schema_patterns_want():
    assert format_decimal(Decimal("228")) == "228.00"
    assert format_decimal(Decimal("2.5")) == "2.50"
    assert format_decimal(Decimal("12.34567800")) == "12.345678"
    assert format_decimal(Decimal("1E+3")) == "1000.00"
    assert format_decimal(Decimal("1E-8")) == "0.00000001"
    assert format_decimal(Decimal("-0.00")) == "0.00"
    root = etree.fromstring(fatturapa_xml(ALL_DOCUMENTS["pa_split_payment"](), TODAY))
    line = root.find("FatturaElettronicaBody/DatiBeniServizi/DettaglioLinee[2]")
    assert line.findtext("PrezzoUnitario") == "12.34567891"
    assert line.findtext("Quantita") == "10.00"
    assert line.findtext("PrezzoTotale") == "123.46"
    assert line.findtext("AliquotaIVA") == "22.00"
    assert b"E+" not in etree.tostring(root) and b"E-" not in etree.tostring(root)


def test_amount_with_more_decimals_than_the_schema_allows_is_refused_not_rounded():
    doc = b2b_two_rates()
    doc = dataclasses.replace(doc, total=Decimal("316.975"))
    with pytest.raises(InvalidEInvoice) as caught:
        fatturapa_xml(doc, TODAY)
    message = str(caught.value)
    assert message.startswith("A/2026/0012: XSD ")
    assert "ImportoTotaleDocumento" in message and "316.975" in message


def test_unit_price_with_nine_decimals_is_refused_by_the_schema():
    doc = b2b_two_rates()
    line = dataclasses.replace(doc.lines[1], unit_price=Decimal("150.000000001"))
    doc = dataclasses.replace(doc, lines=(doc.lines[0], line, doc.lines[2]))
    with pytest.raises(InvalidEInvoice, match="PrezzoUnitario"):
        fatturapa_xml(doc, TODAY)


def test_text_outside_latin1_is_refused_naming_the_document():
    doc = b2b_two_rates()
    line = dataclasses.replace(doc.lines[0], description="Servizio \u4e2d\u6587")
    doc = dataclasses.replace(doc, lines=(line, *doc.lines[1:]))
    with pytest.raises(InvalidEInvoice, match=r"^A/2026/0012: XSD .*Descrizione"):
        fatturapa_xml(doc, TODAY)


def test_control_characters_are_refused_naming_the_document():
    doc = b2b_two_rates()
    line = dataclasses.replace(doc.lines[0], description="bad\x00text")
    doc = dataclasses.replace(doc, lines=(line, *doc.lines[1:]))
    with pytest.raises(InvalidEInvoice, match=r"^A/2026/0012: XML text"):
        fatturapa_xml(doc, TODAY)


def test_typographic_characters_are_written_as_plain_latin():
    root = etree.fromstring(fatturapa_xml(b2b_two_rates(), TODAY))
    assert (
        root.findtext("FatturaElettronicaBody/DatiBeniServizi/DettaglioLinee[2]/Descrizione")
        == 'Assistenza "on site" - intervento'
    )


def test_sdi_checks_run_before_the_xml_is_written():
    doc = b2b_two_rates()
    line = dataclasses.replace(doc.lines[0], total=Decimal("228.00"))
    doc = dataclasses.replace(doc, lines=(line, *doc.lines[1:]))
    with pytest.raises(InvalidEInvoice) as caught:
        fatturapa_xml(doc, TODAY)
    assert str(caught.value).startswith(
        "A/2026/0012: 00423 line 1: PrezzoTotale 228.00 != Quantita 2 x PrezzoUnitario 38.00"
    )
    assert caught.value.exit_code == 2
    assert caught.value.document == "A/2026/0012"
    assert {v.code for v in caught.value.violations} >= {"00423", "00422"}


def test_sdi_file_name():
    assert sdi_file_name(b2b_two_rates()) == "IT01234567890_00001.xml"
    assert sdi_file_name(ALL_DOCUMENTS["exempt_with_bollo"]()) == "IT01234567890_0000A.xml"
    assert sdi_file_name(ALL_DOCUMENTS["professional_fee"]()) == "IT12345678903_00006.xml"
    doc = b2b_two_rates()
    bad = dataclasses.replace(
        doc, transmission=dataclasses.replace(doc.transmission, progressive="000001")
    )
    with pytest.raises(InvalidEInvoice, match="^A/2026/0012: 00002 ProgressivoInvio"):
        sdi_file_name(bad)


def test_a_document_of_many_lines_is_valid():
    doc = b2b_two_rates()
    lines = tuple(
        Line(n, f"Riga {n}", Decimal("1.00"), Decimal("1.00"), Decimal("22.00"))
        for n in range(1, 1001)
    )
    summary = dataclasses.replace(
        doc.summaries[0], taxable=Decimal("1000.00"), tax=Decimal("220.00")
    )
    doc = dataclasses.replace(
        doc, lines=lines, summaries=(summary,), total=Decimal("1220.00"), payments=()
    )
    root = etree.fromstring(fatturapa_xml(doc, TODAY))
    assert len(root.findall("FatturaElettronicaBody/DatiBeniServizi/DettaglioLinee")) == 1000


def test_markup_characters_in_text_are_escaped_and_read_back():
    doc = b2b_two_rates()
    text = "Manutenzione R&D <urgente> \"A\" 'B' > fine"
    line = dataclasses.replace(doc.lines[0], description=text)
    buyer = dataclasses.replace(doc.buyer, name="Rossi & Figli <S.r.l.>")
    doc = dataclasses.replace(doc, lines=(line, *doc.lines[1:]), buyer=buyer)
    fattura = auto_from_etree(ET.fromstring(fatturapa_xml(doc, TODAY)))
    assert (
        fattura.fattura_elettronica_body[0].dati_beni_servizi.dettaglio_linee[0].descrizione == text
    )
    assert (
        fattura.fattura_elettronica_header.cessionario_committente.dati_anagrafici.anagrafica.denominazione
        == "Rossi & Figli <S.r.l.>"
    )


def test_documents_are_written_from_several_threads_at_once():
    from concurrent.futures import ThreadPoolExecutor

    docs = [ALL_DOCUMENTS[name]() for name in NAMES] * 20
    bad = dataclasses.replace(b2b_two_rates(), total=Decimal("1.001"))

    def write(doc: FatturaPA) -> bytes | str:
        try:
            return fatturapa_xml(doc, TODAY)
        except InvalidEInvoice as error:
            return str(error)

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(write, [d for doc in docs for d in (doc, bad)]))
    assert results[0::2] == [fatturapa_xml(doc, TODAY) for doc in docs]
    assert all(r.startswith("A/2026/0012: XSD ") and "1.001" in r for r in results[1::2])
