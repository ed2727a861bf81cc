"""No number reaches people or JSON in exponent form: the demo's JSON, walked whole, and the
price history people read."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from tui_billing.cli.main import main

EXPONENT = re.compile(r"^[-+]?\d+(\.\d*)?[eE][-+]?\d+$")


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, str):
        yield value


def test_the_demo_json_has_no_exponent_form(tmp_path, capsys) -> None:
    target = str(tmp_path / "demo.sqlite")
    assert main(["--db", target, "--today", "2026-01-15", "demo"]) == 0
    found: dict[str, list[str]] = {}
    indexes: list[str] = []
    capsys.readouterr()
    assert main(["--db", target, "export"]) == 0
    indexed = [
        k["code"]
        for k in json.loads(capsys.readouterr().out)["contracts"]
        if any("index" in li or "steps" in li for li in k["lines"])
    ]
    assert indexed
    commands = [
        ["export"],
        ["index", "list", "--json"],
        ["invoices", "--json"],
        ["orders", "--json"],
        ["due", "--date", "2026-01-15", "--json"],
    ]
    commands += [
        ["contract", "price-history", code, "--date", "2026-01-15", "--json"] for code in indexed
    ]
    for command in commands:
        capsys.readouterr()
        assert main(["--db", target, *command]) == 0, command
        # numbers as JSON numbers are kept as their text, to be looked at too
        document = json.loads(capsys.readouterr().out, parse_float=str, parse_int=str)
        leaves = list(_leaves(document))
        assert leaves, command
        found[" ".join(command)] = [t for t in leaves if EXPONENT.match(t)]
        if command == ["index", "list", "--json"]:
            indexes = [v["value"] for s in document for v in s["values"]]
    assert found == {name: [] for name in found}
    # an index value keeps its one decimal
    assert indexes and all(re.fullmatch(r"\d+\.\d+", v) for v in indexes), indexes
    assert "100.0" in indexes


def test_a_round_index_value_keeps_its_decimal_in_text_json_and_export(tmp_path, capsys) -> None:
    target = str(tmp_path / "demo.sqlite")
    today = ["--db", target, "--today", "2026-12-07"]
    assert main([*today, "demo"]) == 0
    values = tmp_path / "foi.csv"
    values.write_text("month,value,base\n2025-08,120.0,2015\n")
    assert main([*today, "index", "import", "FOI", str(values)]) == 0
    capsys.readouterr()
    assert main([*today, "contract", "price-history", "K-0121", "--date", "2027-03-10"]) == 0
    text = capsys.readouterr().out
    assert "new index 2025-08: 120.0 (base 2015=100)" in text
    assert "variation: (120.0 / 119.6 - 1) x 100" in text
    assert not re.search(r"\d[eE][-+]?\d", text)
    assert main([*today, "index", "list", "FOI", "--json"]) == 0
    listed = {v["month"]: v["value"] for v in json.loads(capsys.readouterr().out)["values"]}
    assert listed["2025-08"] == "120.0"
    assert main([*today, "export"]) == 0
    exported = capsys.readouterr().out
    assert '"value": "120.0"' in exported and '"value": "100.0"' in exported
    assert not re.search(r'"[-+]?\d+(\.\d*)?[eE][-+]?\d+"', exported)
