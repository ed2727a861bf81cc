"""Contract lifecycle on both databases: terms anchored across renewals (month ends,
29 February), the notice rule on its last valid day and one day late, an index review at
renewal, a cancellation that cuts a period, renewals idempotent under reruns, and the
refusals of bad input."""

from __future__ import annotations

import json

import pytest


def write(tmp_path, data, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def contract(code="K-1", start="2026-01-01", frequency="monthly", price="100.00", **life):
    return {
        "code": code,
        "customer": "C1",
        "status": "active",
        "start_date": start,
        "frequency": frequency,
        "lines": [
            {
                "description": "Assistenza",
                "unit_price": price,
                "price_period": "monthly",
                "vat_rate": "22.00",
            }
        ],
        **life,
    }


def load(cli, tmp_path, *contracts):
    doc = {"customers": [{"code": "C1", "name": "Uno S.r.l."}], "contracts": list(contracts)}
    result = cli("import", write(tmp_path, doc))
    assert result.code == 0, result
    return result


def exported(cli, code="K-1"):
    return next(k for k in json.loads(cli("export").out)["contracts"] if k["code"] == code)


def periods(cli, date, code="K-1"):
    due = cli("due", "--date", date, "--contract", code, "--json").json()
    return [(i["period_start"], i["period_end"], i["amount"]) for i in due]


def test_an_annual_term_from_29_february_renews_anchored(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract(
            start="2024-02-29",
            frequency="annual",
            duration="annual",
            renewal="tacit",
            notice_days=60,
        ),
    )
    assert exported(cli)["end_date"] == "2025-02-27"
    assert cli("run", "--date", "2025-02-26", "--no-email").code == 0
    assert exported(cli)["renewals"] == []  # not ended yet
    run = cli("run", "--date", "2025-02-27", "--no-email", "--json").json()
    assert [(r["term"], r["from"], r["to"]) for r in run["renewals"]] == [
        (2, "2025-02-28", "2026-02-27")
    ]
    # A run years later renews each term once, anchored on 29 February (no drift).
    late = cli("run", "--date", "2028-02-27", "--no-email", "--json").json()
    assert [(r["term"], r["from"], r["to"]) for r in late["renewals"]] == [
        (3, "2026-02-28", "2027-02-27"),
        (4, "2027-02-28", "2028-02-28"),
    ]
    assert late["renewals"][0]["renewed_by"] == "tacit renewal, billing run of 27/02/2028"
    k = exported(cli)
    assert k["end_date"] == "2028-02-28" and [t["term"] for t in k["renewals"]] == [2, 3, 4]
    invoices = cli("invoices", "--contract", "K-1", "--json").json()
    assert sorted(
        (li["period_start"], li["period_end"], li["amount"]) for i in invoices for li in i["lines"]
    ) == [
        ("2024-02-29", "2025-02-27", "1200.00"),
        ("2025-02-28", "2026-02-27", "1200.00"),
        ("2026-02-28", "2027-02-27", "1200.00"),
        ("2027-02-28", "2028-02-28", "1200.00"),
    ]


def test_a_term_ending_at_a_month_end_renews_by_the_months_of_the_start(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract(
            start="2024-08-31",
            frequency="quarterly",
            duration={"every": 6, "unit": "month"},
            renewal="tacit",
        ),
    )
    assert exported(cli)["end_date"] == "2025-02-27"  # 31 Aug + 6 months = 28 Feb, less a day
    cli("run", "--date", "2025-02-27", "--no-email")
    assert exported(cli)["renewals"][0] | {"renewed_by": ""} == {
        "term": 2,
        "from": "2025-02-28",
        "to": "2025-08-30",
        "price_change": None,
        "renewed_by": "",
    }
    # The quarters stay anchored on the 31st across the renewal.
    assert periods(cli, "2025-06-01")[-2:] == [
        ("2025-02-28", "2025-05-30", "300.00"),
        ("2025-05-31", "2025-08-30", "300.00"),
    ]


@pytest.mark.parametrize(
    ("notice", "ends", "in_time"),
    [
        ("2026-10-02", "2026-12-31", True),  # 90 days before 31 December: the last valid day
        ("2026-10-03", "2027-12-31", False),  # one day late: one more term
    ],
)
def test_notice_on_the_last_valid_day_and_one_day_late(cli, tmp_path, notice, ends, in_time):
    load(cli, tmp_path, contract(duration="annual", renewal="tacit", notice_days=90))
    done = cli("contract", "cancel", "K-1", "--date", notice, "--reason", "Disdetta", "--json")
    assert done.code == 0, done
    assert (done.json()["ends_on"], done.json()["in_time"]) == (ends, in_time)
    human = cli("contract", "cancel", "K-1", "--date", notice, "--reason", "Disdetta")
    said = " ".join(human.out.split())
    assert "deadline 02/10/2026" in said and ("renews once more" in said) != in_time
    cli("run", "--date", "2026-12-31", "--no-email")
    cli("run", "--date", "2027-12-31", "--no-email")  # nothing renews past the notice's end
    k = exported(cli)
    assert k["end_date"] == ends
    assert k["cancellation"] == {"notice_date": notice, "reason": "Disdetta", "ends_on": ends}
    assert [(t["from"], t["to"]) for t in k["renewals"]] == (
        [] if in_time else [("2027-01-01", "2027-12-31")]
    )
    billed = cli("invoices", "--contract", "K-1", "--json").json()
    assert max(li["period_end"] for i in billed for li in i["lines"]) == ends


def test_index_review_at_renewal(cli, tmp_path):
    csv = "month,value,base\n2025-11,120.0,2015\n2026-11,122.4,2015\n"
    assert cli("index", "import", "FOI", write(tmp_path, csv, "foi.csv")).code == 0
    load(
        cli,
        tmp_path,
        contract(duration="annual", renewal="tacit", renewal_price={"index": "FOI", "share": "75"}),
    )
    run = cli("run", "--date", "2026-12-31", "--no-email", "--json").json()
    # November 2026 against November 2025: +2.0%, three quarters of it: +1.5%.
    assert run["renewals"][0]["price_change"] == "FOI 2026-11 vs 2025-11 +2.0% x 75% = 1.5%"
    assert periods(cli, "2027-01-01")[-1] == ("2027-01-01", "2027-01-31", "101.50")
    steps = exported(cli)["lines"][0]["steps"]
    assert steps == [{"from": "2027-01-01", "percent": "1.5"}]


def test_a_percent_change_and_a_manual_renewal(cli, tmp_path):
    load(
        cli, tmp_path, contract(duration="annual", renewal="manual", renewal_price={"percent": "3"})
    )
    cli("run", "--date", "2027-01-15", "--no-email")
    assert exported(cli)["renewals"] == []  # waits for a decision
    waiting = cli("contracts", "expiring", "--date", "2027-01-15", "--json").json()
    assert [(e["contract"], e["action"], e["waiting_decision"]) for e in waiting] == [
        ("K-1", "decision", True)
    ]
    renewed = cli("contract", "renew", "K-1", "--percent", "5", "--json")
    assert renewed.code == 0, renewed
    assert (renewed.json()["to"], renewed.json()["price_change"]) == ("2027-12-31", "+5%")
    assert periods(cli, "2027-01-31")[-1] == ("2027-01-01", "2027-01-31", "105.00")
    assert cli("contracts", "expiring", "--date", "2027-01-15", "--json").json() == []


def test_a_cancellation_cutting_a_period_prorates_it_and_proposes_a_credit(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract("K-1", frequency="quarterly", duration="annual"),
        contract("K-2", frequency="quarterly", duration="annual", renewal="tacit"),
    )
    assert (
        cli(
            "invoice",
            "--installments",
            cli("due", "--date", "2026-01-01", "--contract", "K-1", "--json").json()[0][
                "installment"
            ],
            "--date",
            "2026-01-01",
            "--status",
            "issued",
        ).code
        == 0
    )
    done = cli(
        "contract", "cancel", "K-1", "--date", "2026-02-01", "--effective", "2026-02-15", "--json"
    ).json()
    assert done["ends_on"] == "2026-02-15"
    # 16 Feb - 31 Mar of a 300.00 quarter: 13/28 + 1 of its 3 months (153.57 stays billed).
    [credit] = done["credit_proposals"]
    assert (credit["amount"], credit["from"]) == ("146.43", "2026-02-16")
    assert credit["command"].startswith(f"tui-billing credit {credit['invoice']} --lines ")
    invoices = cli("invoices", "--contract", "K-1", "--json").json()
    assert [i["document_type"] for i in invoices] == ["invoice"]  # nothing credited by itself
    assert periods(cli, "2026-12-31") == []  # nothing billed after the end
    cli("contract", "cancel", "K-2", "--date", "2026-02-01", "--effective", "2026-02-15")
    assert periods(cli, "2026-12-31", "K-2") == [("2026-01-01", "2026-02-15", "153.57")]
    detail = cli("contract", "cancel", "K-2", "--date", "2026-02-01", "--effective", "2027-01-05")
    assert detail.code == 2 and "--effective" in detail.err


def test_renewals_are_idempotent_under_reruns(cli, tmp_path):
    load(cli, tmp_path, contract(duration="annual", renewal="tacit"))
    for _ in range(3):
        cli("run", "--date", "2026-12-31", "--no-email")
    cli("run", "--date", "2026-12-31", "--dry-run", "--no-email")
    assert [t["term"] for t in exported(cli)["renewals"]] == [2]
    assert exported(cli)["end_date"] == "2027-12-31"


def test_expiring_lists_deadlines_and_ends_in_the_window(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract(
            "K-1",
            duration="annual",
            renewal="tacit",
            notice_days=60,
            renewal_price={"percent": "2.5"},
        ),
        contract("K-2", start="2025-06-01", duration="annual"),
        contract("K-3", start="2026-03-01", duration="annual", renewal="tacit", notice_days=60),
    )
    found = cli("contracts", "expiring", "--date", "2026-10-15", "--within", "45", "--json").json()
    assert [
        (
            e["contract"],
            e["notice_deadline"],
            e["end_date"],
            e["action"],
            e["yearly_value"],
            e["price_change"],
        )
        for e in found
    ] == [("K-1", "2026-11-01", "2026-12-31", "renews", "1200.00", "+2.5%")]
    human = cli("contracts", "expiring", "--date", "2026-05-01", "--within", "31")
    assert "K-2" in human.out and "ends on 31/05/20" in human.out


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"renewal": "sometimes"}, "contracts[0].renewal"),
        ({"renewal": "tacit"}, "contracts[0].renewal"),  # no end date, no duration
        ({"duration": "annual", "notice_days": -1}, "contracts[0].notice_days"),
        ({"duration": "annual", "notice_days": "90"}, "contracts[0].notice_days"),
        ({"duration": 0}, "contracts[0].duration"),
        (
            {"duration": "annual", "renewal": "tacit", "renewal_price": {"percent": "x"}},
            "contracts[0].renewal_price.percent",
        ),
        (
            {"duration": "annual", "renewal": "tacit", "renewal_price": {"perc": "3"}},
            "contracts[0].renewal_price",
        ),
        ({"duration": "annual", "renewal_price": {"percent": "3"}}, "contracts[0].renewal_price"),
        (
            {"duration": "annual", "renewal": "tacit", "renewal_price": {"percent": "3", "x": 1}},
            "contracts[0].renewal_price.x",
        ),
        ({"cancellation": {"notice_date": "2026-01-01"}}, "contracts[0].cancellation.ends_on"),
        (
            {"duration": "annual", "renewal": "tacit", "renewal_price": {"index": "FIO"}},
            "contracts[0].renewal_price.index",
        ),
        (
            {
                "renewals": [
                    {"term": 1, "from": "2026-01-01", "to": "2026-12-31", "renewed_by": "x"}
                ]
            },
            "contracts[0].renewals[0].term",
        ),
    ],
)
def test_bad_lifecycle_input_is_refused_naming_the_field(cli, tmp_path, change, field):
    doc = {"customers": [{"code": "C1", "name": "Uno"}], "contracts": [contract(**change)]}
    result = cli("import", write(tmp_path, doc))
    assert result.code == 2, result
    assert result.err.count("\n") == 1 and field in result.err, result.err
    assert json.loads(cli("export").out)["contracts"] == []


