"""Bad input on every entry path (interchange JSON, CSV, payment files, command-line dates):
exit status 2, one line naming the record and field, never a traceback, nothing written."""

from __future__ import annotations

import copy
import json

import pytest

from tests.cli.test_interchange import SAMPLE

CUSTOMER = {"code": "OLD", "name": "Old S.r.l."}


def _import(cli, tmp_path, text: str, name: str = "bad.json", *argv: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return cli(*(argv or ("import",)), str(path))


def refused(
    cli,
    tmp_path,
    text: str,
    expected: str,
    *,
    name: str = "bad.json",
    command: tuple[str, ...] = ("import",),
) -> None:
    """Import ``text``: refused with exit 2 and one line holding ``expected``, and the
    database exports as before."""
    before = cli("export").out
    result = _import(cli, tmp_path, text, name, *command)
    assert result.code == 2, result
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err[:2000]
    assert expected in lines[0], lines[0][:2000]
    assert "Traceback" not in result.err and "internal error" not in result.err
    assert cli("export").out == before


@pytest.fixture
def seeded(cli, tmp_path):
    assert _import(cli, tmp_path, json.dumps({"customers": [CUSTOMER]}), "seed.json").code == 0
    return cli


def with_value(path: str, value):
    """SAMPLE with the value at ``path`` (dotted, list indexes as numbers) replaced."""
    data = copy.deepcopy(SAMPLE)
    *parents, last = path.split(".")
    target = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    target[int(last) if last.isdigit() else last] = value
    return json.dumps(data)


BAD_VALUES = [
    # billing for centuries: dates outside 1970..2199
    ("contracts.0.start_date", "0001-01-01", "contracts[0].start_date: 0001-01-01 is outside"),
    ("contracts.0.start_date", "9999-01-01", "contracts[0].start_date: 9999-01-01 is outside"),
    ("contracts.0.lines.0.valid_to", "2200-01-01", "contracts[0].lines[0].valid_to: 2200-01-01"),
    ("orders.0.date", "1969-12-31", "orders[0].date: 1969-12-31 is outside"),
    ("contracts.0.start_date", "2026-W05-3", "contracts[0].start_date: not a date (YYYY-MM-DD)"),
    ("contracts.0.start_date", "２０２６-01-01", "contracts[0].start_date: not a date"),
    # frequencies that used to be stored as none
    ("contracts.0.frequency", 0, "contracts[0].frequency: unknown frequency"),
    ("contracts.0.frequency", "", "contracts[0].frequency: unknown frequency"),
    ("contracts.0.frequency", False, "contracts[0].frequency: unknown frequency"),
    ("contracts.0.frequency", -0.0, "contracts[0].frequency: unknown frequency"),
    ("contracts.0.lines.0.frequency", 0, "contracts[0].lines[0].frequency: unknown frequency"),
    ("contracts.0.lines.0.price_period", False, "contracts[0].lines[0].price_period: unknown"),
    ("contracts.0.frequency", {"every": "²", "unit": "month"}, "contracts[0].frequency.every"),
    ("contracts.0.series", "", "contracts[0].series: must not be empty"),
    ("orders.0.series", "  ", "orders[0].series: must not be empty"),
    # numbers the store cannot hold, or nonsense terms
    (
        "customers.0.payment_terms_days",
        99999999999999999999,
        "customers[0].payment_terms_days: must be at most 366",
    ),
    (
        "customers.0.payment_terms_days",
        3000000000,
        "customers[0].payment_terms_days: must be at most 366",
    ),
    ("customers.0.payment_terms_days", True, "customers[0].payment_terms_days: must be a whole"),
    ("customers.0.payment_terms_days", "30", "customers[0].payment_terms_days: must be a whole"),
    ("customers.0.payment_terms_days", "²", "customers[0].payment_terms_days: must be a whole"),
    (
        "contracts.0.invoice_offset_days",
        9223372036854775807,
        "contracts[0].invoice_offset_days: must be at most 366",
    ),
    ("contracts.0.invoice_offset_days", -400, "contracts[0].invoice_offset_days: must be at least"),
    ("articles.0.price", "100000000000000000000", "articles[0].price: must be less than"),
    ("articles.0.price", "²", "articles[0].price: not a decimal number"),
    ("articles.0.price", "1e3", "articles[0].price: not a decimal number"),
    ("articles.0.price", "١٢", "articles[0].price: not a decimal number"),
    ("articles.0.price", True, "articles[0].price: not a decimal number"),
    ("contracts.0.lines.0.quantity", 1e300, "contracts[0].lines[0].quantity: must be less than"),
    (
        "contracts.0.lines.1.quantity",
        "100000000",
        "contracts[0].lines[1].unit_price: quantity x unit price must be less than",
    ),
    (
        "contracts.0.lines.0.steps",
        [{"from": "2025-01-01", "percent": "1000"}],
        "contracts[0].lines[0].steps[0].percent: must be a percentage between -100 and 100",
    ),
    ("contracts.0.prorate", 0, "contracts[0].prorate: must be true or false"),
    ("contracts.0.year_end_cut", "", "contracts[0].year_end_cut: must be true or false"),
    ("contracts.0.year_end_cut", "no", "contracts[0].year_end_cut: must be true or false"),
    # control characters and overlong text
    ("customers.0.vat_number", "IT0123456789\x1b7", "customers[0].vat_number: must not contain"),
    ("customers.0.code", "AC\x00ME", "customers[0].code: must not contain control characters"),
    ("customers.0.name", "ACME\r\nX-Header: 1", "customers[0].name: must not contain newlines"),
    ("contracts.0.code", "K\x1b[31m", "contracts[0].code: must not contain control characters"),
    ("contracts.0.lines.0.description", "Canone\x00", "contracts[0].lines[0].description"),
    (
        "contracts.0.lines.0.description",
        "x" * 100_000,
        "contracts[0].lines[0].description: is longer than 1000 characters (100000)",
    ),
    ("customers.0.name", "x" * 201, "customers[0].name: is longer than 200 characters"),
    ("contracts.0.description", "a\nb", "contracts[0].description: must not contain newlines"),
    ("customers.0.code", 12, "customers[0].code: must be text"),
    ("customers.0.name", "\ud800", "customers[0].name: must not contain control characters"),
    # e-mail addresses that would fail (or inject headers) at every run
    (
        "customers.0.email",
        "billing@acme.example\x0bBcc: victim@evil.example",
        "customers[0].email: must not contain control characters",
    ),
    (
        "customers.0.email",
        "billing@acme.example%0d%0aBcc:victim@evil.example",
        "customers[0].email: not an e-mail address",
    ),
    ("customers.0.email", "Mario <billing@acme.example>", "customers[0].email: not an e-mail"),
    ("customers.0.email", "billing@acme", "customers[0].email: not an e-mail address"),
    ("customers.0.email", "a@b.example, c@d.example", "customers[0].email: not an e-mail"),
    # unknown keys anywhere are refused, never dropped
    ("customers.0.codice_destinatari", "ABC1234", "customers[0].codice_destinatari: unknown field"),
    ("contracts.0.lines.0.vat_naturee", "N6.3", "contracts[0].lines[0].vat_naturee: unknown"),
    (
        "contracts.0.lines.0.index",
        {"series": "FOI", "share": "75", "month": 1, "base_month": "2024-10", "sahre": "1"},
        "contracts[0].lines[0].index.sahre: unknown field",
    ),
    ("orders.0.lines.0.frequency", "monthly", "orders[0].lines[0].frequency: unknown field"),
    (
        "contracts.0.strat_date",
        "2024-01-01",
        "contracts[0].strat_date: unknown field (did you mean 'start_date'?)",
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    BAD_VALUES,
    ids=[f"{p}={str(v)[:20]!r}" for p, v, _ in BAD_VALUES],
)
def test_bad_value_refused_naming_the_field(seeded, tmp_path, path, value, expected):
    refused(seeded, tmp_path, with_value(path, value), expected)


def test_sample_itself_is_accepted(seeded, tmp_path):
    """The cases above are refused for their one bad value, not for the rest."""
    assert _import(seeded, tmp_path, json.dumps(SAMPLE)).code == 0


def test_unknown_field_even_when_everything_else_is_right(cli, tmp_path):
    data = copy.deepcopy(SAMPLE)
    data["customers"] += [{"code": f"C{i}", "name": f"C {i}"} for i in range(3)]
    data["customers"][3]["codice_destinatari"] = "ABC1234"
    refused(cli, tmp_path, json.dumps(data), "customers[3].codice_destinatari: unknown field")


def test_vat_nature_on_a_contract_line_is_not_dropped(cli, tmp_path):
    """A line's nature is read and checked against its rate, never imported without it;
    a misspelt key is refused as unknown."""
    data = copy.deepcopy(SAMPLE)
    data["contracts"][0]["lines"][0]["vat_nature"] = "N6.3"  # on a line with VAT
    refused(
        cli,
        tmp_path,
        json.dumps(data),
        "contracts[0].lines[0].vat_nature: N6.3 is only for a line without VAT",
    )
    del data["contracts"][0]["lines"][0]["vat_nature"]
    data["contracts"][0]["lines"][0]["vat_natura"] = "N6.3"
    refused(cli, tmp_path, json.dumps(data), "contracts[0].lines[0].vat_natura: unknown field")


def test_article_without_vat_rate(seeded, tmp_path):
    """Found by the fuzz test: it was an internal error (NOT NULL constraint)."""
    data = copy.deepcopy(SAMPLE)
    del data["articles"][0]["vat_rate"]
    refused(seeded, tmp_path, json.dumps(data), "articles[0].vat_rate: is required")


@pytest.mark.parametrize(
    "literal", ["-1.7976931348623157e+3999999999999999999999999", "1e999999999", "1." + "5" * 100]
)
def test_number_beyond_a_decimal(seeded, tmp_path, literal):
    """Found by the fuzz run: a float literal past the decimal exponent range was an
    internal error (InvalidOperation)."""
    refused(
        seeded,
        tmp_path,
        with_value("articles.0.price", 0).replace('"price": 0', f'"price": {literal}'),
        "articles[0].price: must be less than",
    )
    refused(
        seeded,
        tmp_path,
        with_value("customers.0.payment_terms_days", 0).replace(
            '"payment_terms_days": 0', f'"payment_terms_days": {literal}'
        ),
        "customers[0].payment_terms_days: must be ",
    )


def test_a_key_given_twice(seeded, tmp_path):
    text = json.dumps(SAMPLE).replace('"code": "ACME",', '"code": "ACME", "code": "OTHER",', 1)
    refused(seeded, tmp_path, text, "bad.json: not valid JSON: the key 'code' is given twice")


def test_json_nested_100000_deep(seeded, tmp_path):
    refused(
        seeded,
        tmp_path,
        '{"customers": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "bad.json: not valid JSON: nested deeper than",
    )


def test_json_nested_deeper_than_the_format(seeded, tmp_path):
    refused(
        seeded,
        tmp_path,
        json.dumps({"customers": [{"code": [[[[[[[[[["x"]]]]]]]]]]}]}),
        "nested deeper than 10 levels",
    )


def test_integer_literal_over_4300_digits(seeded, tmp_path):
    refused(
        seeded,
        tmp_path,
        with_value("customers.0.payment_terms_days", 0).replace(
            '"payment_terms_days": 0', '"payment_terms_days": ' + "9" * 5000
        ),
        "customers[0].payment_terms_days: must be at most",
    )


def test_decimal_literal_over_4300_digits(seeded, tmp_path):
    refused(
        seeded,
        tmp_path,
        with_value("articles.0.price", 0).replace('"price": 0', '"price": ' + "9" * 5000),
        "articles[0].price: must be less than",
    )


def test_exponent_number_too_large(seeded, tmp_path):
    refused(
        seeded,
        tmp_path,
        with_value("articles.0.price", 0).replace('"price": 0', '"price": 1e999999'),
        "articles[0].price: must be less than",
    )


def test_accepted_bounds_still_import(cli, tmp_path):
    data = copy.deepcopy(SAMPLE)
    data["contracts"][0]["start_date"] = "1970-01-01"
    data["contracts"][0]["end_date"] = "2199-12-31"
    data["contracts"][0]["invoice_offset_days"] = -366
    data["contracts"][0]["late_grace_days"] = 366
    data["customers"][0]["payment_terms_days"] = 366
    data["customers"][0]["name"] = "n" * 200
    data["contracts"][0]["lines"][0]["description"] = "Canone\nmensile " + "d" * 980
    data["articles"][0]["price"] = "999999999.9999"
    assert _import(cli, tmp_path, json.dumps(data), "ok.json").code == 0
    exported = json.loads(cli("export").out)
    assert exported["contracts"][0]["lines"][0]["description"].startswith("Canone\nmensile")
    assert exported["customers"][0]["payment_terms_days"] == 366


def test_late_grace_days_bounded(seeded, tmp_path):
    data = json.loads(with_value("contracts.0.late_grace_days", 367))
    data["contracts"][0]["late_interest"] = "legal"
    refused(seeded, tmp_path, json.dumps(data), "contracts[0].late_grace_days: must be at most 366")


# --- CSV ---------------------------------------------------------------------------------


def test_csv_cell_over_131072_characters(seeded, tmp_path):
    text = "code;name\nC1;" + "x" * 140_000 + "\n"
    refused(
        seeded,
        tmp_path,
        text,
        "c.csv row 2: a cell is longer than 10,000 characters",
        name="c.csv",
        command=("import-csv", "customers"),
    )


def test_csv_cell_over_10000_characters(seeded, tmp_path):
    text = "code;name;address\nC1;Uno;" + "x" * 10_001 + "\n"
    refused(
        seeded,
        tmp_path,
        text,
        "c.csv row 2: cell 3 is longer than 10,000 characters",
        name="c.csv",
        command=("import-csv", "customers"),
    )


def test_csv_nul_byte(seeded, tmp_path):
    refused(
        seeded,
        tmp_path,
        "code;name\nC1;Uno\x00\n",
        "c.csv row 2, column name: must not contain",
        name="c.csv",
        command=("import-csv", "customers"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "code;name;payment_terms_days\nC1;Uno;²\n",
            "c.csv row 2, column payment_terms_days: must be a whole number",
        ),
        (
            "code;name;payment_terms_days\nC1;Uno;99999999999999999999\n",
            "c.csv row 2, column payment_terms_days: must be a whole number",
        ),
        (
            "code;name;payment_terms_days\nC1;Uno;400\n",
            "c.csv row 2, column payment_terms_days: must be at most 366",
        ),
        (
            "code;name;email\nC1;Uno;a@b.example%0d%0aBcc:c@d.example\n",
            "c.csv row 2, column email: not an e-mail address",
        ),
        (
            "code;name;codice_destinatari\nC1;Uno;ABC1234\n",
            "c.csv row 2, column codice_destinatari: unknown field",
        ),
        (
            "code;name;collective_billing\nC1;Uno;maybe\n",
            "c.csv row 2, column collective_billing: must be true or false",
        ),
        ("code;name\nC1;Uno\x1b[2J\n", "c.csv row 2, column name: must not contain control"),
        ("code;name;;\nC1;Uno;;x\n", "c.csv row 2: a value in column 4"),
    ],
)
def test_csv_customers_refused(seeded, tmp_path, text, expected):
    refused(seeded, tmp_path, text, expected, name="c.csv", command=("import-csv", "customers"))


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (
            "K-9;OLD;active;0001-01-01;monthly;Canone;1;10;22",
            "k.csv row 2, column start_date: 0001-01-01 is outside",
        ),
        (
            "K-9;OLD;active;2026-W05-3;monthly;Canone;1;10;22",
            "k.csv row 2, column start_date: not a date",
        ),
        (
            "K-9;OLD;active;2024-01-01;monthly;Canone;1;10²;22",
            "k.csv row 2, column line_unit_price: not a decimal number",
        ),
        (
            'K-9;OLD;active;2024-01-01;{"every": 0, "unit": "month"};Canone;1;10;22',
            "k.csv row 2, column frequency",
        ),
        (
            "K-9;OLD;active;2024-01-01;monthly;Canone;1;100000000000000000000;22",
            "k.csv row 2, column line_unit_price: must be less than",
        ),
    ],
)
def test_csv_contracts_refused(seeded, tmp_path, cells, expected):
    header = (
        "code;customer;status;start_date;frequency;line_description;line_quantity;"
        "line_unit_price;line_vat_rate"
    )
    refused(
        seeded,
        tmp_path,
        f"{header}\n{cells}\n",
        expected,
        name="k.csv",
        command=("import-csv", "contracts"),
    )


