"""Printing for the command line: JSON documents on stdout, rich for people, errors on stderr."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout and nothing else there."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error(message: str) -> None:
    stderr.print(f"tui-billing: error: {message}", markup=False)


def warn(message: str) -> None:
    stderr.print(f"tui-billing: {message}", markup=False)
