"""A contract line indexed to a series that does not exist (a typo) is refused by the import,
naming the record and field, with nothing written; a series the file defines itself may be
used in the same file."""

from __future__ import annotations

import json

from tui_billing.store.models import ContractLine

ROSSI = {"code": "ROSSI", "name": "Rossi S.r.l."}
FOI = {
    "code": "FOI",
    "name": "FOI",
    "values": [{"month": "2024-10", "value": "121.3", "base": "2015"}],
}


def contract(code: str, series: str) -> dict:
    return {
        "code": code,
        "customer": "ROSSI",
        "status": "active",
        "start_date": "2025-01-01",
        "frequency": "monthly",
        "lines": [
            {
                "description": "Canone locazione",
                "unit_price": "1000.00",
                "vat_rate": "22.00",
                "index": {"series": series, "share": "75", "month": 1, "base_month": "2024-10"},
            }
        ],
    }


def write(tmp_path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def test_a_typo_in_the_series_is_refused_naming_the_line_and_nothing_changes(cli, tmp_path):
    first = {
        "customers": [ROSSI],
        "index_series": [FOI],
        "contracts": [contract(f"AFF-{n}", "FOI") for n in range(3)],
    }
    assert cli("import", write(tmp_path, "first.json", first)).code == 0
    before = cli("export").out
    bad = {
        "customers": [ROSSI],
        "contracts": [contract(f"AFF-{n}", "FOI") for n in range(3)] + [contract("AFF-3", "FIO")],
    }
    bad["contracts"][0]["lines"][0]["unit_price"] = "1100.00"  # a good change in the file
    result = cli("import", write(tmp_path, "bad.json", bad))
    assert result.code == 2
    assert result.err.strip().splitlines() == [
        "tui-billing: error: contracts[3].lines[0].index.series: unknown index series 'FIO' "
        "(known: FOI)"
    ]
    assert "Traceback" not in result.err
    assert cli("export").out == before


def test_a_series_defined_and_used_in_one_file_is_accepted(cli, tmp_path):
    data = {"customers": [ROSSI], "index_series": [FOI], "contracts": [contract("AFF-1", "FOI")]}
    result = cli("import", write(tmp_path, "k.json", data))
    assert result.code == 0, result
    assert "index_series: 1 new" in result.out
    [line] = ContractLine.select()
    assert json.loads(line.economics)["index"]["series"] == "FOI"
    # a later file uses the stored series and a new one it defines
    more = {
        "index_series": [{"code": "NIC", "values": []}],
        "contracts": [contract("AFF-1", "FOI"), contract("AFF-2", "NIC")],
    }
    again = cli("import", write(tmp_path, "more.json", more))
    assert again.code == 0, again
    assert "contracts: 1 new, 0 updated, 1 unchanged" in again.out


def test_with_no_series_kept_the_message_says_so(cli, tmp_path):
    data = {"customers": [ROSSI], "contracts": [contract("AFF-1", "FOI")]}
    result = cli("import", write(tmp_path, "k.json", data))
    assert result.code == 2
    assert (
        "contracts[0].lines[0].index.series: unknown index series 'FOI' (known: none; "
        "import its values first)"
    ) in result.err
    assert ContractLine.select().count() == 0
