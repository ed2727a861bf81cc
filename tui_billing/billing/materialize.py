"""Materializing installments: recompute what each contract should bill up to a date,
compare with what is stored, and write only the difference (never touching what is
invoiced). Idempotent by construction: a rerun on the same date writes nothing."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain
from operator import itemgetter
from typing import Any

from peewee import Database, IntegrityError, SqliteDatabase, chunked

from tui_billing.billing.billed import billed_of
from tui_billing.billing.contract_terms import load_terms
from tui_billing.billing.gc_pause import gc_paused
from tui_billing.billing.late_interest import LateCharges, late_charges_for
from tui_billing.billing.return_charges import ReturnCharges, return_charges_for
from tui_billing.billing.wording import error_text
from tui_billing.domain.coverage import BilledLine, unbilled
from tui_billing.domain.economics import installment_status
from tui_billing.domain.errors import UserError
from tui_billing.domain.installments import InstallmentSpec
from tui_billing.domain.schedule import contract_installments
from tui_billing.domain.stored_lines import encode_lines
from tui_billing.domain.terms import ContractTerms
from tui_billing.store.database import date_param, stored_date
from tui_billing.store.models import Contract, database_proxy
from tui_billing.store.transactions import write_transaction

CHUNK = 2000  # contracts per transaction: bounded memory, bounded loss on a kill
PARALLEL_FROM = 20_000  # stale contracts from which the work is spread over processes
IN_FLIGHT = 4  # chunks queued per worker: it never waits while this process plans or writes


@dataclass
class MaterializeResult:
    contracts: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# What is stale
# ---------------------------------------------------------------------------------------


def stale_contracts(until: dt.date, contract_ids: list[int] | None = None) -> list[tuple[Any, ...]]:
    """(id, revision, materialized_until) of the contracts whose installments may change:
    edited since they were last materialized, or active and not yet materialized up to
    ``until``. Three index lookups (migration 4) that find nothing when all is up to date,
    however many contracts there are."""
    db = Contract._meta.database
    p = db.param
    only = ""
    if contract_ids is not None:
        if not contract_ids:
            return []
        only = f" AND id IN ({','.join(str(int(i)) for i in contract_ids)})"
    found: dict[int, tuple[Any, ...]] = {}
    for condition, params in (
        ("revision <> materialized_revision", ()),  # the partial index contract_edited
        ("status = 'active' AND materialized_until IS NULL", ()),
        (f"status = 'active' AND materialized_until < {p}", (date_param(db)(until),)),
    ):
        sql = f"SELECT id, revision, materialized_until FROM contract WHERE {condition}{only}"
        for cid, revision, materialized_until in db.execute_sql(sql, params):
            if cid not in found:
                found[cid] = (cid, revision, stored_date(materialized_until))
    return [found[i] for i in sorted(found)]


# ---------------------------------------------------------------------------------------
# Planning a chunk: what it should bill against what is stored
# ---------------------------------------------------------------------------------------


@dataclass
class ChunkPlan:
    """What one chunk of contracts needs written: plain tuples, in the driver's types."""

    inserts: list[tuple[Any, ...]] = field(default_factory=list)
    updates: list[tuple[Any, ...]] = field(default_factory=list)
    deletes: list[tuple[Any, ...]] = field(default_factory=list)
    marks: list[tuple[Any, ...]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    contracts: int = 0
    # the contracts' state it was made from
    seen: list[tuple[Any, ...]] = field(default_factory=list)


_STORED_SQL = (
    "SELECT id, contract_id, key, status, invoice_date, amount, lines FROM installment"
    " WHERE contract_id IN ({ids})"
)
_STATE_SQL = (
    "SELECT id, revision, materialized_revision, materialized_until FROM contract"
    " WHERE id IN ({ids}) ORDER BY id"
)


def _state(db: Database, ids: list[int]) -> list[tuple[Any, ...]]:
    """What materializing depends on in the contracts themselves (edits and earlier runs)."""
    return [
        tuple(row)
        for row in db.execute_sql(_STATE_SQL.format(ids=",".join(str(int(i)) for i in ids)))
    ]


def _stored(
    db: Database, ids: list[int]
) -> tuple[dict[int, dict[str, tuple[Any, ...]]], dict[int, set[str]], dict[int, list[BilledLine]]]:
    """The chunk's stored installments: the not yet invoiced ones (pending, or waiting for
    a revenue figure) by contract and key (id, invoice date, cents, lines, status), the
    keys of the invoiced ones, and the lines each contract has billed (domain.coverage)."""
    pending: dict[int, dict[str, tuple[Any, ...]]] = {}
    invoiced_keys: dict[int, set[str]] = {}
    billed: dict[int, list[BilledLine]] = {}
    sql = _STORED_SQL.format(ids=",".join(str(int(i)) for i in ids))
    for iid, cid, key, status, inv_date, cents, lines in db.execute_sql(sql):
        if status == "invoiced":
            invoiced_keys.setdefault(cid, set()).add(key)
            billed.setdefault(cid, []).extend(billed_of(lines))
        else:
            pending.setdefault(cid, {})[key] = (iid, inv_date, cents, lines, status)
    return pending, invoiced_keys, billed


def plan_chunk(db: Database, chunk: list[tuple[Any, ...]], until: dt.date) -> ChunkPlan:
    """Compare what the chunk's contracts should bill with what is stored.

    New installments come out ordered by invoice date, customer and contract, so that
    the rows due on one date sit together in the table (the listing reads them by date)."""
    ids = [row[0] for row in chunk]
    if not ids:
        return ChunkPlan()
    plan = ChunkPlan(seen=_state(db, ids))
    terms = load_terms(ids)
    late_charges = late_charges_for(db, ids)
    return_charges = return_charges_for(db, ids)
    pending, invoiced_keys, billed = _stored(db, ids)
    as_param = date_param(db)
    no_terms = ContractTerms("", "", None, None, None, None)

    def listing_order(row: tuple[Any, ...]) -> tuple[str, str]:
        found = terms.get(row[0], no_terms)
        return found.customer or "", found.code

    for cid, revision, materialized_until in sorted(chunk, key=listing_order):
        contract_terms = terms.get(cid)
        if contract_terms is None:
            continue
        horizon = until
        if materialized_until and materialized_until > until:
            horizon = materialized_until
        done = billed.get(cid)
        try:
            specs = _should_bill(cid, contract_terms, horizon, done, late_charges, return_charges)
        except (UserError, ValueError, ArithmeticError) as exc:
            plan.failed.append((contract_terms.code, error_text(exc)))
            continue
        plan.contracts += 1
        plan.marks.append((revision, as_param(horizon), cid))
        natures = {li.key: li.vat_nature for li in contract_terms.lines if li.vat_nature}
        stored = pending.get(cid)
        taken = invoiced_keys.get(cid)
        if stored or taken or done:
            _diff_stored(plan, cid, specs, natures, stored or {}, taken, as_param)
        else:  # nothing stored: every installment is new
            _all_new(plan.inserts, cid, specs, natures, as_param)
    plan.inserts.sort(key=_INVOICE_DATE)  # stable: contracts stay in listing order within a date
    return plan


def _should_bill(
    cid: int,
    terms: ContractTerms,
    horizon: dt.date,
    done: list[BilledLine] | None,
    late_charges: LateCharges,
    return_charges: ReturnCharges,
) -> Sequence[InstallmentSpec]:
    """What the contract should have billed up to ``horizon`` and has not yet invoiced:
    its schedule, less the days (and one-off lines) already invoiced, plus the late-payment
    and returned-payment charges due to it."""
    specs: Sequence[InstallmentSpec] = contract_installments(terms, horizon)
    if done:  # never bill again a day (or a one-off line) already invoiced
        specs = unbilled(terms, specs, done)
    specs = late_charges.add_to(cid, specs)
    return return_charges.add_to(cid, specs)


def _row_figures(spec: InstallmentSpec, natures: dict[str, str]) -> tuple[int, str, str]:
    """(cents, stored lines, status) of an installment as stored."""
    lines = spec.lines
    amount = lines[0].amount
    for li in lines[1:]:
        amount += li.amount
    # status: 'waiting' while a revenue figure is missing
    return int(amount * _HUNDRED), encode_lines(lines, natures), installment_status(spec)


def _all_new(
    inserts: list[tuple[Any, ...]],
    cid: int,
    specs: Sequence[InstallmentSpec],
    natures: dict[str, str],
    as_param: Any,
) -> None:
    """Insert rows for every installment of a contract that has none stored."""
    for spec in specs:
        cents, encoded, status = _row_figures(spec, natures)
        inserts.append(
            (
                cid,
                spec.key,
                as_param(spec.period_start),
                as_param(spec.period_end),
                as_param(spec.invoice_date),
                cents,
                encoded,
                status,
            )
        )


def _diff_stored(
    plan: ChunkPlan,
    cid: int,
    specs: Sequence[InstallmentSpec],
    natures: dict[str, str],
    stored: dict[str, tuple[Any, ...]],
    taken: set[str] | None,
    as_param: Any,
) -> None:
    """Match what a contract should bill with its stored, not yet invoiced installments
    by key: insert the new ones, update those that changed, delete those no longer due;
    the rest stay as they are. A key already invoiced gets a supplement key instead."""
    seen: set[str] = set()
    for spec in specs:
        key = _free_key(spec.key, taken) if taken else spec.key
        seen.add(key)
        cents, encoded, status = _row_figures(spec, natures)
        old = stored.get(key)
        if old is None:
            plan.inserts.append(
                (
                    cid,
                    key,
                    as_param(spec.period_start),
                    as_param(spec.period_end),
                    as_param(spec.invoice_date),
                    cents,
                    encoded,
                    status,
                )
            )
        elif (_as_date(old[1]), old[2], old[3], old[4]) != (
            spec.invoice_date,
            cents,
            encoded,
            status,
        ):
            plan.updates.append((as_param(spec.invoice_date), cents, encoded, status, old[0]))
    for key, old in stored.items():
        if key not in seen:
            plan.deletes.append((old[0],))


def _free_key(key: str, taken: set[str]) -> str:
    """``key``, or the first supplement key (``key+2``...) not invoiced yet: a line added to
    an installment after it was invoiced."""
    free, serial = key, 1
    while free in taken:
        serial += 1
        free = f"{key}+{serial}"
    return free


_HUNDRED = Decimal(100)
_INVOICE_DATE = itemgetter(4)


def _as_date(value: Any) -> dt.date:
    """A date as the driver returns it (ISO text on SQLite)."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


# ---------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------


ROWS_PER_INSERT = 50  # rows per INSERT statement: a quarter of the work of one row each
_INSERT = (
    "INSERT INTO installment (contract_id, key, period_start, period_end, invoice_date,"
    " amount, lines, status) VALUES "
)


def _insert(cursor: Any, p: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert new pending installments, many rows per statement: each statement opens the
    table and its indexes once, which is most of the cost of a one-row insert."""
    values = f"({p}, {p}, {p}, {p}, {p}, {p}, {p}, {p})"
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    if whole:
        cursor.executemany(
            _INSERT + ", ".join([values] * ROWS_PER_INSERT),
            [
                list(chain.from_iterable(rows[i : i + ROWS_PER_INSERT]))
                for i in range(0, whole, ROWS_PER_INSERT)
            ],
        )
    if whole < len(rows):
        rest = rows[whole:]
        cursor.execute(_INSERT + ", ".join([values] * len(rest)), list(chain.from_iterable(rest)))


def _apply(db: Database, plan: ChunkPlan, result: MaterializeResult) -> None:
    """Write a chunk's plan (inside the caller's write transaction)."""
    inserts, updates, deletes, marks = plan.inserts, plan.updates, plan.deletes, plan.marks
    p = db.param
    cursor = db.cursor()
    if deletes:
        cursor.executemany(
            f"DELETE FROM installment WHERE id = {p} AND status IN ('pending', 'waiting')", deletes
        )
    if updates:
        cursor.executemany(
            f"UPDATE installment SET invoice_date = {p}, amount = {p}, lines = {p}, status = {p} "
            f"WHERE id = {p} AND status IN ('pending', 'waiting')",
            updates,
        )
    if inserts:
        _insert(cursor, p, inserts)
    if marks:
        cursor.executemany(
            f"UPDATE contract SET materialized_revision = {p}, materialized_until = {p} "
            f"WHERE id = {p}",
            marks,
        )
    result.created += len(inserts)
    result.updated += len(updates)
    result.deleted += len(deletes)
    result.contracts += plan.contracts
    result.failed.extend(plan.failed)


def _write_planned(
    db: Database,
    chunk: list[tuple[Any, ...]],
    plan: ChunkPlan,
    until: dt.date,
    result: MaterializeResult,
) -> None:
    """Write a plan made outside the write lock. When its contracts changed meanwhile (an
    edit, another materialization) or it collides with rows written since, the chunk is
    planned again under the lock, from what is stale now."""
    ids = [row[0] for row in chunk]
    try:
        with write_transaction(db):
            if _state(db, ids) != plan.seen:
                plan = plan_chunk(db, stale_contracts(until, ids), until)
            _apply(db, plan, result)
    except IntegrityError:
        with write_transaction(db):
            _apply(db, plan_chunk(db, stale_contracts(until, ids), until), result)


# ---------------------------------------------------------------------------------------
# Materializing
# ---------------------------------------------------------------------------------------


def materialize(
    db: Database,
    until: dt.date,
    contract_ids: list[int] | None = None,
    *,
    workers: int | None = None,
) -> MaterializeResult:
    """Bring the stored installments of every (or the given) contract up to ``until``.

    Each chunk of contracts is planned and written in one write transaction. With many
    stale contracts ``workers`` worker processes plan chunks too (None: one per core but
    the one this process runs on; 0: none, all done here), at most ``IN_FLIGHT`` chunks
    per worker handed out at a time, and this process writes their plans as they come and
    plans chunks of its own in between. One process per core and no more: a third on two
    cores costs more CPU time (pickling, switching, cold caches) than it saves."""
    result = MaterializeResult()
    with gc_paused():
        candidates = stale_contracts(until, contract_ids)
        if not candidates:
            return result
        chunks = [list(c) for c in chunked(candidates, CHUNK)]
        if workers is None:
            workers = (os.cpu_count() or 1) - 1
        if len(candidates) >= PARALLEL_FROM and workers > 0 and len(chunks) > 1:
            _materialize_parallel(db, chunks, until, result, min(workers, len(chunks)))
            return result
        with _bulk_writes(db):
            for chunk in chunks:
                _materialize_chunk(db, chunk, until, result)
    return result


def _materialize_chunk(
    db: Database, chunk: list[tuple[Any, ...]], until: dt.date, result: MaterializeResult
) -> None:
    """Plan and write one chunk here, in one write transaction."""
    with write_transaction(db):
        _apply(db, plan_chunk(db, chunk, until), result)


WAL_BYTES = 64 * 2**20  # SQLite: how much WAL may pile up before a checkpoint


@contextmanager
def _bulk_writes(db: Database) -> Iterator[None]:
    """SQLite: checkpoint the WAL less often while many chunks are written (each
    checkpoint syncs the file, and copies index pages that the next chunk writes again);
    one checkpoint at the end. Nothing to do on PostgreSQL, or inside a transaction (a
    dry run rolls it all back)."""
    if not isinstance(db, SqliteDatabase) or db.in_transaction():
        yield
        return
    previous = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
    pages = WAL_BYTES // int(db.execute_sql("PRAGMA page_size").fetchone()[0])
    db.execute_sql(f"PRAGMA wal_autocheckpoint = {max(int(previous), pages)}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA wal_autocheckpoint = {int(previous)}")
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _materialize_parallel(
    db: Database,
    chunks: list[list[tuple[Any, ...]]],
    until: dt.date,
    result: MaterializeResult,
    workers: int,
) -> None:
    """Worker processes plan chunks (reading the database); this process writes each plan
    as it arrives, one write transaction per chunk, through its one connection: the only
    writer, so no lock is queued on and its page cache stays warm between chunks. When no
    plan is ready it plans the next chunk itself rather than wait."""
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    from tui_billing.billing.worker_pool import worker_pool

    pool = worker_pool(db, workers)
    with _bulk_writes(db), pool:
        todo = iter(chunks)
        running: dict[Future[ChunkPlan], list[tuple[Any, ...]]] = {}

        def hand_out() -> None:
            while len(running) < workers * IN_FLIGHT:
                chunk = next(todo, None)
                if chunk is None:
                    return
                running[pool.submit(_worker_plan, chunk, until)] = chunk

        hand_out()
        while running:
            done = [future for future in running if future.done()]
            if not done:
                chunk = next(todo, None)
                if chunk is not None:  # nothing to write yet: plan one here
                    _materialize_chunk(db, chunk, until, result)
                    continue
                done = list(wait(running, return_when=FIRST_COMPLETED)[0])
            for future in done:
                _write_planned(db, running.pop(future), future.result(), until, result)
            hand_out()


def _worker_plan(chunk: list[tuple[Any, ...]], until: dt.date) -> ChunkPlan:
    """In a worker process: plan one chunk against what is stored now."""
    with gc_paused():
        return plan_chunk(database_proxy.obj, chunk, until)