def test_command_refusals_write_nothing(cli, tmp_path):
    load(cli, tmp_path, contract(duration="annual", renewal="tacit", notice_days=30))
    before = cli("export").out
    for argv, field in (
        (("contract", "cancel", "K-9", "--date", "2026-05-01"), "K-9"),
        (("contract", "cancel", "K-1", "--date", "2026-13-01"), "--date"),
        (("contract", "cancel", "K-1", "--date", "2025-05-01"), "--date"),
        (
            ("contract", "cancel", "K-1", "--date", "2026-05-01", "--effective", "2027-01-05"),
            "--effective",
        ),
        (("contract", "cancel", "K-1", "--date", "2026-05-01", "--reason", "a\x1bb"), "--reason"),
        (("contract", "renew", "K-1", "--percent", "tre"), "--percent"),
        (("contract", "renew", "K-1", "--percent", "500"), "--percent"),
        (("contracts", "expiring", "--within", "-1"), "--within"),
        (("contracts", "expiring", "--within", "x"), "--within"),
        (("contracts", "expiring", "--within", "\u0661\u0662"), "--within"),
    ):
        result = cli(*argv)
        assert result.code == 2, (argv, result)
        assert field in result.err and result.err.count("\n") == 1, (argv, result.err)
        assert "Traceback" not in result.err
    assert cli("export").out == before


