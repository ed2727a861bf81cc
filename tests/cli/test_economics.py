"""Contract economics end to end on SQLite and PostgreSQL: index adjustment (also across the
2015 -> 2025 rebase), a missing index value, step-ups, revenue lines with a guaranteed
minimum, a waiting period, advance and balancing (an invoice and a credit note).

Every amount is worked out by hand in the test. The index values are illustrative, not
ISTAT's published figures."""

from __future__ import annotations

import io
import json

import pypdf

from tui_billing.store.models import Installment, Invoice

ROSSI = {"code": "ROSSI", "name": "Rossi S.r.l."}


def load(cli, tmp_path, contracts, name="k.json"):
    path = tmp_path / name
    data = {"customers": [ROSSI], "contracts": contracts}
    if any("index" in line for k in contracts for line in k["lines"]):
        data["index_series"] = [{"code": "FOI"}]  # its values come later, from CSV
    path.write_text(json.dumps(data))
    result = cli("import", str(path))
    assert result.code == 0, result


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def due(cli, day, contract):
    result = cli("due", "--date", day, "--contract", contract, "--json")
    assert result.code == 0, result
    return result.json()


def by_period(rows):
    return {r["period_start"]: r for r in rows}


def rent(start="2025-01-01", base_month="2024-10", month=1, share="75", price="1000.00"):
    return {
        "code": "AFF-1",
        "customer": "ROSSI",
        "status": "active",
        "start_date": start,
        "frequency": "monthly",
        "lines": [
            {
                "description": "Canone locazione",
                "unit_price": price,
                "vat_rate": "22.00",
                "index": {
                    "series": "FOI",
                    "share": share,
                    "month": month,
                    "base_month": base_month,
                },
            }
        ],
    }


def test_75_percent_foi_adjustment_applies_from_its_month(cli, tmp_path):
    load(cli, tmp_path, [rent()])
    csv = "month,value,base\n2024-10,121.3,2015\n2025-10,122.6,2015\n"
    imported = cli("index", "import", "FOI", write(tmp_path, "foi.csv", csv))
    assert imported.code == 0, imported
    rows = by_period(due(cli, "2026-02-01", "AFF-1"))
    # Adjustment 1 compares October 2025 with October 2024 and applies from 1 January 2026:
    #   (122.6 / 121.3 - 1) x 100 = 1.0717...% -> 1.1% (one decimal, as ISTAT rounds)
    #   75% of 1.1% = 0.825%;  1000.00 x 1.00825 = 1008.25
    assert rows["2025-12-01"]["amount"] == "1000.00"
    assert rows["2026-01-01"]["amount"] == "1008.25"
    assert rows["2026-02-01"]["amount"] == "1008.25"
    [line] = rows["2026-01-01"]["lines"]
    assert line["unit_price"] == "1008.25"
    assert line["description"] == (
        "Canone locazione - prezzo adeguato dal 01/01/2026 "
        "(FOI +1,1% x 75%) - competenza dal 01/01/2026 al 31/01/2026"
    )
    history = cli("contract", "price-history", "AFF-1", "--date", "2026-02-01", "--json").json()
    [change] = history[0]["changes"]
    assert change == {
        "from": "2026-01-01",
        "kind": "index",
        "old_price": "1000.00",
        "new_price": "1008.25",
        "series": "FOI",
        "share_percent": "75",
        "base_month": "2024-10",
        "base_index": "121.3",
        "base_index_base": "2015",
        "new_month": "2025-10",
        "new_index": "122.6",
        "new_index_base": "2015",
        "coefficient": None,
        "new_index_in_base": "122.6",
        "variation_percent": "1.1",
        "applied_percent": "0.825",
    }
    text = cli("contract", "price-history", "AFF-1", "--date", "2026-02-01")
    assert "share: 75% of 1.1% = 0.825%" in text.out
    assert "price: 1000.00 x (1 + 0.825%) = 1008.25" in text.out


