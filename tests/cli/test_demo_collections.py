"""The demo's collections: one direct debit returned unpaid with its charges on the
contract's next invoice, and overdue customers already reminded at levels 1 and 2."""

import json

from tui_billing.cli.main import main


def _json(capsys, argv):
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_has_a_returned_debit_and_reminded_customers(tmp_path, capsys):
    target = str(tmp_path / "demo.sqlite")
    today = ["--db", target, "--today", "2027-03-10"]
    assert main([*today, "demo"]) == 0
    capsys.readouterr()
    [returned] = [p for p in _json(capsys, ["--db", target, "payments", "--json"]) if p["returned"]]
    assert returned["method"] == "sepa_direct_debit" and returned["returned"] < "2027-03-01"
    number = returned["invoice"]
    [item] = [i for i in _json(capsys, [*today, "open-items", "--json"]) if i["invoice"] == number]
    assert item["open"] == item["amount_due"] and item["days_overdue"] > 0
    due = json.dumps(_json(capsys, [*today, "due", "--date", "2027-03-31", "--json"]))
    assert f"Spese insoluto fattura {number} del " in due
    assert due.count(f"Spese insoluto fattura {number}") == 2  # bank fee, own fee (22%)

    from tui_billing.store.database import open_database
    from tui_billing.store.models import Customer, Reminder

    db = open_database(target)
    try:
        sent = sorted((r.customer_id, r.level, r.status) for r in Reminder.select())
        codes = {c.id: c.code for c in Customer.select()}
    finally:
        db.close()
    levels = {}
    for customer_id, level, status in sent:
        assert status == "sent"
        levels.setdefault(codes[customer_id], []).append(level)
    assert sorted(levels.values()) == [[1], [1, 2]]
    listed = _json(capsys, [*today, "reminders", "--json"])
    assert not {r["customer"] for r in listed} & set(levels)  # no level sent twice
    # the presented file's message id is fixed by the day (the same demo every time)
    [presented] = _json(capsys, ["--db", target, "collections", "--json"])["files"]
    assert presented["message_id"] == "20270310090000-DEMO00000001"
    again = tmp_path / "again.xml"
    assert main(["--db", target, "collections", "sdd", "--again", "1", "-o", str(again)]) == 0
    assert "<MsgId>20270310090000-DEMO00000001</MsgId>" in again.read_text("utf-8")
    capsys.readouterr()
    # a former customer is archived: hidden from the list, shown with --archived
    listed = _json(capsys, ["--db", target, "customers", "--json"])
    assert "C042" not in {c["code"] for c in listed}
    archived = _json(capsys, ["--db", target, "customers", "--archived", "--json"])
    assert [c["code"] for c in archived if c["archived"]] == ["C042"]