def test_lifecycle_round_trips_through_export_and_csv(cli, tmp_path):
    csv = "month,value,base\n2025-10,120.0,2015\n"
    assert cli("index", "import", "FOI", write(tmp_path, csv, "foi.csv")).code == 0
    load(
        cli,
        tmp_path,
        contract(
            duration="annual",
            renewal="tacit",
            notice_days=90,
            renewal_duration={"every": 2, "unit": "year"},
            renewal_price={"index": "FOI", "share": "100"},
        ),
    )
    cli("run", "--date", "2026-12-31", "--no-email")
    first = cli("export").out
    k = exported(cli)
    assert (
        k["duration"],
        k["renewal"],
        k["renewal_duration"],
        k["notice_days"],
        k["renewal_price"],
    ) == ("annual", "tacit", {"every": 2, "unit": "year"}, 90, {"index": "FOI", "share": "100"})
    assert [(t["from"], t["to"]) for t in k["renewals"]] == [("2027-01-01", "2028-12-31")]
    again = cli("import", write(tmp_path, first, "again.json"))
    assert again.code == 0 and "0 updated" in again.out, again
    assert cli("export").out == first
    csv = "code;notice_days;renewal_price\nK-1;30;+2,5%\n"
    assert cli("import-csv", "contracts", write(tmp_path, csv, "k.csv")).code == 0
    k = exported(cli)
    assert (k["notice_days"], k["renewal_price"]) == (30, {"percent": "2.5"})
    assert k["end_date"] == "2028-12-31" and len(k["renewals"]) == 1
    bad = cli("import-csv", "contracts", write(tmp_path, "code;renewal\nK-1;maybe\n", "b.csv"))
    assert bad.code == 2 and "column renewal" in bad.err