def test_adjustment_across_the_2015_to_2025_rebase_uses_the_linking_coefficient(cli, tmp_path):
    load(cli, tmp_path, [rent(start="2025-04-01", base_month="2025-03", month=4, price="1200.00")])
    csv = "month;value;base\n2025-03;122,0;2015\n2026-03;101,2;2025\n"
    assert cli("index", "import", "FOI", write(tmp_path, "foi.csv", csv)).code == 0
    missing_link = by_period(due(cli, "2026-04-01", "AFF-1"))
    assert missing_link["2026-04-01"]["amount"] == "1200.00"  # no coefficient yet: last price
    linked = cli("index", "link", "FOI", "2015", "2025", "1.2195")
    assert linked.code == 0, linked
    rows = by_period(due(cli, "2026-05-01", "AFF-1"))
    # March 2026 is in base 2025: brought into base 2015 with the coefficient,
    #   101.2 x 1.2195 = 123.4134 -> 123.4
    #   (123.4 / 122.0 - 1) x 100 = 1.1475...% -> 1.1%;  75% -> 0.825%
    #   1200.00 x 1.00825 = 1209.90
    assert rows["2026-03-01"]["amount"] == "1200.00"
    assert rows["2026-04-01"]["amount"] == "1209.90"
    assert rows["2026-05-01"]["amount"] == "1209.90"
    [history] = cli("contract", "price-history", "AFF-1", "--date", "2026-05-01", "--json").json()
    change = history["changes"][0]
    assert (change["coefficient"], change["new_index_in_base"], change["variation_percent"]) == (
        "1.2195",
        "123.4",
        "1.1",
    )
    listed = cli("index", "list", "FOI", "--json").json()
    assert listed["values"] == [
        {"month": "2025-03", "value": "122.0", "base": "2015"},
        {"month": "2026-03", "value": "101.2", "base": "2025"},
    ]
    assert listed["links"] == [{"old_base": "2015", "new_base": "2025", "coefficient": "1.2195"}]


def test_missing_index_value_bills_the_last_price_with_a_warning(cli, tmp_path):
    load(cli, tmp_path, [rent()])
    csv = "month,value,base\n2024-10,121.3,2015\n"
    assert cli("index", "import", "FOI", write(tmp_path, "foi.csv", csv)).code == 0
    result = cli("due", "--date", "2026-01-01", "--contract", "AFF-1", "--json")
    assert result.code == 0, result
    rows = by_period(result.json())
    january = rows["2026-01-01"]
    assert january["amount"] == "1000.00"  # the last price, nothing guessed
    assert (
        "indice FOI non disponibile per l'adeguamento del 01/01/2026"
        in (january["lines"][0]["description"])
    )
    assert (
        "contract AFF-1: line 1 (Canone locazione): index FOI 2025-10 is not available "
        "(needed for the adjustment of 01/01/2026); billed at the last price 1000.00"
    ) in result.err
    run = cli("run", "--date", "2025-11-30", "--dry-run", "--json")
    assert run.json()["warnings"] == []  # the adjustment is not billed by then
    run = cli("run", "--date", "2026-01-01", "--dry-run", "--json")
    assert [w["contract"] for w in run.json()["warnings"]] == ["AFF-1"]
    # December is invoiced meanwhile; then the value arrives and January (still pending)
    # takes the new price, while what was invoiced stays as it was.
    invoiced = cli("invoice", "--installments", rows["2025-12-01"]["installment"])
    assert invoiced.code == 0, invoiced
    more = "month,value,base\n2025-10,122.6,2015\n"
    imported = cli("index", "import", "FOI", write(tmp_path, "foi2.csv", more))
    assert "1 contracts to recompute" in imported.out
    after = cli("due", "--date", "2026-01-01", "--contract", "AFF-1", "--json")
    assert "not available" not in after.err
    rows = by_period(after.json())
    assert "2025-12-01" not in rows
    assert rows["2026-01-01"]["amount"] == "1008.25"


