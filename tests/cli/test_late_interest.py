"""Late-payment interest and recovery fees, end to end on SQLite and PostgreSQL: contracts
imported, billing runs, payments imported, and the charges on the next invoices checked to
the cent against the arithmetic written out here."""

from __future__ import annotations

import json

CUSTOMER = {"code": "ACME", "name": "ACME S.r.l.", "payment_terms_days": 30}


def contract(code: str, start: str, **late) -> dict:
    return {
        "code": code,
        "customer": "ACME",
        "status": "active",
        "start_date": start,
        "frequency": "quarterly",
        "cost_centre": "CC-NORD",
        **late,
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": "1000.00", "vat_rate": "22.00"}
        ],
    }


def load(cli, tmp_path, *contracts) -> None:
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"customers": [CUSTOMER], "contracts": list(contracts)}))
    result = cli("import", str(path))
    assert result.code == 0, result


def run(cli, day: str) -> dict:
    result = cli("run", "--date", day, "--status", "issued", "--no-email", "--json")
    assert result.code == 0, result
    return result.json()


def pay(cli, tmp_path, today: str, *rows: str) -> None:
    path = tmp_path / f"payments-{today}.csv"
    path.write_text("invoice;date;amount\n" + "\n".join(rows) + "\n")
    result = cli("--today", today, "payments", "import", str(path))
    assert result.code == 0, result


def invoice(cli, number: str) -> dict:
    [found] = [i for i in cli("invoices", "--json").json() if i["number"] == number]
    return found


def lines(inv: dict) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (li["description"], li["amount"], li["period_start"], li["period_end"])
        for li in inv["lines"]
    ]


def test_legal_interest_across_a_rate_change_partial_payments_each_day_once(cli, tmp_path):
    load(cli, tmp_path, contract("K-1", "2025-04-01", late_interest="legal", late_fee="40.00"))
    run(cli, "2025-04-01")
    first = invoice(cli, "A/2025/0001")
    assert (first["total"], first["due_date"]) == ("1220.00", "2025-05-01")

    # Nothing paid by the next quarter's invoice of 01/07/2025. Days late: 02/05 - 01/07.
    #   H1 2025 (ECB 3.15 + 8 = 11.15 %): 2/5 - 30/6 = 30 + 30 = 60 days
    #       1,220.00 x 11.15 % x 60 / 365 = 8,161.80 / 365 = 22.36109589...
    #   H2 2025 (ECB 2.15 + 8 = 10.15 %): 1/7, 1 day
    #       1,220.00 x 10.15 % x 1 / 365  =   123.83 / 365 =  0.33926027...
    #   interest = 22.70035616... -> 22.70; recovery fee 40.00, once.
    report = run(cli, "2025-07-01")
    assert report["invoices"] == ["A/2025/0002"]
    second = invoice(cli, "A/2025/0002")
    assert lines(second)[1:] == [
        (
            "Interessi di mora fattura A/2025/0001 scaduta il 01/05/2025: "
            "60 gg dal 02/05/2025 al 30/06/2025 al 11,15% su 1.220,00; "
            "1 gg dal 01/07/2025 al 01/07/2025 al 10,15% su 1.220,00",
            "22.70",
            "2025-05-02",
            "2025-07-01",
        ),
        (
            "Spese di recupero per ritardato pagamento fattura A/2025/0001 scaduta il "
            "01/05/2025 (art. 6 D.Lgs. 231/2002)",
            "40.00",
            None,
            None,
        ),
    ]
    assert [(li["vat_rate"], li["vat_nature"]) for li in second["lines"]] == [
        ("22.00", None),
        ("0.00", "N1"),
        ("0.00", "N1"),
    ]
    assert {li["cost_centre"] for li in second["lines"]} == {"CC-NORD"}
    # Interest and fee are out of VAT scope: not taxable, but in the total to pay.
    assert (second["taxable"], second["vat"], second["out_of_scope"], second["total"]) == (
        "1000.00",
        "220.00",
        "62.70",
        "1282.70",
    )

    # A/2025/0001 paid in two parts, A/2025/0002 on its due date (nothing late on it).
    pay(
        cli,
        tmp_path,
        "2025-09-15",
        "A/2025/0001;2025-08-10;620,00",
        "A/2025/0001;2025-09-15;600,00",
        "A/2025/0002;2025-07-31;1282,70",
    )
    # The next invoice bills the days from 02/07 (01/07 is billed), all at 10.15 %:
    #   2/7 - 10/8 = 30 + 10 = 40 days on 1,220.00: 1,220.00 x 10.15 % x 40 / 365 = 13.57041096
    #   11/8 - 15/9 = 21 + 15 = 36 days on   600.00:   600.00 x 10.15 % x 36 / 365 =  6.00657534
    #   interest = 19.57698630... -> 19.58; no second fee.
    run(cli, "2025-10-01")
    third = invoice(cli, "A/2025/0003")
    assert lines(third)[1:] == [
        (
            "Interessi di mora fattura A/2025/0001 scaduta il 01/05/2025: "
            "40 gg dal 02/07/2025 al 10/08/2025 al 10,15% su 1.220,00; "
            "36 gg dal 11/08/2025 al 15/09/2025 al 10,15% su 600,00",
            "19.58",
            "2025-07-02",
            "2025-09-15",
        ),
    ]
    assert third["total"] == "1239.58"

    # Rerunning bills nothing more.
    assert run(cli, "2025-10-01")["invoices_created"] == 0
    # A/2025/0003 (due 31/10/2025) is left unpaid: on 01/01/2026 its capital of 1,220.00
    # (its own late charges of 19.58 excluded) is 62 days late, 1/11 - 1/1 = 30 + 31 + 1,
    # H2 2025 and H1 2026 both at 10.15 %, so one run:
    #   1,220.00 x 10.15 % x 62 / 365 = 7,677.46 / 365 = 21.03413698... -> 21.03, fee 40.00
    run(cli, "2026-01-01")
    fourth = invoice(cli, "A/2026/0001")
    assert [li[1:] for li in lines(fourth)] == [
        ("1000.00", "2026-01-01", "2026-03-31"),
        ("21.03", "2025-11-01", "2026-01-01"),
        ("40.00", None, None),
    ]
    assert "62 gg dal 01/11/2025 al 01/01/2026 al 10,15% su 1.220,00" in lines(fourth)[1][0]
    open_items = cli("open-items", "--date", "2026-01-02", "--json").json()
    assert [
        (i["invoice"], i["paid"], i["open"], i["overdue_since"], i["days_overdue"])
        for i in open_items
    ] == [
        ("A/2025/0003", "0.00", "1239.58", "2025-11-01", 63),
        ("A/2026/0001", "0.00", "1281.03", None, 0),
    ]


