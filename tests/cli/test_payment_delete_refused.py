"""`payments delete` keeps a payment the bank returned: exit status 2, one line with the
reason, nothing deleted (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.cli.test_payments import TODAY, invoiced  # noqa: F401 - fixture


def test_a_returned_payment_is_not_deleted(invoiced) -> None:  # noqa: F811
    cli = invoiced
    added = cli(
        "--today",
        TODAY,
        "payments",
        "add",
        "A/2025/0001",
        "--amount",
        "1220.00",
        "--date",
        "2025-06-10",
    )
    assert added.code == 0, added
    returned = cli("--today", TODAY, "payments", "return", "A/2025/0001", "--date", "2025-06-20")
    assert returned.code == 0, returned
    [payment] = cli("payments", "--invoice", "A/2025/0001", "--json").json()
    refused = cli("payments", "delete", str(payment["id"]))
    assert refused.code == 2
    assert "was returned by the bank on 20/06/2025" in refused.err
    assert "Traceback" not in refused.err
    assert [p["id"] for p in cli("payments", "--json").json()] == [payment["id"]]
