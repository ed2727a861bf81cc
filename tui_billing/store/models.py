"""The data model: every table of tui-billing, as peewee models bound to one database proxy."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Self

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from tui_billing.store.fields import (
    MoneyField,
    NeverReusedAutoField,
    PriceField,
    RateField,
    ScaledDecimalField,
    UnitPriceField,
)

if TYPE_CHECKING:
    from peewee import SchemaManager

    from tui_billing.store.typed import TypedDelete, TypedSelect, TypedUpdate

database_proxy = DatabaseProxy()


def utc_now() -> dt.datetime:
    """Timestamps as stored: UTC, whole seconds, naive."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(Model):
    # For the type checker, what peewee adds at run time: the ``id`` primary key, and beside
    # every foreign key ``x`` the ``x_id`` holding its stored key (declared in each model).
    id: AutoField[int]

    if TYPE_CHECKING:  # what peewee's stubs leave loose (see store.typed)

        @classmethod
        def select(cls, *fields: Any) -> TypedSelect[Self]: ...
        @classmethod
        def update(cls, data: Any = None, /, **update: Any) -> TypedUpdate: ...
        @classmethod
        def delete(cls) -> TypedDelete: ...

        _schema: ClassVar[SchemaManager]  # creates and drops the table and its indexes

    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    """One row per applied migration; the highest version is the schema's."""

    version = IntegerField(primary_key=True)
    description = CharField()
    applied_at = DateTimeField(default=utc_now)


class Setting(BaseModel):
    """Free key/value settings kept in the database (shared by every operator)."""

    key = CharField(primary_key=True)
    value = TextField()


class Series(BaseModel):
    """A numbering series ("sezionale"): its numbers are progressive per year, gapless.

    ``format`` writes its fiscal numbers (invoices, credit notes); pro-formas and order
    documents are numbered apart, in formats of their own (None: the default, PF-/ORD-)."""

    code = CharField(unique=True)
    description = CharField(default="")
    format = CharField(default="{series}/{year}/{seq:04d}")
    proforma_format = CharField(null=True)
    order_format = CharField(null=True)


class SeriesCounter(BaseModel):
    """The last number issued in a series, year and numbering class (fiscal, proforma,
    order); locked while a document is issued."""

    series = ForeignKeyField(Series, on_delete="CASCADE")
    series_id: IntegerField[int]
    year = IntegerField()
    numbering = CharField(default="fiscal", constraints=[SQL("DEFAULT 'fiscal'")])
    last_seq = IntegerField(default=0)

    class Meta:
        indexes = ((("series", "year", "numbering"), True),)


class Customer(BaseModel):
    code = CharField(unique=True)
    name = CharField()
    vat_number = CharField(null=True)
    tax_code = CharField(null=True)
    email = CharField(null=True)
    payment_terms_days = IntegerField(default=30)
    iban = CharField(null=True)
    payment_method = CharField(default="bank_transfer")
    collective_billing = BooleanField(default=False)
    language = CharField(default="it")
    # --- Fiscal party (FatturaPA CessionarioCommittente); see domain.parties -------------
    street = CharField(null=True)
    postal_code = CharField(null=True)
    city = CharField(null=True)
    province = CharField(null=True)
    # SQL defaults too: rows written by plain SQL (bulk loads) get them as well.
    country = CharField(default="IT", constraints=[SQL("DEFAULT 'IT'")])
    vat_country = CharField(null=True)
    sdi_code = CharField(null=True)
    pec = CharField(null=True)
    public_administration = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    split_payment = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    # --- end of the fiscal party --------------------------------------------------------
    # A withholding agent (sostituto d'imposta, art. 23 DPR 600/73) withholds a professional
    # seller's ritenuta: a business or public body yes, a private consumer no.
    withholding_agent = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    # An archived customer is kept (its documents need it) but hidden from the lists, and
    # takes no new contracts or orders.
    archived = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    # --------------------------------------------------------


class Article(BaseModel):
    code = CharField(unique=True)
    name = CharField()
    description = TextField(null=True)
    category = CharField(null=True)
    unit = CharField(null=True)
    price = PriceField(default=0)
    purchase_price = PriceField(null=True)
    vat_rate = RateField(default=22)
    kind = CharField(default="service")
    recurring = BooleanField(default=False)
    vat_nature = CharField(null=True)  # N4...: why a 0% article carries no VAT


