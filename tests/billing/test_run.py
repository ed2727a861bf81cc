"""The billing run: exactly once whatever happens (reruns, two at once, a dry run, a
contract that fails, a kill -9 at any instant), gapless numbers, a record with its log."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from tests.support.data import bulk_document, write_document
from tui_billing.store.models import (
    BillingRun,
    BillingRunLog,
    Installment,
    Invoice,
    InvoiceLine,
)


def assert_exactly_once_and_gapless() -> None:
    """Every invoiced installment line is on exactly one invoice line, every invoice has
    lines whose sum is its taxable, and each series/year is numbered 1..N."""
    invoiced = list(Installment.select().where(Installment.status == "invoiced"))
    expected = Counter()
    for inst in invoiced:
        expected[inst.id] = len(json.loads(inst.lines))
        assert inst.invoice_id is not None
    billed = Counter(
        li.installment_id for li in InvoiceLine.select() if li.installment_id is not None
    )
    assert billed == expected
    assert (
        not Installment.select()
        .where((Installment.status == "pending") & Installment.invoice.is_null(False))
        .exists()
    )
    for invoice in Invoice.select():
        lines = list(invoice.lines)
        assert lines, f"invoice {invoice.id} has no lines"
        assert sum(li.amount for li in lines) == invoice.taxable
        assert invoice.taxable + invoice.vat == invoice.total
    seqs: dict[tuple[str, int], list[int]] = {}
    for invoice in Invoice.select().where(Invoice.seq.is_null(False)):
        seqs.setdefault((invoice.series, invoice.year), []).append(invoice.seq)
    for key, numbers in seqs.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key


def test_run_then_rerun_creates_nothing(cli, tmp_path):
    assert cli("import", write_document(tmp_path / "d.json", bulk_document(30))).code == 0
    first = cli("run", "--date", "2024-03-31", "--json")
    assert first.code == 0, first
    report = first.json()
    assert report["installments_billed"] == 90
    # collective customers (every 5th of 20 customers) get one invoice per date and series
    assert report["invoices_created"] == len(report["invoices"]) > 0
    assert all(isinstance(n, str) and "/" in n for n in report["invoices"])
    second = cli("run", "--date", "2024-03-31", "--json").json()
    assert second["invoices_created"] == 0 and second["installments_billed"] == 0
    assert_exactly_once_and_gapless()
    runs = list(BillingRun.select().order_by(BillingRun.id))
    assert [(r.status, r.invoices_created) for r in runs] == [
        ("done", report["invoices_created"]),
        ("done", 0),
    ]
    assert BillingRunLog.select().where(BillingRunLog.run == runs[0].id).exists()


def test_catch_up_bills_every_missed_period_in_one_run(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", bulk_document(3, collective_every=0)))
    report = cli("run", "--date", "2024-12-31", "--json").json()
    assert report["installments_billed"] == 36 and report["invoices_created"] == 36


def test_dry_run_reports_exactly_and_writes_nothing(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", bulk_document(12)))
    before = (Invoice.select().count(), Installment.select().count(), cli("export").out)
    dry = cli("run", "--date", "2024-02-29", "--dry-run", "--json").json()
    assert dry["dry_run"] is True and dry["invoices_created"] > 0
    assert (Invoice.select().count(), Installment.select().count(), cli("export").out) == before
    assert BillingRun.select().count() == 0
    real = cli("run", "--date", "2024-02-29", "--json").json()
    assert {k: v for k, v in real.items() if k != "dry_run"} == {
        k: v for k, v in dry.items() if k != "dry_run"
    }


def test_dry_run_of_many_contracts_plans_in_workers_and_writes_nothing(cli, tmp_path, monkeypatch):
    """A dry run holds one write transaction: the worker processes that plan a big
    materialization only read, and this process writes their plans inside it."""
    from tui_billing.billing import materialize as m

    cli("import", write_document(tmp_path / "d.json", bulk_document(12)))
    monkeypatch.setattr(m, "PARALLEL_FROM", 1)
    monkeypatch.setattr(m, "CHUNK", 3)
    before = (Invoice.select().count(), Installment.select().count(), cli("export").out)
    started = time.monotonic()
    dry = cli("run", "--date", "2024-02-29", "--dry-run", "--json")
    assert dry.code == 0, dry
    assert time.monotonic() - started < 30  # no worker waits out the busy timeout
    assert dry.json()["invoices_created"] > 0
    assert (Invoice.select().count(), Installment.select().count(), cli("export").out) == before
    real = cli("run", "--date", "2024-02-29", "--json").json()
    assert real["invoices_created"] == dry.json()["invoices_created"]
    assert real["installments_billed"] == dry.json()["installments_billed"]


def test_failing_contract_is_named_and_the_others_are_billed(cli, tmp_path):
    doc = bulk_document(4, collective_every=0)
    doc["contracts"].append(
        {
            "code": "K-BAD",
            "status": "active",
            "start_date": "2024-01-01",
            "frequency": "monthly",
            "lines": [],
        }
    )
    cli("import", write_document(tmp_path / "d.json", doc))
    result = cli("run", "--date", "2024-01-31", "--json")
    assert result.code == 1
    report = result.json()
    assert report["failed"] == [
        {"contract": "K-BAD", "error": "cannot be billed: no customer, no lines"}
    ]
    assert report["installments_billed"] == 4
    assert "contract K-BAD: cannot be billed" in result.err


def test_draft_status_leaves_numberless_drafts(cli, tmp_path):
    cli("import", write_document(tmp_path / "d.json", bulk_document(3, collective_every=0)))
    report = cli("run", "--date", "2024-01-31", "--status", "draft", "--json").json()
    assert report["invoices_created"] == 3
    assert all(isinstance(i, int) for i in report["invoices"])
    assert {(i.status, i.number) for i in Invoice.select()} == {("draft", None)}


def test_lock_held_exits_3(cli, tmp_path, db_target):
    from tui_billing.store.database import open_database
    from tui_billing.store.locking import billing_run_lock

    cli("import", write_document(tmp_path / "d.json", bulk_document(2)))
    code = (
        "import sys, time; from tui_billing.store.database import open_database; "
        "from tui_billing.store.locking import billing_run_lock; "
        f"db = open_database({db_target!r}); "
        "cm = billing_run_lock(db); cm.__enter__(); print('locked', flush=True); "
        "time.sleep(30)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = cli("run", "--date", "2024-01-31")
        assert result.code == 3, result
        assert "another billing run holds the lock" in result.err
        assert Invoice.select().count() == 0
    finally:
        holder.kill()
        holder.wait()
    open_database(db_target)
    with billing_run_lock(open_database(db_target)):
        pass  # the dead holder's lock is gone


def _run_process(target: str, date: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tui_billing", "--db", target, "run", "--date", date, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_runs_at_once_never_double_bill(cli, tmp_path, db_target):
    cli("import", write_document(tmp_path / "d.json", bulk_document(150)))
    first, second = _run_process(db_target, "2024-04-30"), _run_process(db_target, "2024-04-30")
    outcomes = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in (first, second)]
    codes = sorted(code for code, _, _ in outcomes)
    assert codes in ([0, 0], [0, 3]), outcomes
    billed = sum(json.loads(out)["installments_billed"] for code, out, _ in outcomes if code == 0)
    assert billed == 600
    from tui_billing.store.database import open_database

    open_database(db_target)
    assert_exactly_once_and_gapless()
    assert Installment.select().where(Installment.status == "pending").count() == 0


@pytest.mark.slow
def test_kill_9_at_random_moments_then_rerun_bills_exactly_once(cli, tmp_path, db_target):
    from tui_billing.store.database import open_database

    cli("import", write_document(tmp_path / "d.json", bulk_document(400)))
    rng = random.Random(int(os.environ.get("KILL_SEED", "20261122")))
    dates = ["2024-02-29", "2024-04-30", "2024-06-30", "2024-08-31", "2024-10-31"]
    for date in dates:
        proc = _run_process(db_target, date)
        time.sleep(rng.uniform(0.2, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        open_database(db_target)
        assert_exactly_once_and_gapless()  # no half invoice, no gap, even right after the kill
    final = _run_process(db_target, dates[-1])
    assert final.wait(timeout=300) == 0, final.stderr.read()
    open_database(db_target)
    assert_exactly_once_and_gapless()
    assert (
        Installment.select()
        .where((Installment.status == "pending") & (Installment.invoice_date <= dates[-1]))
        .count()
        == 0
    )
    assert Installment.select().where(Installment.status == "invoiced").count() == 400 * 10
    statuses = {r.status for r in BillingRun.select()}
    assert statuses <= {"interrupted", "running", "done"} and "done" in statuses
