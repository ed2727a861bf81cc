"""Versioned schema migrations: a new database gets the latest schema, an older one is
upgraded in place, step by step, and a newer one is refused."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable

from peewee import (
    CharField,
    Database,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    TextField,
)
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator, migrate

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.legal_rates import LEGAL_POINTS, PUBLISHED_REFERENCE_RATES
from tui_billing.store.fields import MoneyField, RateField
from tui_billing.store.models import (
    ALL_MODELS,
    IndexLink,
    IndexSeries,
    IndexValue,
    Installment,
    Invoice,
    InvoiceLine,
    LegalInterestRate,
    Outbox,
    RevenueFigure,
    SchemaVersion,
    Series,
    SeriesCounter,
)
from tui_billing.store.sqlite_rebuild import foreign_keys_off, raise_sequence, rebuild_table
from tui_billing.store.transactions import is_sqlite, write_transaction


def _migrator(db: Database) -> SchemaMigrator:
    return PostgresqlMigrator(db) if isinstance(db, PostgresqlDatabase) else SqliteMigrator(db)


def _v2_outbox_and_cost_centres(db: Database) -> None:
    """Courtesy-copy outbox and cost centres on contracts and invoice lines."""
    db.create_tables([Outbox], safe=True)
    m = _migrator(db)
    migrate(
        m.add_column("contract", "cost_centre", CharField(null=True)),
        m.add_column("invoice_line", "cost_centre", CharField(null=True)),
    )


def _v3_lean_installment_indexes(db: Database) -> None:
    """Drop indexes that composite ones cover; index optional links only where set."""
    for name in (
        "installment_contract_id",
        "installment_invoice_id",
        "installment_order_id",
        "installment_order_id_key",
        "invoice_line_installment_id",
        "invoice_line_order_line_id",
    ):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    Installment._schema.create_indexes(safe=True)
    InvoiceLine._schema.create_indexes(safe=True)


def _v4_stale_contract_indexes(db: Database) -> None:
    """Index what the stale-contract check of materializing asks for. Only this step's
    indexes: the model's others may name columns later steps add (on SQLite a quoted
    unknown column would index a string; PostgreSQL would refuse it)."""
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "contract_status_materialized_until" '
        'ON "contract" ("status", "materialized_until")'
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "contract_edited" ON "contract" ("id") '
        'WHERE ("revision" != "materialized_revision")'
    )


def _v6_late_payment_terms(db: Database) -> None:
    """Late-payment terms on contracts and the table of legal interest rates."""
    m = _migrator(db)
    migrate(
        m.add_column("contract", "late_interest", CharField(null=True)),
        m.add_column("contract", "late_interest_rate", RateField(null=True)),
        m.add_column("contract", "late_grace_days", IntegerField(null=True)),
        m.add_column("contract", "late_fee", MoneyField(null=True)),
    )
    db.create_tables([LegalInterestRate], safe=True)
    _seed_legal_rates()


def _seed_legal_rates() -> None:
    known = {r.half_year_start for r in LegalInterestRate.select(LegalInterestRate.half_year_start)}
    for start, rate in PUBLISHED_REFERENCE_RATES.items():
        if start not in known:
            LegalInterestRate.create(
                half_year_start=start, reference_rate=rate, points=LEGAL_POINTS
            )


def _v7_contract_economics(db: Database) -> None:
    """Index series, revenue figures and the economics of contract lines."""
    db.create_tables([IndexSeries, IndexValue, IndexLink, RevenueFigure], safe=True)
    migrate(_migrator(db).add_column("contract_line", "economics", TextField(null=True)))


def _v8_installment_plan(db: Database) -> None:
    """A contract's installment plan: amount per installment and number of installments."""
    m = _migrator(db)
    migrate(
        m.add_column("contract", "installment_amount", MoneyField(null=True)),
        m.add_column("contract", "installment_count", IntegerField(null=True)),
    )


