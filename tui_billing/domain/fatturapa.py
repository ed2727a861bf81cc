"""One FatturaPA 1.2.3 document as plain typed values: what the SdI e-invoice XML holds.

Each class is one block of the format; the comment after each field names its XML element
(``DatiGeneraliDocumento/Numero``). Amounts are ``Decimal`` (2 decimals; unit prices and
quantities up to 8), dates are ``date``. Nothing here reads or writes anything: the writer
is ``tui_billing.output.fatturapa_xml``, the SdI checks ``tui_billing.domain.fatturapa_checks``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

FPR12 = "FPR12"  # FormatoTrasmissione: businesses and consumers
FPA12 = "FPA12"  # FormatoTrasmissione: public administrations

TD01 = "TD01"  # fattura
TD02 = "TD02"  # acconto/anticipo su fattura (down payment)
TD04 = "TD04"  # nota di credito
TD06 = "TD06"  # parcella (professional's fee note)

NO_CODE = "0000000"  # CodiceDestinatario: delivery by PEC, or to the buyer's tax drawer
FOREIGN_CODE = "XXXXXXX"  # CodiceDestinatario of a foreign buyer


@dataclass(frozen=True, slots=True)
class FiscalId:
    """IdFiscaleIVA / IdTrasmittente: a country and a code."""

    country: str  # IdPaese: ISO 3166-1 alpha-2, "IT"
    code: str  # IdCodice: VAT number (or codice fiscale for IdTrasmittente)


@dataclass(frozen=True, slots=True)
class Address:
    """Sede: where a party is established."""

    street: str  # Indirizzo
    postcode: str  # CAP: 5 digits ("00000" abroad)
    city: str  # Comune
    country: str = "IT"  # Nazione
    number: str | None = None  # NumeroCivico
    province: str | None = None  # Provincia: two letters, Italy only


@dataclass(frozen=True, slots=True)
class ReaRegistration:
    """IscrizioneREA: the seller's entry in the companies' register."""

    office: str  # Ufficio: province of the chamber of commerce, "MI"
    number: str  # NumeroREA
    liquidation: str = "LN"  # StatoLiquidazione: LN not in liquidation, LS in liquidation
    capital: Decimal | None = None  # CapitaleSociale
    sole_shareholder: str | None = None  # SocioUnico: SU one shareholder, SM more


@dataclass(frozen=True, slots=True)
class Contacts:
    """Contatti of the seller."""

    phone: str | None = None  # Telefono
    fax: str | None = None  # Fax
    email: str | None = None  # Email


@dataclass(frozen=True, slots=True)
class Seller:
    """CedentePrestatore."""

    vat_id: FiscalId  # DatiAnagrafici/IdFiscaleIVA
    tax_regime: str  # DatiAnagrafici/RegimeFiscale: RF01 ordinary ... RF19 flat-rate
    address: Address  # Sede
    name: str | None = None  # Anagrafica/Denominazione (a company)
    first_name: str | None = None  # Anagrafica/Nome (a person, with last_name)
    last_name: str | None = None  # Anagrafica/Cognome
    tax_code: str | None = None  # DatiAnagrafici/CodiceFiscale
    rea: ReaRegistration | None = None  # IscrizioneREA
    contacts: Contacts | None = None  # Contatti


@dataclass(frozen=True, slots=True)
class Buyer:
    """CessionarioCommittente: a VAT number and/or a codice fiscale (check 00417)."""

    address: Address  # Sede
    vat_id: FiscalId | None = None  # DatiAnagrafici/IdFiscaleIVA
    tax_code: str | None = None  # DatiAnagrafici/CodiceFiscale
    name: str | None = None  # Anagrafica/Denominazione
    first_name: str | None = None  # Anagrafica/Nome
    last_name: str | None = None  # Anagrafica/Cognome

    @property
    def display_name(self) -> str:
        """Denominazione, or "Nome Cognome"."""
        return self.name or f"{self.first_name or ''} {self.last_name or ''}".strip()


@dataclass(frozen=True, slots=True)
class Transmission:
    """DatiTrasmissione."""

    sender_id: FiscalId  # IdTrasmittente: who sends the file (the seller itself here)
    progressive: str  # ProgressivoInvio: 1-5 letters or digits, never reused by a sender
    format: str  # FormatoTrasmissione: FPR12 or FPA12 (also the root's versione)
    recipient_code: str  # CodiceDestinatario: 7 characters (FPR12), 6 (FPA12 office code)
    recipient_pec: str | None = None  # PECDestinatario, with CodiceDestinatario 0000000


@dataclass(frozen=True, slots=True)
class Withholding:
    """DatiRitenuta: ritenuta d'acconto withheld by the buyer."""

    kind: str  # TipoRitenuta: RT01 natural persons, RT02 legal persons
    amount: Decimal  # ImportoRitenuta
    rate: Decimal  # AliquotaRitenuta: 20.00
    payment_reason: str = "A"  # CausalePagamento (model 770): A professional services


@dataclass(frozen=True, slots=True)
class StampDuty:
    """DatiBollo: imposta di bollo paid virtually (DPR 642/1972)."""

    amount: Decimal = Decimal("2.00")  # ImportoBollo; BolloVirtuale is always SI


