"""Writing a validated interchange document: records matched by code, all in one
transaction, untouched when identical so that a second import changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from peewee import Database, Model

from tui_billing.domain.archived import refuse_archived_customer
from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.domain.line_matching import LineKeys, pair_lines
from tui_billing.domain.number_formats import series_formats
from tui_billing.output.interchange_economics import write_economics
from tui_billing.output.interchange_mandates import write_mandates
from tui_billing.output.interchange_read import Document
from tui_billing.output.series_reformat import refuse_reformat
from tui_billing.store.company_row import save_company
from tui_billing.store.models import (
    Article,
    Contract,
    ContractLine,
    ContractTerm,
    Customer,
    IndexSeries,
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
    "vat_nature",
    "frequency",
    "economics",
)
ORDER_LINE_FIELDS = ("position", "description", "quantity", "unit_price", "vat_rate", "vat_nature")
# What an invoiced order does with an import: its lines are locked and its state follows
# its invoices, but it may still be marked shipped.
_STATES_AN_IMPORT_MAY_SET = ("shipped",)

_M = TypeVar("_M", bound=Model)
# A ContractLine or an OrderLine: synchronised alike, by the fields they share (and an order
# line's own, read where the line is known to be one).
_Line = Any


@dataclass
class ImportSummary:
    created: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]

    def line(self) -> str:
        parts = []
        for section in (
            "company",
            "series",
            "customers",
            "articles",
            "contracts",
            "orders",
            "index_series",
            "revenue_figures",
            "mandates",
        ):
            c, u, s = (
                self.created.get(section, 0),
                self.updated.get(section, 0),
                self.unchanged.get(section, 0),
            )
            if c or u or s:
                parts.append(
                    _("{section}: {created} new, {updated} updated, {unchanged} unchanged").format(
                        section=section, created=c, updated=u, unchanged=s
                    )
                )
        return "; ".join(parts) or _("nothing to import")


def _upsert(
    model: type[_M],
    values: dict[str, Any],
    existing: dict[str, _M],
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


def _refuse_archived(
    customers: dict[str, Customer],
    rec: dict[str, Any],
    stored: Mapping[str, Contract | Order],
    kind: str,
    path: str,
) -> None:
    """Refuse a new contract or order (or one moved) for an archived customer; those it
    already has may be imported again unchanged."""
    owner = customers.get(rec["customer"]) if rec["customer"] else None
    if owner is None or not owner.archived:
        return
    row = stored.get(rec["code"])
    if row is None or row.customer_id != owner.id:
        refuse_archived_customer(owner.code, kind, f"{path}.customer")


def _fk_id(value: Any) -> Any:
    return getattr(value, "id", value)


def _line_values(line: _Line, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {k: getattr(line, k) for k in fields if k != "position"}
    values["article"] = line.article.code if line.article_id else None
    return values


def _wanted_values(values: dict, fields: tuple[str, ...]) -> dict[str, Any]:
    """A line of the file as :func:`_line_values` gives a stored one."""
    return {**{k: values[k] for k in fields if k != "position"}, "article": values["article"]}


def _keys(values: dict[str, Any], locked: bool | None) -> tuple:
    return (tuple(sorted(values.items())), locked)


def _stored_keys(row: _Line, fields: tuple[str, ...]) -> LineKeys:
    """A stored line is identical to a wanted one with its values and its locked state, or
    no locked state (the file does not say)."""
    values = _line_values(row, fields)
    locked = getattr(row, "locked", None)
    same = (
        (_keys(values, locked), _keys(values, None))
        if locked is not None
        else (_keys(values, None),)
    )
    return LineKeys(same, (values["article"], values["description"]))


def _wanted_keys(values: dict, fields: tuple[str, ...]) -> LineKeys:
    """A line the file marks locked is first the stored locked one, else one it will lock;
    one marked unlocked is never a locked one (that would be refused)."""
    wanted = _wanted_values(values, fields)
    locked = values.get("locked")
    same = (_keys(wanted, True), _keys(wanted, None)) if locked else (_keys(wanted, locked),)
    return LineKeys(same, (wanted["article"], wanted["description"]))


@dataclass
class LinePlan:
    """What an import does to an owner's lines: the stored rows (by position), each wanted
    line's stored row (None: a new line), and the stored rows the file no longer has."""

    stored: list[_Line]
    rows: list[_Line | None]
    removed: list[_Line]


def plan_lines(
    owner_field: str,
    owner: Model | None,
    line_model: type[ContractLine] | type[OrderLine],
    wanted: list[dict],
    fields: tuple[str, ...],
) -> LinePlan:
    """Pair the file's lines with the stored ones (``domain.line_matching``): a line still
    there keeps its row, hence its id, wherever it moved."""
    current = (
        []
        if owner is None
        else list(
            line_model.select()
            .where(getattr(line_model, owner_field) == owner)
            .order_by(line_model.position, line_model.id)
        )
    )
    pairs = pair_lines(
        [_stored_keys(row, fields) for row in current],
        [_wanted_keys(values, fields) for values in wanted],
    )
    kept = {p for p in pairs if p is not None}
    return LinePlan(
        current,
        [None if p is None else current[p] for p in pairs],
        [row for i, row in enumerate(current) if i not in kept],
    )