# --- payment files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("p.csv", "invoice;date;amount\nA/2026/0001;2026-W05-3;10\n", "p.csv row 2, column date"),
        (
            "p.csv",
            "invoice;date;amount\nA/2026/0001;0001-01-01;10\n",
            "p.csv row 2, column date: 0001-01-01 is outside",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2026/0001;2026-01-01;²\n",
            "p.csv row 2, column amount: not a decimal number",
        ),
        (
            "p.csv",
            "invoice;date;amount\nA/2026/0001;2026-01-01;" + "9" * 200_000 + "\n",
            "p.csv row 2: a cell is longer than 10,000 characters",
        ),
        (
            "p.csv",
            "invoice;date;amount;reference\nA/2026/0001;2026-01-01;10;CRO\x1b1\n",
            "p.csv row 2, column reference: must not contain control characters",
        ),
        (
            "p.json",
            '{"payments": [{"invoice": "A/2026/0001", "date": "2026-01-01", "amount": true}]}',
            "payments[0].amount: not a decimal number",
        ),
        (
            "p.json",
            '{"payments": [{"invoice": "A", "date": "2026-01-01", "amount": "1", "method": ""}]}',
            "no invoice",
        ),
        ("p.json", '{"payments": ' + "[" * 100_000 + "]" * 100_000 + "}", "p.json: not valid JSON"),
        (
            "p.json",
            '{"payments": [{"invoice": "A", "date": "2026-01-01", "amount": ' + "1" * 5000 + "}]}",
            "payments[0].amount: must be less than",
        ),
    ],
)
def test_payment_files_refused(seeded, tmp_path, name, text, expected):
    refused(seeded, tmp_path, text, expected, name=name, command=("payments", "import"))


