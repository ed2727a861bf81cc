"""Matching what a contract should bill against its stored installments (materialize's
diff, pure: no database): which to insert, update, delete and leave as they are."""

from __future__ import annotations

from tests.domain.helpers import contract, d
from tui_billing.billing.materialize import ChunkPlan, _diff_stored, _free_key
from tui_billing.domain.schedule import contract_installments
from tui_billing.domain.stored_lines import encode_lines


def iso(value: object) -> object:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def test_stored_rows_are_kept_updated_or_deleted_and_new_ones_inserted():
    specs = contract_installments(contract("2024-07-01", "monthly"), d("2024-09-01"))
    july, august, september = specs
    stored = {
        # July as it should be: left alone
        july.key: (11, "2024-07-01", 5000, encode_lines(july.lines, {}), "pending"),
        # August stored at an older price: updated
        august.key: (12, "2024-08-01", 4000, "[]", "pending"),
        # a month no longer due: deleted
        "2024-12-01/2024-12-31@2024-12-01": (13, "2024-12-01", 5000, "[]", "pending"),
    }
    plan = ChunkPlan()
    _diff_stored(plan, 7, specs, {}, stored, None, iso)
    assert plan.updates == [("2024-08-01", 5000, encode_lines(august.lines, {}), "pending", 12)]
    assert plan.deletes == [(13,)]
    assert plan.inserts == [
        (
            7,
            september.key,
            "2024-09-01",
            "2024-09-30",
            "2024-09-01",
            5000,
            encode_lines(september.lines, {}),
            "pending",
        )
    ]


def test_a_key_already_invoiced_is_stored_as_a_supplement():
    (july,) = contract_installments(contract("2024-07-01", "monthly"), d("2024-07-01"))
    plan = ChunkPlan()
    _diff_stored(plan, 7, [july], {}, {}, {july.key}, iso)
    assert [row[1] for row in plan.inserts] == [f"{july.key}+2"]
    assert _free_key("k", {"k", "k+2"}) == "k+3"
    assert _free_key("k", {"other"}) == "k"
