"""Write one FatturaPA 1.2.3 document as the SdI e-invoice XML, checked before it exists.

:func:`fatturapa_xml` runs the SdI checks (``tui_billing.domain.fatturapa_checks``), writes
the XML text (escaped, line by line: several times faster than building lxml elements one
by one), parses it back with lxml, validates it against the official schema, and only then
returns the bytes; a document that fails raises ``InvalidEInvoice`` naming the document
and the rule.
The root is ``p:FatturaElettronica`` with ``versione`` FPR12 or FPA12 and the namespaces of
the Agenzia delle Entrate's examples; its children are unqualified, as the schema wants.
Amounts are written as held, with at least 2 decimals and never in exponent form: the
schema refuses an amount with more than 2 decimals (8 for unit prices and quantities).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from lxml import etree

from tui_billing.domain.fatturapa import (
    Address,
    Buyer,
    FatturaPA,
    FiscalId,
    RelatedDocument,
    Seller,
)
from tui_billing.domain.fatturapa_checks import (
    PROGRESSIVE,
    InvalidEInvoice,
    RuleViolation,
    check_sdi_rules,
)
from tui_billing.domain.i18n import _
from tui_billing.output.fatturapa_schema import fatturapa_schema

NS = "http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2"
NS_DS = "http://www.w3.org/2000/09/xmldsig#"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    f"{NS} http://www.fatturapa.gov.it/export/fatturazione/sdi/fatturapa/v1.2/"
    "Schema_del_file_xml_FatturaPA_versione_1.2.xsd"
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Typographic characters outside Latin-1, which the schema's text types refuse, written as
# their plain equivalents; anything else outside Latin-1 is left for the schema to refuse.
_PLAIN_TEXT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u20ac": "EUR",
        "\u00a0": " ",
    }
)


def format_decimal(value: Decimal, places: int = 2) -> str:
    """``value`` exactly, with at least ``places`` decimals and no trailing zeros beyond
    them, never in exponent form: 228 -> "228.00", 38.12345600 -> "38.123456"."""
    if value == 0:
        value = Decimal(0)
    elif value.as_tuple().exponent == -places:  # already as written: 228.00
        return str(value)
    step = Decimal(1).scaleb(-places)
    normalized = value.normalize()
    if normalized.as_tuple().exponent > -places:  # type: ignore[operator]
        normalized = normalized.quantize(step)
    return format(normalized, "f")


def plain_text(value: str) -> str:
    """``value`` with typographic quotes, dashes, ellipsis and euro sign as plain Latin-1."""
    return value.translate(_PLAIN_TEXT)


class _Writer:
    """XML text built line by line, indented as the Agenzia's examples are; text escaped."""

    __slots__ = ("parts", "indent")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.indent = ""

    def open(self, tag: str) -> None:
        self.parts.append(f"{self.indent}<{tag}>\n")
        self.indent += "  "

    def close(self, tag: str) -> None:
        self.indent = self.indent[:-2]
        self.parts.append(f"{self.indent}</{tag}>\n")

    def leaf(self, tag: str, text: str) -> None:
        if "&" in text or "<" in text or ">" in text or "\r" in text:
            text = (
                text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\r", "&#13;")
            )
        self.parts.append(f"{self.indent}<{tag}>{text}</{tag}>\n")

    def text(self, tag: str, text: str | None) -> None:
        """An optional free-text element: written when given, typography made plain."""
        if text:
            self.leaf(tag, text.translate(_PLAIN_TEXT))

    def code(self, tag: str, text: str | None) -> None:
        """An optional code element: written when given, as it is."""
        if text:
            self.leaf(tag, text)

    def amount(self, tag: str, value: Decimal | None) -> None:
        if value is not None:
            self.leaf(tag, format_decimal(value))

    def day(self, tag: str, value: date | None) -> None:
        if value is not None:
            self.leaf(tag, value.isoformat())


def _fiscal_id(out: _Writer, tag: str, fiscal_id: FiscalId) -> None:
    out.open(tag)
    out.leaf("IdPaese", fiscal_id.country)
    out.leaf("IdCodice", fiscal_id.code)
    out.close(tag)


def _anagrafica(out: _Writer, name: str | None, first: str | None, last: str | None) -> None:
    out.open("Anagrafica")
    if name:
        out.text("Denominazione", name)
    else:
        out.text("Nome", first)
        out.text("Cognome", last)
    out.close("Anagrafica")


def _address(out: _Writer, address: Address) -> None:
    out.open("Sede")
    out.leaf("Indirizzo", plain_text(address.street))
    out.code("NumeroCivico", address.number)
    out.leaf("CAP", address.postcode)
    out.leaf("Comune", plain_text(address.city))
    out.code("Provincia", address.province)
    out.leaf("Nazione", address.country)
    out.close("Sede")