# --- command-line dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ("due", "--date", "9999-12-31"),
        ("due", "--date", "0001-01-01"),
        ("due", "--date", "2026-W05-3"),
        ("run", "--date", "2200-01-01", "--no-email"),
        ("invoices", "--from", "1969-12-31"),
        ("--today", "9999-12-31", "open-items"),
    ],
)
def test_command_line_dates_refused(cli, argv):
    result = cli(*argv)
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_error_line_never_carries_control_characters(seeded, tmp_path):
    result = _import(seeded, tmp_path, with_value("contracts.0.frequency", "x\n\x1b[2Jy"))
    assert result.code == 2
    assert "\x1b" not in result.err and result.err.count("\n") == 1, repr(result.err)


@pytest.mark.parametrize(
    "argv",
    [
        ("invoice", "--installments", "²"),
        ("invoice", "--installments", "99999999999999999999"),
        ("payments", "delete", "²"),
        ("payments", "delete", "99999999999999999999"),
        (
            "order",
            "installments",
            "O-1",
            "--count",
            "²",
            "--start",
            "2026-01-01",
            "--frequency",
            "monthly",
        ),
    ],
)
def test_command_line_ids_and_counts_refused(cli, argv):
    result = cli(*argv)
    assert result.code == 2, result
    assert len(result.err.strip().splitlines()) == 1 and "internal error" not in result.err