def _v11_numbering_classes(db: Database) -> None:
    """Counters per series, year and numbering class (fiscal, proforma, order): the existing
    counters and numbers are the fiscal ones (an issued pro-forma keeps its number), and
    series may give each class a format."""
    m = _migrator(db)
    migrate(
        m.add_column("series", "proforma_format", CharField(null=True)),
        m.add_column("series", "order_format", CharField(null=True)),
        m.add_column("invoice", "numbering", CharField(null=True)),
    )
    db.execute_sql(
        'ALTER TABLE "series_counter" ADD COLUMN "numbering" VARCHAR(255) '
        "DEFAULT 'fiscal' NOT NULL"
    )
    db.execute_sql("UPDATE invoice SET numbering = 'fiscal' WHERE seq IS NOT NULL")
    for name in ("series_counter_series_id_year", "invoice_series_year_seq"):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    SeriesCounter._schema.create_indexes(safe=True)
    # Only this step's index: the model's others may name columns later steps add (on SQLite
    # a quoted unknown column would index a string and break a later column drop).
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "invoice_series_year_numbering_seq" '
        'ON "invoice" ("series", "year", "numbering", "seq")'
    )


_PLAIN_LINE_KEY = re.compile(
    r'^(CREATE TABLE "contract_line" \("id" INTEGER NOT NULL PRIMARY KEY)'
    r"(?=,)"
)
# The highest contract line id the stored installment lines name: a key is the line's id,
# "ID:balance" for its balancing, or a late charge's "late-interest:..." (cast to 0).
_HIGHEST_LINE_KEY_SQL = (
    "SELECT MAX(CAST(json_extract(j.value, '$.line') AS INTEGER))"
    " FROM installment AS i, json_each(i.lines) AS j WHERE i.contract_id IS NOT NULL"
)


def _with_autoincrement(sql: str) -> str:
    new, found = _PLAIN_LINE_KEY.subn(r"\1 AUTOINCREMENT", sql, count=1)
    if not found:
        raise ValueError(f"contract_line: unexpected key column in {sql[:100]!r}")
    return new


def _v12_line_ids_never_reused(db: Database) -> None:
    """A contract line's id is never given again (its invoiced days are its key's): SQLite's
    contract_line becomes AUTOINCREMENT, its sequence past every id the table holds and every
    one the installments name (lines removed before now). PostgreSQL's SERIAL never reuses
    one: nothing to do there."""
    if not is_sqlite(db):
        return
    (sql,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contract_line'"
    ).fetchone()
    if "AUTOINCREMENT" not in sql:
        rebuild_table(db, "contract_line", _with_autoincrement)
    (named,) = db.execute_sql(_HIGHEST_LINE_KEY_SQL).fetchone()
    raise_sequence(db, "contract_line", int(named or 0))


_LATE_KEYS = ("late-interest:", "late-fee:")  # the line keys of late charges, as stored


def _v13_vat_nature_of_late_charges(db: Database) -> None:
    """Invoice lines carry a VAT nature. Late-payment interest and recovery fees not issued
    yet become N1, out of the scope of VAT (art. 15 DPR 633/72): the lines of installments
    not invoiced, and those of drafts, whose taxable base no longer counts them. Issued
    documents stay as they were issued."""
    migrate(_migrator(db).add_column("invoice_line", "vat_nature", CharField(null=True)))
    p = db.param
    rows = db.execute_sql(
        "SELECT i.id, i.lines, i.invoice_id FROM installment i"
        " LEFT OUTER JOIN invoice v ON v.id = i.invoice_id"
        f" WHERE i.lines LIKE {p} AND (i.invoice_id IS NULL OR v.status = 'draft')",
        ('%"late-%',),
    ).fetchall()
    drafts: set[int] = set()
    for installment_id, text, invoice_id in rows:
        lines = json.loads(text or "[]")
        late = [
            index
            for index, li in enumerate(lines)
            if str(li.get("line", "")).startswith(_LATE_KEYS) and "vat_nature" not in li
        ]
        if not late:
            continue
        for index in late:
            lines[index]["vat_nature"] = "N1"
        db.execute_sql(
            f"UPDATE installment SET lines = {p} WHERE id = {p}",
            (json.dumps(lines, ensure_ascii=False, separators=(",", ":")), installment_id),
        )
        if invoice_id is None:
            continue
        for index in late:
            db.execute_sql(
                f"UPDATE invoice_line SET vat_nature = 'N1' WHERE installment_id = {p}"
                f" AND installment_line = {p}",
                (installment_id, index),
            )
        drafts.add(invoice_id)
    for invoice_id in sorted(drafts):  # VAT and total stay: the lines had no VAT
        db.execute_sql(
            "UPDATE invoice SET taxable = (SELECT COALESCE(SUM(amount), 0) FROM invoice_line"
            f" WHERE invoice_id = {p} AND vat_nature IS NULL) WHERE id = {p}",
            (invoice_id, invoice_id),
        )


