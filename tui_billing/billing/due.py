"""The installments due on a date: invoice date on or before it, not yet invoiced."""

from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from peewee import Database

from tui_billing.billing.gc_pause import gc_paused
from tui_billing.billing.materialize import MaterializeResult, materialize
from tui_billing.domain.stored_lines import decode_lines, output_lines_text, without_keys
from tui_billing.store.database import date_param, stored_date
from tui_billing.store.models import Installment

# Who each installment belongs to, read once per listing: (contract code, order code,
# customer code, customer name, series) by contract id and by order id.
_CONTRACTS_SQL = (
    "SELECT k.id, k.code, c.code, c.name, k.series FROM contract k"
    " JOIN customer c ON c.id = k.customer_id"
)
_ORDERS_SQL = (
    'SELECT o.id, o.code, c.code, c.name, o.series FROM "order" o'
    " JOIN customer c ON c.id = o.customer_id"
)
# The installments themselves: narrow rows in invoice-date order, which the index on
# (status, invoice_date) gives without sorting; materializing writes the rows of one date
# together, so reading them this way touches each table page about once.
_DUE_SQL = (
    "SELECT id, contract_id, order_id, period_start, period_end, invoice_date, amount{lines}"
    " FROM installment WHERE status = '{status}' AND invoice_date <= {p}{only}"
    " ORDER BY invoice_date"
)
FETCH = 5000


@lru_cache(maxsize=4096)
def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _field(index: int, doc: str) -> property:
    return property(itemgetter(index), doc=doc)


def _owner_field(index: int, doc: str) -> property:
    return property(lambda row: row[1][index], doc=doc)


def _date_field(index: int, doc: str) -> property:
    return property(lambda row: stored_date(row[index]), doc=doc)


class DueInstallment(tuple[Any, ...]):
    """One due installment. A lazy row: it keeps the values as the database returned them
    and makes dates and the Decimal amount when they are read, so listing hundreds of
    thousands of installments builds one small object each. Immutable and hashable."""

    __slots__ = ()

    def __new__(
        cls,
        id: int,  # the attribute's name
        contract: str | None,
        order: str | None,
        customer: str,
        customer_name: str,
        series: str,
        period_start: dt.date | None,
        period_end: dt.date | None,
        invoice_date: dt.date,
        amount: Decimal,
        status: str,
        lines_json: str | None = None,
    ) -> DueInstallment:
        owner = (contract, order, customer, customer_name, series, 0)
        return tuple.__new__(
            cls, (id, owner, period_start, period_end, invoice_date, amount, status, lines_json)
        )

    id = _field(0, "The installment's id (what ``invoice --installments`` takes).")
    contract = _owner_field(0, "Contract code, None for an order installment.")
    order = _owner_field(1, "Order code, None for a contract installment.")
    customer = _owner_field(2, "Customer code.")
    customer_name = _owner_field(3, "Customer name.")
    series = _owner_field(4, "Numbering series.")
    period_start = _date_field(2, "Start of the competence period; None for a one-off.")
    period_end = _date_field(3, "End of the competence period; None for a one-off.")
    invoice_date = _date_field(4, "The date it falls due for invoicing.")
    status = _field(6, "'pending', or 'waiting' (held back for a revenue figure).")
    lines_json = _field(7, "The stored lines, when the listing read them.")

    @property
    def owner(self) -> str:
        """The code of what it bills: its contract, else its order."""
        return self[1][0] or self[1][1] or ""

    @property
    def amount(self) -> Decimal:
        """The sum of its lines, net of VAT."""
        value = self[5]
        return value if isinstance(value, Decimal) else _money(value)

    @property
    def lines(self) -> list[dict[str, Any]]:
        text = self[7]
        if text is None:
            text = Installment.get_by_id(self[0]).lines
        return decode_lines(text)

    def __repr__(self) -> str:
        return (
            f"DueInstallment(id={self.id}, contract={self.contract!r}, "
            f"order={self.order!r}, customer={self.customer!r}, "
            f"invoice_date={self.invoice_date}, amount={self.amount})"
        )

    def fields(self) -> tuple[Any, ...]:
        """Every attribute, typed, in the constructor's order."""
        return (
            self.id,
            self.contract,
            self.order,
            self.customer,
            self.customer_name,
            self.series,
            self.period_start,
            self.period_end,
            self.invoice_date,
            self.amount,
            self.status,
            self.lines_json,
        )

    # Compared by what the attributes say (a listed row keeps ISO text where a built one
    # holds dates), as the dataclass it replaces was.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DueInstallment):
            return NotImplemented
        return self.fields() == other.fields()

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self.fields())

    def __reduce__(self) -> tuple[Any, ...]:
        return _restore, (tuple(self),)

    def to_json(self) -> dict[str, Any]:
        """The ``due --json`` shape of the spec."""
        start, end = self.period_start, self.period_end
        return {
            "installment": str(self.id),
            "contract": self.contract,
            "order": self.order,
            "customer": self.customer,
            "period_start": start.isoformat() if start else None,
            "period_end": end.isoformat() if end else None,
            "invoice_date": self.invoice_date.isoformat(),
            "amount": f"{self.amount:.2f}",
            "status": self.status,  # pending, or waiting (held back for a revenue figure)
            "lines": without_keys(self.lines),
        }

    def json_text(self) -> str:
        """:meth:`to_json` as compact JSON text, made straight from the stored values."""
        start, end, day = self[2], self[3], self[4]
        return (
            f'{{"installment":"{self[0]}","contract":{_text(self[1][0])},'
            f'"order":{_text(self[1][1])},"customer":{_text(self[1][2])},'
            f'"period_start":{_day(start)},"period_end":{_day(end)},'
            f'"invoice_date":{_day(day)},"amount":"{_amount_text(self[5])}",'
            f'"status":"{self[6]}","lines":{output_lines_text(self.lines_text())}}}'
        )

    def lines_text(self) -> str:
        """The stored lines (read now when the listing did not)."""
        text = self[7]
        return text if text is not None else Installment.get_by_id(self[0]).lines


