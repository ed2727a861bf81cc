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
