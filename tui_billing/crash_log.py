"""The log of internal errors: the traceback goes to a file, the user sees one line.

The file is private (0600, in a 0700 folder the program creates) and holds no password:
those of database URLs, on the command line or in ``$TUI_BILLING_DB``, and the SMTP password
of ``$TUI_BILLING_SMTP_PASSWORD`` are written as ``***``."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from pathlib import Path

from tui_billing.domain.i18n import _
from tui_billing.domain.redaction import redact, url_passwords

LOG_FILE_MODE = 0o600
LOG_FOLDER_MODE = 0o700
SECRET_ENV_VARS = ("TUI_BILLING_DB", "TUI_BILLING_SMTP_PASSWORD")


def known_secrets() -> set[str]:
    """The passwords this process may have been given: in URLs of the command line and the
    environment, and the SMTP password of the environment."""
    texts = [*sys.argv, os.environ.get("TUI_BILLING_DB", "")]
    found = url_passwords(texts)
    smtp = os.environ.get("TUI_BILLING_SMTP_PASSWORD")
    if smtp:
        found.add(smtp)
    return found


def redacted(text: str) -> str:
    """``text`` without the passwords of :func:`known_secrets` or of any URL in it."""
    return redact(text, known_secrets())


def internal_error_line(error: BaseException) -> str:
    """What the user reads of a bug: one line, no password, the log named."""
    where = log_internal_error(error)
    if where:
        line = _("internal error: {kind}: {error} (details in {file})").format(
            kind=type(error).__name__, error=error, file=where
        )
    else:
        line = _("internal error: {kind}: {error}").format(kind=type(error).__name__, error=error)
    return redacted(line)


def log_internal_error(error: BaseException | None = None) -> Path | None:
    """Append the traceback of ``error`` (else of the exception being handled) to
    ``errors.log`` in the user log directory; return the file, or None if it can't be written."""
    try:
        from platformdirs import user_log_dir

        log_dir = Path(user_log_dir("tui-billing", appauthor=False))
        log_dir.mkdir(mode=LOG_FOLDER_MODE, parents=True, exist_ok=True)
        path = log_dir / "errors.log"
        text = (
            "".join(traceback.format_exception(error))
            if error is not None
            else traceback.format_exc()
        )
        secrets = known_secrets()
        entry = redact(f"--- {dt.datetime.now().isoformat()} {' '.join(sys.argv)}\n{text}", secrets)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, LOG_FILE_MODE)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            os.fchmod(fd, LOG_FILE_MODE)  # a log of an earlier version may be readable by all
            handle.write(entry if entry.endswith("\n") else entry + "\n")
        return path
    except OSError:
        return None