def test_a_missing_index_value_is_warned_once_per_line(cli, tmp_path):
    load(cli, tmp_path, [rent()])
    csv = "month,value,base\n2024-10,121.3,2015\n"
    assert cli("index", "import", "FOI", write(tmp_path, "foi.csv", csv)).code == 0
    # 2025-10 is missing: the 2026 adjustment cannot be made, nor the 2027 one after it
    result = cli("due", "--date", "2027-02-01", "--contract", "AFF-1")
    assert result.code == 0, result
    warnings = [line for line in result.err.splitlines() if "not available" in line]
    assert warnings == [
        "tui-billing: contract AFF-1: line 1 (Canone locazione): index FOI "
        "2025-10 is not available (needed for the adjustment of 01/01/2026); "
        "billed at the last price 1000.00"
    ]
    run = cli("run", "--date", "2027-02-01", "--dry-run", "--json")
    assert len(run.json()["warnings"]) == 1


def test_no_warning_once_what_misses_an_index_is_invoiced(cli, tmp_path):
    load(cli, tmp_path, [rent()])
    csv = "month,value,base\n2024-10,121.3,2015\n"
    assert cli("index", "import", "FOI", write(tmp_path, "foi.csv", csv)).code == 0
    first = cli("run", "--date", "2026-02-01", "--no-email")
    assert first.code == 0, first
    assert "not available" in first.out + first.err
    # everything due by then is invoiced: a rerun creates nothing and warns of nothing
    again = cli("due", "--date", "2026-02-01", "--contract", "AFF-1")
    assert again.code == 0, again
    assert "not available" not in again.err
    rerun = cli("run", "--date", "2026-02-01", "--dry-run", "--json")
    assert rerun.json()["warnings"] == []
    # the next month is still to bill at the last price: warned again
    later = cli("due", "--date", "2026-03-01", "--contract", "AFF-1")
    assert "index FOI 2025-10 is not available" in later.err


def test_step_up_by_amount_then_by_percent(cli, tmp_path):
    load(
        cli,
        tmp_path,
        [
            {
                "code": "STEP-1",
                "customer": "ROSSI",
                "status": "active",
                "start_date": "2025-01-01",
                "frequency": "quarterly",
                "language": "en",
                "lines": [
                    {
                        "description": "Support",
                        "unit_price": "300.00",
                        "vat_rate": "22.00",
                        "steps": [
                            {"from": "2025-02-01", "amount": "30.00"},
                            {"from": "2026-01-01", "percent": "5"},
                        ],
                    }
                ],
            }
        ],
    )
    rows = by_period(due(cli, "2026-01-01", "STEP-1"))
    # Q1 2025 is cut by the step on 1 February: January at 300.00 x 1/3 = 100.00,
    # February-March at (300.00 + 30.00) x 2/3 = 220.00; total 320.00. Each line's unit
    # price is that of its own period, so 1 x unit price reads as its amount.
    q1 = rows["2025-01-01"]
    assert q1["amount"] == "320.00"
    assert [
        (li["period_start"], li["period_end"], li["unit_price"], li["amount"]) for li in q1["lines"]
    ] == [
        ("2025-01-01", "2025-01-31", "100.00", "100.00"),
        ("2025-02-01", "2025-03-31", "220.00", "220.00"),
    ]
    assert q1["lines"][1]["description"] == (
        "Support - step-up from 01/02/2025: +30.00 - period 01/02/2025-31/03/2025"
    )
    assert rows["2025-04-01"]["amount"] == "330.00"
    # From 2026: 330.00 x 1.05 = 346.50
    assert rows["2026-01-01"]["amount"] == "346.50"
    assert "step-up from 01/01/2026: +5%" in rows["2026-01-01"]["lines"][0]["description"]
    # The first quarter billed, its two lines stay billed once: nothing comes back.
    assert cli("invoice", "--installments", q1["installment"]).code == 0
    again = by_period(due(cli, "2026-01-01", "STEP-1"))
    assert "2025-01-01" not in again


def royalties(minimum=True):
    return {
        "code": "ROY-1",
        "customer": "ROSSI",
        "status": "active",
        "start_date": "2025-01-01",
        "frequency": "quarterly",
        "timing": "arrears",
        "lines": [
            {
                "description": "Royalty",
                "unit_price": "500.00",
                "vat_rate": "22.00",
                "revenue": {"percent": "5", "minimum": minimum},
            }
        ],
    }


