"""Write one FatturaPA 1.2.3 document as the SdI e-invoice XML, checked before it exists.

:func:`fatturapa_xml` runs the SdI checks (``tui_billing.domain.fatturapa_checks``), builds
the XML with lxml, validates it against the official schema, and only then returns its
bytes; a document that fails raises ``InvalidEInvoice`` naming the document and the rule.
The root is ``p:FatturaElettronica`` with ``versione`` FPR12 or FPA12 and the namespaces of
the Agenzia delle Entrate's examples; its children are unqualified, as the schema wants.
Amounts are written as held, with at least 2 decimals and never in exponent form: the
schema refuses an amount with more than 2 decimals (8 for unit prices and quantities).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from lxml import etree

from tui_billing.domain.fatturapa import (
    Address,
    FatturaPA,
    FiscalId,
    RelatedDocument,
)
from tui_billing.domain.fatturapa_checks import (
    PROGRESSIVE,
    InvalidEInvoice,
    RuleViolation,
    check_sdi_rules,
)
from tui_billing.output.fatturapa_schema import fatturapa_schema

NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{NS} http://www.fatturapa.gov.it/export/fatturazione/sdi/fatturapa/v1.2/"
    "Schema_del_file_xml_FatturaPA_versione_1.2.xsd"
)
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
NSMAP = {"ds": NS_DS, "p": NS, "xsi": NS_XSI}
ROOT_TAG = f"{{{NS}}}FatturaElettronica"
SCHEMA_LOCATION_ATTR = f"{{{NS_XSI}}}schemaLocation"

# Typographic characters outside Latin-1, which the schema's text types refuse, written as
# their plain equivalents; anything else outside Latin-1 is left for the schema to refuse.
_PLAIN_TEXT = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2026": "...", "\u20ac": "EUR", "\u00a0": " ",
})


def format_decimal(value: Decimal, places: int = 2) -> str:
    """``value`` exactly, with at least ``places`` decimals and no trailing zeros beyond
    them, never in exponent form: 228 -> "228.00", 38.12345600 -> "38.123456"."""
    if value == 0:
        value = Decimal(0)
    step = Decimal(1).scaleb(-places)
    normalized = value.normalize()
    if normalized.as_tuple().exponent > -places:  # type: ignore[operator]
        normalized = normalized.quantize(step)
    return format(normalized, "f")


def plain_text(value: str) -> str:
    """``value`` with typographic quotes, dashes, ellipsis and euro sign as plain Latin-1."""
    return value.translate(_PLAIN_TEXT)


def _add(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _opt(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None and text != "":
        etree.SubElement(parent, tag).text = plain_text(text)


def _fiscal_id(parent: etree._Element, tag: str, fiscal_id: FiscalId) -> None:
    element = _add(parent, tag)
    _add(element, "IdPaese", fiscal_id.country)
    _add(element, "IdCodice", fiscal_id.code)


def _anagrafica(parent: etree._Element, name: str | None, first: str | None,
                last: str | None) -> None:
    element = _add(parent, "Anagrafica")
    if name:
        _add(element, "Denominazione", plain_text(name))
    else:
        _opt(element, "Nome", first)
        _opt(element, "Cognome", last)


def _address(parent: etree._Element, address: Address) -> None:
    element = _add(parent, "Sede")
    _add(element, "Indirizzo", plain_text(address.street))
    _opt(element, "NumeroCivico", address.number)
    _add(element, "CAP", address.postcode)
    _add(element, "Comune", plain_text(address.city))
    _opt(element, "Provincia", address.province)
    _add(element, "Nazione", address.country)


def _header(root: etree._Element, doc: FatturaPA) -> None:
    header = _add(root, "FatturaElettronicaHeader")
    transmission = doc.transmission
    dati = _add(header, "DatiTrasmissione")
    _fiscal_id(dati, "IdTrasmittente", transmission.sender_id)
    _add(dati, "ProgressivoInvio", transmission.progressive)
    _add(dati, "FormatoTrasmissione", transmission.format)
    _add(dati, "CodiceDestinatario", transmission.recipient_code)
    _opt(dati, "PECDestinatario", transmission.recipient_pec)

    seller = doc.seller
    cedente = _add(header, "CedentePrestatore")
    anagrafici = _add(cedente, "DatiAnagrafici")
    _fiscal_id(anagrafici, "IdFiscaleIVA", seller.vat_id)
    _opt(anagrafici, "CodiceFiscale", seller.tax_code)
    _anagrafica(anagrafici, seller.name, seller.first_name, seller.last_name)
    _add(anagrafici, "RegimeFiscale", seller.tax_regime)
    _address(cedente, seller.address)
    if seller.rea is not None:
        rea = _add(cedente, "IscrizioneREA")
        _add(rea, "Ufficio", seller.rea.office)
        _add(rea, "NumeroREA", seller.rea.number)
        if seller.rea.capital is not None:
            _add(rea, "CapitaleSociale", format_decimal(seller.rea.capital))
        _opt(rea, "SocioUnico", seller.rea.sole_shareholder)
        _add(rea, "StatoLiquidazione", seller.rea.liquidation)
    contacts = seller.contacts
    if contacts is not None and (contacts.phone or contacts.fax or contacts.email):
        contatti = _add(cedente, "Contatti")
        _opt(contatti, "Telefono", contacts.phone)
        _opt(contatti, "Fax", contacts.fax)
        _opt(contatti, "Email", contacts.email)

    buyer = doc.buyer
    cessionario = _add(header, "CessionarioCommittente")
    anagrafici = _add(cessionario, "DatiAnagrafici")
    if buyer.vat_id is not None:
        _fiscal_id(anagrafici, "IdFiscaleIVA", buyer.vat_id)
    _opt(anagrafici, "CodiceFiscale", buyer.tax_code)
    _anagrafica(anagrafici, buyer.name, buyer.first_name, buyer.last_name)
    _address(cessionario, buyer.address)


def _related(parent: etree._Element, tag: str, related: RelatedDocument) -> None:
    element = _add(parent, tag)
    for number in related.line_numbers:
        _add(element, "RiferimentoNumeroLinea", str(number))
    _add(element, "IdDocumento", plain_text(related.document_id))
    if related.date is not None:
        _add(element, "Data", related.date.isoformat())
    _opt(element, "NumItem", related.item)
    _opt(element, "CodiceCUP", related.cup)
    _opt(element, "CodiceCIG", related.cig)


def _general(body: etree._Element, doc: FatturaPA) -> None:
    generali = _add(body, "DatiGenerali")
    documento = _add(generali, "DatiGeneraliDocumento")
    _add(documento, "TipoDocumento", doc.document_type)
    _add(documento, "Divisa", doc.currency)
    _add(documento, "Data", doc.date.isoformat())
    _add(documento, "Numero", doc.number)
    for withholding in doc.withholdings:
        ritenuta = _add(documento, "DatiRitenuta")
        _add(ritenuta, "TipoRitenuta", withholding.kind)
        _add(ritenuta, "ImportoRitenuta", format_decimal(withholding.amount))
        _add(ritenuta, "AliquotaRitenuta", format_decimal(withholding.rate))
        _add(ritenuta, "CausalePagamento", withholding.payment_reason)
    if doc.stamp_duty is not None:
        bollo = _add(documento, "DatiBollo")
        _add(bollo, "BolloVirtuale", "SI")
        _add(bollo, "ImportoBollo", format_decimal(doc.stamp_duty.amount))
    for fund in doc.social_security:
        cassa = _add(documento, "DatiCassaPrevidenziale")
        _add(cassa, "TipoCassa", fund.fund)
        _add(cassa, "AlCassa", format_decimal(fund.rate))
        _add(cassa, "ImportoContributoCassa", format_decimal(fund.amount))
        if fund.taxable_base is not None:
            _add(cassa, "ImponibileCassa", format_decimal(fund.taxable_base))
        _add(cassa, "AliquotaIVA", format_decimal(fund.vat_rate))
        if fund.withholding:
            _add(cassa, "Ritenuta", "SI")
        _opt(cassa, "Natura", fund.nature)
        _opt(cassa, "RiferimentoAmministrazione", fund.admin_ref)
    if doc.total is not None:
        _add(documento, "ImportoTotaleDocumento", format_decimal(doc.total))
    for reason in doc.reasons:
        _add(documento, "Causale", plain_text(reason))
    for related in doc.purchase_orders:
        _related(generali, "DatiOrdineAcquisto", related)
    for related in doc.contracts:
        _related(generali, "DatiContratto", related)
    for related in doc.linked_invoices:
        _related(generali, "DatiFattureCollegate", related)


def _goods_and_services(body: etree._Element, doc: FatturaPA) -> None:
    beni = _add(body, "DatiBeniServizi")
    for line in doc.lines:
        linea = _add(beni, "DettaglioLinee")
        _add(linea, "NumeroLinea", str(line.number))
        _add(linea, "Descrizione", plain_text(line.description))
        if line.quantity is not None:
            _add(linea, "Quantita", format_decimal(line.quantity))
        _opt(linea, "UnitaMisura", line.unit)
        if line.period_start is not None:
            _add(linea, "DataInizioPeriodo", line.period_start.isoformat())
        if line.period_end is not None:
            _add(linea, "DataFinePeriodo", line.period_end.isoformat())
        _add(linea, "PrezzoUnitario", format_decimal(line.unit_price))
        _add(linea, "PrezzoTotale", format_decimal(line.total))
        _add(linea, "AliquotaIVA", format_decimal(line.vat_rate))
        if line.withholding:
            _add(linea, "Ritenuta", "SI")
        _opt(linea, "Natura", line.nature)
        _opt(linea, "RiferimentoAmministrazione", line.admin_ref)
    for summary in doc.summaries:
        riepilogo = _add(beni, "DatiRiepilogo")
        _add(riepilogo, "AliquotaIVA", format_decimal(summary.vat_rate))
        _opt(riepilogo, "Natura", summary.nature)
        if summary.rounding is not None:
            _add(riepilogo, "Arrotondamento", format_decimal(summary.rounding))
        _add(riepilogo, "ImponibileImporto", format_decimal(summary.taxable))
        _add(riepilogo, "Imposta", format_decimal(summary.tax))
        _opt(riepilogo, "EsigibilitaIVA", summary.collectability)
        _opt(riepilogo, "RiferimentoNormativo", summary.legal_reference)


def _payments(body: etree._Element, doc: FatturaPA) -> None:
    for payment in doc.payments:
        pagamento = _add(body, "DatiPagamento")
        _add(pagamento, "CondizioniPagamento", payment.terms)
        for detail in payment.details:
            dettaglio = _add(pagamento, "DettaglioPagamento")
            _opt(dettaglio, "Beneficiario", detail.beneficiary)
            _add(dettaglio, "ModalitaPagamento", detail.method)
            if detail.due_date is not None:
                _add(dettaglio, "DataScadenzaPagamento", detail.due_date.isoformat())
            _add(dettaglio, "ImportoPagamento", format_decimal(detail.amount))
            _opt(dettaglio, "IstitutoFinanziario", detail.bank)
            _opt(dettaglio, "IBAN", detail.iban)


def fatturapa_tree(doc: FatturaPA) -> etree._Element:
    """The XML tree of ``doc``, unchecked (ValueError for text XML cannot hold)."""
    root = etree.Element(ROOT_TAG, nsmap=NSMAP)  # type: ignore[arg-type]
    root.set("versione", doc.transmission.format)
    root.set(SCHEMA_LOCATION_ATTR, SCHEMA_LOCATION)
    _header(root, doc)
    body = _add(root, "FatturaElettronicaBody")
    _general(body, doc)
    _goods_and_services(body, doc)
    _payments(body, doc)
    return root


def fatturapa_xml(doc: FatturaPA, today: date) -> bytes:
    """The e-invoice XML of ``doc``: SdI checks, then the schema, then the bytes (UTF-8,
    with XML declaration). Raises InvalidEInvoice naming the document and the rule."""
    check_sdi_rules(doc, today)
    try:
        root = fatturapa_tree(doc)
    except ValueError as error:  # control characters, NUL bytes: not XML text
        raise InvalidEInvoice(doc.number, [RuleViolation("XML", "text", str(error))]) from None
    schema = fatturapa_schema()
    if not schema.validate(root):
        raise InvalidEInvoice(doc.number, [
            RuleViolation("XSD", error.path or f"line {error.line}", error.message)
            for error in schema.error_log])
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False,
                                            pretty_print=True)


def sdi_file_name(doc: FatturaPA) -> str:
    """The SdI file name ``IT01234567890_00001.xml``: the sender's country and VAT number
    (or codice fiscale), an underscore, the progressive of 1-5 letters or digits."""
    sender = doc.transmission.sender_id
    progressive = doc.transmission.progressive
    if not PROGRESSIVE.fullmatch(progressive):
        raise InvalidEInvoice(doc.number, [RuleViolation(
            "00002", "ProgressivoInvio", f"{progressive!r} is not 1-5 letters or digits")])
    return f"{sender.country}{sender.code}_{progressive}.xml"


__all__ = ["NS", "fatturapa_tree", "fatturapa_xml", "format_decimal", "plain_text", "sdi_file_name"]