def _header(out: _Writer, doc: FatturaPA) -> None:
    out.open("FatturaElettronicaHeader")
    transmission = doc.transmission
    out.open("DatiTrasmissione")
    _fiscal_id(out, "IdTrasmittente", transmission.sender_id)
    out.leaf("ProgressivoInvio", transmission.progressive)
    out.leaf("FormatoTrasmissione", transmission.format)
    out.leaf("CodiceDestinatario", transmission.recipient_code)
    out.code("PECDestinatario", transmission.recipient_pec)
    out.close("DatiTrasmissione")

    out.parts.append(_seller_text(doc.seller, out.indent))
    out.parts.append(_buyer_text(doc.buyer, out.indent))
    out.close("FatturaElettronicaHeader")


@lru_cache(maxsize=4096)
def _seller_text(seller: Seller, indent: str) -> str:
    """CedentePrestatore as text, made once per seller (every document of a company has
    the same one)."""
    out = _Writer()
    out.indent = indent
    out.open("CedentePrestatore")
    out.open("DatiAnagrafici")
    _fiscal_id(out, "IdFiscaleIVA", seller.vat_id)
    out.code("CodiceFiscale", seller.tax_code)
    _anagrafica(out, seller.name, seller.first_name, seller.last_name)
    out.leaf("RegimeFiscale", seller.tax_regime)
    out.close("DatiAnagrafici")
    _address(out, seller.address)
    rea = seller.rea
    if rea is not None:
        out.open("IscrizioneREA")
        out.leaf("Ufficio", rea.office)
        out.leaf("NumeroREA", rea.number)
        out.amount("CapitaleSociale", rea.capital)
        out.code("SocioUnico", rea.sole_shareholder)
        out.leaf("StatoLiquidazione", rea.liquidation)
        out.close("IscrizioneREA")
    contacts = seller.contacts
    if contacts is not None and (contacts.phone or contacts.fax or contacts.email):
        out.open("Contatti")
        out.code("Telefono", contacts.phone)
        out.code("Fax", contacts.fax)
        out.code("Email", contacts.email)
        out.close("Contatti")
    out.close("CedentePrestatore")
    return "".join(out.parts)


@lru_cache(maxsize=4096)
def _buyer_text(buyer: Buyer, indent: str) -> str:
    """CessionarioCommittente as text, made once per buyer."""
    out = _Writer()
    out.indent = indent
    out.open("CessionarioCommittente")
    out.open("DatiAnagrafici")
    if buyer.vat_id is not None:
        _fiscal_id(out, "IdFiscaleIVA", buyer.vat_id)
    out.code("CodiceFiscale", buyer.tax_code)
    _anagrafica(out, buyer.name, buyer.first_name, buyer.last_name)
    out.close("DatiAnagrafici")
    _address(out, buyer.address)
    out.close("CessionarioCommittente")
    return "".join(out.parts)


def _related(out: _Writer, tag: str, related: RelatedDocument) -> None:
    out.open(tag)
    for number in related.line_numbers:
        out.leaf("RiferimentoNumeroLinea", str(number))
    out.leaf("IdDocumento", plain_text(related.document_id))
    out.day("Data", related.document_date)
    out.text("NumItem", related.item)
    out.code("CodiceCUP", related.cup)
    out.code("CodiceCIG", related.cig)
    out.close(tag)


def _general(out: _Writer, doc: FatturaPA) -> None:
    out.open("DatiGenerali")
    out.open("DatiGeneraliDocumento")
    out.leaf("TipoDocumento", doc.document_type)
    out.leaf("Divisa", doc.currency)
    out.leaf("Data", doc.issue_date.isoformat())
    out.leaf("Numero", doc.number)
    for withholding in doc.withholdings:
        out.open("DatiRitenuta")
        out.leaf("TipoRitenuta", withholding.kind)
        out.amount("ImportoRitenuta", withholding.amount)
        out.amount("AliquotaRitenuta", withholding.rate)
        out.leaf("CausalePagamento", withholding.payment_reason)
        out.close("DatiRitenuta")
    if doc.stamp_duty is not None:
        out.open("DatiBollo")
        out.leaf("BolloVirtuale", "SI")
        out.amount("ImportoBollo", doc.stamp_duty.amount)
        out.close("DatiBollo")
    for fund in doc.social_security:
        out.open("DatiCassaPrevidenziale")
        out.leaf("TipoCassa", fund.fund)
        out.amount("AlCassa", fund.rate)
        out.amount("ImportoContributoCassa", fund.amount)
        out.amount("ImponibileCassa", fund.taxable_base)
        out.amount("AliquotaIVA", fund.vat_rate)
        if fund.withholding:
            out.leaf("Ritenuta", "SI")
        out.code("Natura", fund.nature)
        out.text("RiferimentoAmministrazione", fund.admin_ref)
        out.close("DatiCassaPrevidenziale")
    out.amount("ImportoTotaleDocumento", doc.total)
    for reason in doc.reasons:
        out.leaf("Causale", plain_text(reason))
    out.close("DatiGeneraliDocumento")
    for related in doc.purchase_orders:
        _related(out, "DatiOrdineAcquisto", related)
    for related in doc.contracts:
        _related(out, "DatiContratto", related)
    for related in doc.linked_invoices:
        _related(out, "DatiFattureCollegate", related)
    out.close("DatiGenerali")