def _v14_line_arithmetic(db: Database) -> None:
    """An invoice line reads quantity x unit price = amount (rounded half up to the cent):
    its unit price is the price of the line's period, with up to 8 decimals. The stored unit
    prices go from 4 to 8 decimals (the same values: issued documents stay as issued); the
    lines not issued yet (installments not invoiced, and those of drafts) whose quantity x
    unit price does not give their amount (a monthly price billed for a quarter) get a unit
    price that does, near amount / quantity. The billing engine computes its own, from the
    exact price of the period, the next time it recomputes a contract."""
    from decimal import Decimal

    from tui_billing.domain.line_prices import fitted_unit_price

    p = db.param
    db.execute_sql("UPDATE invoice_line SET unit_price = unit_price * 10000")
    rows = db.execute_sql(
        "SELECT i.id, i.lines FROM installment i LEFT OUTER JOIN invoice v ON v.id = i.invoice_id"
        " WHERE i.invoice_id IS NULL OR v.status = 'draft'"
    ).fetchall()
    for installment_id, text in rows:
        lines = json.loads(text or "[]")
        changed = False
        for li in lines:
            if not isinstance(li, dict) or li.get("amount") is None:
                continue
            try:
                quantity = Decimal(str(li.get("quantity", 1)))
                unit_price = Decimal(str(li.get("unit_price", li["amount"])))
                amount = Decimal(str(li["amount"]))
            except ArithmeticError:
                continue  # left as it is: invoicing refuses it, naming the installment
            fitted = fitted_unit_price(quantity, unit_price, amount)
            if fitted != (quantity, unit_price):
                li["quantity"] = f"{fitted[0].normalize():f}"
                li["unit_price"] = f"{fitted[1]:f}"
                changed = True
        if changed:
            db.execute_sql(
                f"UPDATE installment SET lines = {p} WHERE id = {p}",
                (json.dumps(lines, ensure_ascii=False, separators=(",", ":")), installment_id),
            )
    drafts = db.execute_sql(
        "SELECT l.id, l.quantity, l.unit_price, l.amount FROM invoice_line l"
        " JOIN invoice v ON v.id = l.invoice_id WHERE v.status = 'draft'"
    ).fetchall()
    for line_id, quantity, unit_price, amount in drafts:
        values = (
            Decimal(int(quantity)).scaleb(-4),
            Decimal(int(unit_price)).scaleb(-8),
            Decimal(int(amount)).scaleb(-2),
        )
        fitted = fitted_unit_price(*values)
        if fitted != values[:2]:
            db.execute_sql(
                f"UPDATE invoice_line SET quantity = {p}, unit_price = {p} WHERE id = {p}",
                (int(fitted[0].scaleb(4)), int(fitted[1].scaleb(8)), line_id),
            )


def _v17_outbox_claims(db: Database) -> None:
    """Who is sending a courtesy copy, and since when: a rerun tells a copy in flight in a
    live process from one left by a process that died. (Version 2 creates the table as the
    model is now, so the columns may be there already.)"""
    m = _migrator(db)
    present = {column.name for column in db.get_columns("outbox")}
    migrate(
        *[
            m.add_column("outbox", name, field)
            for name, field in (
                ("claimed_by", CharField(null=True)),
                ("claimed_at", DateTimeField(null=True)),
            )
            if name not in present
        ]
    )