def _restore(values: tuple[Any, ...]) -> DueInstallment:
    return tuple.__new__(DueInstallment, values)


_dumps_text = json.encoder.encode_basestring


def _amount_text(value: int | Decimal) -> str:
    if isinstance(value, int):  # cents, as stored
        whole, cents = divmod(abs(value), 100)
        return f"{'-' if value < 0 else ''}{whole}.{cents:02d}"
    return f"{value:.2f}"


def _text(value: str | None) -> str:
    return "null" if value is None else _dumps_text(value)


@lru_cache(maxsize=65536)
def _day(value: str | dt.date | None) -> str:
    if value is None:
        return "null"
    return f'"{value if isinstance(value, str) else value.isoformat()}"'


def _owners(
    db: Database, customer: str | None, contract: str | None, series: str | None
) -> tuple[dict[int, tuple[Any, ...]], dict[int, tuple[Any, ...]]]:
    """Contract and order owners (see _CONTRACTS_SQL) matching the filters, each with its
    rank in the listing order: customer code, then contract or order code (orders
    first, as a missing contract code sorts first)."""
    p = db.param
    found: list[tuple[Any, ...]] = []
    for sql, alias, is_order in ((_CONTRACTS_SQL, "k", False), (_ORDERS_SQL, "o", True)):
        if contract and is_order:
            continue  # an order belongs to no contract
        where, params = [], []
        for column, value in (
            ("c.code", customer),
            (f"{alias}.code", None if is_order else contract),
            (f"{alias}.series", series),
        ):
            if value:
                where.append(f"{column} = {p}")
                params.append(value)
        text = sql + (" WHERE " + " AND ".join(where) if where else "")
        for oid, code, c_code, c_name, s_code in db.execute_sql(text, params):
            found.append(
                (
                    c_code,
                    "" if is_order else code,
                    code if is_order else "",
                    is_order,
                    oid,
                    c_name,
                    s_code,
                )
            )
    found.sort()
    contracts: dict[int, tuple[Any, ...]] = {}
    orders: dict[int, tuple[Any, ...]] = {}
    for rank, (c_code, k_code, o_code, is_order, oid, c_name, s_code) in enumerate(found):
        if is_order:
            orders[oid] = (None, o_code, c_code, c_name, s_code, rank)
        else:
            contracts[oid] = (k_code, None, c_code, c_name, s_code, rank)
    return contracts, orders


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    start = row[2]
    return row[1][5], start is not None, start, row[0]


