"""The package as shipped: complete package list, layering, style, a CLI without Textual."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "tui_billing").rglob("__init__.py")
    }
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_cli_never_imports_textual(tmp_path):
    code = (
        "import sys; from tui_billing.cli.main import main; "
        f"rc = main(['--db', {str(tmp_path / 'x.sqlite')!r}, 'export']); "
        "assert 'textual' not in sys.modules, 'textual imported'; print('ok', rc)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok 0")


def test_layers_respected():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "tui_billing", "tests", "bench", "sample_db"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_ruff_formatted():
    """The code is as ``ruff format`` writes it: the format is enforced, not hoped for."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "format",
            "--check",
            "tui_billing",
            "tests",
            "bench",
            "sample_db",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