def _v18_credit_notes_correcting_invoices(db: Database) -> None:
    """A credit note names the invoice it corrects (``invoice.corrects_id``) and each of its
    lines the invoice line it credits (``invoice_line.credits_line_id``); the credit notes
    of an invoice are found through a partial index. Existing documents correct nothing."""
    m = _migrator(db)
    migrate(
        m.add_column(
            "invoice",
            "corrects_id",
            ForeignKeyField(
                Invoice, field=Invoice.id, null=True, on_delete="RESTRICT", index=False
            ),
        ),
        m.add_column(
            "invoice_line",
            "credits_line_id",
            ForeignKeyField(
                InvoiceLine, field=InvoiceLine.id, null=True, on_delete="RESTRICT", index=False
            ),
        ),
    )
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "invoice_corrects" ON "invoice" ("corrects_id")'
        ' WHERE ("corrects_id" IS NOT NULL)'
    )  # as the model writes it


def _v15_fiscal_parties(db: Database) -> None:
    """SdI-ready parties: a customer's address in its fields (the old free-text address
    split where it reads ``street, CAP comune (PR)``, else whole in the street), its VAT
    number apart from its country, SdI code, PEC, public administration and split payment;
    the CIG/CUP of contracts; the company (seller) table; and the party snapshots an issued
    document keeps. Documents issued before keep their buyer as it is now."""
    from peewee import ForeignKeyField

    from tui_billing.domain.parties import (
        BUYER_SNAPSHOT_FIELDS,
        snapshot_text,
        split_legacy_address,
    )
    from tui_billing.store.models import Company, PartySnapshot

    m = _migrator(db)
    migrate(
        *(
            m.add_column("customer", name, CharField(null=True))
            for name in (
                "street",
                "postal_code",
                "city",
                "province",
                "vat_country",
                "sdi_code",
                "pec",
            )
        ),
        m.add_column("contract", "cig", CharField(null=True)),
        m.add_column("contract", "cup", CharField(null=True)),
    )
    boolean = "INTEGER" if is_sqlite(db) else "BOOLEAN"  # as peewee creates a BooleanField
    for column, sql_type, default in (
        ("country", "VARCHAR(255)", "'IT'"),
        ("public_administration", boolean, "false"),
        ("split_payment", boolean, "false"),
    ):
        db.execute_sql(
            f'ALTER TABLE "customer" ADD COLUMN "{column}" {sql_type} DEFAULT {default} NOT NULL'
        )
    db.create_tables([Company, PartySnapshot], safe=True)
    migrate(
        *(
            m.add_column(
                "invoice",
                name,
                ForeignKeyField(
                    PartySnapshot,
                    null=True,
                    field=PartySnapshot.id,
                    on_delete="RESTRICT",
                    index=False,
                ),
            )
            for name in ("seller_snapshot_id", "buyer_snapshot_id")
        )
    )
    p = db.param
    rows = db.execute_sql("SELECT id, address, vat_number FROM customer").fetchall()
    updates = []
    for customer_id, address, vat in rows:
        place = split_legacy_address(address)
        vat = (vat or "").replace(" ", "").upper() or None
        country = None
        if vat:
            country, vat = ("IT", vat) if vat[:2].isdigit() else (vat[:2], vat[2:])
        updates.append(
            (
                place["street"],
                place["postal_code"],
                place["city"],
                place["province"],
                country,
                vat,
                customer_id,
            )
        )
    db.cursor().executemany(
        f"UPDATE customer SET street = {p}, postal_code = {p}, city = {p}, province = {p}, "
        f"vat_country = {p}, vat_number = {p} WHERE id = {p}",
        updates,
    )
    migrate(m.drop_column("customer", "address"))
    columns = ", ".join(BUYER_SNAPSHOT_FIELDS)
    issued = db.execute_sql(
        f"SELECT {columns} FROM customer WHERE id IN "
        "(SELECT customer_id FROM invoice WHERE number IS NOT NULL)"
    ).fetchall()
    for values in issued:
        buyer = dict(zip(BUYER_SNAPSHOT_FIELDS, values, strict=True))
        for flag in ("public_administration", "split_payment"):
            buyer[flag] = bool(buyer[flag])
        digest, text = snapshot_text(buyer)
        snapshot = PartySnapshot.create(digest=digest, data=text)
        db.execute_sql(
            f"UPDATE invoice SET buyer_snapshot_id = {p} WHERE number IS NOT NULL AND "
            f"customer_id = (SELECT id FROM customer WHERE code = {p})",
            (snapshot.id, buyer["code"]),
        )


