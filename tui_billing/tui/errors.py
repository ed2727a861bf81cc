"""Turning exceptions into what the operator reads: one line, never a traceback."""

from __future__ import annotations

from tui_billing.crash_log import log_internal_error
from tui_billing.domain.errors import LockHeld, UserError


def error_text(error: BaseException) -> str:
    """The message for ``error``: a user error as it is, a lock as it is, anything else as
    an internal error whose traceback is logged to a file."""
    if isinstance(error, UserError | LockHeld):
        return str(error)
    where = log_internal_error(error)
    return (f"internal error: {type(error).__name__}: {error}"
            + (f" (details in {where})" if where else ""))

