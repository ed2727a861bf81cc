"""The package type-checks: mypy, configured in pyproject.toml (strict on domain and billing).

In a file of its own so that pytest-xdist runs it beside the other files. The cache is
mypy's default ``.mypy_cache`` at the project root: a rerun after a small change takes
seconds, a cold one (CI) about a quarter of a minute on one core."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_errors():
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
