"""Orders in the interchange format: an import never edits or deletes an invoiced (locked)
order line, and export, import elsewhere and export again gives the same file."""

from __future__ import annotations

import copy
import json

import pytest

from tests.support.orders import MIXED, order_document


@pytest.fixture
def invoiced(cli, tmp_path):
    """O-MIX with both lines invoiced on a partial invoice, and its exported document."""
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(order_document(MIXED)))
    assert cli("import", str(path)).code == 0
    assert cli("order", "partial", "O-MIX", "--date", "2024-05-10").code == 0
    return json.loads(cli("export").out)


def changed(cli, tmp_path, document) -> object:
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(document))
    return cli("import", str(path))


def test_an_import_that_edits_a_locked_line_is_rejected_naming_it(cli, tmp_path, invoiced):
    before = cli("export").out
    edited = copy.deepcopy(invoiced)
    edited["orders"][0]["lines"][1]["unit_price"] = "250.00"
    result = changed(cli, tmp_path, edited)
    assert result.code == 2, result
    assert result.err.strip() == (
        "tui-billing: error: orders[0].lines[1]: line 2 of order O-MIX ('Voce 2') is locked, "
        "invoiced on A/2024/0001: it cannot be changed"
    )
    unlocked = copy.deepcopy(invoiced)
    unlocked["orders"][0]["lines"][0]["locked"] = False
    assert "orders[0].lines[0]: line 1 of order O-MIX" in changed(cli, tmp_path, unlocked).err
    assert cli("export").out == before


def test_an_import_that_deletes_a_locked_line_is_rejected(cli, tmp_path, invoiced):
    shorter = copy.deepcopy(invoiced)
    del shorter["orders"][0]["lines"][1]
    shorter["customers"][0]["name"] = "Renamed"  # all or nothing: this is not written either
    result = changed(cli, tmp_path, shorter)
    assert result.code == 2
    assert "orders[0].lines: line 2 of order O-MIX ('Voce 2') is locked" in result.err
    assert "cannot be deleted" in result.err
    assert json.loads(cli("export").out) == invoiced


def test_an_invoiced_order_keeps_its_state_but_may_be_shipped(cli, tmp_path, invoiced):
    back = copy.deepcopy(invoiced)
    back["orders"][0]["status"] = "cancelled"
    result = changed(cli, tmp_path, back)
    assert result.code == 2
    assert "orders[0].status: order O-MIX has invoices or installments" in result.err
    shipped = copy.deepcopy(invoiced)
    shipped["orders"][0]["status"] = "shipped"
    shipped["orders"][0]["lines"].append(
        {"description": "Nuova", "quantity": "1", "unit_price": "10.00", "vat_rate": "22.00"}
    )
    assert changed(cli, tmp_path, shipped).code == 0
    order = {o["code"]: o for o in cli("orders", "--json").json()}["O-MIX"]
    assert order["status"] == "shipped"
    assert [li["locked"] for li in order["lines"]] == [True, True, False]


def test_export_import_elsewhere_export_again_is_the_same_file(cli, tmp_path, invoiced):
    assert [li["locked"] for li in invoiced["orders"][0]["lines"]] == [True, True]
    again = changed(cli, tmp_path, invoiced)
    assert again.code == 0 and "orders: 0 new, 0 updated, 1 unchanged" in again.out
    from tui_billing.cli.main import main

    other = str(tmp_path / "other.sqlite")
    source = tmp_path / "export.json"
    source.write_text(json.dumps(invoiced))
    assert main(["--db", other, "import", str(source)]) == 0
    out = tmp_path / "again.json"
    assert main(["--db", other, "export", str(out)]) == 0
    assert json.loads(out.read_text()) == invoiced