def test_grace_period_and_fixed_rate(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract(
            "K-G",
            "2025-01-01",
            late_interest="fixed",
            late_interest_rate="8.00",
            late_grace_days=15,
            late_fee="40.00",
        ),
    )
    run(cli, "2025-01-01")  # A/2025/0001, due 31/01/2025
    pay(cli, tmp_path, "2025-02-10", "A/2025/0001;2025-02-10;1220.00")  # 10 days: in grace
    run(cli, "2025-04-01")  # A/2025/0002, due 01/05/2025
    assert len(invoice(cli, "A/2025/0002")["lines"]) == 1  # no interest, no fee
    # 19 days late, more than the 15 of grace: interest from the day after the due date.
    #   2/5 - 20/5 = 19 days: 1,220.00 x 8 % x 19 / 365 = 1,854.40 / 365 = 5.08054794... -> 5.08
    pay(cli, tmp_path, "2025-05-20", "A/2025/0002;2025-05-20;1220.00")
    run(cli, "2025-07-01")
    third = invoice(cli, "A/2025/0003")
    assert lines(third)[1:] == [
        (
            "Interessi di mora fattura A/2025/0002 scaduta il 01/05/2025: "
            "19 gg dal 02/05/2025 al 20/05/2025 al 8,00% su 1.220,00",
            "5.08",
            "2025-05-02",
            "2025-05-20",
        ),
        (
            "Spese di recupero per ritardato pagamento fattura A/2025/0002 scaduta il "
            "01/05/2025 (art. 6 D.Lgs. 231/2002)",
            "40.00",
            None,
            None,
        ),
    ]
    assert third["total"] == "1265.08"