class Contract(BaseModel):
    code = CharField(unique=True)
    customer = ForeignKeyField(Customer, null=True, on_delete="RESTRICT")
    customer_id: IntegerField[int | None]
    status = CharField(default="draft", index=True)
    description = CharField(null=True)
    start_date = DateField(null=True)
    end_date = DateField(null=True)
    frequency = CharField(null=True)  # a name, or JSON {"every": N, "unit": U}
    alignment = CharField(default="start")
    year_end_cut = BooleanField(default=False)
    timing = CharField(default="advance")
    invoice_offset_days = IntegerField(default=0)
    prorate = BooleanField(default=True)
    line_display = CharField(default="single")
    one_off_with_first = BooleanField(default=False)
    document_type = CharField(default="invoice")
    series = CharField(default="A")
    language = CharField(null=True)
    payment_method = CharField(null=True)
    iban = CharField(null=True)
    cost_centre = CharField(null=True)
    # Late payment (E2): interest rule none/fixed/legal, fixed annual rate, grace days, fee.
    late_interest = CharField(null=True)
    late_interest_rate = RateField(null=True)
    late_grace_days = IntegerField(null=True)
    late_fee = MoneyField(null=True)
    # The installment plan ("ricorrenza fatturazione"): a fixed amount per installment in
    # place of the recurring lines' prices, and a number of installments; None when unset.
    installment_amount = MoneyField(null=True)
    installment_count = IntegerField(null=True)
    # A public administration's contract: its CIG and CUP go on every e-invoice.
    cig = CharField(null=True)
    cup = CharField(null=True)
    # Returned collections: the company's own fee per returned item, when this contract's
    # differs from the configured one; and why its invoices are not to be collected
    # automatically (set after returns in a row), None while they are.
    returned_item_fee = MoneyField(null=True)
    collection_hold = TextField(null=True)
    # Its life (domain.lifecycle): duration and renewal written like frequencies, renewal
    # none (null) / tacit / manual, days of notice, the price change at renewal (JSON), and
    # a cancellation: when the notice came, why, and the last day it bills.
    duration = CharField(null=True)
    renewal = CharField(null=True)
    renewal_duration = CharField(null=True)
    notice_days = IntegerField(null=True)
    renewal_price = TextField(null=True)
    cancel_notice_date = DateField(null=True)
    cancel_reason = CharField(null=True)
    cancel_end = DateField(null=True)
    # Bumped on every edit of the contract or its lines: materialization recomputes then.
    revision = IntegerField(default=1)
    materialized_revision = IntegerField(default=0)
    materialized_until = DateField(null=True)

    class Meta:
        # The stale-contract check of materializing: active contracts behind a date.
        indexes = ((("status", "materialized_until"), False),)


class ContractTerm(BaseModel):
    """A renewal of a contract: term ``number`` (2 and on; term 1 is from its start) from
    ``start_date`` to ``end_date``, the price change applied and who or what renewed it."""

    contract = ForeignKeyField(Contract, backref="terms", on_delete="CASCADE")
    contract_id: IntegerField[int]
    number = IntegerField()
    start_date = DateField()
    end_date = DateField()
    price_change = CharField(null=True)
    renewed_by = CharField()
    renewed_at = DateTimeField(default=utc_now)

    class Meta:
        indexes = ((("contract", "number"), True),)


class ContractLine(BaseModel):
    # A line's id is its key in the billing engine: invoiced installments keep it after the
    # line is removed, and a new line given it again would inherit the days it invoiced.
    id = NeverReusedAutoField()
    contract = ForeignKeyField(Contract, backref="lines", on_delete="CASCADE")
    contract_id: IntegerField[int]
    position = IntegerField(default=0)
    article = ForeignKeyField(Article, null=True, on_delete="RESTRICT")
    article_id: IntegerField[int | None]
    description = TextField(default="")
    quantity = PriceField(default=1)
    unit_price = PriceField(default=0)
    price_period = CharField(null=True)
    recurring = BooleanField(default=True)
    valid_from = DateField(null=True)
    valid_to = DateField(null=True)
    vat_rate = RateField(default=22)
    vat_nature = CharField(null=True)  # N4...: required on a 0% line, refused with VAT
    frequency = CharField(null=True)
    # Index, step-ups, revenue share, advance and balancing: canonical JSON, null for most.
    economics = TextField(null=True)