def test_a_run_killed_while_renewing_renews_each_term_once_on_rerun(cli, tmp_path):
    """A real process killed with SIGKILL as soon as renewals start, then run again."""
    import signal
    import subprocess
    import sys
    import time

    from tui_billing.store.database import open_database
    from tui_billing.store.models import Contract, ContractTerm

    count = 150
    load(
        cli,
        tmp_path,
        *(
            contract(
                f"K-{i:03d}",
                frequency="annual",
                duration="annual",
                renewal="tacit",
                renewal_price={"percent": "2"},
            )
            for i in range(count)
        ),
    )
    argv = [
        sys.executable,
        "-m",
        "tui_billing",
        "--db",
        cli.target,
        "run",
        "--date",
        "2026-12-31",
        "--no-email",
        "--json",
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = open_database(cli.target)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        db.close()  # a fresh look at what the run has committed
        db = open_database(cli.target)
        if ContractTerm.select().count():
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db.close()
    for _ in range(2):  # the rerun, and one more
        rerun = subprocess.run(argv, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
    db = open_database(cli.target)
    terms = list(ContractTerm.select(ContractTerm.contract, ContractTerm.number).tuples())
    assert len(terms) == count and {n for _, n in terms} == {2}
    assert {k.end_date.isoformat() for k in Contract.select()} == {"2027-12-31"}
    for k in json.loads(cli("export").out)["contracts"]:
        assert k["lines"][0]["steps"] == [{"from": "2027-01-01", "percent": "2"}], k["code"]
    db.close()


def test_the_form_recomputes_an_end_that_followed_the_duration(db):
    from tui_billing.billing.contract_editing import current_record, update_contract
    from tui_billing.output.interchange_write import import_data
    from tui_billing.store.models import Contract

    import_data(
        db,
        {"customers": [{"code": "C1", "name": "Uno"}], "contracts": [contract(duration="annual")]},
    )
    cid = Contract.get(Contract.code == "K-1").id
    form = {k: current_record(cid)[k] for k in ("start_date", "end_date", "duration")}
    update_contract(db, cid, {**form, "duration": {"every": 2, "unit": "year"}})
    assert Contract.get_by_id(cid).end_date.isoformat() == "2027-12-31"
    update_contract(db, cid, {"end_date": "30/06/2027"})  # typed: it stays
    update_contract(db, cid, {"duration": "annual", "end_date": "30/06/2027"})
    assert Contract.get_by_id(cid).end_date.isoformat() == "2027-06-30"
