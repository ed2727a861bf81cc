"""A contracts spreadsheet that leaves out columns, or cells, changes only what it fills:
an empty cell leaves an existing contract's field as it is and ``-`` clears it, for every
contract and line field (import-csv on SQLite and PostgreSQL)."""

from __future__ import annotations

import copy
import json

import pytest

BASE = {
    "customers": [{"code": "C1", "name": "Uno S.r.l."}, {"code": "C2", "name": "Due S.r.l."}],
    "articles": [
        {
            "code": "MAINT",
            "name": "Manutenzione",
            "price": "50.00",
            "vat_rate": "22.00",
            "recurring": True,
        }
    ],
    "series": [{"code": "B", "format": "B-{seq:05d}/{year}"}],
    "contracts": [
        {
            "code": "K-1",
            "customer": "C1",
            "status": "active",
            "description": "Assistenza",
            "start_date": "2024-01-01",
            "end_date": "2027-12-31",
            "frequency": "quarterly",
            "alignment": "calendar",
            "year_end_cut": True,
            "timing": "arrears",
            "invoice_offset_days": 5,
            "prorate": False,
            "line_display": "per_period",
            "one_off_with_first": True,
            "document_type": "proforma",
            "series": "B",
            "language": "en",
            "payment_method": "sepa_direct_debit",
            "iban": "IT60X0542811101000000123456",
            "cost_centre": "CC1",
            "late_interest": "fixed",
            "late_interest_rate": "9.50",
            "late_grace_days": 10,
            "late_fee": "40.00",
            "installment_amount": "150.00",
            "installment_count": 12,
            "lines": [
                {
                    "article": "MAINT",
                    "description": "Canone",
                    "quantity": "2",
                    "unit_price": "50.00",
                    "price_period": "monthly",
                    "recurring": True,
                    "valid_from": "2024-01-01",
                    "valid_to": "2027-12-31",
                    "vat_rate": "22.00",
                    "frequency": "quarterly",
                    "steps": [{"from": "2026-01-01", "amount": "5.00"}],
                },
                {
                    "description": "Installazione",
                    "quantity": "1",
                    "unit_price": "300.00",
                    "recurring": False,
                    "vat_rate": "22.00",
                },
            ],
        }
    ],
}

CONTRACT_COLUMNS = [key for key in BASE["contracts"][0] if key not in ("code", "lines")]
LINE_COLUMNS = [
    "article",
    "description",
    "quantity",
    "unit_price",
    "price_period",
    "recurring",
    "valid_from",
    "valid_to",
    "vat_rate",
    "frequency",
]

# (cells of row K-1, the contract's exported fields that change; "lines.N.key" for a line)
CHANGES = [
    ({"customer": "C2"}, {"customer": "C2"}),
    ({"customer": "-"}, {"customer": None}),
    ({"status": "suspended"}, {"status": "suspended"}),
    ({"status": "-"}, {"status": "draft"}),
    ({"description": "Altro"}, {"description": "Altro"}),
    ({"description": "-"}, {"description": None}),
    ({"start_date": "2024-02-01"}, {"start_date": "2024-02-01"}),
    (
        {"start_date": "-", "installment_count": "-"},
        {"start_date": None, "installment_count": None},
    ),
    ({"end_date": "31/12/2028".replace("31/12/2028", "2028-12-31")}, {"end_date": "2028-12-31"}),
    ({"end_date": "-"}, {"end_date": None}),
    ({"frequency": "monthly"}, {"frequency": "monthly"}),
    ({"frequency": "every 2 weeks"}, {"frequency": {"every": 2, "unit": "week"}}),
    ({"alignment": "month_end"}, {"alignment": "month_end"}),
    ({"alignment": "-"}, {"alignment": "start"}),
    ({"year_end_cut": "no"}, {"year_end_cut": False}),
    ({"year_end_cut": "-"}, {"year_end_cut": False}),
    ({"timing": "advance"}, {"timing": "advance"}),
    ({"timing": "-"}, {"timing": "advance"}),
    ({"invoice_offset_days": "7"}, {"invoice_offset_days": 7}),
    ({"invoice_offset_days": "-"}, {"invoice_offset_days": 0}),
    ({"prorate": "si"}, {"prorate": True}),
    ({"prorate": "-"}, {"prorate": True}),
    ({"line_display": "single"}, {"line_display": "single"}),
    ({"line_display": "-"}, {"line_display": "single"}),
    ({"one_off_with_first": "no"}, {"one_off_with_first": False}),
    ({"one_off_with_first": "-"}, {"one_off_with_first": False}),
    ({"document_type": "invoice"}, {"document_type": "invoice"}),
    ({"document_type": "-"}, {"document_type": "invoice"}),
    ({"series": "A"}, {"series": "A"}),
    ({"series": "-"}, {"series": "A"}),
    ({"language": "it"}, {"language": "it"}),
    ({"language": "-"}, {"language": None}),
    ({"payment_method": "riba"}, {"payment_method": "riba"}),
    ({"payment_method": "-"}, {"payment_method": None}),
    ({"iban": "DE89370400440532013000"}, {"iban": "DE89370400440532013000"}),
    ({"iban": "-"}, {"iban": None}),
    ({"cost_centre": "CC2"}, {"cost_centre": "CC2"}),
    ({"cost_centre": "-"}, {"cost_centre": None}),
    (
        {"late_interest": "legal", "late_interest_rate": "-"},
        {"late_interest": "legal", "late_interest_rate": None},
    ),
    (
        {"late_interest": "-", "late_interest_rate": "-", "late_grace_days": "-", "late_fee": "-"},
        {
            "late_interest": "none",
            "late_interest_rate": None,
            "late_grace_days": 0,
            "late_fee": "0.00",
        },
    ),
    ({"late_interest_rate": "8,25"}, {"late_interest_rate": "8.25"}),
    ({"late_grace_days": "30"}, {"late_grace_days": 30}),
    ({"late_grace_days": "-"}, {"late_grace_days": 0}),
    ({"late_fee": "50"}, {"late_fee": "50.00"}),
    ({"late_fee": "-"}, {"late_fee": "0.00"}),
    ({"installment_amount": "1.200,00"}, {"installment_amount": "1200.00"}),
    ({"installment_amount": "-"}, {"installment_amount": None}),
    ({"installment_count": "6"}, {"installment_count": 6}),
    ({"installment_count": "-"}, {"installment_count": None}),
    # line columns: the row is line 0, completed from the stored line 0
    ({"line_article": "-"}, {"lines.0.article": None}),
    ({"line_description": "Canone mensile"}, {"lines.0.description": "Canone mensile"}),
    ({"line_quantity": "3"}, {"lines.0.quantity": "3"}),
    ({"line_unit_price": "60,50"}, {"lines.0.unit_price": "60.50"}),
    ({"line_price_period": "annual"}, {"lines.0.price_period": "annual"}),
    ({"line_price_period": "-"}, {"lines.0.price_period": None}),
    ({"line_valid_from": "2024-03-01"}, {"lines.0.valid_from": "2024-03-01"}),
    ({"line_valid_from": "-"}, {"lines.0.valid_from": None}),
    ({"line_valid_to": "2026-12-31"}, {"lines.0.valid_to": "2026-12-31"}),
    ({"line_valid_to": "-"}, {"lines.0.valid_to": None}),
    ({"line_vat_rate": "10"}, {"lines.0.vat_rate": "10.00"}),
    ({"line_frequency": "monthly"}, {"lines.0.frequency": "monthly"}),
    ({"line_frequency": "-"}, {"lines.0.frequency": None}),
]