def test_unpaid_within_grace_is_not_charged_yet_then_charged_in_full(cli, tmp_path):
    load(
        cli,
        tmp_path,
        {
            **contract(
                "K-M",
                "2025-01-01",
                late_interest="fixed",
                late_interest_rate="10.00",
                late_grace_days=45,
            ),
            "frequency": "monthly",
        },
    )
    run(cli, "2025-01-01")  # A/2025/0001 due 31/01/2025; grace ends 17/03/2025
    run(cli, "2025-03-01")
    assert all(len(invoice(cli, n)["lines"]) == 1 for n in ("A/2025/0002", "A/2025/0003"))
    # 01/04: past the grace, the whole delay is charged: 1/2 - 1/4 = 28 + 31 + 1 = 60 days
    #   1,220.00 x 10 % x 60 / 365 = 7,320.00 / 365 = 20.05479452... -> 20.05
    run(cli, "2025-04-01")
    april = invoice(cli, "A/2025/0004")
    assert lines(april)[1][1:] == ("20.05", "2025-02-01", "2025-04-01")
    assert "60 gg dal 01/02/2025 al 01/04/2025 al 10,00% su 1.220,00" in lines(april)[1][0]


def test_due_shows_the_charge_and_a_payment_recomputes_it(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract("K-D", "2025-04-01", late_interest="fixed", late_interest_rate="10.00"),
    )
    run(cli, "2025-04-01")
    # Preview of 01/07: 61 days late (2/5 - 1/7): 1,220.00 x 10 % x 61 / 365 = 20.38904... -> 20.39
    [due] = cli("due", "--date", "2025-07-01", "--json").json()
    assert due["amount"] == "1020.39"
    # Paid on 31/05 (30 days late): 1,220.00 x 10 % x 30 / 365 = 10.02739... -> 10.03
    pay(cli, tmp_path, "2025-06-01", "A/2025/0001;2025-05-31;1220.00")
    [due] = cli("due", "--date", "2025-07-01", "--json").json()
    assert due["amount"] == "1010.03"
    assert due["lines"][1]["period_end"] == "2025-05-31"


def test_legal_rate_missing_for_a_half_year_defers_those_days(cli, tmp_path):
    load(cli, tmp_path, contract("K-L", "2026-04-01", late_interest="legal"))
    run(cli, "2026-04-01")  # due 01/05/2026; the table has no rate for 2026-H2 yet
    # 2/5 - 30/6 = 30 + 30 = 60 days at 10.15 %: 1,220.00 x 10.15 % x 60 / 365 = 20.3556164 -> 20.36
    [due] = cli("due", "--date", "2026-07-01", "--json").json()
    assert (due["lines"][1]["amount"], due["lines"][1]["period_end"]) == ("20.36", "2026-06-30")
    result = cli("interest-rates", "set", "2026-H2", "2.00")
    assert result.code == 0 and "10.00%" in result.out
    # + 1/7 at 10.00 %: 1,220.00 x 10 % x 1 / 365 = 0.33424658; total 20.6898630... -> 20.69
    [due] = cli("due", "--date", "2026-07-01", "--json").json()
    assert (due["lines"][1]["amount"], due["lines"][1]["period_end"]) == ("20.69", "2026-07-01")


def test_contract_late_terms_round_trip_and_validation(cli, tmp_path):
    load(
        cli,
        tmp_path,
        contract(
            "K-R",
            "2025-01-01",
            late_interest="fixed",
            late_interest_rate="9.50",
            late_grace_days=10,
            late_fee="40.00",
        ),
        contract("K-N", "2025-01-01"),
    )
    exported = json.loads(cli("export").out)
    terms = {
        k["code"]: {
            f: k[f]
            for f in (
                "late_interest",
                "late_interest_rate",
                "late_grace_days",
                "late_fee",
                "cost_centre",
            )
        }
        for k in exported["contracts"]
    }
    assert terms == {
        "K-N": {
            "late_interest": "none",
            "late_interest_rate": None,
            "late_grace_days": 0,
            "late_fee": "0.00",
            "cost_centre": "CC-NORD",
        },
        "K-R": {
            "late_interest": "fixed",
            "late_interest_rate": "9.50",
            "late_grace_days": 10,
            "late_fee": "40.00",
            "cost_centre": "CC-NORD",
        },
    }
    again = tmp_path / "again.json"
    again.write_text(json.dumps(exported))
    result = cli("import", str(again))
    assert result.code == 0 and "contracts: 0 new, 0 updated, 2 unchanged" in result.out
    assert json.loads(cli("export").out) == exported

    def refused(change: dict) -> str:
        bad = tmp_path / "bad.json"
        bad.write_text(
            json.dumps(
                {
                    "contracts": [{**contract("K-X", "2025-01-01"), **change}],
                    "customers": [CUSTOMER],
                }
            )
        )
        result = cli("import", str(bad))
        assert result.code == 2, result
        return result.err.strip()

    assert refused({"late_interest": "fixed"}).endswith(
        "contracts[0].late_interest_rate: is required when late_interest is 'fixed'"
    )
    assert refused({"late_interest": "legal", "late_interest_rate": "5"}).endswith(
        "contracts[0].late_interest_rate: is only used when late_interest is 'fixed'"
    )
    assert "contracts[0].late_interest: unknown value 'usury'" in refused(
        {"late_interest": "usury"}
    )
    assert refused({"late_grace_days": -1}).endswith(
        "contracts[0].late_grace_days: must be at least 0"
    )
    assert refused({"late_fee": "forty"}).endswith("contracts[0].late_fee: not a decimal number")
    assert refused({"iban": "IT60X0542811101000000123457"}).endswith(
        "contracts[0].iban: 'IT60X0542811101000000123457' is not a valid IBAN (check digits)"
    )
    assert {k["code"] for k in json.loads(cli("export").out)["contracts"]} == {"K-R", "K-N"}


