"""Binding ids: every one the TUI's source declares is known, so a keymap naming any of them
starts without a warning."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import tui_billing.tui
from tests.tui.helpers import due_ready, make_app, make_bulk
from tui_billing.tui.binding_ids import binding_ids


def declared_ids() -> set[str]:
    """The literal ``id=`` of every ``Binding(...)`` written in the TUI's source."""
    found = set()
    for path in Path(tui_billing.tui.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding":
                for keyword in node.keywords:
                    if keyword.arg == "id" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
    return found


def test_every_declared_binding_id_is_known() -> None:
    declared = declared_ids()
    assert len(declared) > 80
    assert declared - binding_ids() == set()
    # ids made from a prefix, on the screens that use them
    assert {
        "contracts.activate",
        "contract_detail.close",
        "contract_form.save",
        "line_form.cancel",
    } <= binding_ids()


async def test_a_keymap_of_every_binding_id_starts_without_a_warning(tmp_path, db_target) -> None:
    target = make_bulk(db_target, tmp_path)
    config = tmp_path / "config.toml"
    # each id gets a key of its own (no screen has one key twice), out of the way of the
    # keys the test relies on
    modifiers = (
        "ctrl",
        "alt",
        "shift",
        "ctrl+alt",
        "ctrl+shift",
        "alt+shift",
        "ctrl+alt+shift",
    )
    free = [f"{m}+f{n}" for m in modifiers for n in range(1, 25)]
    ids = [i for i in sorted(binding_ids()) if not i.startswith(("app.", "due_table.", "due."))]
    assert len(ids) <= len(free)
    keys = "".join(f'"{ident}" = "{key}"\n' for ident, key in zip(ids, free, strict=False))
    assert '"plan.save"' in keys
    config.write_text("[keys]\n" + keys)
    app = make_app(target, today=dt.date(2024, 3, 15), config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await due_ready(pilot)
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications]
        assert not any("[keys]" in m for m in messages), messages
