"""Key remaps ([keys]) are checked before the TUI starts: an unknown id, a key that cannot
be and a key taken twice on one screen are each refused with one line naming the id and the
key; the console script then exits 2 without opening the TUI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_billing.domain.errors import UserError
from tui_billing.tui.keymap_check import check_keymap, key_problem

REFUSED = [
    ({"plan.sve": "ctrl+s"}, "\"plan.sve\": no binding has this id (did you mean 'plan.save'?)"),
    ({"plan.save": "ctrl+zz"}, '"plan.save" = "ctrl+zz": \'ctrl+zz\' is not a key'),
    ({"plan.save": "hyperr+s"}, "no modifier 'hyperr'"),
    ({"plan.save": "ctrl+s,"}, "'' is not a key: an empty key"),
    (
        {"due.create": "a"},
        '"due.create" = "a": a is already the key of \'due_table.select_all\' on the Due',
    ),
    ({"due.create": "2"}, "2 is already the key of 'app.goto_contracts'"),
    ({"app.keys": "r"}, "r is already the key of 'runs.start' on the Billing runs screen"),
]


@pytest.mark.parametrize(("keys", "message"), REFUSED)
def test_each_bad_remap_is_refused_in_one_line(keys, message) -> None:
    with pytest.raises(UserError) as refused:
        check_keymap(keys, "config.toml: [keys]")
    text = str(refused.value)
    assert text.startswith("config.toml: [keys] ")
    assert message in text
    assert "\n" not in text


def test_good_remaps_pass() -> None:
    check_keymap(
        {
            "due.create": "ctrl+b",
            "invoice.issue": "I, f12",
            "plan.save": "ctrl+s",  # its own key again
            "app.keys": "f11",
            "contracts.search": "?",  # free on the contracts screen once help moved
        }
    )


@pytest.mark.parametrize("key", ["a", "A", "?", "question_mark", "ctrl+b", "f12", "shift+tab"])
def test_keys_that_exist(key) -> None:
    assert key_problem(key) is None


@pytest.mark.parametrize("key", ["ctrl+zz", "", "ctrl+", "controll+a", "f99", "ctrl+ctrl+a"])
def test_keys_that_cannot_exist(key) -> None:
    assert key_problem(key) is not None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('"due.create" = "a"', '"due.create" = "a": a is already the key of'),
        ('"due.craete" = "b"', '"due.craete": no binding has this id'),
        ('"plan.save" = "ctrl+zz"', "'ctrl+zz' is not a key"),
    ],
)
def test_the_tui_refuses_to_start_with_a_bad_remap(tmp_path: Path, table, message) -> None:
    """``tui-billing --config`` with no command opens the TUI: a bad [keys] stops it first
    (exit status 2, the one line on stderr, no screen drawn)."""
    config = tmp_path / "config.toml"
    config.write_text("[keys]\n" + table + "\n")
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    env.pop("TUI_BILLING_CONFIG", None)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tui_billing.entry import main; sys.exit(main())",
            "--db",
            str(tmp_path / "b.sqlite"),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert message in lines[0] and str(config) in lines[0]
    assert "Traceback" not in done.stderr and done.stdout == ""