class BillingRun(BaseModel):
    """One billing run (cron, CLI or TUI) with its outcome; its log is BillingRunLog."""

    run_date = DateField()
    started_at = DateTimeField(default=utc_now)
    finished_at = DateTimeField(null=True)
    dry_run = BooleanField(default=False)
    status = CharField(default="running")  # running, done, failed, cancelled, interrupted
    origin = CharField(default="cli")
    invoices_created = IntegerField(default=0)
    installments_billed = IntegerField(default=0)
    emailed = IntegerField(default=0)
    failed = IntegerField(default=0)


class BillingRunLog(BaseModel):
    run = ForeignKeyField(BillingRun, backref="log", on_delete="CASCADE")
    run_id: IntegerField[int]
    at = DateTimeField(default=utc_now)
    level = CharField(default="info")
    contract = CharField(null=True)
    message = TextField()


class Order(BaseModel):
    code = CharField(unique=True)
    customer = ForeignKeyField(Customer, on_delete="RESTRICT")
    customer_id: IntegerField[int]
    date = DateField()
    status = CharField(default="draft", index=True)
    description = CharField(null=True)
    series = CharField(default="A")


class OrderLine(BaseModel):
    order = ForeignKeyField(Order, backref="lines", on_delete="CASCADE")
    order_id: IntegerField[int]
    position = IntegerField(default=0)
    article = ForeignKeyField(Article, null=True, on_delete="RESTRICT")
    article_id: IntegerField[int | None]
    description = TextField(default="")
    quantity = PriceField(default=1)
    unit_price = PriceField(default=0)
    vat_rate = RateField(default=22)
    vat_nature = CharField(null=True)
    locked = BooleanField(default=False)


class Company(BaseModel):
    """The seller (cedente/prestatore), one row shared by every operator; see
    domain.parties for the fields and what issuing needs of them."""

    name = CharField(null=True)
    street = CharField(null=True)
    postal_code = CharField(null=True)
    city = CharField(null=True)
    province = CharField(null=True)
    country = CharField(default="IT")
    vat_country = CharField(null=True)
    vat_number = CharField(null=True)
    tax_code = CharField(null=True)
    tax_regime = CharField(default="RF01")
    rea_office = CharField(null=True)
    rea_number = CharField(null=True)
    share_capital = MoneyField(null=True)
    sole_shareholder = CharField(null=True)
    liquidation = CharField(default="LN")
    iban = CharField(null=True)
    phone = CharField(null=True)
    email = CharField(null=True)
    pec = CharField(null=True)
    # Imposta di bollo: charged to the customer as its own line (N1), else borne.
    stamp_duty_charged = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    # Collecting: the SEPA creditor identifier (AT-02), the BIC of the company's bank and
    # the SIA code of its Ri.Ba. flows.
    creditor_id = CharField(null=True)
    bic = CharField(null=True)
    sia_code = CharField(null=True)
    # A professional seller (domain.professional): ritenuta d'acconto (kind RT01/RT02, None
    # without), its rate and base (percent of the fees) and CausalePagamento; the
    # contribution's cassa (TipoCassa, None without), rate and whether it is withheld on.
    withholding_kind = CharField(null=True)
    withholding_rate = RateField(null=True)
    withholding_base = RateField(null=True)
    withholding_reason = CharField(null=True)
    contribution_fund = CharField(null=True)
    contribution_rate = RateField(null=True)
    contribution_withheld = BooleanField(default=False, constraints=[SQL("DEFAULT false")])


class PartySnapshot(BaseModel):
    """A party's data as an issued document keeps it (canonical JSON), stored once per
    distinct content: many invoices of one customer share one row."""

    digest = CharField(unique=True)
    data = TextField()


