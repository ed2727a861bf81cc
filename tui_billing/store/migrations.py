"""Versioned schema migrations: a new database gets the latest schema, an older one is
upgraded in place, step by step, and a newer one is refused."""

from __future__ import annotations

from collections.abc import Callable

from peewee import CharField, Database, PostgresqlDatabase
from playhouse.migrate import PostgresqlMigrator, SchemaMigrator, SqliteMigrator, migrate

from tui_billing.domain.errors import UserError
from tui_billing.store.models import (
    ALL_MODELS,
    Contract,
    Installment,
    InvoiceLine,
    Outbox,
    SchemaVersion,
    Series,
)
from tui_billing.store.transactions import write_transaction


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
    for name in ("installment_contract_id", "installment_invoice_id", "installment_order_id",
                 "installment_order_id_key", "invoice_line_installment_id",
                 "invoice_line_order_line_id"):
        db.execute_sql(f'DROP INDEX IF EXISTS "{name}"')
    Installment._schema.create_indexes(safe=True)
    InvoiceLine._schema.create_indexes(safe=True)


def _v4_stale_contract_indexes(db: Database) -> None:
    """Index what the stale-contract check of materializing asks for."""
    Contract._schema.create_indexes(safe=True)


# version -> (description, upgrade from the previous version). Applied in order; a number
# may be left unused, so work on separate branches can reserve its own.
MIGRATIONS: dict[int, tuple[str, Callable[[Database], None]]] = {
    1: ("initial schema", lambda db: None),
    2: ("outbox and cost centres", _v2_outbox_and_cost_centres),
    3: ("lean installment indexes", _v3_lean_installment_indexes),
    4: ("stale contract indexes", _v4_stale_contract_indexes),
}
LATEST_VERSION = max(MIGRATIONS)


def schema_version(db: Database) -> int | None:
    """The version of the schema in ``db``; None when it has no tables at all."""
    tables = set(db.get_tables())
    if not tables:
        return None
    if "schema_version" not in tables:
        raise UserError(f"{db.database}: not a tui-billing database (left untouched)", "--db")
    row = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def _seed(db: Database) -> None:
    Series.get_or_create(code="A", defaults={"description": "Default series"})


def migrate_schema(db: Database) -> int:
    """Create or upgrade the schema; returns the version now in force."""
    version = schema_version(db)
    if version is not None and version > LATEST_VERSION:
        raise UserError(
            f"{db.database}: schema version {version} is newer than this program supports "
            f"({LATEST_VERSION}); upgrade tui-billing",
            "--db",
        )
    if version == LATEST_VERSION:
        return version
    with write_transaction(db):
        version = schema_version(db)  # another process may have done it meanwhile
        if version is None:
            db.create_tables(ALL_MODELS, safe=True)
            SchemaVersion.create(version=LATEST_VERSION, description="created")
            _seed(db)
        else:
            for step in sorted(v for v in MIGRATIONS if v > version):
                description, upgrade = MIGRATIONS[step]
                upgrade(db)
                SchemaVersion.create(version=step, description=description)
    return LATEST_VERSION