def _v16_vat_rules(db: Database) -> None:
    """VAT rules of a document: the VAT nature of articles, contract and order lines; the
    company's choice to charge the imposta di bollo; the bollo and split payment an issued
    invoice keeps. Existing 0% contract and order lines are left as they are (no nature):
    the import and the forms ask for one when they are next edited. A column already there
    (a table created anew from the current models) is kept."""
    m = _migrator(db)

    def missing(table: str, column: str) -> bool:
        return column not in {c.name for c in db.get_columns(table)}

    migrate(
        *(
            m.add_column(table, "vat_nature", CharField(null=True))
            for table in ("article", "contract_line", "order_line")
            if missing(table, "vat_nature")
        ),
        *(
            [m.add_column("invoice", "stamp_duty", MoneyField(null=True))]
            if missing("invoice", "stamp_duty")
            else []
        ),
    )
    boolean = "INTEGER" if is_sqlite(db) else "BOOLEAN"  # as peewee creates a BooleanField
    for table, column in (("company", "stamp_duty_charged"), ("invoice", "split_payment")):
        if missing(table, column):
            db.execute_sql(
                f'ALTER TABLE "{table}" ADD COLUMN "{column}" {boolean} DEFAULT false NOT NULL'
            )


def _v19_professional_sellers(db: Database) -> None:
    """A professional seller: the company's ritenuta and contribution settings, whether a
    customer withholds (existing customers with a VAT number or a public administration
    do), and the contribution, withholding and net to pay an issued invoice keeps. A
    column already there (a table created anew from the current models) is kept."""
    m = _migrator(db)

    def missing(table: str, column: str) -> bool:
        return column not in {c.name for c in db.get_columns(table)}

    columns = [
        *(
            ("company", name, CharField(null=True))
            for name in ("withholding_kind", "withholding_reason", "contribution_fund")
        ),
        *(
            ("company", name, RateField(null=True))
            for name in ("withholding_rate", "withholding_base", "contribution_rate")
        ),
        *(
            ("invoice", name, CharField(null=True))
            for name in (
                "contribution_fund",
                "contribution_vat_nature",
                "withholding_kind",
                "withholding_reason",
            )
        ),
        *(
            ("invoice", name, RateField(null=True))
            for name in ("contribution_rate", "contribution_vat_rate", "withholding_rate")
        ),
        *(
            ("invoice", name, MoneyField(null=True))
            for name in (
                "contribution_base",
                "contribution",
                "withholding_base",
                "withholding",
                "net_due",
            )
        ),
    ]
    migrate(
        *(
            m.add_column(table, name, field)
            for table, name, field in columns
            if missing(table, name)
        )
    )
    boolean = "INTEGER" if is_sqlite(db) else "BOOLEAN"  # as peewee creates a BooleanField
    for table, column in (
        ("company", "contribution_withheld"),
        ("invoice", "contribution_withheld"),
        ("customer", "withholding_agent"),
    ):
        if missing(table, column):
            db.execute_sql(
                f'ALTER TABLE "{table}" ADD COLUMN "{column}" {boolean} DEFAULT false NOT NULL'
            )
    db.execute_sql(
        "UPDATE customer SET withholding_agent = true WHERE vat_number IS NOT NULL"
        " OR public_administration = true"
    )