def iter_due(
    db: Database,
    on: dt.date,
    *,
    customer: str | None = None,
    contract: str | None = None,
    series: str | None = None,
    with_lines: bool = False,
    waiting: bool = False,
) -> Iterator[DueInstallment]:
    """What is due on ``on``, ordered by invoice date, customer, contract (or order),
    period start (one-offs first) and id, streamed: the rows of one invoice date at a
    time are put in order here, from a listing rank of their contract or order. With
    ``waiting`` also the installments held back for a revenue figure (never invoiced)."""
    contracts, orders = _owners(db, customer, contract, series)
    filtered = bool(customer or contract or series)
    if filtered and not (contracts or orders):
        return
    only = ""
    if filtered and len(contracts) + len(orders) <= 1000:
        parts = []
        if contracts:
            parts.append(f"contract_id IN ({','.join(str(int(i)) for i in contracts)})")
        if orders:
            parts.append(f"order_id IN ({','.join(str(int(i)) for i in orders)})")
        only = f" AND ({' OR '.join(parts)})"
    days: dict[Any, Any] = {}
    # The few held back: read first, then merged into the stream by date.
    held: dict[Any, list[DueInstallment]] = {}
    if waiting:
        for batch in _batches(db, on, "waiting", only, with_lines):
            for row in _rows(batch, contracts, orders, days, "waiting", with_lines):
                held.setdefault(row[4], []).append(row)
    later = sorted(held)
    group: list[DueInstallment] = []
    current = None
    for batch in _batches(db, on, "pending", only, with_lines):
        ready: list[DueInstallment] = []
        with gc_paused():
            rows = _rows(batch, contracts, orders, days, "pending", with_lines)
            start, end = 0, len(rows)
            while start < end:  # a run of one invoice date at a time (rows come by date)
                day = rows[start][4]
                if day != current:
                    if group:
                        ready += _in_order(group, held.pop(current, ()))
                        group = []
                    current = day
                    while later and later[0] < current:
                        ready += _in_order([], held.pop(later.pop(0), ()))
                    if later and later[0] == current:
                        later.pop(0)
                stop = bisect_right(rows, day, start, end, key=_DATE)
                group += rows[start:stop]
                start = stop
        yield from ready
    if group:
        yield from _in_order(group, held.pop(current, ()))
    for day in later:
        yield from _in_order([], held.pop(day, ()))


def _batches(
    db: Database, on: dt.date, status: str, only: str, with_lines: bool
) -> Iterator[list[tuple[Any, ...]]]:
    sql = _DUE_SQL.format(
        p=db.param, only=only, lines=", lines" if with_lines else "", status=status
    )
    cursor = db.execute_sql(sql, [date_param(db)(on)])
    while batch := cursor.fetchmany(FETCH):
        yield batch


def _rows(
    batch: list[tuple[Any, ...]],
    contracts: dict[int, tuple[Any, ...]],
    orders: dict[int, tuple[Any, ...]],
    days: dict[Any, Any],
    status: str,
    with_lines: bool,
) -> list[DueInstallment]:
    """Lazy rows of a batch; rows of unknown owners (filtered out, or a contract without a
    customer) are left out. One object per distinct date: the rows share it."""
    new, cls = tuple.__new__, DueInstallment
    contract_of, order_of, day = contracts.get, orders.get, days.setdefault
    return [
        new(
            cls,
            (
                row[0],
                owner,
                day(row[3], row[3]),
                day(row[4], row[4]),
                day(row[5], row[5]),
                row[6],
                status,
                row[7] if with_lines else None,
            ),
        )
        for row in batch
        if (owner := contract_of(row[1]) if row[1] is not None else order_of(row[2])) is not None
    ]


def _in_order(group: list[DueInstallment], held: Any) -> list[DueInstallment]:
    """The rows of one invoice date in listing order. When no contract or order has two of
    them, the owner's rank alone orders them all: a sort whose keys are taken and compared
    in C, with no Python call per row."""
    if held:
        group = group + list(held)
    ranks = list(map(_RANK, map(_OWNER, group)))
    if len(set(ranks)) < len(ranks):  # an owner twice: one-offs first, then by start
        group.sort(key=_sort_key)
        return group
    return list(map(group.__getitem__, sorted(range(len(group)), key=ranks.__getitem__)))


_DATE, _OWNER, _RANK = itemgetter(4), itemgetter(1), itemgetter(5)


def list_due(db: Database, on: dt.date, **filters: Any) -> list[DueInstallment]:
    """All due installments as a list (their lines are read when asked for)."""
    with gc_paused():
        return list(iter_due(db, on, **filters))


def due_on(
    db: Database, on: dt.date, **filters: Any
) -> tuple[Iterator[DueInstallment], MaterializeResult]:
    """Materialize up to ``on``, then stream what is due."""
    result = materialize(db, on)
    return iter_due(db, on, **filters), result


def installment_lines(installment_id: int) -> list[dict[str, Any]]:
    """The lines stored with an installment (what its invoice will carry)."""
    return decode_lines(Installment.get_by_id(installment_id).lines)
