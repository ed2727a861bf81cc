"""The run's safety bounds on data already stored: a contract with more periods to catch up
than `[billing] max_periods_per_contract` bills nothing and is named (unless `run
--catch-up-beyond N` allows it), `due` and `run` refuse a date more than ten years past
today, and a contract at the end of the calendar never crashes them."""

from __future__ import annotations

import datetime as dt
import json

from tui_billing.store.models import BillingRun, BillingRunLog, Installment, Invoice

TODAY = "2026-12-01"


def _contract(code: str, customer: str, frequency: str = "monthly") -> dict:
    return {
        "code": code,
        "customer": customer,
        "status": "active",
        "start_date": "2026-01-01",
        "frequency": frequency,
        "series": "A",
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": "10.00", "vat_rate": "22.00"}
        ],
    }


DOCUMENT = {
    "customers": [
        {"code": "C1", "name": "Uno S.r.l."},
        {"code": "C2", "name": "Due S.r.l.", "collective_billing": True},
    ],
    "contracts": [
        _contract("K-OLD", "C2", "annual"),
        _contract("K-MATE", "C2"),
        _contract("K-LATE", "C1"),
        _contract("K-OK", "C1"),
    ],
}


def _load(cli, tmp_path, starts: dict[str, str], terms: int | None = None) -> None:
    """Import the contracts, then store start dates as an older version would have let them
    in (the import of today refuses such dates)."""
    path = tmp_path / "in.json"
    path.write_text(json.dumps(DOCUMENT))
    assert cli("import", str(path)).code == 0
    from tui_billing.store.database import open_database
    from tui_billing.store.models import Contract, Customer

    db = open_database(cli.target)
    for code, start in starts.items():
        Contract.update(start_date=dt.date.fromisoformat(start)).where(
            Contract.code == code
        ).execute()
    if terms is not None:
        Customer.update(payment_terms_days=terms).execute()
    db.close()


def _invoices(cli, contract: str) -> list[dict]:
    return cli("invoices", "--contract", contract, "--json").json()


def test_a_start_date_centuries_back_bills_nothing_for_that_contract(cli, tmp_path):
    # Reproducer: "start_date": "0001-01-01" issued A/1/0001 to A/2023/0012.
    _load(cli, tmp_path, {"K-OLD": "0001-01-01", "K-LATE": "2024-01-01"})
    for dry in (["--dry-run"], []):
        result = cli("--today", TODAY, "run", "--date", TODAY, "--json", *dry)
        assert result.code == 1, result
        report = result.json()
        failed = {f["contract"]: f["error"] for f in report["failed"]}
        assert set(failed) == {"K-OLD", "K-LATE"}
        assert failed["K-OLD"].startswith(
            "not billed: 2026 periods to catch up (the first due on 01/01/0001), more than the "
            "24 allowed ([billing] max_periods_per_contract)"
        )
        assert "run --catch-up-beyond 2026" in failed["K-OLD"]
        assert "36 periods to catch up" in failed["K-LATE"]  # Jan 2024 to Dec 2026
        assert "tui-billing: contract K-OLD: not billed: 2026 periods to catch up" in result.err
        # the others, K-OLD's companion on a collective invoice too, are billed
        assert report["invoices_created"] == 12 + 12
    assert _invoices(cli, "K-OLD") == [] and _invoices(cli, "K-LATE") == []
    assert len(_invoices(cli, "K-OK")) == 12 and len(_invoices(cli, "K-MATE")) == 12
    assert all(i["year"] == 2026 for i in cli("invoices", "--json").json())
    logged = (
        BillingRunLog.select()
        .where(BillingRunLog.contract == "K-OLD", BillingRunLog.level == "error")
        .count()
    )
    assert logged == 1
    # a rerun still refuses, and bills nothing twice
    again = cli("--today", TODAY, "run", "--date", TODAY, "--json")
    assert again.code == 1 and again.json()["invoices_created"] == 0
    assert {f["contract"] for f in again.json()["failed"]} == {"K-OLD", "K-LATE"}


def test_catch_up_beyond_allows_a_long_catch_up_for_one_run(cli, tmp_path):
    _load(cli, tmp_path, {"K-LATE": "2024-01-01"})
    short = cli("--today", TODAY, "run", "--date", TODAY, "--json", "--catch-up-beyond", "35")
    assert short.code == 1
    assert [f["contract"] for f in short.json()["failed"]] == ["K-LATE"]
    assert _invoices(cli, "K-LATE") == []
    allowed = cli("--today", TODAY, "run", "--date", TODAY, "--json", "--catch-up-beyond", "36")
    assert allowed.code == 0, allowed
    assert allowed.json()["failed"] == []
    assert allowed.json()["installments_billed"] == 36
    # 2024 and 2025 at their dates; January to November 2026, before K-OK's invoices of
    # 2026, on one invoice of the run date (named in the warnings); December at its date
    assert len(_invoices(cli, "K-LATE")) == 12 + 12 + 1 + 1
    assert [w["contract"] for w in allowed.json()["warnings"]] == ["K-LATE"]