def _v20_einvoice_tracking(db: Database) -> None:
    """E-invoices: each issued document's files written for the SdI (progressive, file
    name, state), the SdI notifications received about them, and the counter of
    progressives per sender. Tables already there (created anew) are kept."""
    from tui_billing.store.models import SdiFile, SdiProgressive, SdiReceipt

    db.create_tables([SdiProgressive, SdiFile, SdiReceipt], safe=True)


def _v21_collections(db: Database) -> None:
    """Collecting: SEPA mandates, the files presented to the bank (direct debit, Ri.Ba.)
    and the invoices each presented; the company's creditor identifier, BIC and SIA code."""
    from tui_billing.store.models import Collection, CollectionFile, Mandate

    m = _migrator(db)
    present = {column.name for column in db.get_columns("company")}
    migrate(
        *[
            m.add_column("company", name, CharField(null=True))
            for name in ("creditor_id", "bic", "sia_code")
            if name not in present
        ]
    )
    db.create_tables([Mandate, CollectionFile, Collection], safe=True)
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "collection_presented_invoice" ON '
        '"collection" ("invoice_id") WHERE ("status" = \'presented\')'
    )


def _v22_returns_and_reminders(db: Database) -> None:
    """Returned collections (their fees on contracts, the collection hold) and reminders."""
    from tui_billing.store.models import PaymentReturn, Reminder

    m = _migrator(db)
    present = {column.name for column in db.get_columns("contract")}
    migrate(
        *[
            m.add_column("contract", name, field)
            for name, field in (
                ("returned_item_fee", MoneyField(null=True)),
                ("collection_hold", TextField(null=True)),
            )
            if name not in present
        ]
    )
    db.create_tables([PaymentReturn, Reminder], safe=True)


def _v23_contract_lifecycle(db: Database) -> None:
    """A contract's life: duration, renewal (tacit or manual), renewal duration, notice
    days, price change at renewal, a cancellation (notice date, reason, last day billed),
    the terms its renewals recorded, and an index of the contracts that renew. Existing
    contracts have none of it: they end at their end date as before. (A table created from
    the current models has the columns already.)"""
    from peewee import DateField

    from tui_billing.store.models import ContractTerm

    m = _migrator(db)
    present = {column.name for column in db.get_columns("contract")}
    migrate(
        *(
            m.add_column("contract", name, field)
            for name, field in (
                ("duration", CharField(null=True)),
                ("renewal", CharField(null=True)),
                ("renewal_duration", CharField(null=True)),
                ("notice_days", IntegerField(null=True)),
                ("renewal_price", TextField(null=True)),
                ("cancel_notice_date", DateField(null=True)),
                ("cancel_reason", CharField(null=True)),
                ("cancel_end", DateField(null=True)),
            )
            if name not in present
        )
    )
    db.create_tables([ContractTerm], safe=True)
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "contract_renewing" ON "contract" ("end_date")'
        ' WHERE ("renewal" IS NOT NULL)'
    )  # as the model writes it


def _v24_archived_customers(db: Database) -> None:
    """A customer can be archived: kept for its documents, hidden from the lists, no new
    contracts or orders. Every existing customer is active. (A table created from the
    current models has the column already.)"""
    if "archived" not in {column.name for column in db.get_columns("customer")}:
        boolean = "INTEGER" if is_sqlite(db) else "BOOLEAN"  # as peewee creates a BooleanField
        db.execute_sql(
            f'ALTER TABLE "customer" ADD COLUMN "archived" {boolean} DEFAULT false NOT NULL'
        )


