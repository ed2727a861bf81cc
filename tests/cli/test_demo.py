"""tui-billing demo: a realistic database whose dates follow today."""

import datetime as dt
import json
from decimal import Decimal

from tui_billing.cli.main import main


def test_demo_writes_database_relative_to_today(tmp_path, capsys):
    target = str(tmp_path / "demo.sqlite")
    assert main(["--db", target, "--today", "2027-03-10", "demo"]) == 0
    out = capsys.readouterr().out
    assert f"tui-billing --db {target}" in out
    assert main(["--db", target, "export"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["customers"]) >= 35
    assert len(doc["contracts"]) >= 100
    assert {s["code"] for s in doc["series"]} >= {"A", "B"}
    starts = [
        dt.date.fromisoformat(k["start_date"]) for k in doc["contracts"] if k["status"] == "active"
    ]
    # the demo's reference date (mid-January 2026) moved to March 2027
    assert max(starts) <= dt.date(2027, 3, 31)
    assert min(starts) >= dt.date(2024, 6, 1)
    # Its documents went to the SdI: delivered, accepted, one rejected, the last month's
    # waiting for an answer.
    assert main(["--db", target, "einvoices", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    states = [r["state"] for r in rows]
    assert {"delivered", "accepted", "rejected", "exported"} <= set(states)
    assert states.count("rejected") == 1 and "pending" not in states
    [rejected] = [r for r in rows if r["state"] == "rejected"]
    assert [e["code"] for e in rejected["errors"]] == ["00305", "00311"]
    assert {r["state"] for r in rows if r["date"] >= "2027-02-01"} == {"exported"}


def test_demo_refuses_to_mix_into_existing_data(tmp_path, capsys):
    target = str(tmp_path / "demo.sqlite")
    assert main(["--db", target, "demo"]) == 0
    assert main(["--db", target, "demo"]) == 2
    assert "already holds data" in capsys.readouterr().err
    assert main(["--db", target, "demo", "--force"]) == 0


def test_demo_force_never_deletes_a_non_database(tmp_path, capsys):
    path = tmp_path / "precious.txt"
    path.write_text("not a database")
    assert main(["--db", str(path), "demo", "--force"]) == 2
    assert path.read_text() == "not a database"


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_past_is_billed_and_today_holds_this_months_work(tmp_path, capsys):
    """Like a company using the product: month-end runs billed the past (issued, gapless
    per series and year, dated before this month); what is due today is this month's."""
    target = str(tmp_path / "demo.sqlite")
    assert main(["--db", target, "--today", "2027-03-10", "demo"]) == 0
    assert "Billed up to 28/02/2027" in capsys.readouterr().out
    invoices = _json(capsys, ["--db", target, "invoices", "--json"])
    assert len(invoices) >= 300
    assert {i["status"] for i in invoices} == {"issued"}
    assert max(i["date"] for i in invoices) <= "2027-02-28"
    assert max(i["date"] for i in invoices) >= "2027-02-01"
    seqs: dict[tuple[str, int, str], list[int]] = {}
    for invoice in invoices:
        assert invoice["number"] and invoice["date"].startswith(str(invoice["year"]))
        key = (invoice["series"], invoice["year"], invoice["numbering"])
        seqs.setdefault(key, []).append(invoice["seq"])
        # pro-formas (series P) have their own sequence and format, the rest are fiscal
        assert (invoice["numbering"] == "proforma") == (invoice["document_type"] == "proforma")
        if invoice["document_type"] == "proforma":
            assert invoice["number"] == f"PF/{invoice['year']}/{invoice['seq']:04d}"
    assert {series for series, _, _ in seqs} == {"A", "B", "P", "M"}
    for key, numbers in seqs.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
    due = _json(capsys, ["--db", target, "due", "--date", "2027-03-10", "--json"])
    pending = [d for d in due if d["status"] == "pending"]
    assert 0 < len(pending) < 60
    assert {d["invoice_date"][:7] for d in pending} == {"2027-03"}
    # last month's revenue share still waits for its figure
    assert [(d["invoice_date"], d["status"]) for d in due if d not in pending] == [
        ("2027-02-28", "waiting")
    ]
    report = _json(capsys, ["--db", target, "run", "--date", "2027-03-10", "--no-email", "--json"])
    assert report["installments_billed"] == len(pending) and not report["failed"]
    last_a = max(
        s for key, numbers in seqs.items() if key == ("A", 2027, "fiscal") for s in numbers
    )
    assert f"A/2027/{last_a + 1:04d}" in report["invoices"]
    # the demo's own seller (complete), kept on every document it issued
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Invoice

    exported = _json(capsys, ["--db", target, "export"])
    assert exported["company"]["name"] == "Servizi Tecnici Adriatici S.r.l."
    db = open_database(target)
    try:
        assert (
            not Invoice.select()
            .where(
                Invoice.number.is_null(False)
                & (Invoice.seller_snapshot.is_null() | Invoice.buyer_snapshot.is_null())
            )
            .exists()
        )
    finally:
        db.close()


def test_demo_history_runs_are_recorded_at_month_ends(tmp_path):
    from tui_billing.store.database import open_database
    from tui_billing.store.models import BillingRun

    target = str(tmp_path / "demo.sqlite")
    assert main(["--db", target, "--today", "2027-03-10", "demo"]) == 0
    open_database(target)
    runs = list(BillingRun.select().order_by(BillingRun.id))
    assert len(runs) >= 24
    assert {r.status for r in runs} == {"done"}
    assert runs[-1].run_date == dt.date(2027, 2, 28)
    assert all((r.run_date + dt.timedelta(days=1)).day == 1 for r in runs)
    assert all(r.started_at.date() == r.run_date for r in runs)


def test_demo_shows_payments_late_charges_and_contract_economics(tmp_path, capsys):
    """The demo's customers pay as companies do: most on time, some late, some in part, one
    not any more; the next installments bill the late charges; an ISTAT FOI index (across
    the 2015 -> 2025 rebase), step-ups, revenue shares, advance and balancing are billed."""
    target = str(tmp_path / "demo.sqlite")
    today = ["--db", target, "--today", "2027-03-10"]
    assert main([*today, "demo"]) == 0
    out = capsys.readouterr().out
    assert "payments recorded" in out and "One SEPA direct debit file presented" in out
    # collecting: mandates for the direct-debit customers, one presented SDD file, Ri.Ba.
    # invoices due to be presented
    collecting = _json(capsys, [*today, "collections", "--json"])
    assert [f["kind"] for f in collecting["files"]] == ["sdd"]
    assert collecting["collections"] and all(
        c["mandate"] and c["sequence_type"] in ("FRST", "RCUR") for c in collecting["collections"]
    )
    assert any(d["kind"] == "riba" and d["problem"] is None for d in collecting["due"])
    payments = _json(capsys, ["--db", target, "payments", "--json"])
    invoices = _json(capsys, ["--db", target, "invoices", "--json"])
    payable = [i for i in invoices if i["document_type"] == "invoice"]
    assert len(payments) >= 0.8 * len(payable)
    assert {p["method"] for p in payments} >= {"bank_transfer", "sepa_direct_debit", "riba"}
    assert all(p["date"] <= "2027-03-10" for p in payments)
    # open items: overdue ones, a few in part paid, and ones not due yet
    items = _json(capsys, [*today, "open-items", "--json"])
    overdue = [i for i in items if i["days_overdue"] > 0]
    assert 5 <= len(overdue) <= 40
    assert any(i["paid"] != "0.00" for i in overdue)
    assert any(i["days_overdue"] == 0 for i in items)
    assert len({i["customer"] for i in overdue}) >= 4
    # the installments due today bill interest at the legal and a fixed rate, and the fee
    due = _json(capsys, [*today, "due", "--date", "2027-03-10", "--json"])
    texts = [ln["description"] for d in due for ln in d["lines"]]
    assert any(t.startswith("Interessi di mora") and "10,15%" in t for t in texts)
    assert any(t.startswith("Interessi di mora") and "8,00%" in t for t in texts)
    assert any(t.startswith("Spese di recupero") for t in texts)
    # and some were billed already, on the invoices of the past months
    billed = [ln["description"] for i in invoices for ln in i["lines"]]
    assert any(t.startswith("Interessi di mora") for t in billed)
    # a revenue line waits for its figure
    assert [d["contract"] for d in due if d["status"] == "waiting"] == ["K-0125"]
    # the balancing of the advances: an invoice one year, a credit note the next
    balancing = [i for i in invoices if i["lines"] and "conguaglio" in i["lines"][0]["description"]]
    assert sorted(i["document_type"] for i in balancing) == ["credit_note", "invoice"]
    # a credit note of an earlier invoice names it; the invoice is paid what is left
    [note] = [i for i in invoices if i["corrects"]]
    [credited] = [i for i in invoices if i["number"] == note["corrects"]["number"]]
    assert note["document_type"] == "credit_note" and note["date"] > credited["date"]
    assert credited["credited_by"] == [
        {
            "number": note["number"],
            "date": note["date"],
            "credited": f"{-Decimal(note['total']):.2f}",
        }
    ]
    assert Decimal(credited["paid"]) + Decimal(credited["credited"]) + Decimal(
        credited["open"]
    ) == Decimal(credited["total"])
    # revenue share with its guaranteed minimum
    assert any("minimo garantito" in t and "applicato" in t for t in billed)
    # the FOI adjustment across the rebase, with its computation
    history = _json(
        capsys, [*today, "contract", "price-history", "K-0121", "--date", "2027-03-10", "--json"]
    )
    [line] = history
    rebased = [c for c in line["changes"] if c["coefficient"]]
    assert rebased and rebased[0]["base_index_base"] == "2015"
    assert rebased[0]["new_index_base"] == "2025" and rebased[0]["share_percent"] == "100"
    assert line["price"] != line["base_price"]
    shares = _json(
        capsys, [*today, "contract", "price-history", "K-0122", "--date", "2027-06-30", "--json"]
    )
    assert shares[0]["changes"][0]["share_percent"] == "75"
    steps = _json(
        capsys, [*today, "contract", "price-history", "K-0123", "--date", "2027-06-30", "--json"]
    )
    assert [c["kind"] for c in steps[0]["changes"]] == ["step", "step"]
    assert any(ln["cost_centre"] for i in invoices for ln in i["lines"])


def test_demo_dates_months_and_index_months_move_together():
    from tui_billing.output.demo import shift_dates

    document = {
        "index_series": [{"values": [{"month": "2025-12", "value": "100.3"}]}],
        "revenue_figures": [{"period_start": "2025-11-01", "period_end": "2025-11-30"}],
        "contracts": [
            {
                "start_date": "2025-01-31",
                "lines": [
                    {
                        "index": {"month": 11, "base_month": "2023-09", "share": "75"},
                        "steps": [{"from": "2025-06-15", "amount": "10.00"}],
                    }
                ],
            }
        ],
    }
    moved = shift_dates(document, 14)
    assert moved["index_series"][0]["values"][0] == {"month": "2027-02", "value": "100.3"}
    assert moved["revenue_figures"][0] == {"period_start": "2027-01-01", "period_end": "2027-01-31"}
    [line] = moved["contracts"][0]["lines"]
    assert moved["contracts"][0]["start_date"] == "2026-03-31"
    assert line["index"] == {"month": 1, "base_month": "2024-11", "share": "75"}
    assert line["steps"] == [{"from": "2026-08-15", "amount": "10.00"}]


def test_demo_lifecycle_contracts(cli):
    """The demo's annual contracts: tacit ones expiring this month and next, one cancelled
    in time, one too late, a manual renewal waiting, and one the past runs renewed."""
    assert cli("--today", "2026-12-07", "demo").code == 0
    found = {
        e["contract"]: e
        for e in cli(
            "--today", "2026-12-07", "contracts", "expiring", "--within", "62", "--json"
        ).json()
    }
    assert {
        k: (found[k]["action"], found[k]["end_date"])
        for k in ("K-0130", "K-0131", "K-0132", "K-0133", "K-0134")
    } == {
        "K-0130": ("renews", "2026-12-31"),
        "K-0131": ("renews", "2027-01-31"),
        "K-0132": ("ends", "2027-01-31"),
        "K-0133": ("renews_then_ends", "2026-12-31"),
        "K-0134": ("decision", "2026-11-30"),
    }
    assert found["K-0134"]["waiting_decision"] is True
    k135 = next(k for k in json.loads(cli("export").out)["contracts"] if k["code"] == "K-0135")
    assert [(t["term"], t["from"], t["price_change"]) for t in k135["renewals"]] == [
        (2, "2026-10-01", "+2%")
    ]