def _goods_and_services(out: _Writer, doc: FatturaPA) -> None:
    out.open("DatiBeniServizi")
    for line in doc.lines:
        out.open("DettaglioLinee")
        out.leaf("NumeroLinea", str(line.number))
        out.leaf("Descrizione", plain_text(line.description))
        out.amount("Quantita", line.quantity)
        out.text("UnitaMisura", line.unit)
        out.day("DataInizioPeriodo", line.period_start)
        out.day("DataFinePeriodo", line.period_end)
        out.amount("PrezzoUnitario", line.unit_price)
        out.amount("PrezzoTotale", line.total)
        out.amount("AliquotaIVA", line.vat_rate)
        if line.withholding:
            out.leaf("Ritenuta", "SI")
        out.code("Natura", line.nature)
        out.text("RiferimentoAmministrazione", line.admin_ref)
        out.close("DettaglioLinee")
    for summary in doc.summaries:
        out.open("DatiRiepilogo")
        out.amount("AliquotaIVA", summary.vat_rate)
        out.code("Natura", summary.nature)
        out.amount("Arrotondamento", summary.rounding)
        out.amount("ImponibileImporto", summary.taxable)
        out.amount("Imposta", summary.tax)
        out.code("EsigibilitaIVA", summary.collectability)
        out.text("RiferimentoNormativo", summary.legal_reference)
        out.close("DatiRiepilogo")
    out.close("DatiBeniServizi")


def _payments(out: _Writer, doc: FatturaPA) -> None:
    for payment in doc.payments:
        out.open("DatiPagamento")
        out.leaf("CondizioniPagamento", payment.terms)
        for detail in payment.details:
            out.open("DettaglioPagamento")
            out.text("Beneficiario", detail.beneficiary)
            out.leaf("ModalitaPagamento", detail.method)
            out.day("DataScadenzaPagamento", detail.due_date)
            out.amount("ImportoPagamento", detail.amount)
            out.text("IstitutoFinanziario", detail.bank)
            out.code("IBAN", detail.iban)
            out.close("DettaglioPagamento")
        out.close("DatiPagamento")


def fatturapa_text(doc: FatturaPA) -> bytes:
    """The XML of ``doc`` as UTF-8 bytes, unchecked: the declaration, the root with its
    namespaces and ``versione``, then the header and the one body."""
    out = _Writer()
    out.parts.append(XML_DECLARATION)
    out.parts.append(
        f'<p:FatturaElettronica xmlns:ds="{NS_DS}" xmlns:p="{NS}" xmlns:xsi="{NS_XSI}"'
        f' versione="{_attribute(doc.transmission.format)}"'
        f' xsi:schemaLocation="{SCHEMA_LOCATION}">\n'
    )
    out.indent = "  "
    _header(out, doc)
    out.open("FatturaElettronicaBody")
    _general(out, doc)
    _goods_and_services(out, doc)
    _payments(out, doc)
    out.close("FatturaElettronicaBody")
    out.parts.append("</p:FatturaElettronica>\n")
    return "".join(out.parts).encode("utf-8")


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _parser() -> etree.XMLParser:
    """A fresh parser (lxml parsers are not shared between threads): no network, no DTD."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def fatturapa_tree(doc: FatturaPA) -> etree._Element:
    """The parsed XML of ``doc``, unchecked (XMLSyntaxError for text XML cannot hold)."""
    return etree.fromstring(fatturapa_text(doc), _parser())


def fatturapa_xml(doc: FatturaPA, today: date) -> bytes:
    """The e-invoice XML of ``doc``: SdI checks, then the schema, then the bytes (UTF-8,
    with XML declaration). Raises InvalidEInvoice naming the document and the rule."""
    check_sdi_rules(doc, today)
    data = fatturapa_text(doc)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:  # control characters, NUL bytes: not XML text
        raise InvalidEInvoice(doc.number, [RuleViolation("XML", "text", error.msg)]) from None
    schema = fatturapa_schema()
    if not schema.validate(root):
        raise InvalidEInvoice(
            doc.number,
            [
                RuleViolation(
                    "XSD", error.path or _("line {line}").format(line=error.line), error.message
                )
                for error in schema.error_log
            ],
        )
    return data


def sdi_file_name(doc: FatturaPA) -> str:
    """The SdI file name ``IT01234567890_00001.xml``: the sender's country and VAT number
    (or codice fiscale), an underscore, the progressive of 1-5 letters or digits."""
    sender = doc.transmission.sender_id
    progressive = doc.transmission.progressive
    if not PROGRESSIVE.fullmatch(progressive):
        raise InvalidEInvoice(
            doc.number,
            [
                RuleViolation(
                    "00002",
                    "ProgressivoInvio",
                    _("{value} is not 1-5 letters or digits").format(value=repr(progressive)),
                )
            ],
        )
    return f"{sender.country}{sender.code}_{progressive}.xml"


__all__ = [
    "NS",
    "fatturapa_text",
    "fatturapa_tree",
    "fatturapa_xml",
    "format_decimal",
    "plain_text",
    "sdi_file_name",
]
