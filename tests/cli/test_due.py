"""`due`: materializing installments idempotently and listing them as specified."""

import copy
import json

import pytest

from tui_billing.store.models import Installment

BASE = {
    "customers": [{"code": "ACME", "name": "ACME S.r.l."}, {"code": "BETA", "name": "Beta S.p.A."}],
    "contracts": [
        {
            "code": "K-001",
            "customer": "ACME",
            "status": "active",
            "start_date": "2024-07-01",
            "frequency": "quarterly",
            "lines": [
                {
                    "description": "Maintenance",
                    "quantity": "1",
                    "unit_price": "50.00",
                    "price_period": "monthly",
                    "vat_rate": "22.00",
                },
                {
                    "description": "Initial setup",
                    "quantity": "1",
                    "unit_price": "200.00",
                    "recurring": False,
                    "vat_rate": "22.00",
                },
            ],
        },
        {
            "code": "K-002",
            "customer": "BETA",
            "status": "active",
            "start_date": "2024-07-15",
            "frequency": "monthly",
            "timing": "arrears",
            "lines": [
                {
                    "description": "Hosting",
                    "quantity": "2",
                    "unit_price": "10.00",
                    "vat_rate": "22.00",
                }
            ],
        },
        {
            "code": "K-003",
            "customer": "BETA",
            "status": "suspended",
            "start_date": "2024-07-01",
            "frequency": "monthly",
            "lines": [
                {
                    "description": "Paused",
                    "quantity": "1",
                    "unit_price": "99.00",
                    "vat_rate": "22.00",
                }
            ],
        },
    ],
}


def load(cli, tmp_path, data=BASE, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data))
    result = cli("import", str(path))
    assert result.code == 0, result


def test_b1_reference_date_proposes_next_quarter(cli, tmp_path):
    load(cli, tmp_path)
    rows = cli("due", "--date", "2024-10-02", "--contract", "K-001", "--json").json()
    assert [(r["period_start"], r["period_end"], r["amount"]) for r in rows] == [
        (None, None, "200.00"),
        ("2024-07-01", "2024-09-30", "150.00"),
        ("2024-10-01", "2024-12-31", "150.00"),
    ]
    line = rows[1]["lines"][0]
    assert line == {
        "description": "Maintenance - competenza dal 01/07/2024 al 30/09/2024",
        "period_start": "2024-07-01",
        "period_end": "2024-09-30",
        "quantity": "1",
        "unit_price": "150.00",
        "amount": "150.00",
        "vat_rate": "22.00",
    }  # 50.00 a month: 150.00 the quarter
    assert rows[0]["installment"].isdigit()


def test_ordering_filters_and_inactive_contracts(cli, tmp_path):
    load(cli, tmp_path)
    rows = cli("due", "--date", "2024-09-30", "--json").json()
    keys = [(r["invoice_date"], r["customer"], r["contract"]) for r in rows]
    assert keys == sorted(keys)
    assert {r["contract"] for r in rows} == {"K-001", "K-002"}  # K-003 is suspended
    arrears = [r for r in rows if r["contract"] == "K-002"]
    assert [
        (r["period_start"], r["period_end"], r["invoice_date"], r["amount"]) for r in arrears
    ] == [
        ("2024-07-15", "2024-08-14", "2024-08-14", "20.00"),
        ("2024-08-15", "2024-09-14", "2024-09-14", "20.00"),
    ]
    only_beta = cli("due", "--date", "2024-09-30", "--customer", "BETA", "--json").json()
    assert {r["customer"] for r in only_beta} == {"BETA"}


def test_second_due_writes_nothing(cli, tmp_path, db_target):
    load(cli, tmp_path)
    first = cli("due", "--date", "2025-06-30", "--json").json()
    ids = {i.id: (i.key, i.amount) for i in Installment.select()}
    second = cli("due", "--date", "2025-06-30", "--json").json()
    assert first == second
    assert {i.id: (i.key, i.amount) for i in Installment.select()} == ids


def test_editing_a_contract_recomputes_only_what_is_not_invoiced(cli, tmp_path):
    load(cli, tmp_path)
    rows = cli("due", "--date", "2024-10-02", "--contract", "K-001", "--json").json()
    first_quarter = next(r for r in rows if r["period_start"] == "2024-07-01")
    Installment.update(status="invoiced").where(
        Installment.id == int(first_quarter["installment"])
    ).execute()

    changed = copy.deepcopy(BASE)
    changed["contracts"][0]["lines"][0]["unit_price"] = "60.00"
    changed["contracts"][0]["end_date"] = "2024-11-30"
    load(cli, tmp_path, changed, "changed.json")
    rows = cli("due", "--date", "2024-12-31", "--contract", "K-001", "--json").json()
    assert [(r["period_start"], r["period_end"], r["amount"]) for r in rows] == [
        (None, None, "200.00"),
        ("2024-10-01", "2024-11-30", "120.00"),  # new price, cut by the new end date
    ]
    invoiced = Installment.get_by_id(int(first_quarter["installment"]))
    assert str(invoiced.amount) == "150.00" and invoiced.status == "invoiced"


def test_line_added_after_invoicing_is_billed_as_a_supplement(cli, tmp_path):
    load(cli, tmp_path)
    rows = cli("due", "--date", "2024-07-01", "--contract", "K-001", "--json").json()
    for r in rows:
        Installment.update(status="invoiced").where(
            Installment.id == int(r["installment"])
        ).execute()
    changed = copy.deepcopy(BASE)
    changed["contracts"][0]["lines"].append(
        {
            "description": "Extra",
            "quantity": "1",
            "unit_price": "10.00",
            "vat_rate": "22.00",
            "price_period": "monthly",
        }
    )
    load(cli, tmp_path, changed, "changed.json")
    rows = cli("due", "--date", "2024-07-01", "--contract", "K-001", "--json").json()
    assert [
        (r["period_start"], r["amount"], [li["description"][:5] for li in r["lines"]]) for r in rows
    ] == [("2024-07-01", "30.00", ["Extra"])]


def test_suspending_drops_pending_installments(cli, tmp_path):
    load(cli, tmp_path)
    assert cli("due", "--date", "2024-12-31", "--contract", "K-002", "--json").json()
    changed = copy.deepcopy(BASE)
    changed["contracts"][1]["status"] = "suspended"
    load(cli, tmp_path, changed, "changed.json")
    assert cli("due", "--date", "2024-12-31", "--contract", "K-002", "--json").json() == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("due", "--date", "2024-02-30"), "not a valid date"),
        (("due",), "--date"),
        (("due", "--date", "2024-01-01", "--customer", "NOPE"), "--customer: unknown customer"),
        (("due", "--date", "2024-01-01", "--contract", "NOPE"), "--contract: unknown contract"),
    ],
)
def test_bad_usage(cli, argv, message):
    result = cli(*argv)
    assert result.code == 2 and message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_human_output(cli, tmp_path):
    load(cli, tmp_path)
    result = cli("due", "--date", "2024-10-02")
    assert result.code == 0
    assert "01/10/2024-31/12/2024" in result.out
    assert "5 installments due, total 540.00" in result.out
