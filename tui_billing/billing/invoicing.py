"""Creating invoices from installments: grouping, exact amounts with VAT per rate (the
arithmetic: ``domain.vat``), appending to drafts (issuing and deleting a draft: ``drafts``).
Each call is one write transaction: all or nothing.

Grouping: one invoice per contract and invoice date; a customer with collective billing gets
one invoice per invoice date for all its contracts (same series and document type); with
``append_to_draft`` the installments go on the newest draft of the same customer, series and
document type instead. An order's installments are invoiced one per invoice: each is a
document of its own (partial, down payment, plan installment or final invoice, after the
prefix of its key); a final invoice completes its order. Lines taken from an order line
(``"order_line"`` in the installment's lines) are linked to it and lock it.

Amounts: each line is rounded to the cent half up; VAT is computed once per rate on the sum
of that rate's lines, half up (the summary of the Italian e-invoice). A line with a VAT nature
(``"vat_nature"`` in the installment's lines) carries no VAT; one out of the scope of VAT (N1:
late-payment interest, recovery fees) is also left out of the taxable base. Total = taxable +
VAT + the lines out of scope.

Speed: this is also the billing run's path for 100,000 invoices, so rows are read and
written with the DB-API cursor in chunks (``executemany``), invoice ids are allocated up
front under the writer lock (max(id)+1 on SQLite, ``nextval`` on PostgreSQL), and numbers
are drawn once per series, year and numbering class for the whole batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any, overload

from peewee import Database, PostgresqlDatabase, chunked

from tui_billing.billing.numbering import Number, assign_numbers, store_numbers
from tui_billing.billing.party_snapshots import refuse_without_seller, snapshot_parties
from tui_billing.billing.professional_rules import apply_professional_rules
from tui_billing.billing.vat_rules import apply_vat_rules
from tui_billing.billing.wording import _, dated, shown
from tui_billing.domain.errors import UserError
from tui_billing.domain.line_prices import fitted_unit_price
from tui_billing.domain.money import CENT, from_cents
from tui_billing.domain.stored_lines import decode_lines
from tui_billing.domain.vat import ByRate, decimal_of, invoice_totals, line_nature, scaled
from tui_billing.domain.vocabulary import DOCUMENT_TYPES
from tui_billing.store.fields import QUANTITY_PLACES, UNIT_PRICE_PLACES
from tui_billing.store.models import utc_now
from tui_billing.store.transactions import write_transaction

CHUNK = 2000  # ids per IN (...) query, invoices per executemany batch
STATUSES = ("draft", "issued")
DOCUMENT_TYPE_ALIASES = {"pro-forma": "proforma", "pro_forma": "proforma", "fattura": "invoice"}
_LIST_IN_MESSAGE = 10  # ids named in an error before "and N more"


@dataclass(frozen=True, slots=True)
class CreatedInvoice:
    """One invoice written (or appended to) by :func:`create_invoices`."""

    id: int
    number: str | None  # None while draft
    customer: str  # customer code
    date: dt.date
    due_date: dt.date | None
    series: str
    document_type: str
    status: str
    taxable: Decimal
    vat: Decimal
    total: Decimal
    installments: int  # installments billed on it by this call
    contracts: tuple[str, ...] = ()
    appended: bool = False  # an existing draft that received the installments
    kind: str = "regular"  # regular, partial, down_payment, installment, final
    out_of_scope: Decimal = Decimal("0.00")  # lines out of VAT scope (N1): in total, not taxable


# ---------------------------------------------------------------------------------------
# Exact amounts
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _line_price_cached(quantity: Any, unit_price: Any, cents: int) -> tuple[int, int]:
    shown_quantity, shown_price = fitted_unit_price(
        decimal_of(quantity, "installment line: quantity"),
        decimal_of(unit_price, "installment line: unit_price"),
        from_cents(cents),
    )
    return scaled(shown_quantity, QUANTITY_PLACES), scaled(shown_price, UNIT_PRICE_PLACES)


def _line_price(quantity: Any, unit_price: Any, cents: int) -> tuple[int, int]:
    """The quantity and unit price an invoice line stores (scaled), such that quantity x
    unit price rounds half up to its amount (``cents``): as the installment states them,
    which its lines always do now; an installment stored before that rule gets a unit price
    near amount / quantity instead."""
    try:
        return _line_price_cached(quantity, unit_price, cents)
    except TypeError:  # unhashable: a list or an object where a number belongs
        raise UserError(
            _("installment line: not a decimal number: {unit_price!r}").format(
                unit_price=unit_price
            )
        ) from None


# ---------------------------------------------------------------------------------------
# Reading the installments
# ---------------------------------------------------------------------------------------

_INSTALLMENT_SQL = (
    "SELECT i.id, i.contract_id, i.order_id, i.status, i.invoice_id, i.invoice_date, "
    "i.period_start, NULL, COALESCE(k.customer_id, o.customer_id), k.code, o.code, "
    "COALESCE(k.series, o.series), k.document_type, k.cost_centre, k.language, "
    "k.payment_method, k.iban, i.amount, i.key "
    "FROM installment i LEFT JOIN contract k ON k.id = i.contract_id "
    'LEFT JOIN "order" o ON o.id = i.order_id WHERE i.id IN ({marks})'
)
# Positions in a row of _INSTALLMENT_SQL. The lines (the bulk of the data) are read later,
# a chunk of invoices at a time, to keep 100,000 installments' JSON out of memory.
(
    _ID,
    _CONTRACT,
    _ORDER,
    _STATUS,
    _INVOICE,
    _DATE,
    _PSTART,
    _LINES,
    _CUSTOMER,
    _KCODE,
    _OCODE,
    _SERIES,
    _DOCTYPE,
    _COST_CENTRE,
    _LANGUAGE,
    _PAYMENT,
    _IBAN,
    _AMOUNT,
    _KEY,
) = range(19)

#: Kinds of the documents billed from an order, named by the prefix of the installment key
#: ("partial:1", "final:3"); any other key of an order is a plan installment.
ORDER_KINDS = ("partial", "down_payment", "installment", "final")


def order_kind(key: str | None) -> str:
    """The kind of invoice an order's installment makes, from its key."""
    prefix = (key or "").partition(":")[0]
    return prefix if prefix in ORDER_KINDS else "installment"