def _csv(columns: list[str], cells: dict[str, str]) -> str:
    return (
        ";".join(["code", *columns])
        + "\n"
        + ";".join(["K-1", *(cells.get(c, "") for c in columns)])
        + "\n"
    )


def _contract(cli) -> dict:
    result = cli("export")
    assert result.code == 0, result
    return json.loads(result.out)["contracts"][0]


@pytest.fixture
def stored(cli, tmp_path):
    path = tmp_path / "base.json"
    path.write_text(json.dumps(BASE))
    result = cli("import", str(path))
    assert result.code == 0, result
    return cli


def _import_csv(cli, tmp_path, text: str):
    path = tmp_path / "k.csv"
    path.write_text(text, encoding="utf-8")
    return cli("import-csv", "contracts", str(path))


def test_empty_cells_leave_every_field_as_it_is(stored, tmp_path):
    before = _contract(stored)
    columns = CONTRACT_COLUMNS + [f"line_{c}" for c in LINE_COLUMNS]
    result = _import_csv(stored, tmp_path, _csv(columns, {}))
    assert result.code == 0, result
    assert "1 unchanged" in result.out
    assert _contract(stored) == before


def test_missing_columns_leave_every_field_as_it_is(stored, tmp_path):
    """The defect: a spreadsheet without year_end_cut, prorate, late_grace_days or
    one_off_with_first columns reset them."""
    before = _contract(stored)
    result = _import_csv(stored, tmp_path, "code;status\nK-1;suspended\n")
    assert result.code == 0, result
    assert _contract(stored) == {**before, "status": "suspended"}


@pytest.mark.parametrize(
    ("cells", "changes"),
    CHANGES,
    ids=[",".join(f"{k}={v}" for k, v in c.items()) for c, _ in CHANGES],
)
def test_a_cell_changes_only_its_field(stored, tmp_path, cells, changes):
    expected = copy.deepcopy(_contract(stored))
    for key, value in changes.items():
        if key.startswith("lines."):
            _, index, field = key.split(".")
            expected["lines"][int(index)][field] = value
        else:
            expected[key] = value
    if any(c.startswith("line_") and c != "line_display" for c in cells):
        expected["lines"] = expected["lines"][:1]  # the file's rows are the lines
    result = _import_csv(stored, tmp_path, _csv(list(cells), cells))
    assert result.code == 0, result
    assert _contract(stored) == expected


def test_new_contract_takes_the_defaults(stored, tmp_path):
    result = _import_csv(
        stored,
        tmp_path,
        "code;customer;frequency;line_description;"
        "line_unit_price;line_vat_rate\nK-2;C1;monthly;Canone;10;22\n",
    )
    assert result.code == 0, result
    new = json.loads(stored("export").out)["contracts"][1]
    assert (new["code"], new["status"], new["prorate"], new["year_end_cut"]) == (
        "K-2",
        "draft",
        True,
        False,
    )


def test_rows_are_the_lines_by_position(stored, tmp_path):
    expected = _contract(stored)
    expected["lines"][1]["recurring"] = True
    result = _import_csv(
        stored, tmp_path, "code;line_description;line_recurring\nK-1;Canone;\nK-1;;si\n"
    )
    assert result.code == 0, result
    assert _contract(stored) == expected


def test_a_line_keeps_what_the_spreadsheet_cannot_say(stored, tmp_path):
    """Its step-ups stay, so it cannot stop recurring from a spreadsheet."""
    result = _import_csv(stored, tmp_path, "code;line_recurring\nK-1;no\n")
    assert result.code == 2
    assert "k.csv row 2, column line_steps: only a recurring line can have it" in result.err