def test_guaranteed_minimum_applies_and_does_not(cli, tmp_path):
    load(cli, tmp_path, [royalties()])
    csv = (
        "contract,period_start,period_end,amount\n"
        "ROY-1,2024-10-01,2024-12-31,8000.00\n"
        "ROY-1,2025-01-01,2025-03-31,14000.00\n"
    )
    imported = cli("revenue", "import", write(tmp_path, "rev.csv", csv))
    assert imported.code == 0, imported
    rows = by_period(due(cli, "2025-06-30", "ROY-1"))
    # Q1 2025 bills Q4 2024: 8,000.00 x 5% = 400.00, below the minimum 500.00 -> 500.00
    assert rows["2025-01-01"]["amount"] == "500.00"
    assert rows["2025-01-01"]["lines"][0]["description"] == (
        "Royalty - 5% del fatturato dal 01/10/2024 al 31/12/2024 (8.000,00): applicato il "
        "minimo garantito 500,00 - competenza dal 01/01/2025 al 31/03/2025"
    )
    # Q2 2025 bills Q1 2025: 14,000.00 x 5% = 700.00, above the minimum -> 700.00
    assert rows["2025-04-01"]["amount"] == "700.00"
    assert "minimo" not in rows["2025-04-01"]["lines"][0]["description"]


def test_waiting_period_is_held_back_until_its_figure_is_imported(cli, tmp_path):
    load(cli, tmp_path, [royalties(minimum=False)])
    rows = due(cli, "2025-03-31", "ROY-1")
    assert [(r["status"], r["amount"]) for r in rows] == [("waiting", "0.00")]
    waiting_id = rows[0]["installment"]
    assert Installment.get_by_id(int(waiting_id)).status == "waiting"
    human = cli("due", "--date", "2025-03-31")
    assert "0 installments due, total 0.00 (net of VAT); 1 waiting for a revenue figure" in (
        human.out
    )
    refused = cli("invoice", "--installments", waiting_id)
    assert refused.code == 2 and "not ready to invoice" in refused.err
    run = cli("run", "--date", "2025-03-31", "--no-email", "--json")
    assert run.json()["invoices_created"] == 0  # never billed at zero
    entered = cli(
        "revenue",
        "add",
        "ROY-1",
        "--from",
        "2024-10-01",
        "--to",
        "2024-12-31",
        "--amount",
        "12345.67",
    )
    assert entered.code == 0, entered
    [row] = due(cli, "2025-03-31", "ROY-1")
    # 12,345.67 x 5% = 617.2835 -> 617.28
    assert (row["status"], row["amount"], row["installment"]) == ("pending", "617.28", waiting_id)
    run = cli("run", "--date", "2025-03-31", "--no-email", "--status", "issued", "--json")
    assert run.json()["invoices_created"] == 1
    [invoice] = cli("invoices", "--contract", "ROY-1", "--json").json()
    assert (invoice["taxable"], invoice["vat"], invoice["total"]) == ("617.28", "135.80", "753.08")


def advance(language="it"):
    return {
        "code": "ADV-1",
        "customer": "ROSSI",
        "status": "active",
        "start_date": "2025-01-01",
        "frequency": "monthly",
        "alignment": "calendar",
        "language": language,
        "lines": [
            {
                "description": "Acconto consumi",
                "unit_price": "100.00",
                "vat_rate": "22.00",
                "advance": {"balance": "annual"},
            }
        ],
    }


def balancing_rows(cli, tmp_path, actual):
    csv = f"contract,period_start,period_end,amount\nADV-1,2025-01-01,2025-12-31,{actual}\n"
    assert cli("revenue", "import", write(tmp_path, "rev.csv", csv)).code == 0
    return due(cli, "2025-12-31", "ADV-1")


