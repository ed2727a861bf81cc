"""Writing a validated interchange document: records matched by code, all in one
transaction, untouched when identical so that a second import changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import Database, Model

from tui_billing.domain.errors import UserError
from tui_billing.output.interchange_economics import write_economics
from tui_billing.output.interchange_read import Document
from tui_billing.store.models import (
    Article,
    Contract,
    ContractLine,
    Customer,
    Installment,
    Invoice,
    InvoiceLine,
    Order,
    OrderLine,
    Series,
)
from tui_billing.store.transactions import write_transaction

LINE_FIELDS = (
    "position",
    "description",
    "quantity",
    "unit_price",
    "price_period",
    "recurring",
    "valid_from",
    "valid_to",
    "vat_rate",
    "frequency",
    "economics",
)
ORDER_LINE_FIELDS = ("position", "description", "quantity", "unit_price", "vat_rate")
# What an invoiced order does with an import: its lines are locked and its state follows
# its invoices, but it may still be marked shipped.
_STATES_AN_IMPORT_MAY_SET = ("shipped",)


@dataclass
class ImportSummary:
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]

    def line(self) -> str:
        parts = []
        for section in ("series", "customers", "articles", "contracts", "orders",
                        "index_series", "revenue_figures"):
            c, u, s = (
                self.created.get(section, 0),
                self.updated.get(section, 0),
                self.unchanged.get(section, 0),
            )
            if c or u or s:
                parts.append(f"{section}: {c} new, {u} updated, {s} unchanged")
        return "; ".join(parts) or "nothing to import"


def _upsert(
    model: type[Model],
    values: dict[str, Any],
    existing: dict[str, Model],
    fk_fields: tuple[str, ...] = (),
) -> str:
    """Create or update one record by code (foreign keys compared by id); returns
    created / updated / unchanged."""
    row = existing.get(values["code"])
    if row is None:
        existing[values["code"]] = model.create(**values)
        return "created"
    changed = {}
    for key, value in values.items():
        attr = f"{key}_id" if key in fk_fields else key
        if getattr(row, attr) != _fk_id(value):
            changed[attr] = _fk_id(value)
    if not changed:
        return "unchanged"
    for attr, value in changed.items():
        setattr(row, attr, value)
    row.save()
    return "updated"


def _fk_id(value: Any) -> Any:
    return getattr(value, "id", value)


def _line_values(line: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {k: getattr(line, k) for k in fields}
    values["article"] = line.article.code if line.article_id else None
    return values


def _refuse_locked(row: Model) -> None:
    """A locked line (an invoiced order line) is never edited or deleted."""
    if getattr(row, "locked", False):
        raise UserError(f"line {row.position + 1} of {row.order.code} is locked (invoiced): it "
                        "cannot be changed or deleted", "orders")


def _sync_lines(
    owner_field: str,
    owner: Model,
    line_model: type[Model],
    wanted: list[dict],
    fields: tuple[str, ...],
    articles: dict[str, Article],
) -> bool:
    """Make the owner's lines equal to ``wanted``, updating in place by position so that a
    line keeps its identity (installments refer to it). Returns whether anything changed."""
    current = list(
        line_model.select()
        .where(getattr(line_model, owner_field) == owner)
        .order_by(line_model.position)
    )
    changed = False
    for index, values in enumerate(wanted):
        row_values = {k: values[k] for k in fields}
        article = articles[values["article"]] if values["article"] else None
        if index < len(current):
            row = current[index]
            if _line_values(row, fields) == {**row_values, "article": values["article"]}:
                continue
            _refuse_locked(row)
            for key, value in row_values.items():
                setattr(row, key, value)
            row.article = article
            row.save()
        else:
            line_model.create(**{owner_field: owner}, article=article, **row_values)
        changed = True
    for row in current[len(wanted) :]:
        _refuse_locked(row)
        row.delete_instance()
        changed = True
    return changed


def bump_revision(contract_id: int) -> None:
    """Mark a contract as edited: materializing recomputes its installments not yet
    invoiced (and never touches invoiced ones)."""
    Contract.update(revision=Contract.revision + 1).where(Contract.id == contract_id).execute()


def known_records() -> tuple[set[str], dict[str, dict[str, Any]]]:
    """The customer codes and the articles (name, price, VAT rate by code) that records
    being validated may refer to."""
    customers = {c.code for c in Customer.select(Customer.code)}
    articles = {
        a.code: {"name": a.name, "price": a.price, "vat_rate": a.vat_rate}
        for a in Article.select(Article.code, Article.name, Article.price, Article.vat_rate)
    }
    return customers, articles


def _invoiced_on(line: OrderLine) -> str:
    """The invoice that billed an order line, for an error message."""
    row = (Invoice.select(Invoice.id, Invoice.number).join(InvoiceLine)
           .where(InvoiceLine.order_line == line.id).order_by(Invoice.id).first())
    if row is None:
        return "locked"
    return f"locked, invoiced on {row.number or f'draft #{row.id}'}"


def _check_invoiced_order(order: Order, rec: dict, path: str,
                          articles: dict[str, Article]) -> None:
    """Refuse (naming the record) an import that would edit or delete a locked line of an
    order, or change the state of an order that has invoices."""
    current = list(OrderLine.select().where(OrderLine.order == order)
                   .order_by(OrderLine.position))
    wanted = rec["lines"]
    for index, line in enumerate(current):
        if not line.locked:
            continue
        if index >= len(wanted):
            raise UserError(f"line {index + 1} of order {order.code} ({line.description!r}) is "
                            f"{_invoiced_on(line)}: it cannot be deleted", f"{path}.lines")
        values = wanted[index]
        same = _line_values(line, ORDER_LINE_FIELDS) == {
            **{k: values[k] for k in ORDER_LINE_FIELDS}, "article": values["article"]}
        if not same or values.get("locked") is False:
            raise UserError(f"line {index + 1} of order {order.code} ({line.description!r}) is "
                            f"{_invoiced_on(line)}: it cannot be changed",
                            f"{path}.lines[{index}]")
    if rec["status"] != order.status and rec["status"] not in _STATES_AN_IMPORT_MAY_SET and (
        Invoice.select().where(Invoice.order == order).exists()
        or Installment.select().where(Installment.order == order).exists()
    ):
        raise UserError(f"order {order.code} has invoices or installments and is "
                        f"{order.status}: its state follows them and cannot become "
                        f"{rec['status']}", f"{path}.status")


def _lock_lines(order: Order, wanted: list[dict]) -> bool:
    """Lock the lines the file marks ``"locked": true``; returns whether any changed."""
    positions = [v["position"] for v in wanted if v.get("locked")]
    if not positions:
        return False
    return bool(OrderLine.update(locked=True).where(
        (OrderLine.order == order) & OrderLine.position.in_(positions)
        & (OrderLine.locked == False)  # noqa: E712
    ).execute())


def write_document(db: Database, doc: Document) -> ImportSummary:
    """Persist ``doc`` in one transaction."""
    summary = ImportSummary({}, {}, {})

    def count(section: str, outcome: str) -> None:
        target = getattr(summary, outcome)
        target[section] = target.get(section, 0) + 1

    with write_transaction(db):
        series = {s.code: s for s in Series.select()}
        for rec in doc.series:
            if rec.get("implicit"):
                if rec["code"] not in series:
                    series[rec["code"]] = Series.create(code=rec["code"], format=rec["format"])
                    count("series", "created")
                continue
            count("series", _upsert(Series, rec, series))
        customers = {c.code: c for c in Customer.select()}
        for rec in doc.customers:
            count("customers", _upsert(Customer, rec, customers))
        articles = {a.code: a for a in Article.select()}
        for rec in doc.articles:
            count("articles", _upsert(Article, rec, articles))
        contracts = {c.code: c for c in Contract.select()}
        for rec in doc.contracts:
            values = {k: v for k, v in rec.items() if k != "lines"}
            values["customer"] = customers[rec["customer"]].id if rec["customer"] else None
            outcome = _upsert(Contract, values, contracts, ("customer",))
            contract = contracts[rec["code"]]
            lines_changed = _sync_lines(
                "contract", contract, ContractLine, rec["lines"], LINE_FIELDS, articles
            )
            if outcome == "unchanged" and lines_changed:
                outcome = "updated"
            if outcome == "updated":
                bump_revision(contract.id)
            count("contracts", outcome)
        orders = {o.code: o for o in Order.select()}
        for index, rec in enumerate(doc.orders):
            path = f"orders[{index}]"
            if rec["code"] in orders:
                _check_invoiced_order(orders[rec["code"]], rec, path, articles)
            values = {k: v for k, v in rec.items() if k != "lines"}
            values["customer"] = customers[rec["customer"]].id
            outcome = _upsert(Order, values, orders, ("customer",))
            order = orders[rec["code"]]
            if _sync_lines("order", order, OrderLine, rec["lines"], ORDER_LINE_FIELDS, articles):
                outcome = "updated" if outcome == "unchanged" else outcome
            if _lock_lines(order, rec["lines"]):
                outcome = "updated" if outcome == "unchanged" else outcome
            count("orders", outcome)
        for section, (new, changed, same) in write_economics(doc.index_series,
                                                             doc.revenue_figures).items():
            summary.created[section] = new
            summary.updated[section] = changed
            summary.unchanged[section] = same
    return summary


def import_data(db: Database, data: Any) -> ImportSummary:
    """Validate ``data`` (a parsed interchange object) against the database, then write it.
    Nothing is written when any record is bad."""
    from tui_billing.output.interchange_read import read_document

    known_customers, known_articles = known_records()
    known_contracts = {c.code for c in Contract.select(Contract.code)}
    return write_document(db, read_document(data, known_customers, known_articles,
                                            known_contracts))
