"""Two OS processes issuing invoices in one series at the same time: the numbers come out
exactly 1..N, with no gap and no duplicate; the same installments are never billed twice.
On SQLite (BEGIN IMMEDIATE) and on PostgreSQL (advisory lock + row-locked counter)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.billing.invoice_fixtures import contract, customer, installment
from tui_billing.billing.invoicing import create_invoices
from tui_billing.store.models import Installment, Invoice, InvoiceLine, SeriesCounter

WORKER = """
import sys, time
from pathlib import Path
from tui_billing.billing.invoicing import create_invoices
from tui_billing.billing.numbering import issue_invoice
from tui_billing.domain.errors import UserError
from tui_billing.store.database import open_database

target, go, ready, ops = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4].split()
db = open_database(target)
ready.touch()
while not go.exists():
    time.sleep(0.002)
refused = 0
for op in ops:
    kind, _, arg = op.partition(":")
    try:
        if kind == "create":
            create_invoices(db, [int(i) for i in arg.split(",")], status="issued")
        else:
            issue_invoice(db, int(arg))
    except UserError:
        refused += 1
    time.sleep(0.01)  # SQLite's busy handler sleeps: let the other process get its turns
print(refused)
"""


def run_workers(db_target: str, tmp_path: Path, op_lists: list[list[str]]) -> list[int]:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(len(op_lists))]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db_target, str(go), str(flag), " ".join(ops)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for ops, flag in zip(op_lists, ready, strict=True)
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready):  # all connected, waiting on the start line
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs)
        time.sleep(0.01)
    go.touch()
    refused = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        refused.append(int(out.strip()))
    return refused


def test_two_processes_issuing_at_once_give_exactly_1_to_n(db, db_target, tmp_path):
    acme = customer()
    k1, k2 = contract("K-001", acme), contract("K-002", acme)
    per_process = 25
    ops: list[list[str]] = [[], []]
    for n, k in enumerate((k1, k2)):
        drafts = [
            create_invoices(db, [installment(k, "2024-05-01").id])[0] for _ in range(per_process)
        ]
        fresh = [installment(k, "2024-05-01").id for _ in range(per_process)]
        for draft, inst in zip(drafts, fresh, strict=True):
            ops[n] += [f"issue:{draft.id}", f"create:{inst}"]
    assert run_workers(db_target, tmp_path, ops) == [0, 0]
    total = 4 * per_process
    seqs = sorted(s for (s,) in Invoice.select(Invoice.seq).tuples())
    assert seqs == list(range(1, total + 1))
    numbers = [n for (n,) in Invoice.select(Invoice.number).tuples()]
    assert len(set(numbers)) == total
    assert sorted(numbers) == [f"A/2024/{n:04d}" for n in range(1, total + 1)]
    assert SeriesCounter.get().last_seq == total
    # the two processes really ran at once: their numbers interleave
    by_number = [
        c
        for (c,) in InvoiceLine.select(InvoiceLine.contract)
        .join(Invoice)
        .order_by(Invoice.seq)
        .tuples()
    ]
    switches = sum(1 for x, y in zip(by_number, by_number[1:], strict=False) if x != y)
    assert switches >= 2, by_number
    assert Installment.select().where(Installment.status != "invoiced").count() == 0


def test_two_processes_invoicing_the_same_installments_bill_them_once(db, db_target, tmp_path):
    k = contract("K-001", customer())
    ids = [installment(k, "2024-05-02").id for _ in range(20)]
    # each process tries every installment, one call each, in opposite orders
    forward = [f"create:{i}" for i in ids]
    refused = run_workers(db_target, tmp_path, [forward, forward[::-1]])
    assert sum(refused) == len(ids)  # each installment: billed by one, refused to the other
    lines = [i for (i,) in InvoiceLine.select(InvoiceLine.installment).tuples()]
    assert len(lines) == len(set(lines))
    seqs = sorted(s for (s,) in Invoice.select(Invoice.seq).tuples())
    assert seqs == list(range(1, len(seqs) + 1))
    assert len(lines) == len(ids) == Invoice.select().count()


def test_two_processes_issuing_invoices_and_pro_formas_at_once_keep_each_sequence_whole(
    db, db_target, tmp_path
):
    """Both processes issue invoices and pro-formas of one series and year, interleaved:
    each class comes out exactly 1..N, every number once."""
    acme = customer()
    invoices_k = contract("K-INV", acme)
    proformas_k = contract("K-PF", acme, document_type="proforma")
    per_kind = 10
    ops: list[list[str]] = [[], []]
    for n in range(2):
        for k in (invoices_k, proformas_k) if n == 0 else (proformas_k, invoices_k):
            drafts = [
                create_invoices(db, [installment(k, "2024-06-03").id])[0] for _ in range(per_kind)
            ]
            fresh = [installment(k, "2024-06-03").id for _ in range(per_kind)]
            for draft, inst in zip(drafts, fresh, strict=True):
                ops[n] += [f"issue:{draft.id}", f"create:{inst}"]
    for n in range(2):  # alternate the two kinds within each process
        half = len(ops[n]) // 2
        ops[n] = [op for pair in zip(ops[n][:half], ops[n][half:], strict=True) for op in pair]
    assert run_workers(db_target, tmp_path, ops) == [0, 0]
    each = 4 * per_kind  # per class: 2 processes x (drafts issued + invoices created)
    rows = list(
        Invoice.select(
            Invoice.numbering, Invoice.seq, Invoice.number, Invoice.document_type
        ).tuples()
    )
    assert len(rows) == 2 * each
    for numbering, doc, prefix in (("fiscal", "invoice", "A"), ("proforma", "proforma", "PF-A")):
        mine = [r for r in rows if r[0] == numbering]
        assert {r[3] for r in mine} == {doc}
        assert sorted(r[1] for r in mine) == list(range(1, each + 1)), numbering
        assert sorted(r[2] for r in mine) == [f"{prefix}/2024/{n:04d}" for n in range(1, each + 1)]
    assert len({r[2] for r in rows}) == 2 * each
    assert {c.numbering: c.last_seq for c in SeriesCounter.select()} == {
        "fiscal": each,
        "proforma": each,
    }
    assert Installment.select().where(Installment.status != "invoiced").count() == 0
    # the two processes really ran at once: each sequence interleaves their documents
    process_of = {}
    for n, listed in enumerate(ops):
        for op in listed:
            kind, _, arg = op.partition(":")
            iid = int(arg) if kind == "issue" else Installment.get_by_id(int(arg)).invoice_id
            process_of[iid] = n
    for numbering in ("fiscal", "proforma"):
        by_seq = [
            process_of[iid]
            for (iid,) in Invoice.select(Invoice.id)
            .where(Invoice.numbering == numbering)
            .order_by(Invoice.seq)
            .tuples()
        ]
        switches = sum(1 for x, y in zip(by_seq, by_seq[1:], strict=False) if x != y)
        assert switches >= 2, (numbering, by_seq)
