"""A professional seller end to end on SQLite and PostgreSQL: the company's withholding and
contribution terms imported and refused, the figures stored on issue (and kept when the
terms change), a consumer without ritenuta, split payment with ritenuta, credit notes that
reverse them in proportion, open items, payments and late interest on the net, the PDF
read back."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from pypdf import PdfReader

from tests.support.seller import SELLER

STUDIO = {**SELLER, "withholding_kind": "RT01", "contribution_fund": "TC22"}
BUSINESS = {
    "code": "ACME",
    "name": "ACME S.r.l.",
    "payment_terms_days": 30,
    "vat_number": "IT00743110157",
}
CONSUMER = {
    "code": "ROSSI",
    "name": "Mario Rossi",
    "payment_terms_days": 30,
    "tax_code": "RSSMRA80A01H501U",
}


def _import(cli, tmp_path, data: dict):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data))
    return cli("import", str(path))


def _load(
    cli,
    tmp_path,
    price: str = "1000.00",
    company: dict | None = None,
    customer: dict | None = None,
    **contract,
) -> None:
    customer = customer or BUSINESS
    data = {
        "company": company or STUDIO,
        "customers": [customer],
        "contracts": [
            {
                "code": "K-1",
                "customer": customer["code"],
                "status": "active",
                "start_date": "2026-01-01",
                "frequency": "monthly",
                "lines": [{"description": "Consulenza", "unit_price": price, "vat_rate": "22"}],
                **contract,
            }
        ],
    }
    result = _import(cli, tmp_path, data)
    assert result.code == 0, result


def _issue(cli, day: str = "2026-01-01") -> dict:
    result = cli("run", "--date", day, "--no-email", "--json", "--status", "issued")
    assert result.code == 0, result
    return {i["number"]: i for i in cli("invoices", "--json").json() if i["number"]}


def _pdf(cli, tmp_path, number: str) -> str:
    path = tmp_path / "doc.pdf"
    assert cli("pdf", number, "-o", str(path), "--language", "it").code == 0
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(path).pages))


def test_inps_contribution_then_vat_then_withholding(cli, tmp_path):
    _load(cli, tmp_path)
    [invoice] = _issue(cli).values()
    # fees 1000.00; rivalsa 4% 40.00; VAT 22% on 1040.00 = 228.80; total 1268.80;
    # ritenuta 20% on 1040.00 (INPS rivalsa in the base) = 208.00; net 1060.80
    assert (invoice["taxable"], invoice["vat"], invoice["total"]) == (
        "1040.00",
        "228.80",
        "1268.80",
    )
    assert invoice["contribution"] == {
        "fund": "TC22",
        "rate": "4.00",
        "base": "1000.00",
        "amount": "40.00",
        "vat_rate": "22.00",
        "vat_nature": None,
        "withheld": True,
    }
    assert invoice["withholding"] == {
        "kind": "RT01",
        "rate": "20.00",
        "reason": "A",
        "base": "1040.00",
        "amount": "208.00",
    }
    assert (invoice["net_due"], invoice["amount_due"], invoice["open"]) == (
        "1060.80",
        "1060.80",
        "1060.80",
    )
    summary = re.sub(r"\s+", " ", cli("invoices").out)
    assert "total 1,268.80, amount due 1,060.80 (withholding tax)" in summary
    text = _pdf(cli, tmp_path, invoice["number"])
    assert "Rivalsa INPS 4% (art. 2 c. 26 L. 335/1995)" in text
    assert "Ritenuta d'acconto 20% su 1.040,00 (art. 25 DPR 600/73)" in text
    assert "-208,00" in text
    assert "Netto a pagare" in text and "1.060,80" in text
    assert "1.268,80" in text and "228,80" in text
    # The issued invoice keeps its figures when the company's terms change.
    assert _import(cli, tmp_path, {"company": SELLER}).code == 0
    again = cli("invoices", "--json").json()[0]
    assert (again["net_due"], again["withholding"]["amount"]) == ("1060.80", "208.00")


def test_rounding_half_up_at_the_cent(cli, tmp_path):
    # fees 10.13: rivalsa 4% = 0.4052 -> 0.41; VAT 22% of 10.54 = 2.3188 -> 2.32;
    # ritenuta 20% of 10.54 = 2.108 -> 2.11; total 12.86; net 10.75.
    # fees 0.63 (cassa TC01 4%, not withheld): 0.0252 -> 0.03; ritenuta 20% of 0.63 = 0.126
    # -> 0.13; a half cent: 20% of 0.63 rounds up, 4% of 12.50 = 0.50 exactly.
    _load(cli, tmp_path, price="10.13")
    [invoice] = _issue(cli).values()
    assert (
        invoice["contribution"]["amount"],
        invoice["vat"],
        invoice["total"],
        invoice["withholding"]["amount"],
        invoice["net_due"],
    ) == ("0.41", "2.32", "12.86", "2.11", "10.75")


def test_a_cassa_not_withheld_and_a_reduced_base(cli, tmp_path):
    company = {
        **SELLER,
        "withholding_kind": "RT02",
        "withholding_rate": "23",
        "withholding_base": "50",
        "contribution_fund": "TC01",
        "contribution_rate": "4",
    }
    _load(cli, tmp_path, price="312.50", company=company)
    [invoice] = _issue(cli).values()
    # 4% of 312.50 = 12.50; VAT 22% of 325.00 = 71.50; total 396.50;
    # ritenuta 23% on 50% of the fees alone (156.25) = 35.9375 -> 35.94; net 360.56
    assert invoice["contribution"]["withheld"] is False
    assert (invoice["contribution"]["amount"], invoice["total"]) == ("12.50", "396.50")
    assert invoice["withholding"] == {
        "kind": "RT02",
        "rate": "23.00",
        "reason": "A",
        "base": "156.25",
        "amount": "35.94",
    }
    assert invoice["net_due"] == "360.56"
    assert "Contributo integrativo Cassa Forense 4%" in _pdf(cli, tmp_path, invoice["number"])
    exported = cli("export").json()["company"]
    assert (
        exported["withholding_rate"],
        exported["withholding_base"],
        exported["contribution_fund"],
        exported["contribution_withheld"],
    ) == ("23.00", "50.00", "TC01", False)


def test_a_consumer_has_no_ritenuta(cli, tmp_path):
    _load(cli, tmp_path, customer=CONSUMER)
    assert cli("export").json()["customers"][0]["withholding_agent"] is False
    [invoice] = _issue(cli).values()
    assert invoice["withholding"] is None
    assert invoice["contribution"]["amount"] == "40.00"
    assert (invoice["total"], invoice["net_due"]) == ("1268.80", "1268.80")
    text = _pdf(cli, tmp_path, invoice["number"])
    assert "Ritenuta" not in text and "Rivalsa INPS" in text


def test_split_payment_and_ritenuta(cli, tmp_path):
    pa = {**BUSINESS, "public_administration": True, "sdi_code": "UFABCD"}
    _load(cli, tmp_path, customer=pa)
    [invoice] = _issue(cli).values()
    # net = 1268.80 - 208.00 ritenuta - 228.80 VAT paid by the PA itself = 832.00
    assert (invoice["split_payment"], invoice["net_due"], invoice["open"]) == (
        True,
        "832.00",
        "832.00",
    )
    [item] = cli("open-items", "--date", "2026-03-01", "--json").json()
    assert (item["amount_due"], item["open"]) == ("832.00", "832.00")


def test_credit_notes_reverse_in_proportion_and_close_exactly(cli, tmp_path):
    _load(cli, tmp_path, price="333.33")
    [invoice] = _issue(cli).values()
    # 4% of 333.33 = 13.33; VAT of 346.66 = 76.27; total 422.93; ritenuta 69.33; net 353.60
    assert (invoice["total"], invoice["withholding"]["amount"], invoice["net_due"]) == (
        "422.93",
        "69.33",
        "353.60",
    )
    number = invoice["number"]
    first = cli("--today", "2026-01-20", "credit", number, "--amount", "100.00", "--json")
    assert first.code == 0, first
    listed = cli("invoices", "--json")
    assert listed.code == 0, listed
    notes = {i["number"]: i for i in listed.json()}
    note = notes[first.json()["number"]]
    # 100 of 333.33: contribution 13.33 x 0.3 = 4.00; base 346.66 x 0.3 = 104.00;
    # ritenuta 69.33 x 0.3 = 20.80; VAT of 104.00 = 22.88; total 126.88; net 106.08
    assert (
        note["contribution"]["amount"],
        note["withholding"]["base"],
        note["withholding"]["amount"],
        note["total"],
        note["net_due"],
    ) == ("-4.00", "-104.00", "-20.80", "-126.88", "-106.08")
    assert notes[number]["open"] == "247.52"  # 353.60 - 106.08
    rest = cli("--today", "2026-01-21", "credit", number, "--json")
    assert rest.code == 0, rest
    notes = {i["number"]: i for i in cli("invoices", "--json").json()}
    closing = notes[rest.json()["number"]]
    assert (closing["contribution"]["amount"], closing["withholding"]["amount"]) == (
        "-9.33",
        "-48.53",
    )
    assert notes[number]["open"] == "0.00"
    assert cli("open-items", "--date", "2026-03-01", "--json").json() == []


def _pay(cli, tmp_path, today: str, row: str):
    path = tmp_path / f"payments-{today}.csv"
    path.write_text("invoice;date;amount\n" + row + "\n")
    return cli("--today", today, "payments", "import", str(path))


def test_payments_and_late_interest_on_the_net(cli, tmp_path):
    _load(cli, tmp_path, late_interest="fixed", late_interest_rate="10")
    [invoice] = _issue(cli).values()
    number = invoice["number"]  # due 31/01/2026, net 1060.80
    over = _pay(cli, tmp_path, "2026-01-15", f"{number};2026-01-15;1060,81")
    assert over.code == 2 and "1060.80 still open" in over.err, over
    assert _pay(cli, tmp_path, "2026-01-15", f"{number};2026-01-15;1000,00").code == 0
    [item] = cli("open-items", "--date", "2026-03-01", "--json").json()
    assert (item["amount_due"], item["paid"], item["open"]) == ("1060.80", "1000.00", "60.80")
    # Interest runs on the 60.80 left open of the net to pay, never on the total; the
    # charge is out of VAT scope (N1): neither a fee nor withheld on.
    invoices = _issue(cli, "2026-03-01")
    charged = [
        (i, li)
        for i in invoices.values()
        for li in i["lines"]
        if li["description"].startswith("Interessi di mora")
    ]
    assert charged
    for later, charge in charged:
        assert "su 60,80" in charge["description"], charge["description"]
        assert charge["vat_nature"] == "N1"
        fees = sum(Decimal(li["amount"]) for li in later["lines"] if li["vat_nature"] != "N1")
        assert later["contribution"]["base"] == f"{fees:.2f}"


def test_bad_terms_are_refused_naming_the_field(cli, tmp_path):
    for field, value, message in (
        ("withholding_rate", "101", "company.withholding_rate: must be a percentage"),
        ("contribution_rate", "-1", "company.contribution_rate:"),
        ("contribution_fund", "TC23", "company.contribution_fund: unknown value"),
        ("withholding_kind", "RT09", "company.withholding_kind: unknown value"),
        ("withholding_reason", "ZZ", "company.withholding_reason: unknown value"),
    ):
        result = _import(cli, tmp_path, {"company": {**STUDIO, field: value}})
        assert result.code == 2, (field, result)
        assert message in result.err, (field, result.err)
        assert len(result.err.strip().splitlines()) == 1
        assert (
            "withholding_kind" not in cli("export").json().get("company", {})
            or cli("export").json()["company"]["withholding_kind"] is None
        )


def test_a_credit_note_of_a_split_payment_invoice_takes_off_what_was_owed(cli, tmp_path):
    pa = {**BUSINESS, "public_administration": True, "sdi_code": "UFABCD"}
    _load(
        cli, tmp_path, company=SELLER, customer=pa, late_interest="fixed", late_interest_rate="10"
    )
    [invoice] = _issue(cli).values()
    number = invoice["number"]
    assert (invoice["total"], invoice["amount_due"]) == ("1220.00", "1000.00")
    note = cli("--today", "2026-01-20", "credit", number, "--amount", "400.00", "--json")
    assert note.code == 0, note
    # The note takes 488.00 off the total, but the PA owed 1000.00 net of VAT: 400.00 off.
    listed = {i["number"]: i for i in cli("invoices", "--json").json()}
    assert listed[note.json()["number"]]["total"] == "-488.00"
    assert listed[number]["open"] == "600.00"
    [item] = cli("open-items", "--date", "2026-01-25", "--json").json()
    assert item["open"] == "600.00"
    over = _pay(cli, tmp_path, "2026-01-25", f"{number};2026-01-25;600,01")
    assert over.code == 2 and "600.00 still open" in over.err, over
    invoices = _issue(cli, "2026-03-01")
    charges = [
        li["description"]
        for i in invoices.values()
        for li in i["lines"]
        if li["description"].startswith("Interessi di mora")
    ]
    assert charges and all("su 600,00" in text for text in charges), charges


def test_demo_studio_profile(cli, tmp_path):
    result = cli("--today", "2026-12-07", "demo", "--profile", "studio")
    assert result.code == 0, result
    company = cli("export").json()["company"]
    assert (
        company["tax_regime"],
        company["withholding_kind"],
        company["contribution_fund"],
        company["contribution_rate"],
    ) == ("RF01", "RT01", "TC22", "4.00")
    issued = [i for i in cli("invoices", "--json").json() if i["number"]]
    business = [i for i in issued if i["customer"] != "S005"]
    assert business and all(i["withholding"] and i["contribution"] for i in business)
    consumer = [i for i in issued if i["customer"] == "S005"]
    assert consumer and all(i["withholding"] is None for i in consumer)
    for i in business:  # contribution then VAT then withholding, the net to pay
        total, withheld = Decimal(i["total"]), Decimal(i["withholding"]["amount"])
        assert Decimal(i["net_due"]) == total - withheld
    assert any(i["paid"] == i["net_due"] for i in business)
    overdue = cli("open-items", "--date", "2026-12-07", "--json").json()
    assert any(item["overdue_since"] for item in overdue)
    assert all(
        item["amount_due"] == next(i["net_due"] for i in issued if i["number"] == item["invoice"])
        for item in overdue
    )


def test_a_draft_follows_the_terms_until_it_is_issued(cli, tmp_path):
    _load(cli, tmp_path)
    result = cli("run", "--date", "2026-01-01", "--no-email", "--json", "--status", "draft")
    assert result.code == 0, result
    [draft] = cli("invoices", "--json").json()
    assert (draft["total"], draft["net_due"]) == ("1268.80", "1060.80")
    assert _import(cli, tmp_path, {"company": SELLER}).code == 0  # no longer a professional
    from tui_billing.billing.numbering import issue_invoices
    from tui_billing.store.database import open_database

    db = open_database(cli.target)
    issue_invoices(db, [draft["id"]])
    db.close()
    [issued] = cli("invoices", "--json").json()
    assert (
        issued["taxable"],
        issued["vat"],
        issued["total"],
        issued["net_due"],
        issued["contribution"],
        issued["withholding"],
    ) == ("1000.00", "220.00", "1220.00", "1220.00", None, None)


def test_studio_e_invoices_carry_the_ritenuta_the_cassa_and_the_net(cli, tmp_path):
    from lxml import etree

    assert cli("--today", "2026-12-07", "demo", "--profile", "studio").code == 0
    issued = [
        i
        for i in cli("invoices", "--json").json()
        if i["number"] and i["document_type"] == "invoice"
    ]
    business = next(i for i in issued if i["customer"] != "S005")
    consumer = next(i for i in issued if i["customer"] == "S005")
    for doc in (business, consumer):
        path = tmp_path / f"{doc['id']}.xml"
        result = cli("--today", "2026-12-07", "einvoice", doc["number"], "-o", str(path))
        assert result.code == 0, result  # checked against the XSD and the SdI rules
        root = etree.parse(str(path)).getroot()
        body = "FatturaElettronicaBody/"
        assert (
            root.findtext(f"{body}DatiPagamento/DettaglioPagamento/ImportoPagamento")
            == (doc["net_due"])
        )
        withholding = root.find(f"{body}DatiGenerali/DatiGeneraliDocumento/DatiRitenuta")
        fund = root.find(f"{body}DatiGenerali/DatiGeneraliDocumento/DatiCassaPrevidenziale")
        assert fund is not None and fund.findtext("TipoCassa") == "TC22"
        assert fund.findtext("ImportoContributoCassa") == doc["contribution"]["amount"]
        if doc is business:
            assert withholding is not None
            assert withholding.findtext("ImportoRitenuta") == doc["withholding"]["amount"]
            assert withholding.findtext("TipoRitenuta") == "RT01"
            lines = root.findall(f"{body}DatiBeniServizi/DettaglioLinee")
            assert any(li.findtext("Ritenuta") == "SI" for li in lines)
        else:
            assert withholding is None
