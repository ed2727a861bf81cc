"""Materializing installments: recompute what each contract should bill up to a date,
compare with what is stored, and write only the difference (never touching what is
invoiced). Idempotent by construction: a rerun on the same date writes nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from peewee import Database, IntegrityError, chunked

from tui_billing.billing.contract_terms import load_terms
from tui_billing.billing.late_interest import late_charges_for
from tui_billing.domain.economics import installment_status
from tui_billing.domain.errors import UserError
from tui_billing.domain.schedule import InstallmentLine, contract_installments
from tui_billing.store.database import date_param, open_in_worker, reopen_target
from tui_billing.store.models import Contract, Installment, database_proxy
from tui_billing.store.transactions import write_transaction

CHUNK = 2000  # contracts per transaction: bounded memory, bounded loss on a kill


@dataclass
class MaterializeResult:
    contracts: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


_dumps = json.encoder.encode_basestring  # C-accelerated; keeps non-ASCII text as it is


@lru_cache(maxsize=65536)
def _decimal_text(value: Decimal, min_places: int) -> str:
    text = format(value.normalize(), "f") if value else "0"
    if min_places:
        whole, _, frac = text.partition(".")
        if len(frac) < min_places:
            text = f"{whole}.{frac.ljust(min_places, '0')}"
    return text


def encode_lines(lines: Iterable[InstallmentLine]) -> str:
    """The installment's lines as stored (JSON), in the shape ``due --json`` prints. Written
    by hand: this runs for every installment of every contract."""
    parts = []
    for li in lines:
        parts.append(
            f'{{"line":{_dumps(li.line_key)},"description":{_dumps(li.description)},'
            f'"period_start":{_json_date(li.period_start)},'
            f'"period_end":{_json_date(li.period_end)},'
            f'"quantity":"{_decimal_text(li.quantity, 0)}",'
            f'"unit_price":"{_decimal_text(li.unit_price, 2)}",'
            f'"amount":"{li.amount:.2f}","vat_rate":"{_decimal_text(li.vat_rate, 2)}"}}'
        )
    return "[" + ",".join(parts) + "]"


@lru_cache(maxsize=65536)
def _json_date(value: dt.date | None) -> str:
    return f'"{value.isoformat()}"' if value else "null"


def stale_contracts(until: dt.date, contract_ids: list[int] | None = None) -> list[tuple]:
    """(id, revision, materialized_until) of the contracts whose installments may change."""
    query = Contract.select(Contract.id, Contract.revision, Contract.materialized_until).where(
        (Contract.revision != Contract.materialized_revision)
        | (
            (Contract.status == "active")
            & (Contract.materialized_until.is_null() | (Contract.materialized_until < until))
        )
    )
    if contract_ids is not None:
        query = query.where(Contract.id.in_(contract_ids))
    return list(query.order_by(Contract.id).tuples())


PARALLEL_FROM = 20_000  # stale contracts from which the computing is spread over processes


@dataclass
class ChunkPlan:
    """What one chunk of contracts needs written: plain tuples, cheap to pass between
    processes."""

    inserts: list[tuple] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)
    deletes: list[tuple] = field(default_factory=list)
    marks: list[tuple] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    contracts: int = 0


def materialize(
    db: Database, until: dt.date, contract_ids: list[int] | None = None, *, workers: int = 0
) -> MaterializeResult:
    """Bring the stored installments of every (or the given) contract up to ``until``.

    Each chunk of contracts is computed and written in one write transaction. With many
    stale contracts the computing runs in worker processes (``workers``; 0 = one per core)
    while this process writes; a chunk whose plan no longer fits what is stored (another
    process wrote meanwhile) is recomputed here under the write lock."""
    result = MaterializeResult()
    candidates = stale_contracts(until, contract_ids)
    chunks = [list(c) for c in chunked(candidates, CHUNK)]
    workers = workers or os.cpu_count() or 1
    if len(candidates) >= PARALLEL_FROM and workers > 1 and len(chunks) > 1:
        _materialize_parallel(db, chunks, until, result, workers)
        return result
    for chunk in chunks:
        with write_transaction(db):
            _apply(db, plan_chunk(db, chunk, until), result)
    return result


def _materialize_parallel(db: Database, chunks: list[list[tuple]], until: dt.date,
                          result: MaterializeResult, workers: int) -> None:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                             initializer=open_in_worker, initargs=(reopen_target(db),)) as pool:
        futures = [pool.submit(_worker_plan, chunk, until) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            plan = future.result()
            try:
                with write_transaction(db):
                    _apply(db, plan, result)
            except IntegrityError:
                with write_transaction(db):
                    _apply(db, plan_chunk(db, chunk, until), result)


def _worker_plan(chunk: list[tuple], until: dt.date) -> ChunkPlan:
    return plan_chunk(database_proxy.obj, chunk, until)


def plan_chunk(db: Database, chunk: list[tuple], until: dt.date) -> ChunkPlan:
    """Compare what the chunk's contracts should bill with what is stored."""
    plan = ChunkPlan()
    ids = [row[0] for row in chunk]
    terms = load_terms(ids)
    late_charges = late_charges_for(db, ids)
    pending: dict[int, dict[str, tuple]] = {}
    invoiced_keys: dict[int, set[str]] = {}
    billed: dict[int, set[tuple]] = {}
    for iid, cid, key, status, inv_date, amount, lines in (
        Installment.select(Installment.id, Installment.contract, Installment.key,
                           Installment.status, Installment.invoice_date, Installment.amount,
                           Installment.lines)
        .where(Installment.contract.in_(ids)).tuples()
    ):
        if status == "invoiced":
            invoiced_keys.setdefault(cid, set()).add(key)
            bucket = billed.setdefault(cid, set())
            for li in json.loads(lines):
                bucket.add((li["line"], li["period_start"], li["period_end"]))
        else:
            pending.setdefault(cid, {})[key] = (iid, inv_date, amount, lines, status)

    as_param = date_param(db)
    inserts, updates, deletes, marks = plan.inserts, plan.updates, plan.deletes, plan.marks
    for cid, revision, materialized_until in chunk:
        contract_terms = terms.get(cid)
        if contract_terms is None:
            continue
        horizon = max(until, materialized_until) if materialized_until else until
        try:
            specs = late_charges.add_to(cid, contract_installments(contract_terms, horizon))
        except (UserError, ValueError, ArithmeticError) as exc:
            plan.failed.append((contract_terms.code, str(exc)))
            continue
        plan.contracts += 1
        stored = pending.get(cid, {})
        taken = invoiced_keys.get(cid, set())
        done = billed.get(cid)
        seen: set[str] = set()
        for spec in specs:
            lines = spec.lines
            if done:
                lines = tuple(
                    li for li in lines
                    if (li.line_key,
                        li.period_start.isoformat() if li.period_start else None,
                        li.period_end.isoformat() if li.period_end else None) not in done
                )
                if not lines:
                    continue
            key = spec.key
            serial = 1
            while key in taken:  # a supplement to an invoiced installment: a line added later
                serial += 1
                key = f"{spec.key}+{serial}"
            seen.add(key)
            amount = lines[0].amount
            for li in lines[1:]:
                amount += li.amount
            encoded = encode_lines(lines)
            status = installment_status(spec)  # 'waiting' while a revenue figure is missing
            old = stored.get(key)
            if old is None:
                inserts.append((cid, key, as_param(spec.period_start), as_param(spec.period_end),
                                as_param(spec.invoice_date), int(amount * 100), encoded, status))
            elif (old[1], old[2], old[3], old[4]) != (spec.invoice_date, amount, encoded, status):
                updates.append((as_param(spec.invoice_date), int(amount * 100), encoded, status,
                                old[0]))
        for key, old in stored.items():
            if key not in seen:
                deletes.append((old[0],))
        marks.append((revision, as_param(horizon), cid))
    return plan


def _apply(db: Database, plan: ChunkPlan, result: MaterializeResult) -> None:
    """Write a chunk's plan (inside the caller's write transaction)."""
    inserts, updates, deletes, marks = plan.inserts, plan.updates, plan.deletes, plan.marks
    p = db.param
    cursor = db.cursor()
    if deletes:
        cursor.executemany(
            f"DELETE FROM installment WHERE id = {p} AND status IN ('pending', 'waiting')",
            deletes)
    if updates:
        cursor.executemany(
            f"UPDATE installment SET invoice_date = {p}, amount = {p}, lines = {p}, status = {p} "
            f"WHERE id = {p} AND status IN ('pending', 'waiting')", updates)
    if inserts:
        cursor.executemany(
            "INSERT INTO installment (contract_id, key, period_start, period_end, invoice_date,"
            f" amount, lines, status) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})",
            inserts)
    if marks:
        cursor.executemany(
            f"UPDATE contract SET materialized_revision = {p}, materialized_until = {p} "
            f"WHERE id = {p}", marks)
    result.created += len(inserts)
    result.updated += len(updates)
    result.deleted += len(deletes)
    result.contracts += plan.contracts
    result.failed.extend(plan.failed)