@dataclass(frozen=True, slots=True)
class SocialSecurity:
    """DatiCassaPrevidenziale: a professional's social-security contribution (rivalsa)."""

    fund: str  # TipoCassa: TC22 INPS, TC01 lawyers, ...
    rate: Decimal  # AlCassa: 4.00
    amount: Decimal  # ImportoContributoCassa
    vat_rate: Decimal  # AliquotaIVA of the contribution
    taxable_base: Decimal | None = None  # ImponibileCassa
    withholding: bool = False  # Ritenuta SI: the contribution is subject to ritenuta
    nature: str | None = None  # Natura, when vat_rate is 0
    admin_ref: str | None = None  # RiferimentoAmministrazione


@dataclass(frozen=True, slots=True)
class RelatedDocument:
    """DatiOrdineAcquisto, DatiContratto or DatiFattureCollegate: a referenced document."""

    document_id: str  # IdDocumento: order, contract or invoice number
    document_date: date | None = None  # Data
    line_numbers: tuple[int, ...] = ()  # RiferimentoNumeroLinea: lines it concerns (all: ())
    item: str | None = None  # NumItem
    cup: str | None = None  # CodiceCUP: public investment project code
    cig: str | None = None  # CodiceCIG: tender code (tracciabilita, L. 136/2010)


@dataclass(frozen=True, slots=True)
class Line:
    """DettaglioLinee: one line of goods or services."""

    number: int  # NumeroLinea: 1, 2, ...
    description: str  # Descrizione
    unit_price: Decimal  # PrezzoUnitario: up to 8 decimals
    total: Decimal  # PrezzoTotale: quantity x unit price, to the cent
    vat_rate: Decimal  # AliquotaIVA: 22.00; 0.00 with a nature
    quantity: Decimal | None = None  # Quantita: up to 8 decimals (None: 1)
    unit: str | None = None  # UnitaMisura
    period_start: date | None = None  # DataInizioPeriodo
    period_end: date | None = None  # DataFinePeriodo
    nature: str | None = None  # Natura: N1 ... N7, only on 0% lines
    withholding: bool = False  # Ritenuta SI: the line is subject to ritenuta
    admin_ref: str | None = None  # RiferimentoAmministrazione: the buyer's cost centre


@dataclass(frozen=True, slots=True)
class VatSummary:
    """DatiRiepilogo: the taxable amount and VAT of one rate (and nature)."""

    vat_rate: Decimal  # AliquotaIVA
    taxable: Decimal  # ImponibileImporto
    tax: Decimal  # Imposta
    nature: str | None = None  # Natura
    collectability: str | None = None  # EsigibilitaIVA: I immediate, D deferred, S split payment
    legal_reference: str | None = None  # RiferimentoNormativo: the law behind a nature
    rounding: Decimal | None = None  # Arrotondamento


@dataclass(frozen=True, slots=True)
class PaymentDetail:
    """DettaglioPagamento: one installment of the payment."""

    method: str  # ModalitaPagamento: MP05 bank transfer, MP19 SEPA direct debit, MP12 RiBa
    amount: Decimal  # ImportoPagamento (net of VAT under split payment)
    due_date: date | None = None  # DataScadenzaPagamento
    iban: str | None = None  # IBAN
    beneficiary: str | None = None  # Beneficiario
    bank: str | None = None  # IstitutoFinanziario


@dataclass(frozen=True, slots=True)
class Payment:
    """DatiPagamento: TP01 in installments, TP02 in full, TP03 advance."""

    terms: str  # CondizioniPagamento
    details: tuple[PaymentDetail, ...]  # DettaglioPagamento


@dataclass(frozen=True, slots=True)
class FatturaPA:
    """One FatturaPA file holding one document (one FatturaElettronicaBody)."""

    transmission: Transmission  # FatturaElettronicaHeader/DatiTrasmissione
    seller: Seller  # CedentePrestatore
    buyer: Buyer  # CessionarioCommittente
    document_type: str  # DatiGeneraliDocumento/TipoDocumento: TD01, TD02, TD04, TD06
    issue_date: date  # Data
    number: str  # Numero
    lines: tuple[Line, ...]  # DatiBeniServizi/DettaglioLinee
    summaries: tuple[VatSummary, ...]  # DatiBeniServizi/DatiRiepilogo
    currency: str = "EUR"  # Divisa
    total: Decimal | None = None  # ImportoTotaleDocumento: taxable + VAT (+ bollo charged)
    withholdings: tuple[Withholding, ...] = ()  # DatiRitenuta
    stamp_duty: StampDuty | None = None  # DatiBollo
    social_security: tuple[SocialSecurity, ...] = ()  # DatiCassaPrevidenziale
    reasons: tuple[str, ...] = ()  # Causale: each up to 200 characters
    purchase_orders: tuple[RelatedDocument, ...] = ()  # DatiGenerali/DatiOrdineAcquisto
    contracts: tuple[RelatedDocument, ...] = ()  # DatiGenerali/DatiContratto
    linked_invoices: tuple[RelatedDocument, ...] = ()  # DatiGenerali/DatiFattureCollegate
    payments: tuple[Payment, ...] = field(default=())  # DatiPagamento


__all__ = [
    "FOREIGN_CODE",
    "FPA12",
    "FPR12",
    "NO_CODE",
    "TD01",
    "TD02",
    "TD04",
    "TD06",
    "Address",
    "Buyer",
    "Contacts",
    "FatturaPA",
    "FiscalId",
    "Line",
    "Payment",
    "PaymentDetail",
    "ReaRegistration",
    "RelatedDocument",
    "Seller",
    "SocialSecurity",
    "StampDuty",
    "Transmission",
    "VatSummary",
    "Withholding",
]