def test_catch_up_beyond_takes_a_whole_number(cli):
    for value in ("0", "-3", "x", "2.5", "٣"):
        result = cli("run", "--date", TODAY, "--catch-up-beyond", value)
        assert result.code == 2, value
        assert "--catch-up-beyond" in result.err and "Traceback" not in result.err


def test_the_limit_is_a_setting(cli, tmp_path):
    _load(cli, tmp_path, {"K-LATE": "2024-01-01"})
    config = tmp_path / "config.toml"
    config.write_text("[billing]\nmax_periods_per_contract = 0\n")
    refused = cli("--config", str(config), "--today", TODAY, "run", "--date", TODAY)
    assert refused.code == 2
    assert "[billing].max_periods_per_contract: must be 1 or more" in refused.err
    config.write_text('[billing]\nmax_periods_per_contract = "many"\n')
    assert cli("--config", str(config), "run", "--date", TODAY).code == 2
    assert Invoice.select().count() == 0
    config.write_text("[billing]\nmax_periods_per_contract = 40\n")
    result = cli("--config", str(config), "--today", TODAY, "run", "--date", TODAY, "--json")
    assert result.code == 0, result
    assert len(_invoices(cli, "K-LATE")) == 36


def test_due_and_run_refuse_a_date_more_than_ten_years_ahead(cli, tmp_path):
    _load(cli, tmp_path, {})
    for command in ("due", "run"):
        for far in ("2036-12-02", "9999-12-31"):
            result = cli("--today", TODAY, command, "--date", far, "--json")
            assert result.code == 2, result
            assert result.json()["exit_status"] == 2  # the refusal, as JSON on stdout
            lines = result.err.strip().splitlines()
            assert lines == (
                [
                    f"tui-billing: error: --date: {far} is more than 10 years after "
                    "today (2026-12-01); the latest date accepted is 2036-12-01"
                ]
                if far < "2200"
                # past every date accepted anywhere
                else [
                    f"tui-billing: error: argument --date: {far} is outside the "
                    "dates accepted (1970-01-01 to 2199-12-31) (see 'tui-billing "
                    f"{command} --help')"
                ]
            )
    assert Invoice.select().count() == 0
    assert BillingRun.select().count() == 0
    assert Installment.select().count() == 0  # refused before computing anything
    assert cli("--today", TODAY, "due", "--date", "2036-12-01", "--contract", "K-OK").code == 0


def _bill_at_the_calendar_end(cli):
    """Run the engine on 31/12/9999: the command line refuses such dates (they are past
    2199), but a database may hold contracts that reach them."""
    from tui_billing.billing.due import due_on
    from tui_billing.billing.run import RunOptions, run_billing
    from tui_billing.config import Config
    from tui_billing.store.database import open_database

    end = dt.date(9999, 12, 31)
    db = open_database(cli.target)
    try:
        rows, _ = due_on(db, end)
        due = [(r.period_start, r.period_end) for r in rows if r.period_start is not None]
        report = run_billing(db, RunOptions(end, email=False), Config())
    finally:
        db.close()
    return due, report


def test_a_contract_at_the_end_of_the_calendar_is_billed_without_a_crash(cli, tmp_path):
    # Reproducer: a contract starting in 9999 made `due` fail with an IndexError (exit 70).
    _load(
        cli,
        tmp_path,
        {
            "K-OK": "9999-12-01",
            "K-OLD": "9999-03-15",
            "K-LATE": "9999-12-01",
            "K-MATE": "9999-12-01",
        },
        terms=0,
    )
    due, report = _bill_at_the_calendar_end(cli)
    assert (dt.date(9999, 12, 1), dt.date(9999, 12, 31)) in due
    assert not report.failed and len(report.invoices) == 3
    assert [(i["number"][:7], i["date"]) for i in _invoices(cli, "K-OK")] == [
        ("A/9999/", "9999-12-01")
    ]
    assert _invoices(cli, "K-OLD") == []  # its first year would end in 10000: no period


def test_a_due_date_past_the_calendar_names_the_contract(cli, tmp_path):
    _load(cli, tmp_path, {"K-OK": "9999-12-01"}, terms=60)
    _, report = _bill_at_the_calendar_end(cli)
    failed = dict(report.failed)
    assert failed["K-OK"] == (
        "its due date, 60 days after 01/12/9999, lies past the end of the calendar (9999)"
    )
    assert _invoices(cli, "K-OK") == []
