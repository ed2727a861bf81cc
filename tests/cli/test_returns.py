"""Returned collections end to end on SQLite and PostgreSQL: a return reopens the invoice,
its charges are billed once on the contract's next installment, late interest runs as if
the invoice had never been paid, and bad input is refused with nothing written."""

from __future__ import annotations

import json

from tests.cli.test_late_interest import invoice, lines, run
from tui_billing.billing.contract_views import contract_detail
from tui_billing.store.database import open_database
from tui_billing.store.models import Contract

CUSTOMER = {
    "code": "ACME",
    "name": "ACME S.r.l.",
    "payment_terms_days": 30,
    "payment_method": "sepa_direct_debit",
}


def monthly(code: str, **extra) -> dict:
    return {
        "code": code,
        "customer": "ACME",
        "status": "active",
        "start_date": "2026-01-01",
        "frequency": "monthly",
        **extra,
        "lines": [
            {"description": "Canone", "quantity": "1", "unit_price": "100.00", "vat_rate": "22.00"}
        ],
    }


def config(tmp_path, monkeypatch, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    monkeypatch.setenv("TUI_BILLING_CONFIG", str(path))


def paid_and_returned(cli, tmp_path, *contracts) -> None:
    path = tmp_path / "contracts.json"
    path.write_text(json.dumps({"customers": [CUSTOMER], "contracts": list(contracts)}))
    assert cli("import", str(path)).code == 0
    run(cli, "2026-01-01")
    assert (
        cli(
            "--today",
            "2026-01-31",
            "payments",
            "add",
            "A/2026/0001",
            "--amount",
            "122.00",
            "--date",
            "2026-01-31",
        ).code
        == 0
    )


def test_a_return_reopens_the_invoice_bills_its_charges_once_and_restarts_interest(
    cli, tmp_path, monkeypatch
):
    config(tmp_path, monkeypatch, '[returns]\nown_fee = "5.00"\n')
    paid_and_returned(
        cli, tmp_path, monthly("K-1", late_interest="fixed", late_interest_rate="10.00")
    )
    assert cli("--today", "2026-01-31", "open-items", "--json").json() == []
    result = cli(
        "--today",
        "2026-02-05",
        "payments",
        "return",
        "A/2026/0001",
        "--date",
        "2026-02-05",
        "--bank-fee",
        "3,50",
        "--reason",
        "AM04 fondi insufficienti",
        "--json",
    )
    assert result.code == 0, result
    assert result.json() == [
        {
            "invoice": "A/2026/0001",
            "date": "2026-02-05",
            "payment": 1,
            "amount": "122.00",
            "bank_fee": "3.50",
            "own_fee": "5.00",
            "charge": "8.50",
            "contract": "K-1",
            "collection_hold": None,
        }
    ]
    # Open and overdue again from its own due date; the history keeps payment and return.
    [item] = cli("--today", "2026-02-05", "open-items", "--json").json()
    assert (item["open"], item["overdue_since"], item["days_overdue"]) == (
        "122.00",
        "2026-02-01",
        5,
    )
    [payment] = cli("payments", "--json").json()
    assert (payment["amount"], payment["returned"]) == ("122.00", "2026-02-05")

    # The 01/02 installment is dated before the return: the charges go on the next one.
    run(cli, "2026-02-01")
    assert not any("insoluto" in d for d, *_ in lines(invoice(cli, "A/2026/0002")))
    run(cli, "2026-03-01")
    third = invoice(cli, "A/2026/0003")
    # Interest as if never paid: 01/02 on the second invoice, 02/02 - 01/03 here.
    #   122.00 x 10 % x 28 / 365 = 0.9358... -> 0.94
    assert lines(third)[1:] == [
        (
            "Interessi di mora fattura A/2026/0001 scaduta il 31/01/2026: 28 gg dal 02/02/2026 "
            "al 01/03/2026 al 10,00% su 122,00",
            "0.94",
            "2026-02-02",
            "2026-03-01",
        ),
        ("Spese insoluto fattura A/2026/0001 del 01/01/2026", "3.50", None, None),
        ("Spese insoluto fattura A/2026/0001 del 01/01/2026 (commissione)", "5.00", None, None),
    ]
    # The bank's fee out of the VAT base (N1), the company's own fee taxed at 22%.
    assert [(li["vat_rate"], li["vat_nature"]) for li in third["lines"][2:]] == [
        ("0.00", "N1"),
        ("22.00", None),
    ]
    assert (third["taxable"], third["vat"], third["total"]) == ("105.00", "23.10", "132.54")

    # Billed once: a rerun, and the next runs, bill the charges no more.
    run(cli, "2026-03-01")
    run(cli, "2026-04-01")
    texts = [d for i in cli("invoices", "--json").json() for d, *_ in lines(i)]
    assert sum("Spese insoluto" in t for t in texts) == 2  # the two lines of one return


def test_a_contract_has_its_own_fee_per_returned_item(cli, tmp_path, monkeypatch):
    config(tmp_path, monkeypatch, '[returns]\nown_fee = "5.00"\nown_fee_vat = "N1"\n')
    paid_and_returned(cli, tmp_path, monthly("K-1", returned_item_fee="7.25"))
    exported = json.loads(cli("export").out)
    assert exported["contracts"][0]["returned_item_fee"] == "7.25"
    result = cli(
        "--today",
        "2026-02-05",
        "payments",
        "return",
        "A/2026/0001",
        "--date",
        "2026-02-05",
        "--bank-fee",
        "2.00",
        "--json",
    )
    assert (result.json()[0]["own_fee"], result.json()[0]["charge"]) == ("7.25", "9.25")
    run(cli, "2026-03-01")
    # Both fees out of the VAT base here: one line.
    assert lines(invoice(cli, "A/2026/0003"))[1:] == [
        ("Spese insoluto fattura A/2026/0001 del 01/01/2026", "9.25", None, None)
    ]


def test_two_returns_in_a_row_hold_the_contract_from_automatic_collection(
    cli, tmp_path, monkeypatch
):
    paid_and_returned(cli, tmp_path, monthly("K-1"))
    run(cli, "2026-02-01")
    assert (
        cli(
            "--today",
            "2026-02-28",
            "payments",
            "add",
            "A/2026/0002",
            "--amount",
            "122.00",
            "--date",
            "2026-02-28",
        ).code
        == 0
    )
    first = cli(
        "--today",
        "2026-03-05",
        "payments",
        "return",
        "A/2026/0001",
        "--date",
        "2026-03-05",
        "--json",
    ).json()
    assert first[0]["collection_hold"] is None  # the latest collection, of 0002, went through
    second = cli(
        "--today",
        "2026-03-06",
        "payments",
        "return",
        "A/2026/0002",
        "--date",
        "2026-03-06",
        "--json",
    ).json()
    hold = second[0]["collection_hold"]
    assert hold == (
        "not collected automatically: 2 collections returned in a row "
        "(A/2026/0001 returned on 05/03/2026, A/2026/0002 returned on 06/03/2026)"
    )
    database = open_database(cli.target)
    try:
        [cid] = [c.id for c in Contract.select().where(Contract.code == "K-1")]
        assert contract_detail(cid).not_collecting == (hold,)
    finally:
        database.close()


def test_holding_after_returns_can_be_switched_off(cli, tmp_path, monkeypatch):
    config(tmp_path, monkeypatch, "[returns]\nhold_after = 0\n")
    paid_and_returned(cli, tmp_path, monthly("K-1"))
    run(cli, "2026-02-01")
    cli(
        "--today",
        "2026-02-28",
        "payments",
        "add",
        "A/2026/0002",
        "--amount",
        "122.00",
        "--date",
        "2026-02-28",
    )
    cli("--today", "2026-03-05", "payments", "return", "A/2026/0001", "--date", "2026-03-05")
    result = cli(
        "--today",
        "2026-03-06",
        "payments",
        "return",
        "A/2026/0002",
        "--date",
        "2026-03-06",
        "--json",
    )
    assert result.json()[0]["collection_hold"] is None


def nothing_written(cli) -> None:
    assert all(p["returned"] is None for p in cli("payments", "--json").json())


def test_bad_returns_are_refused_naming_the_record_with_nothing_written(cli, tmp_path):
    paid_and_returned(cli, tmp_path, monthly("K-1"))
    run(cli, "2026-02-01")
    cases = [
        (["A/2026/0099", "--date", "2026-02-05"], "no invoice numbered 'A/2026/0099'"),
        (["A/2026/0002", "--date", "2026-02-05"], "A/2026/0002 is not paid"),
        (["A/2026/0001", "--date", "2026-02-05", "--bank-fee", "tre"], "bank-fee: not a "),
        (["A/2026/0001", "--date", "2026-01-15"], "before the payment it returns"),
    ]
    for argv, message in cases:
        result = cli("--today", "2026-02-05", "payments", "return", *argv)
        assert result.code == 2, result
        assert message in result.err and len(result.err.strip().splitlines()) == 1, result
        nothing_written(cli)
    assert (
        cli(
            "--today", "2026-02-05", "payments", "return", "A/2026/0001", "--date", "2026-02-05"
        ).code
        == 0
    )
    again = cli(
        "--today", "2026-02-06", "payments", "return", "A/2026/0001", "--date", "2026-02-06"
    )
    assert again.code == 2 and "already returned on 05/02/2026" in again.err, again


def test_the_csv_import_is_strict_and_all_or_nothing(cli, tmp_path):
    paid_and_returned(cli, tmp_path, monthly("K-1"))
    csv = tmp_path / "returns.csv"
    cases = [
        (
            "invoice;date;fee;reason;iban\nA/2026/0001;2026-02-05;3,50;AM04;X\n",
            "returns.csv line 1: unknown column 'iban'",
        ),
        (
            "invoice;date;fee\nA/2026/0001;2026-02-05;3,50\nA/2026/0001;2026-02-06;1\n",
            "returns.csv line 3, column invoice: A/2026/0001 is returned twice",
        ),
        (
            "invoice;date;fee\nA/2026/0001;2026-02-05;tre\n",
            "returns.csv line 2, column fee: not a decimal number",
        ),
        (
            "invoice;date\nA/2026/0001;2026-02-05\nA/2026/0077;2026-02-05\n",
            "returns.csv line 3, column invoice: no invoice numbered 'A/2026/0077'",
        ),
        ("invoice;date\nA/2026/0001;2026-02-31\n", "returns.csv line 2, column date"),
        ("date;fee\n2026-02-05;1\n", "'invoice'"),
    ]
    for text, message in cases:
        csv.write_text(text)
        result = cli("--today", "2026-02-10", "payments", "returns", str(csv))
        assert result.code == 2, (text, result)
        assert message in result.err, (text, result)
        nothing_written(cli)
    csv.write_text('invoice,date,fee,reason\nA/2026/0001,2026-02-05,"1,20",MD06\n')
    result = cli("--today", "2026-02-10", "payments", "returns", str(csv))
    assert result.code == 0, result
    assert "1 return recorded" in result.out
    assert cli("payments", "--json").json()[0]["returned"] == "2026-02-05"
