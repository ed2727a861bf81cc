"""Small questions the CLI and the TUI ask the database: whether a code exists, the codes a
field suggests, a customer's name, whether anything is stored yet."""

from __future__ import annotations

from tui_billing.store.models import (
    Article,
    Company,
    Contract,
    Customer,
    IndexSeries,
    Invoice,
    Order,
    Series,
)


def customer_exists(code: str) -> bool:
    return Customer.select().where(Customer.code == code).exists()


def contract_exists(code: str) -> bool:
    return Contract.select().where(Contract.code == code).exists()


def order_exists(code: str) -> bool:
    return Order.select().where(Order.code == code).exists()


def has_customers() -> bool:
    """Whether the database holds any customer (an empty database does not)."""
    return Customer.select().exists()


def has_company() -> bool:
    """Whether the company (seller) is stored."""
    return Company.select().exists()


def customer_names() -> dict[str, str]:
    """Customer code -> name."""
    return dict(Customer.select(Customer.code, Customer.name).tuples())


def customer_codes(keep: str | None = None) -> list[str]:
    """The codes of the customers that may be given a new contract or order, sorted (a form
    suggests them): the archived ones are left out, but ``keep`` (the customer a record
    already has) stays even if archived."""
    query = Customer.select(Customer.code).order_by(Customer.code)
    query = query.where((Customer.archived == False) | (Customer.code == (keep or "")))  # noqa: E712
    return [c for (c,) in query.tuples()]


def series_codes() -> list[str]:
    """Every numbering series code, sorted."""
    return [s for (s,) in Series.select(Series.code).order_by(Series.code).tuples()]


def article_codes() -> list[str]:
    """Every catalogue article code, sorted."""
    return [a for (a,) in Article.select(Article.code).order_by(Article.code).tuples()]


def index_series_codes() -> list[str]:
    """Every price index series code, sorted."""
    return [c for (c,) in IndexSeries.select(IndexSeries.code).order_by(IndexSeries.code).tuples()]


def invoice_number(invoice_id: int) -> str | None:
    """The number of a document (None for a draft); an unknown id raises DoesNotExist."""
    return Invoice.get_by_id(invoice_id).number