def test_contracts_csv_carries_late_terms_and_checks_them(cli, tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("code;name\nACME;ACME S.r.l.\n")
    assert cli("import-csv", "customers", str(path)).code == 0
    path = tmp_path / "contracts.csv"
    path.write_text(
        "code;customer;status;start_date;frequency;late_interest;late_interest_rate;"
        "late_grace_days;late_fee;line_description;line_unit_price;line_vat_rate\n"
        "K-1;ACME;active;2025-01-01;monthly;fixed;9,5;10;40,00;Canone;100;22\n"
    )
    result = cli("import-csv", "contracts", str(path))
    assert result.code == 0, result
    [k] = json.loads(cli("export").out)["contracts"]
    assert (k["late_interest"], k["late_interest_rate"], k["late_grace_days"], k["late_fee"]) == (
        "fixed",
        "9.50",
        10,
        "40.00",
    )
    path.write_text(
        "code;customer;status;start_date;frequency;late_interest;late_interest_rate;"
        "line_description;line_unit_price;line_vat_rate\n"
        "K-2;ACME;active;2025-01-01;monthly;legal;9,5;Canone;100;22\n"
    )
    result = cli("import-csv", "contracts", str(path))
    assert result.code == 2
    assert (
        "row 2, column late_interest_rate: is only used when late_interest is 'fixed'" in result.err
    )


def test_company_iban_in_the_configuration_is_checked(cli, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[company]\niban = "IT60X0542811101000000123457"\n')
    monkeypatch.setenv("TUI_BILLING_CONFIG", str(config))
    result = cli("pdf", "1")
    assert result.code == 2
    assert "[company].iban: 'IT60X0542811101000000123457' is not a valid IBAN" in result.err


def test_an_installment_waiting_for_its_revenue_figure_carries_no_charge(cli, tmp_path):
    load(
        cli,
        tmp_path,
        {
            "code": "ROY",
            "customer": "ACME",
            "status": "active",
            "start_date": "2025-01-01",
            "frequency": "quarterly",
            "timing": "arrears",
            "late_interest": "fixed",
            "late_interest_rate": "10.00",
            "late_fee": "40.00",
            "lines": [
                {
                    "description": "Royalty",
                    "unit_price": "0.00",
                    "vat_rate": "22.00",
                    "revenue": {"percent": "5"},
                }
            ],
        },
    )
    assert (
        cli(
            "revenue",
            "add",
            "ROY",
            "--from",
            "2024-10-01",
            "--to",
            "2024-12-31",
            "--amount",
            "10000.00",
        ).code
        == 0
    )
    run(cli, "2025-03-31")  # A/2025/0001: 5 % of 10,000.00 = 500.00 + VAT = 610.00, due 30/04
    [waiting] = cli("due", "--date", "2025-06-30", "--json").json()
    assert (waiting["status"], waiting["amount"]) == ("waiting", "0.00")  # no charge on it
    assert (
        cli(
            "revenue",
            "add",
            "ROY",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--amount",
            "2000.00",
        ).code
        == 0
    )
    # Now it will be invoiced, it carries the charges: 1/5 - 30/6 = 31 + 30 = 61 days
    #   610.00 x 10 % x 61 / 365 = 3,721.00 / 365 = 10.19452054... -> 10.19, fee 40.00
    [due] = cli("due", "--date", "2025-06-30", "--json").json()
    assert [li["amount"] for li in due["lines"]] == ["100.00", "10.19", "40.00"]
