"""Steps of the command-line tests that bill one contract, K-1: import a document, run,
list what is due, read its line ids."""

from __future__ import annotations

import json

from tui_billing.billing.contract_editing import current_record
from tui_billing.store.models import Contract

DUE_FIELDS = ("period_start", "period_end", "amount")


def load(cli, tmp_path, data, name="k.json") -> str:
    """Import ``data``; it must be accepted. Returns what the import printed."""
    path = tmp_path / name
    path.write_text(json.dumps(data))
    result = cli("import", str(path))
    assert result.code == 0, result
    return result.out


def run(cli, day) -> dict:
    """The billing run on ``day``, without e-mail; it must succeed. Returns its report."""
    result = cli("run", "--date", day, "--no-email", "--json")
    assert result.code == 0, result
    return result.json()


def due(cli, day, fields=DUE_FIELDS) -> list[tuple]:
    """K-1's installments due on ``day``, each as the tuple of its ``fields``."""
    result = cli("due", "--date", day, "--contract", "K-1", "--json")
    assert result.code == 0, result
    return [tuple(r[f] for f in fields) for r in result.json()]


def line_ids() -> list:
    """The ids of K-1's lines, in their order."""
    return [li["id"] for li in current_record(Contract.get(Contract.code == "K-1").id)["lines"]]