class Invoice(BaseModel):
    """A document: invoice, pro-forma or order; numbered only when issued."""

    series = CharField(default="A")
    year = IntegerField(null=True)
    seq = IntegerField(null=True)  # within its series, year and numbering class
    number = CharField(null=True, unique=True)
    numbering = CharField(null=True)  # class of the number: fiscal, proforma, order
    status = CharField(default="draft", index=True)  # draft, issued, open_item, posted
    document_type = CharField(default="invoice")
    kind = CharField(default="regular")  # regular, partial, down_payment, installment, final
    date = DateField(index=True)
    due_date = DateField(null=True)
    customer = ForeignKeyField(Customer, on_delete="RESTRICT")
    customer_id: IntegerField[int]
    order = ForeignKeyField(Order, null=True, backref="invoices", on_delete="RESTRICT")
    order_id: IntegerField[int | None]
    language = CharField(default="it")
    payment_method = CharField(null=True)
    iban = CharField(null=True)
    taxable = MoneyField(default=0)
    vat = MoneyField(default=0)
    total = MoneyField(default=0)
    notes = TextField(null=True)
    billing_run = ForeignKeyField(BillingRun, null=True, on_delete="SET NULL")
    billing_run_id: IntegerField[int | None]
    created_at = DateTimeField(default=utc_now)
    issued_at = DateTimeField(null=True)
    # A credit note that corrects an issued invoice (art. 26 DPR 633/72): that invoice.
    corrects: ForeignKeyField[Invoice | None] = ForeignKeyField(
        "self", null=True, backref="credit_notes", on_delete="RESTRICT", index=False
    )
    corrects_id: IntegerField[int | None]
    # The seller and the buyer as they were when it was issued (None: a draft).
    seller_snapshot = ForeignKeyField(PartySnapshot, null=True, on_delete="RESTRICT", index=False)
    seller_snapshot_id: IntegerField[int | None]
    buyer_snapshot = ForeignKeyField(PartySnapshot, null=True, on_delete="RESTRICT", index=False)
    buyer_snapshot_id: IntegerField[int | None]
    # VAT rules fixed at issue: the imposta di bollo (2.00, None without) and split payment
    # (art. 17-ter: the customer pays the total less VAT).
    stamp_duty = MoneyField(null=True)
    split_payment = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    # A professional seller's figures, fixed at issue (None: not charged): the contribution
    # (cassa, rate, base, amount, its VAT rate or nature, whether withheld on), the
    # withholding (kind, rate, reason, base, amount), and what the customer pays: the
    # total less the withholding (and less VAT under split payment). ``net_due`` None: the
    # total (less VAT under split payment), as for documents issued before.
    contribution_fund = CharField(null=True)
    contribution_rate = RateField(null=True)
    contribution_base = MoneyField(null=True)
    contribution = MoneyField(null=True)
    contribution_vat_rate = RateField(null=True)
    contribution_vat_nature = CharField(null=True)
    contribution_withheld = BooleanField(default=False, constraints=[SQL("DEFAULT false")])
    withholding_kind = CharField(null=True)
    withholding_rate = RateField(null=True)
    withholding_reason = CharField(null=True)
    withholding_base = MoneyField(null=True)
    withholding = MoneyField(null=True)
    net_due = MoneyField(null=True)

    class Meta:
        indexes = ((("series", "year", "numbering", "seq"), True),)


class Installment(BaseModel):
    """One billing period of one contract, computed from its terms; invoiced at most once."""

    # Foreign keys without their own index: the composite and partial indexes below cover
    # them, and every index costs time when 100,000 contracts are materialized.
    contract = ForeignKeyField(
        Contract, null=True, backref="installments", on_delete="CASCADE", index=False
    )
    contract_id: IntegerField[int | None]
    key = CharField()
    period_start = DateField(null=True)
    period_end = DateField(null=True)
    invoice_date = DateField()
    amount = MoneyField(default=0)
    lines = TextField(default="[]")  # JSON of the lines it puts on the invoice
    status = CharField(default="pending")  # pending, invoiced, waiting
    invoice = ForeignKeyField(Invoice, null=True, on_delete="SET NULL", index=False)
    invoice_id: IntegerField[int | None]
    order = ForeignKeyField(Order, null=True, on_delete="CASCADE", index=False)
    order_id: IntegerField[int | None]

    class Meta:
        indexes = (
            (("contract", "key"), True),
            (("status", "invoice_date"), False),
        )