def test_balancing_invoice_bills_the_actual_amount_less_the_advances(cli, tmp_path):
    load(cli, tmp_path, [advance()])
    rows = balancing_rows(cli, tmp_path, "1350.00")
    year = ("2025-01-01", "2025-12-31")
    advances = [r for r in rows if (r["period_start"], r["period_end"]) != year]
    assert len(advances) == 12 and {r["amount"] for r in advances} == {"100.00"}
    [balance] = [
        r for r in rows if r["period_start"] == "2025-01-01" and r["period_end"] == "2025-12-31"
    ]
    # actual 1,350.00 - 12 advances of 100.00 = 150.00 to bill
    assert balance["amount"] == "150.00"
    assert balance["lines"][0]["description"] == (
        "Acconto consumi - conguaglio: effettivo 1.350,00 meno acconti 1.200,00 - competenza "
        "dal 01/01/2025 al 31/12/2025"
    )
    result = cli(
        "invoice", "--installments", balance["installment"], "--status", "issued", "--json"
    )
    assert result.code == 0, result
    [created] = result.json()
    assert (created["document_type"], created["total"]) == ("invoice", "183.00")


def test_balancing_that_credits_is_a_numbered_credit_note(cli, tmp_path):
    load(cli, tmp_path, [advance(language="en")])
    rows = balancing_rows(cli, tmp_path, "1000.00")
    [balance] = [
        r for r in rows if r["period_start"] == "2025-01-01" and r["period_end"] == "2025-12-31"
    ]
    # actual 1,000.00 - advances 1,200.00 = -200.00: credited
    assert balance["amount"] == "-200.00"
    run = cli("run", "--date", "2025-12-31", "--status", "issued", "--no-email", "--json")
    assert run.code == 0, run
    invoices = cli("invoices", "--contract", "ADV-1", "--json").json()
    assert [i["seq"] for i in invoices] == list(range(1, 14))  # gapless, one series
    [note] = [i for i in invoices if i["document_type"] == "credit_note"]
    # VAT on -200.00 at 22% = -44.00; total -244.00
    assert (note["number"], note["taxable"], note["vat"], note["total"]) == (
        "A/2025/0013",
        "-200.00",
        "-44.00",
        "-244.00",
    )
    assert note["lines"][0]["description"] == (
        "Acconto consumi - balancing: actual 1,000.00 less advances 1,200.00 - period "
        "01/01/2025-31/12/2025"
    )
    totals = sum(int(i.total * 100) for i in Invoice.select())
    assert totals == 12 * 12200 - 24400  # 12 x 122.00 - 244.00 = 1,220.00
    pdf = tmp_path / "note.pdf"
    assert cli("pdf", note["number"], "-o", str(pdf)).code == 0
    text = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "Credit note" in text and "-244.00" in text


def test_credit_note_pdf_in_italian(cli, tmp_path):
    load(cli, tmp_path, [advance()])
    balancing_rows(cli, tmp_path, "1000.00")
    assert cli("run", "--date", "2025-12-31", "--status", "issued", "--no-email").code == 0
    note = Invoice.get(Invoice.document_type == "credit_note")
    pdf = tmp_path / "nota.pdf"
    assert cli("pdf", note.number, "-o", str(pdf)).code == 0
    text = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert "Nota di credito" in text and "-244,00" in text
    # the customer is owed the amount: no payment method, account to debit or due date
    assert "Modalità di pagamento" not in text and "Scadenza" not in text


