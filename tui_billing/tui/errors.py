"""Turning exceptions into what the operator reads: one line, never a traceback."""

from __future__ import annotations

from tui_billing.crash_log import internal_error_line, redacted
from tui_billing.domain.errors import LockHeld, UserError


def error_text(error: BaseException) -> str:
    """The message for ``error``: a user error as it is, a lock as it is, anything else as
    an internal error whose traceback is logged to a file."""
    if isinstance(error, UserError | LockHeld):
        return redacted(str(error))
    return internal_error_line(error)