class InvoiceLine(BaseModel):
    invoice = ForeignKeyField(Invoice, backref="lines", on_delete="CASCADE")
    invoice_id: IntegerField[int]
    position = IntegerField(default=0)
    description = TextField(default="")
    contract = ForeignKeyField(Contract, null=True, on_delete="RESTRICT")
    contract_id: IntegerField[int | None]
    installment = ForeignKeyField(Installment, null=True, on_delete="RESTRICT", index=False)
    installment_id: IntegerField[int | None]
    installment_line = IntegerField(null=True)
    order_line = ForeignKeyField(OrderLine, null=True, on_delete="RESTRICT", index=False)
    order_line_id: IntegerField[int | None]
    period_start = DateField(null=True)
    period_end = DateField(null=True)
    quantity = PriceField(default=1)
    unit = CharField(null=True)
    unit_price = UnitPriceField(default=0)  # 8 decimals: quantity x unit_price = amount
    amount = MoneyField(default=0)
    vat_rate = RateField(default=22)
    vat_nature = CharField(null=True)  # e-invoice Natura (N1: out of VAT scope); None: taxed
    cost_centre = CharField(null=True)
    # On a credit note that corrects an invoice: the invoice line it credits (in part or whole).
    credits_line: ForeignKeyField[InvoiceLine | None] = ForeignKeyField(
        "self", null=True, on_delete="RESTRICT", index=False
    )
    credits_line_id: IntegerField[int | None]

    class Meta:
        # The database itself forbids billing one installment line on two invoices.
        indexes = ((("installment", "installment_line"), True),)


class Payment(BaseModel):
    invoice = ForeignKeyField(Invoice, backref="payments", on_delete="CASCADE")
    invoice_id: IntegerField[int]
    date = DateField()
    amount = MoneyField()
    method = CharField(null=True)
    reference = CharField(null=True)


class PaymentReturn(BaseModel):
    """A payment the bank returned unpaid (an insoluto): the payment stays in the history,
    no longer counts as paid, and its charges ride on the contract's next installment."""

    payment = ForeignKeyField(Payment, unique=True, backref="returns", on_delete="CASCADE")
    payment_id: IntegerField[int]
    invoice = ForeignKeyField(Invoice, on_delete="CASCADE")
    invoice_id: IntegerField[int]
    date = DateField()
    bank_fee = MoneyField(default=0)
    own_fee = MoneyField(default=0)  # the company's own fee, fixed when it is recorded
    bank_fee_vat = CharField(default="N1")  # their VAT as configured then: "22" or "N1"
    own_fee_vat = CharField(default="22")
    reason = TextField(null=True)
    # The contract whose next installment bills the charges (None: the invoice has none).
    contract = ForeignKeyField(Contract, null=True, on_delete="SET NULL", index=False)
    contract_id: IntegerField[int | None]
    created_at = DateTimeField(default=utc_now)


class Reminder(BaseModel):
    """A reminder (sollecito) of one level to one customer for one set of overdue invoices:
    recorded once, and sent through its outbox columns (as courtesy copies are)."""

    customer = ForeignKeyField(Customer, on_delete="CASCADE", index=False)
    customer_id: IntegerField[int]
    level = IntegerField()
    invoices = TextField()  # the invoice ids it reminds of, sorted, comma-separated
    date = DateField()
    recipient = CharField(null=True)
    status = CharField(default="pending")  # pending, sending, sent, failed; listed: not sent
    attempts = IntegerField(default=0)
    last_error = TextField(null=True)
    sent_at = DateTimeField(null=True)
    claimed_by = CharField(null=True)
    claimed_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("customer", "level", "invoices"), True),)


class LegalInterestRate(BaseModel):
    """The ECB reference rate of a half-year and the points added for late payments in
    commercial transactions (Italy: D.Lgs. 231/2002, 8 points)."""

    half_year_start = DateField(unique=True)  # 1 January or 1 July
    reference_rate = RateField()
    points = RateField(default=8)