# version -> (description, upgrade from the previous version). Applied in order; a number
# may be left unused, so work on separate branches can reserve its own.
MIGRATIONS: dict[int, tuple[str, Callable[[Database], None]]] = {
    1: ("initial schema", lambda db: None),
    2: ("outbox and cost centres", _v2_outbox_and_cost_centres),
    3: ("lean installment indexes", _v3_lean_installment_indexes),
    4: ("stale contract indexes", _v4_stale_contract_indexes),
    6: ("late-payment terms and legal interest rates", _v6_late_payment_terms),
    7: ("contract economics", _v7_contract_economics),
    8: ("installment plan of contracts", _v8_installment_plan),
    11: ("numbering classes: fiscal, pro-forma and order sequences", _v11_numbering_classes),
    12: ("contract line ids never reused", _v12_line_ids_never_reused),
    13: (
        "VAT nature of invoice lines: late charges out of VAT scope (N1)",
        _v13_vat_nature_of_late_charges,
    ),
    14: (
        "invoice lines: quantity x unit price = amount, unit prices of 8 decimals",
        _v14_line_arithmetic,
    ),
    15: (
        "fiscal parties: customer address fields, SdI code, PEC, PA; company; snapshots",
        _v15_fiscal_parties,
    ),
    16: (
        "VAT rules: natures of articles and lines, imposta di bollo, split payment",
        _v16_vat_rules,
    ),
    17: ("courtesy copies claimed by their sender", _v17_outbox_claims),
    18: (
        "credit notes name the invoice and lines they correct",
        _v18_credit_notes_correcting_invoices,
    ),
    19: (
        "professional sellers: withholding tax, social-security contribution, net to pay",
        _v19_professional_sellers,
    ),
    20: (
        "e-invoices: files for the SdI, their notifications, progressives per sender",
        _v20_einvoice_tracking,
    ),
    21: ("collections: SEPA mandates, direct debit and Ri.Ba. files", _v21_collections),
    22: ("returned collections and reminders", _v22_returns_and_reminders),
    23: (
        "contract lifecycle: duration, renewal, notice, cancellation, renewal terms",
        _v23_contract_lifecycle,
    ),
    24: ("archived customers", _v24_archived_customers),
}
LATEST_VERSION = max(MIGRATIONS)


def schema_version(db: Database) -> int | None:
    """The version of the schema in ``db``; None when it has no tables at all."""
    tables = set(db.get_tables())
    if not tables:
        return None
    if "schema_version" not in tables:
        raise UserError(
            _("{database}: not a tui-billing database (left untouched)").format(
                database=db.database
            ),
            "--db",
        )
    row = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def _seed(db: Database) -> None:
    Series.get_or_create(code="A", defaults={"description": "Default series"})
    _seed_legal_rates()


def migrate_schema(db: Database) -> int:
    """Create or upgrade the schema; returns the version now in force."""
    version = schema_version(db)
    if version is not None and version > LATEST_VERSION:
        raise UserError(
            _(
                "{database}: schema version {version} is newer than this program "
                "supports ({latest_version}); upgrade tui-billing"
            ).format(database=db.database, version=version, latest_version=LATEST_VERSION),
            "--db",
        )
    if version is not None and not _missing(db):
        return LATEST_VERSION
    with _schema_change(db), write_transaction(db):
        version = schema_version(db)  # another process may have done it meanwhile
        if version is None:
            db.create_tables(ALL_MODELS, safe=True)
            for step in sorted(MIGRATIONS):
                SchemaVersion.create(version=step, description="created")
            _seed(db)
        else:
            for step in _missing(db):
                description, upgrade = MIGRATIONS[step]
                upgrade(db)
                SchemaVersion.create(version=step, description=description)
    return LATEST_VERSION


def _schema_change(db: Database) -> contextlib.AbstractContextManager[None]:
    """SQLite: foreign keys off while the schema changes, as its table rebuilds need (each
    checks the keys it touches); they are back on once the change is committed."""
    return foreign_keys_off(db) if is_sqlite(db) else contextlib.nullcontext()


def _missing(db: Database) -> list[int]:
    """The migrations not applied yet, in order: those above the version, and any lower one
    skipped because the database was upgraded by a build that numbered its own higher
    (work on separate branches reserves numbers). A database created in one go counts every
    version up to its creation as applied."""
    rows = list(SchemaVersion.select(SchemaVersion.version, SchemaVersion.description).tuples())
    created = max((v for v, what in rows if what == "created"), default=0)
    applied = {v for v, _unused in rows} | {v for v in MIGRATIONS if v <= created}
    return sorted(v for v in MIGRATIONS if v not in applied)
