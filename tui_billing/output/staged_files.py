"""Many files into one folder, all or none: written aside first, then moved in.

A hot folder (where an intermediary picks up e-invoices) must never see a file that is
about to be withdrawn, nor half a file. :class:`StagedFolder` writes each file into a
hidden folder inside the target (same file system, so moving is a rename), flushes them
all to disk at once, and only then, on :meth:`StagedFolder.publish`, renames each into the
target; :meth:`StagedFolder.discard` removes what was staged. Each final name is checked
by :func:`tui_billing.output.safe_files.checked_target` before anything is staged.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import secrets
import shutil
from pathlib import Path

from tui_billing.domain.errors import UserError
from tui_billing.output.safe_files import checked_target

STAGING_PREFIX = ".tui-billing-staging-"


def _sync_file_system(folder: Path) -> None:
    """Flush the file system holding ``folder`` (syncfs on Linux, else sync): one call
    for thousands of files instead of an fsync each."""
    libc_name = ctypes.util.find_library("c")
    fd = os.open(folder, os.O_RDONLY)
    try:
        syncfs = getattr(ctypes.CDLL(libc_name, use_errno=True), "syncfs", None) \
            if libc_name else None
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)


def remove_stale_staging(folder: Path) -> int:
    """Remove the staging folders a killed writer left in ``folder`` (call it only while
    no other writer can be at work there); returns how many."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed += 1
    return removed


class StagedFolder:
    """Files staged for ``folder``, published together."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise UserError("no such directory: nothing written", str(self.folder))
        self.staging = self.folder / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        try:
            self.staging.mkdir(mode=0o700)
        except OSError as exc:
            raise UserError(f"cannot be written: {exc.strerror or exc}: nothing written",
                            str(self.folder)) from None
        self.names: list[str] = []

    def add(self, name: str, data: bytes) -> None:
        """Stage ``data`` to become ``folder/name``."""
        checked_target(self.folder / name)
        try:
            with open(self.staging / name, "xb") as handle:
                handle.write(data)
        except OSError as exc:
            raise UserError(f"cannot be written: {exc.strerror or exc}: nothing written",
                            str(self.folder / name)) from None
        self.names.append(name)

    def flush(self) -> None:
        """Put every staged file on disk (before the database says they are written)."""
        _sync_file_system(self.staging)

    def publish(self) -> list[Path]:
        """Move every staged file into the folder (replacing a file of the same name) and
        remove the staging folder; returns the paths written."""
        written = []
        for name in self.names:
            target = self.folder / name
            os.replace(self.staging / name, target)
            written.append(target)
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
        self.discard()
        return written

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


__all__ = ["STAGING_PREFIX", "StagedFolder", "remove_stale_staging"]
