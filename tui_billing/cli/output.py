"""Printing for the command line: JSON documents on stdout, rich for people, errors on stderr."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console

from tui_billing.crash_log import redacted
from tui_billing.domain.i18n import _

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout and nothing else there."""
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def write_json_list(items: Iterable[Any]) -> None:
    """A JSON list on stdout, written as the items come (long lists never sit in memory)."""
    write = sys.stdout.write
    first = True
    write("[")
    for item in items:
        write("\n  " if first else ",\n  ")
        write(json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  "))
        first = False
    write("\n]\n" if not first else "]\n")
    sys.stdout.flush()


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def one_line(message: str) -> str:
    """``message`` with its control characters (a newline, ESC echoed from bad input)
    written as escapes, so an error is always one harmless line."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), message)


def error(message: str) -> None:
    """One line on stderr, passwords masked."""
    line = _("tui-billing: error: {message}").format(message=one_line(redacted(message)))
    stderr.print(line, markup=False)


def print_json_error(message: str, exit_status: int) -> None:
    """Under --json, a refusal is a JSON document on stdout too, passwords masked:
    ``{"error": "...", "exit_status": 2}``."""
    print_json({"error": redacted(message), "exit_status": exit_status})


def warn(message: str) -> None:
    stderr.print(f"tui-billing: {message}", markup=False)