class IndexSeries(BaseModel):
    """A price index series, e.g. ISTAT FOI without tobacco."""

    code = CharField(unique=True)
    name = CharField(default="")


class IndexValue(BaseModel):
    """The value of an index series for a month (its first day), in the base it is expressed in."""

    series = ForeignKeyField(IndexSeries, backref="values", on_delete="CASCADE", index=False)
    series_id: IntegerField[int]
    month = DateField()
    value = PriceField()
    base = CharField()

    class Meta:
        indexes = ((("series", "month"), True),)


class IndexLink(BaseModel):
    """A linking coefficient: an index in ``new_base`` x coefficient is the same index in
    ``old_base`` (ISTAT's "coefficiente di raccordo")."""

    series = ForeignKeyField(IndexSeries, backref="links", on_delete="CASCADE", index=False)
    series_id: IntegerField[int]
    old_base = CharField()
    new_base = CharField()
    coefficient = ScaledDecimalField(places=6)

    class Meta:
        indexes = ((("series", "old_base", "new_base"), True),)


class RevenueFigure(BaseModel):
    """Revenue (or consumption) a contract reported for a period: revenue-based lines bill a
    share of it, balancing installments bill it less the advances."""

    contract = ForeignKeyField(Contract, backref="figures", on_delete="CASCADE", index=False)
    contract_id: IntegerField[int]
    period_start = DateField()
    period_end = DateField()
    amount = MoneyField()
    note = CharField(null=True)

    class Meta:
        indexes = ((("contract", "period_start", "period_end"), True),)


class Outbox(BaseModel):
    """Each invoice's courtesy copy: sent once, retried while it fails."""

    invoice = ForeignKeyField(Invoice, unique=True, on_delete="CASCADE")
    invoice_id: IntegerField[int]
    recipient = CharField()
    status = CharField(default="pending")  # pending, sending, sent, failed
    attempts = IntegerField(default=0)
    last_error = TextField(null=True)
    sent_at = DateTimeField(null=True)
    # "sending": the process that claimed the copy (host, pid, start time) and when
    claimed_by = CharField(null=True)
    claimed_at = DateTimeField(null=True)


class Mandate(BaseModel):
    """A SEPA direct debit mandate signed by a customer: for all its contracts, or for one
    contract (which then collects under it rather than the customer's)."""

    reference = CharField(unique=True)  # unique per creditor (EPC AT-01)
    customer = ForeignKeyField(Customer, on_delete="RESTRICT")
    customer_id: IntegerField[int]
    contract = ForeignKeyField(Contract, null=True, on_delete="RESTRICT")
    contract_id: IntegerField[int | None]
    signed_on = DateField()
    scheme = CharField(default="CORE")  # CORE or B2B
    iban = CharField()
    bic = CharField(null=True)
    status = CharField(default="active")  # active, suspended
    suspended_reason = TextField(null=True)


class CollectionFile(BaseModel):
    """A file presented to the bank (SEPA direct debit or Ri.Ba.), its exact bytes kept so
    that it can be written again identically."""

    kind = CharField()  # sdd, riba
    message_id = CharField(unique=True)
    created_at = DateTimeField()
    presented_on = DateField()
    scheme = CharField(null=True)  # CORE or B2B for a direct debit file
    count = IntegerField()
    total = MoneyField()
    content = TextField()


class Collection(BaseModel):
    """One invoice presented for collection in a file: the amount, the (collection or due)
    date and, for a direct debit, the mandate, account and sequence type it went out with."""

    file = ForeignKeyField(CollectionFile, backref="collections", on_delete="RESTRICT")
    file_id: IntegerField[int]
    invoice = ForeignKeyField(Invoice, on_delete="RESTRICT")
    invoice_id: IntegerField[int]
    amount = MoneyField()
    due_date = DateField()
    sequence_type = CharField(null=True)  # FRST, RCUR (direct debit)
    mandate = ForeignKeyField(Mandate, null=True, on_delete="RESTRICT")
    mandate_id: IntegerField[int | None]
    mandate_reference = CharField(null=True)
    debtor_iban = CharField(null=True)
    status = CharField(default="presented")  # presented, returned