@overload
def _as_date(value: str | dt.date) -> dt.date: ...
@overload
def _as_date(value: None) -> None: ...
def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _fetch_in(db: Database, sql: str, ids: Sequence[int]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    cursor = db.cursor()
    for chunk in chunked(ids, CHUNK):
        chunk = list(chunk)
        cursor.execute(sql.format(marks=", ".join([db.param] * len(chunk))), chunk)
        rows.extend(cursor.fetchall())
    return rows


def _normalize_ids(installment_ids: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    for value in installment_ids:
        text = str(value).strip()
        if isinstance(value, bool) or not text.isdigit():
            raise UserError(
                _("not an installment id: {value!r}").format(value=value), "installments"
            )
        ids.append(int(text))
    return list(dict.fromkeys(ids))


def _named(ids: Sequence[Any]) -> str:
    listed = ", ".join(str(i) for i in ids[:_LIST_IN_MESSAGE])
    more = len(ids) - _LIST_IN_MESSAGE
    if more > 0:
        return _("{items} and {more} more").format(items=listed, more=more)
    return listed


def _invoice_names(db: Database, invoice_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(invoice_ids))
    names = {}
    for iid, number in _fetch_in(db, "SELECT id, number FROM invoice WHERE id IN ({marks})", ids):
        names[iid] = number or _("draft #{id}").format(id=iid)
    return names


def _check_installments(db: Database, ids: list[int], rows: dict[int, tuple[Any, ...]]) -> None:
    missing = [i for i in ids if i not in rows]
    if missing:
        raise UserError(
            _("no such installment: {missing}").format(missing=_named(missing)), "installments"
        )
    invoiced = [rows[i] for i in ids if rows[i][_STATUS] == "invoiced" or rows[i][_INVOICE]]
    if invoiced:
        names = _invoice_names(db, (r[_INVOICE] for r in invoiced if r[_INVOICE]))
        described = [
            _("{id} ({code} {date}, on {invoice})").format(
                id=r[_ID],
                code=r[_KCODE] or r[_OCODE] or "?",
                date=dated(_as_date(r[_DATE])),
                invoice=names.get(r[_INVOICE]) or _("an invoice"),
            )
            for r in invoiced
        ]
        raise UserError(
            _("already invoiced: installment {described}; nothing written").format(
                described=_named(described)
            ),
            "installments",
        )
    other = [
        f"{i} ({shown('status', rows[i][_STATUS])})" for i in ids if rows[i][_STATUS] != "pending"
    ]
    if other:
        raise UserError(
            _("not ready to invoice: installment {other}").format(other=_named(other)),
            "installments",
        )
    orphans = [str(i) for i in ids if rows[i][_CUSTOMER] is None]
    if orphans:
        raise UserError(
            _(
                "no customer to invoice: installment {orphans} (give its contract a customer)"
            ).format(orphans=_named(orphans)),
            "installments",
        )


@dataclass(slots=True)
class _Customer:
    code: str
    terms: int
    collective: bool
    language: str | None
    payment_method: str | None
    iban: str | None


def _load_customers(db: Database, ids: Iterable[int]) -> dict[int, _Customer]:
    sql = (
        "SELECT id, code, payment_terms_days, collective_billing, language, payment_method, "
        "iban FROM customer WHERE id IN ({marks})"
    )
    return {
        row[0]: _Customer(row[1], int(row[2] or 0), bool(row[3]), row[4], row[5], row[6])
        for row in _fetch_in(db, sql, sorted(set(ids)))
    }


# ---------------------------------------------------------------------------------------
# Grouping
# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    """The installments going on one invoice (new, or an existing draft when ``draft``)."""

    customer_id: int
    date: dt.date
    series: str
    document_type: str
    order_id: int | None
    installments: list[tuple[Any, ...]]
    draft: tuple[Any, ...] | None = None  # (id, date, due_date) of the draft appended to
    invoice_id: int = 0
    sort_code: str = ""
    kind: str = "regular"
    due_date: dt.date | None = None  # None: the date plus the customer's payment terms


@lru_cache(maxsize=64)
def _normalize_document_type(value: str | None) -> str | None:
    if value is None:
        return None
    value = DOCUMENT_TYPE_ALIASES.get(value.strip().lower(), value.strip().lower())
    if value not in DOCUMENT_TYPES:
        raise UserError(
            _("unknown document type {value!r} (one of {document_types})").format(
                value=value, document_types=", ".join(DOCUMENT_TYPES)
            ),
            "document_type",
        )
    return value


def _group(
    rows: Iterable[tuple[Any, ...]],
    customers: dict[int, _Customer],
    invoice_date: dt.date | None,
    series: str | None,
    document_type: str | None,
    due_dates: Mapping[int, dt.date] | None = None,
) -> list[_Group]:
    groups: dict[tuple[Any, ...], _Group] = {}
    for row in rows:
        customer = customers[row[_CUSTOMER]]
        date = invoice_date or _as_date(row[_DATE])
        code = series or row[_SERIES] or "A"
        # An installment that credits (a balancing below the advances) is a credit note.
        credit = row[_AMOUNT] is not None and int(row[_AMOUNT]) < 0
        doc = (
            document_type
            or ("credit_note" if credit else None)
            or _normalize_document_type(row[_DOCTYPE])
            or "invoice"
        )
        kind = "regular"
        if row[_ORDER] is not None:
            scope: tuple[Any, ...] | None = ("order", row[_ORDER], row[_ID])
            kind = order_kind(row[_KEY])
        elif customer.collective:
            scope = None
        else:
            scope = ("contract", row[_CONTRACT])
        key = (row[_CUSTOMER], date, code, doc, scope)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(
                row[_CUSTOMER], date, code, doc, row[_ORDER], [], kind=kind
            )
        if due_dates and row[_ID] in due_dates and group.due_date is None:
            group.due_date = due_dates[row[_ID]]
        group.installments.append(row)
    result = list(groups.values())
    for group in result:
        group.installments.sort(key=_installment_order)
        first = group.installments[0]
        group.sort_code = f"{customers[group.customer_id].code}\0{first[_KCODE] or first[_OCODE]}"
    result.sort(key=lambda g: (g.date, g.series, g.document_type, g.sort_code))
    return result


def _installment_order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    start = _as_date(row[_PSTART]) or dt.date.min
    return (row[_KCODE] or row[_OCODE] or "", _as_date(row[_DATE]), start, row[_ID])


def _attach_drafts(db: Database, groups: list[_Group]) -> list[_Group]:
    """Merge the groups that have a draft to go on (newest draft of the same customer,
    series, document type and order) into one group per draft."""
    customer_ids = sorted({g.customer_id for g in groups})
    sql = (
        "SELECT id, customer_id, series, document_type, order_id, date, due_date "
        "FROM invoice WHERE status = 'draft' AND kind IN ('regular', 'installment') "
        "AND customer_id IN ({marks})"
    )
    newest: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for iid, cid, series, doc, order_id, date, due in _fetch_in(db, sql, customer_ids):
        key = (cid, series, doc, order_id)
        if key not in newest or iid > newest[key][0]:
            newest[key] = (iid, _as_date(date), _as_date(due))
    if not newest:
        return groups
    merged: dict[int, _Group] = {}
    result: list[_Group] = []
    for group in groups:
        draft = newest.get((group.customer_id, group.series, group.document_type, group.order_id))
        if draft is None or group.kind not in ("regular", "installment"):
            result.append(group)
            continue
        target = merged.get(draft[0])
        if target is None:
            target = merged[draft[0]] = _Group(
                group.customer_id,
                draft[1],
                group.series,
                group.document_type,
                group.order_id,
                [],
                draft=draft,
                invoice_id=draft[0],
                sort_code=group.sort_code,
            )
            result.append(target)
        target.installments.extend(group.installments)
    for target in merged.values():
        target.installments.sort(key=_installment_order)
    return result


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


def _allocate_ids(db: Database, count: int) -> list[int]:
    """``count`` fresh invoice ids, reserved under the writer lock."""
    if count == 0:
        return []
    if isinstance(db, PostgresqlDatabase):
        cursor = db.execute_sql(
            "SELECT nextval(pg_get_serial_sequence('invoice', 'id')) FROM generate_series(1, %s)",
            (count,),
        )
        return sorted(int(r[0]) for r in cursor.fetchall())
    first = int(db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM invoice").fetchone()[0]) + 1
    return list(range(first, first + count))


@lru_cache(maxsize=4096)
def _line_date_cached(value: str | dt.date) -> dt.date:
    return _as_date(value)


@lru_cache(maxsize=4096)
def _iso_text(value: dt.date) -> str:
    return value.isoformat()


def _line_date(value: Any) -> dt.date:
    """A competence date of an installment line (ISO text in the stored JSON)."""
    try:
        return _line_date_cached(value)
    except (TypeError, ValueError):
        raise UserError(_("installment line: not a date: {value!r}").format(value=value)) from None


def _parse_lines(installment_id: int, text: str | None) -> list[dict[str, Any]]:
    try:
        lines = decode_lines(text)
    except ValueError:
        raise UserError(
            _("installment {installment_id}: its lines are not valid JSON").format(
                installment_id=installment_id
            )
        ) from None
    if not isinstance(lines, list) or not lines or not all(isinstance(li, dict) for li in lines):
        raise UserError(
            _("installment {installment_id} has no lines to invoice").format(
                installment_id=installment_id
            ),
            "installments",
        )
    return lines


def _order_line(installment_id: int, value: Any) -> int | None:
    """The order line an installment line bills, if any."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(
            _("installment {installment_id}: not an order line id: {value!r}").format(
                installment_id=installment_id, value=value
            )
        )
    return value


def _lines_json(db: Database, groups: Iterable[_Group]) -> dict[int, str]:
    ids = [row[_ID] for group in groups for row in group.installments]
    return dict(_fetch_in(db, "SELECT id, lines FROM installment WHERE id IN ({marks})", ids))


class _Writer:
    """Builds and writes the rows of one batch of groups."""

    def __init__(
        self,
        db: Database,
        customers: dict[int, _Customer],
        billing_run_id: int | None,
        now: dt.datetime,
    ) -> None:
        self.db = db
        self.customers = customers
        self.billing_run_id = billing_run_id
        pg = isinstance(db, PostgresqlDatabase)
        self.as_date: Callable[[dt.date | None], Any] = (
            (lambda d: d) if pg else (lambda d: d.isoformat() if d else None)
        )
        self.now = now if pg else str(now)
        self.invoice_rows: list[tuple[Any, ...]] = []
        self.line_rows: list[tuple[Any, ...]] = []
        self.installment_rows: list[tuple[Any, ...]] = []
        self.draft_updates: list[tuple[Any, ...]] = []
        self.completed_orders: list[tuple[Any, ...]] = []

    def add(
        self,
        group: _Group,
        number: Number | None,
        first_position: int,
        by_rate: ByRate,
        lines_json: dict[int, str],
    ) -> CreatedInvoice:
        invoice_id = group.invoice_id
        position = first_position
        contracts: dict[str, None] = {}
        for row in group.installments:
            inst_id = row[_ID]
            lines = _parse_lines(inst_id, lines_json[inst_id])
            contract_id = row[_CONTRACT]
            cost_centre = row[_COST_CENTRE]
            if row[_KCODE]:
                contracts[row[_KCODE]] = None
            for index, li in enumerate(lines):
                position += 1
                amount_value = li.get("amount")
                if amount_value is None:
                    exact = decimal_of(
                        li.get("quantity", 1), f"installment {inst_id}"
                    ) * decimal_of(li.get("unit_price", 0), f"installment {inst_id}")
                    amount_value = exact.quantize(CENT, rounding=ROUND_HALF_UP)
                amount = scaled(amount_value, 2)
                rate = scaled(li.get("vat_rate", "22"), 2)
                nature = line_nature(li.get("vat_nature"))
                by_rate[rate, nature] = by_rate.get((rate, nature), 0) + amount
                quantity, unit_price = _line_price(
                    li.get("quantity", 1), li.get("unit_price", amount_value), amount
                )
                self.line_rows.append(
                    (
                        invoice_id,
                        position,
                        str(li.get("description") or ""),
                        contract_id,
                        inst_id,
                        index,
                        self._date_text(li.get("period_start")),
                        self._date_text(li.get("period_end")),
                        quantity,
                        li.get("unit"),
                        unit_price,
                        amount,
                        rate,
                        nature,
                        cost_centre,
                        _order_line(inst_id, li.get("order_line")),
                    )
                )
            self.installment_rows.append((invoice_id, inst_id))
        taxable, vat, total, out_of_scope = invoice_totals(by_rate)
        customer = self.customers[group.customer_id]
        if group.draft is not None:
            date, due = group.draft[1], group.draft[2]
            self.draft_updates.append((taxable, vat, total, invoice_id))
        else:
            date = group.date
            try:
                due = group.due_date or date + dt.timedelta(days=customer.terms)
            except OverflowError:
                raise UserError(
                    _(
                        "its due date, {terms} days after {date:%d/%m/%Y}, lies past the end of "
                        "the calendar (9999)"
                    ).format(terms=customer.terms, date=date)
                ) from None
            language, payment, iban = self._terms(group, customer)
            self.invoice_rows.append(
                (
                    invoice_id,
                    group.series,
                    number.year if number else None,
                    number.seq if number else None,
                    number.number if number else None,
                    number.numbering if number else None,
                    "issued" if number else "draft",
                    group.document_type,
                    group.kind,
                    self.as_date(date),
                    self.as_date(due),
                    group.customer_id,
                    group.order_id,
                    language,
                    payment,
                    iban,
                    taxable,
                    vat,
                    total,
                    self.billing_run_id,
                    self.now,
                    self.now if number else None,
                )
            )
        if group.kind == "final":
            self.completed_orders.append((group.order_id,))
        return CreatedInvoice(
            id=invoice_id,
            number=number.number if number else None,
            customer=customer.code,
            date=date,
            due_date=due,
            series=group.series,
            document_type=group.document_type,
            status="issued" if number else "draft",
            taxable=from_cents(taxable),
            vat=from_cents(vat),
            total=from_cents(total),
            installments=len(group.installments),
            contracts=tuple(sorted(contracts)),
            appended=group.draft is not None,
            kind=group.kind,
            out_of_scope=from_cents(out_of_scope),
        )

    def _date_text(self, value: Any) -> Any:
        if value is None:
            return None
        parsed = _line_date(value)
        return parsed if isinstance(self.db, PostgresqlDatabase) else _iso_text(parsed)

    @staticmethod
    def _terms(group: _Group, customer: _Customer) -> tuple[str | None, str | None, str | None]:
        """Language, payment method and IBAN: the contract's own when all the contracts on
        the invoice agree, else the customer's."""
        own = {(r[_LANGUAGE], r[_PAYMENT], r[_IBAN]) for r in group.installments}
        language, payment, iban = own.pop() if len(own) == 1 else (None, None, None)
        return (
            language or customer.language or "it",
            payment or customer.payment_method,
            iban or customer.iban,
        )

    def flush(self) -> None:
        db, p = self.db, self.db.param
        cursor = db.cursor()
        if self.invoice_rows:
            cursor.executemany(
                "INSERT INTO invoice (id, series, year, seq, number, numbering, status,"
                " document_type, kind, date, due_date, customer_id, order_id, language,"
                " payment_method, iban, taxable, vat, total, billing_run_id, created_at,"
                " issued_at) VALUES (" + ", ".join([p] * 22) + ")",
                self.invoice_rows,
            )
        if self.line_rows:
            cursor.executemany(
                "INSERT INTO invoice_line (invoice_id, position, description, contract_id,"
                " installment_id, installment_line, period_start, period_end, quantity, unit,"
                " unit_price, amount, vat_rate, vat_nature, cost_centre, order_line_id) VALUES ("
                + ", ".join([p] * 16)
                + ")",
                self.line_rows,
            )
            locked = [(row[-1],) for row in self.line_rows if row[-1] is not None]
            if locked:
                true = "true" if isinstance(db, PostgresqlDatabase) else "1"
                cursor.executemany(f"UPDATE order_line SET locked = {true} WHERE id = {p}", locked)
        if self.installment_rows:
            cursor.executemany(
                f"UPDATE installment SET status = 'invoiced', invoice_id = {p} "
                f"WHERE id = {p} AND status = 'pending' AND invoice_id IS NULL",
                self.installment_rows,
            )
            if cursor.rowcount not in (-1, len(self.installment_rows)):
                # Cannot happen under the writer lock; refuse rather than double-bill.
                raise RuntimeError("installments changed while they were being invoiced")
        if self.draft_updates:
            cursor.executemany(
                f"UPDATE invoice SET taxable = {p}, vat = {p}, total = {p} WHERE id = {p}",
                self.draft_updates,
            )
        if self.completed_orders:
            cursor.executemany(
                f"UPDATE \"order\" SET status = 'completed' WHERE id = {p}", self.completed_orders
            )
        self.invoice_rows, self.line_rows = [], []
        self.installment_rows, self.draft_updates, self.completed_orders = [], [], []


def _draft_state(db: Database, draft_ids: list[int]) -> tuple[dict[int, int], dict[int, ByRate]]:
    """Last line position and amounts per VAT rate and nature (scaled) of the drafts
    appended to."""
    positions: dict[int, int] = {}
    amounts: dict[int, ByRate] = {}
    rows = _fetch_in(
        db,
        "SELECT invoice_id, MAX(position), vat_rate, vat_nature, SUM(amount) FROM "
        "invoice_line WHERE invoice_id IN ({marks}) GROUP BY invoice_id, vat_rate, vat_nature",
        draft_ids,
    )
    for iid, position, rate, nature, amount in rows:
        positions[iid] = max(positions.get(iid, 0), int(position or 0))
        amounts.setdefault(iid, {})[int(rate), nature] = int(amount or 0)
    return positions, amounts


def create_invoices(
    db: Database,
    installment_ids: Iterable[int | str],
    *,
    invoice_date: dt.date | None = None,
    series: str | None = None,
    document_type: str | None = None,
    append_to_draft: bool = False,
    status: str = "draft",
    billing_run_id: int | None = None,
    due_dates: Mapping[int, dt.date] | None = None,
) -> list[CreatedInvoice]:
    """Invoice the given pending installments; returns the invoices in creation order.

    ``invoice_date`` None: each installment's own invoice date; ``series`` and
    ``document_type`` None: each contract's. ``status`` "issued" numbers them at once.
    Refuses (UserError, nothing written) unknown ids, installments not pending (naming
    them and their invoice) and bad options. ``due_dates`` (installment id -> date) sets the
    due date of the invoice an installment starts, instead of the customer's terms.
    """
    if status not in STATUSES:
        raise UserError(
            _("unknown status {status!r} (draft or issued)").format(status=status), "status"
        )
    document_type = _normalize_document_type(document_type)
    if series is not None:
        series = series.strip()
        if not series:
            raise UserError(_("the numbering series must not be empty"), "series")
    if invoice_date is not None and not isinstance(invoice_date, dt.date):
        raise UserError(_("not a date"), "invoice_date")
    ids = _normalize_ids(installment_ids)
    if not ids:
        raise UserError(_("no installments to invoice"), "installments")

    with write_transaction(db):
        rows = {r[_ID]: r for r in _fetch_in(db, _INSTALLMENT_SQL, ids)}
        _check_installments(db, ids, rows)
        customers = _load_customers(db, (r[_CUSTOMER] for r in rows.values()))
        groups = _group(
            (rows[i] for i in ids), customers, invoice_date, series, document_type, due_dates
        )
        del rows
        if append_to_draft:
            groups = _attach_drafts(db, groups)
        new = [g for g in groups if g.draft is None]
        for group, invoice_id in zip(new, _allocate_ids(db, len(new)), strict=True):
            group.invoice_id = invoice_id
        drafts = [g for g in groups if g.draft is not None]
        positions, amounts = _draft_state(db, [g.invoice_id for g in drafts])

        numbers: dict[int, Number] = {}
        if status == "issued":
            refuse_without_seller([g.document_type for g in groups])
            to_number = sorted(groups, key=lambda g: (g.date, g.invoice_id))
            assigned = assign_numbers(db, [(g.series, g.date, g.document_type) for g in to_number])
            numbers = {g.invoice_id: n for g, n in zip(to_number, assigned, strict=True)}

        writer = _Writer(db, customers, billing_run_id, utc_now())
        created: list[CreatedInvoice] = []
        for batch in chunked(groups, CHUNK):
            lines_json = _lines_json(db, batch)
            for group in batch:
                iid = group.invoice_id
                created.append(
                    writer.add(
                        group,
                        numbers.get(iid) if group.draft is None else None,
                        positions.get(iid, 0),
                        dict(amounts.get(iid, {})),
                        lines_json,
                    )
                )
            writer.flush()
        if status == "issued" and drafts:
            store_numbers(db, [(g.invoice_id, numbers[g.invoice_id]) for g in drafts])
            created = [_with_number(c, numbers[c.id]) if c.appended else c for c in created]
        totals = apply_vat_rules(db, [c.id for c in created])
        if totals:  # the bollo line charged to the customer
            created = [replace(c, total=totals[c.id]) if c.id in totals else c for c in created]
        figures = apply_professional_rules(db, [c.id for c in created])
        if figures:  # a professional's contribution (its VAT) joins the totals
            created = [
                replace(c, taxable=figures[c.id][0], vat=figures[c.id][1], total=figures[c.id][2])
                if c.id in figures
                else c
                for c in created
            ]
        if status == "issued":
            snapshot_parties(db, [c.id for c in created])
    return created


def plan_invoices(
    db: Database,
    installment_ids: Iterable[int | str],
    *,
    invoice_date: dt.date | None = None,
    series: str | None = None,
    document_type: str | None = None,
    append_to_draft: bool = False,
) -> list[tuple[str, dt.date, str, bool]]:
    """The invoices :func:`create_invoices` would make of these installments, as (series,
    date, document type, appended to a draft), read-only: what a confirmation names.
    Refuses what :func:`create_invoices` refuses about the installments."""
    document_type = _normalize_document_type(document_type)
    series = (series or "").strip() or None
    ids = _normalize_ids(installment_ids)
    if not ids:
        raise UserError(_("no installments to invoice"), "installments")
    rows = {r[_ID]: r for r in _fetch_in(db, _INSTALLMENT_SQL, ids)}
    _check_installments(db, ids, rows)
    customers = _load_customers(db, (r[_CUSTOMER] for r in rows.values()))
    groups = _group((rows[i] for i in ids), customers, invoice_date, series, document_type)
    if append_to_draft:
        groups = _attach_drafts(db, groups)
    return [(g.series, g.date, g.document_type, g.draft is not None) for g in groups]


def _with_number(created: CreatedInvoice, number: Number) -> CreatedInvoice:
    return replace(created, number=number.number, status="issued")


__all__ = [
    "CreatedInvoice",
    "create_invoices",
    "plan_invoices",
    "order_kind",
]