def _refuse_locked(row: _Line) -> None:
    """A locked line (an invoiced order line) is never edited or deleted."""
    if getattr(row, "locked", False):
        raise UserError(
            _(
                "line {line} of {order} is locked (invoiced): it cannot be changed or deleted"
            ).format(line=row.position + 1, order=row.order.code),
            "orders",
        )


def _sync_lines(
    owner_field: str,
    owner: Model,
    line_model: type[ContractLine] | type[OrderLine],
    wanted: list[dict],
    fields: tuple[str, ...],
    articles: dict[str, Article],
    plan: LinePlan | None = None,
) -> bool:
    """Make the owner's lines equal to ``wanted``: the lines paired by :func:`plan_lines`
    are updated in place (keeping their ids), the others created or deleted, and positions
    follow the file. Returns whether anything changed."""
    if plan is None:
        plan = plan_lines(owner_field, owner, line_model, wanted, fields)
    changed = False
    for row in plan.removed:
        _refuse_locked(row)
        row.delete_instance()
        changed = True
    for position, (values, row) in enumerate(zip(wanted, plan.rows, strict=True)):
        row_values = {k: values[k] for k in fields} | {"position": position}
        article = articles[values["article"]] if values["article"] else None
        if row is None:
            line_model.create(**{owner_field: owner}, article=article, **row_values)
            changed = True
            continue
        if _line_values(row, fields) != _wanted_values(values, fields):
            _refuse_locked(row)
        elif row.position == position:
            continue
        for key, value in row_values.items():
            setattr(row, key, value)
        row.article = article
        row.save()
        changed = True
    return changed


def sync_terms(contract_id: int, wanted: list[dict[str, Any]]) -> bool:
    """Make the contract's recorded renewals those of the file (matched by term number);
    returns whether anything changed."""
    stored = {
        t.number: t for t in ContractTerm.select().where(ContractTerm.contract == contract_id)
    }
    changed = False
    for values in wanted:
        row = stored.pop(values["number"], None)
        if row is None:
            ContractTerm.create(contract=contract_id, **values)
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            ContractTerm.update(**values).where(ContractTerm.id == row.id).execute()
            changed = True
    if stored:
        ContractTerm.delete().where(ContractTerm.id.in_([t.id for t in stored.values()])).execute()
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
        a.code: {
            "name": a.name,
            "price": a.price,
            "vat_rate": a.vat_rate,
            "vat_nature": a.vat_nature,
        }
        for a in Article.select(
            Article.code, Article.name, Article.price, Article.vat_rate, Article.vat_nature
        )
    }
    return customers, articles


def _invoiced_on(line: OrderLine) -> str | None:
    """The invoice that billed an order line, for an error message (None: not found)."""
    row = (
        Invoice.select(Invoice.id, Invoice.number)
        .join(InvoiceLine)
        .where(InvoiceLine.order_line == line.id)
        .order_by(Invoice.id)
        .first()
    )
    if row is None:
        return None
    return row.number or _("draft #{id}").format(id=row.id)


def _locked_line(order: Order, number: int, line: OrderLine, deleted: bool) -> str:
    """Why a locked line of ``order`` cannot be deleted (or changed), naming its invoice."""
    invoice = _invoiced_on(line)
    values = {
        "line": number,
        "order": order.code,
        "description": repr(line.description),
        "invoice": invoice,
    }
    if invoice is None and deleted:
        text = _("line {line} of order {order} ({description}) is locked: it cannot be deleted")
    elif invoice is None:
        text = _("line {line} of order {order} ({description}) is locked: it cannot be changed")
    elif deleted:
        text = _(
            "line {line} of order {order} ({description}) is locked, invoiced on {invoice}: "
            "it cannot be deleted"
        )
    else:
        text = _(
            "line {line} of order {order} ({description}) is locked, invoiced on {invoice}: "
            "it cannot be changed"
        )
    return text.format(**values)


