"""The log of internal errors: the traceback goes to a file, the user sees one line."""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from pathlib import Path


def log_internal_error(error: BaseException | None = None) -> Path | None:
    """Append the traceback of ``error`` (else of the exception being handled) to
    ``errors.log`` in the user log directory; return the file, or None if it can't be written."""
    try:
        from platformdirs import user_log_dir

        log_dir = Path(user_log_dir("tui-billing", appauthor=False))
        log_dir.mkdir(parents=True, exist_ok=True)
        path = log_dir / "errors.log"
        text = ("".join(traceback.format_exception(error)) if error is not None
                else traceback.format_exc())
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"--- {dt.datetime.now().isoformat()} {' '.join(sys.argv)}\n")
            handle.write(text)
        return path
    except OSError:
        return None
