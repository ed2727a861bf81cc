"""tui-billing demo: a realistic database whose dates follow today."""

import datetime as dt
import json

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
    assert {series for series, _, _ in seqs} == {"A", "B", "P"}
    for key, numbers in seqs.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
    due = _json(capsys, ["--db", target, "due", "--date", "2027-03-10", "--json"])
    assert 0 < len(due) < 60
    assert {d["invoice_date"][:7] for d in due} == {"2027-03"}
    report = _json(capsys, ["--db", target, "run", "--date", "2027-03-10", "--no-email",
                            "--json"])
    assert report["installments_billed"] == len(due) and not report["failed"]
    last_a = max(s for key, numbers in seqs.items() if key == ("A", 2027, "fiscal")
                 for s in numbers)
    assert f"A/2027/{last_a + 1:04d}" in report["invoices"]


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