def _check_invoiced_order(order: Order, rec: dict, path: str, plan: LinePlan) -> None:
    """Refuse (naming the record) an import that would edit or delete a locked line of an
    order, or change the state of an order that has invoices. A locked line may move: the
    lines around it may come and go."""
    number = {row.id: index + 1 for index, row in enumerate(plan.stored)}
    for line in plan.removed:
        if line.locked:
            raise UserError(
                _locked_line(order, number[line.id], line, deleted=True),
                f"{path}.lines",
            )
    for index, (values, line) in enumerate(zip(rec["lines"], plan.rows, strict=True)):
        if line is None or not line.locked:
            continue
        same = _line_values(line, ORDER_LINE_FIELDS) == _wanted_values(values, ORDER_LINE_FIELDS)
        if not same or values.get("locked") is False:
            raise UserError(
                _locked_line(order, number[line.id], line, deleted=False),
                f"{path}.lines[{index}]",
            )
    if (
        rec["status"] != order.status
        and rec["status"] not in _STATES_AN_IMPORT_MAY_SET
        and (
            Invoice.select().where(Invoice.order == order).exists()
            or Installment.select().where(Installment.order == order).exists()
        )
    ):
        raise UserError(
            _(
                "order {order} has invoices or installments and is {status}: its state "
                "follows them and cannot become {wanted}"
            ).format(order=order.code, status=order.status, wanted=rec["status"]),
            f"{path}.status",
        )


def _lock_lines(order: Order, wanted: list[dict]) -> bool:
    """Lock the lines the file marks ``"locked": true``; returns whether any changed."""
    positions = [v["position"] for v in wanted if v.get("locked")]
    if not positions:
        return False
    return bool(
        OrderLine.update(locked=True)
        .where(
            (OrderLine.order == order)
            & OrderLine.position.in_(positions)
            & (OrderLine.locked == False)  # noqa: E712
        )
        .execute()
    )


def write_document(db: Database, doc: Document, today: dt.date | None = None) -> ImportSummary:
    """Persist ``doc`` in one transaction. A series keeps the formats it numbered with in
    the year of ``today`` (:func:`refuse_reformat`)."""
    summary = ImportSummary({}, {}, {})

    def count(section: str, outcome: str) -> None:
        target = getattr(summary, outcome)
        target[section] = target.get(section, 0) + 1

    with write_transaction(db):
        if doc.company is not None:  # the seller: one record, updated in place
            count("company", save_company(db, doc.company))
        series = {s.code: s for s in Series.select()}
        for index, rec in enumerate(doc.series):  # the implicit ones come after the file's
            if rec["code"] in series and not rec.get("implicit"):
                path = f"series[{index}]"
                refuse_reformat(
                    series[rec["code"]],
                    series_formats(rec["code"], rec, path),
                    today or dt.date.today(),
                    path,
                )
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
        for index, rec in enumerate(doc.contracts):
            values = {k: v for k, v in rec.items() if k not in ("lines", "renewals")}
            values["customer"] = customers[rec["customer"]].id if rec["customer"] else None
            _refuse_archived(customers, rec, contracts, "contract", f"contracts[{index}]")
            outcome = _upsert(Contract, values, contracts, ("customer",))
            contract = contracts[rec["code"]]
            if (
                rec["renewals"] is not None
                and sync_terms(contract.id, rec["renewals"])
                and outcome == "unchanged"
            ):
                outcome = "updated"
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
            plan = plan_lines(
                "order", orders.get(rec["code"]), OrderLine, rec["lines"], ORDER_LINE_FIELDS
            )
            if rec["code"] in orders:
                _check_invoiced_order(orders[rec["code"]], rec, path, plan)
            values = {k: v for k, v in rec.items() if k != "lines"}
            values["customer"] = customers[rec["customer"]].id
            _refuse_archived(customers, rec, orders, "order", path)
            outcome = _upsert(Order, values, orders, ("customer",))
            order = orders[rec["code"]]
            if _sync_lines(
                "order", order, OrderLine, rec["lines"], ORDER_LINE_FIELDS, articles, plan
            ):
                outcome = "updated" if outcome == "unchanged" else outcome
            if _lock_lines(order, rec["lines"]):
                outcome = "updated" if outcome == "unchanged" else outcome
            count("orders", outcome)
        for outcome in write_mandates(doc.mandates):
            count("mandates", outcome)
        for section, (new, changed, same) in write_economics(
            doc.index_series, doc.revenue_figures
        ).items():
            summary.created[section] = new
            summary.updated[section] = changed
            summary.unchanged[section] = same
    return summary


def import_data(
    db: Database, data: Any, *, typed_text: bool = False, today: dt.date | None = None
) -> ImportSummary:
    """Validate ``data`` (a parsed interchange object) against the database, then write it.
    Nothing is written when any record is bad. ``typed_text``: built from spreadsheet
    cells (see :func:`read_document`)."""
    from tui_billing.output.interchange_read import read_document

    known_customers, known_articles = known_records()
    known_contracts = {c.code for c in Contract.select(Contract.code)}
    return write_document(
        db,
        read_document(
            data,
            known_customers,
            known_articles,
            known_contracts,
            known_index_series(),
            typed_text=typed_text,
            today=today,
        ),
        today,
    )


def known_index_series() -> set[str]:
    """The codes of the index series a contract line may be indexed to."""
    return {s.code for s in IndexSeries.select(IndexSeries.code)}
