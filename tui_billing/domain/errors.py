"""The errors a user can cause: each names the record and field at fault."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request that cannot be honoured; the CLI prints it and exits 2.

    ``path`` names the record and field (``contracts[3].lines[0].unit_price``) when known.
    """

    exit_code = 2

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class LockHeld(Exception):
    """Another billing run holds the lock; the CLI exits 3."""

    exit_code = 3