def test_economics_round_trip_and_errors_name_the_field(cli, tmp_path):
    contracts = [
        rent(),
        royalties(),
        advance(),
        {
            "code": "STEP-1",
            "customer": "ROSSI",
            "status": "active",
            "start_date": "2025-01-01",
            "frequency": "quarterly",
            "lines": [
                {
                    "description": "Support",
                    "unit_price": "300.00",
                    "vat_rate": "22.00",
                    "steps": [
                        {"from": "2025-02-01", "amount": "30"},
                        {"from": "2026-01-01", "percent": "5"},
                    ],
                }
            ],
        },
    ]
    load(cli, tmp_path, contracts)
    csv = "month,value,base\n2025-12,122.8,2015\n2026-01,100.4,2025\n"
    assert cli("index", "import", "FOI", write(tmp_path, "foi.csv", csv)).code == 0
    assert cli("index", "link", "FOI", "2015", "2025", "1.2195").code == 0
    assert (
        cli(
            "revenue",
            "add",
            "ROY-1",
            "--from",
            "2025-01-01",
            "--to",
            "2025-03-31",
            "--amount",
            "14000",
            "--note",
            "Q1",
        ).code
        == 0
    )
    exported = json.loads(cli("export").out)
    assert exported["index_series"] == [
        {
            "code": "FOI",
            "name": "FOI",
            "values": [
                {"month": "2025-12", "value": "122.8", "base": "2015"},
                {"month": "2026-01", "value": "100.4", "base": "2025"},
            ],
            "links": [{"old_base": "2015", "new_base": "2025", "coefficient": "1.2195"}],
        }
    ]
    assert exported["revenue_figures"] == [
        {
            "contract": "ROY-1",
            "period_start": "2025-01-01",
            "period_end": "2025-03-31",
            "amount": "14000.00",
            "note": "Q1",
        }
    ]
    lines = {k["code"]: k["lines"][0] for k in exported["contracts"]}
    assert lines["AFF-1"]["index"] == {
        "series": "FOI",
        "share": "75",
        "month": 1,
        "base_month": "2024-10",
    }
    assert lines["STEP-1"]["steps"] == [
        {"from": "2025-02-01", "amount": "30"},
        {"from": "2026-01-01", "percent": "5"},
    ]
    assert lines["ROY-1"]["revenue"] == {"percent": "5", "minimum": True}
    assert lines["ADV-1"]["advance"] == {"balance": "annual", "rate": "1"}
    path = write(tmp_path, "again.json", json.dumps(exported))
    again = cli("import", path)
    assert "contracts: 0 new, 0 updated, 4 unchanged" in again.out
    assert "index_series: 0 new, 0 updated, 1 unchanged" in again.out
    assert "revenue_figures: 0 new, 0 updated, 1 unchanged" in again.out
    exported["revenue_figures"][0]["contract"] = "NOPE"
    result = cli("import", write(tmp_path, "nope.json", json.dumps(exported)))
    assert "revenue_figures[0].contract: unknown contract 'NOPE'" in result.err
    bad = rent()
    bad["lines"].insert(0, {"description": "Plain", "unit_price": "1", "vat_rate": "22"})
    bad["lines"][1]["index"]["share"] = "175"
    result = cli("import", write(tmp_path, "bad.json", json.dumps({"contracts": [bad]})))
    assert result.code == 2
    assert "contracts[0].lines[1].index.share: must be a percentage above 0 and at most 100" in (
        result.err
    )
    bad["lines"][1]["index"].update(share="75", base_month="2024-13")
    result = cli("import", write(tmp_path, "bad.json", json.dumps({"contracts": [bad]})))
    assert "contracts[0].lines[1].index.base_month: not a month (YYYY-MM)" in result.err
    step = {
        "description": "S",
        "unit_price": "1",
        "vat_rate": "22",
        "steps": [{"from": "2025-01-01"}],
    }
    result = cli(
        "import",
        write(tmp_path, "bad.json", json.dumps({"contracts": [{**rent(), "lines": [step]}]})),
    )
    assert "contracts[0].lines[0].steps[0]: give either amount or percent" in result.err


def test_csv_errors_name_the_row_and_column_and_write_nothing(cli, tmp_path):
    load(cli, tmp_path, [royalties()])
    bad = "month,value,base\n2024-10,121.3,2015\n2024-11,abc,2015\n"
    result = cli("index", "import", "FOI", write(tmp_path, "foi.csv", bad))
    assert result.code == 2
    assert "row 3, column value: not a decimal number" in result.err
    assert cli("index", "list", "--json").json() == []
    bad = (
        "contract,period_start,period_end,amount\nROY-1,2025-01-01,2025-03-31,10\n"
        "NOPE,2025-01-01,2025-03-31,10\n"
    )
    result = cli("revenue", "import", write(tmp_path, "rev.csv", bad))
    assert result.code == 2 and "row 3, column contract: unknown contract 'NOPE'" in result.err
    assert cli("revenue", "list", "--json").json() == []