class SdiProgressive(BaseModel):
    """The last ProgressivoInvio handed out to one sender (``IT01234567890``): raised in
    the transaction that uses it, so no progressive is ever given twice."""

    sender = CharField(primary_key=True)
    last_value = IntegerField(default=0)

    class Meta:
        table_name = "sdi_progressive"


class SdiFile(BaseModel):
    """One e-invoice file written for an issued document: its progressive and SdI file
    name (never reused), when it was exported and where the SdI has taken it. A document's
    e-invoice state is that of its newest file (none yet: pending); a rejected document
    sent again gets a new file."""

    invoice = ForeignKeyField(Invoice, on_delete="RESTRICT", index=False)
    invoice_id: IntegerField[int]
    sender = CharField()  # IdTrasmittente as country + code: IT01234567890
    progressive = CharField()  # ProgressivoInvio: 5 letters or digits
    file_name = CharField(unique=True)  # IT01234567890_0000A.xml
    state = CharField(default="exporting")  # exporting, exported, delivered, ...
    exported_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "sdi_file"
        indexes = ((("sender", "progressive"), True), (("invoice", "id"), False))


class SdiReceipt(BaseModel):
    """An SdI notification received about one e-invoice file (kept once: ``digest``)."""

    file = ForeignKeyField(SdiFile, backref="notifications", on_delete="CASCADE")
    file_id: IntegerField[int]
    kind = CharField()  # RC, MC, NS, NE, DT, AT
    sdi_id = CharField(null=True)  # IdentificativoSdI
    date = DateTimeField(null=True)  # DataOraConsegna / DataOraRicezione, UTC
    outcome = CharField(null=True)  # NE: EC01 accepted, EC02 refused
    description = TextField(null=True)
    errors = TextField(default="[]")  # NS: JSON list of {code, description, hint}
    source = CharField(default="")  # the notification's own file name
    digest = CharField(unique=True)  # of what it says: the same notification is kept once
    received_at = DateTimeField(default=utc_now)

    class Meta:
        table_name = "sdi_receipt"


def partial_indexes() -> list:
    """Indexes over the rows that have the column set (most do not): cheap to maintain."""
    return [
        Installment.index(
            Installment.order, Installment.key, unique=True, name="installment_order_key"
        ).where(Installment.order.is_null(False)),
        Installment.index(Installment.invoice, name="installment_invoice").where(
            Installment.invoice.is_null(False)
        ),
        InvoiceLine.index(InvoiceLine.order_line, name="invoice_line_order_line").where(
            InvoiceLine.order_line.is_null(False)
        ),
        # The credit notes of an invoice (few invoices have any).
        Invoice.index(Invoice.corrects, name="invoice_corrects").where(
            Invoice.corrects.is_null(False)
        ),
        # Contracts edited since they were last materialized (a handful at any time).
        Contract.index(Contract.id, name="contract_edited").where(
            Contract.revision != Contract.materialized_revision
        ),
        # An invoice is in at most one file at a time (a returned collection frees it).
        Collection.index(
            Collection.invoice, unique=True, name="collection_presented_invoice"
        ).where(Collection.status == "presented"),
        # Contracts that renew: what a billing run checks for a term to renew.
        Contract.index(Contract.end_date, name="contract_renewing").where(
            Contract.renewal.is_null(False)
        ),
    ]


for _index in partial_indexes():
    _index._model.add_index(_index)

ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion,
    Setting,
    Series,
    SeriesCounter,
    Customer,
    Article,
    Contract,
    ContractLine,
    ContractTerm,
    BillingRun,
    BillingRunLog,
    Order,
    OrderLine,
    Invoice,
    Installment,
    InvoiceLine,
    Payment,
    PaymentReturn,
    Reminder,
    LegalInterestRate,
    Outbox,
    IndexSeries,
    IndexValue,
    IndexLink,
    RevenueFigure,
    Company,
    PartySnapshot,
    Mandate,
    CollectionFile,
    Collection,
    SdiProgressive,
    SdiFile,
    SdiReceipt,
)
