"""Many files into one folder, all or none: written aside first, then moved in.

A hot folder (where an intermediary picks up e-invoices) must never see a file that is
about to be withdrawn, nor half a file. :class:`StagedFolder` writes each file into a
hidden folder inside the target (same file system, so moving is a rename), flushes them
all to disk at once, and only then, on :meth:`StagedFolder.publish`, renames each into the
target; :meth:`StagedFolder.discard` removes what was staged. What
:func:`tui_billing.output.safe_files.checked_target` refuses is refused here too, checked
once for the folder (thousands of files): a name must be a plain file name within the
file system's limit, and must not be an existing directory or other non-regular file, nor
one of the open database's files.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import secrets
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import _
from tui_billing.output.safe_files import checked_target
from tui_billing.store.database import open_database_files

PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
WRITERS = 4  # threads creating the staged files: creating a file waits on the disk

STAGING_PREFIX = ".tui-billing-staging-"


def _sync_file_system(folder: Path) -> None:
    """Flush the file system holding ``folder`` (syncfs on Linux, else sync): one call
    for thousands of files instead of an fsync each."""
    libc_name = ctypes.util.find_library("c")
    fd = os.open(folder, os.O_RDONLY)
    try:
        syncfs = (
            getattr(ctypes.CDLL(libc_name, use_errno=True), "syncfs", None) if libc_name else None
        )
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
            raise UserError(_("no such directory: nothing written"), str(self.folder))
        self.staging = self.folder / f"{STAGING_PREFIX}{secrets.token_hex(6)}"
        try:
            self.staging.mkdir(mode=0o700)
        except OSError as exc:
            raise UserError(
                _("cannot be written: {reason}: nothing written").format(
                    reason=exc.strerror or exc
                ),
                str(self.folder),
            ) from None
        self.names: list[str] = []
        self._writers = ThreadPoolExecutor(WRITERS, thread_name_prefix="staging")
        self._pending: list[Future[None]] = []
        # What checked_target refuses, found once: the folder's entries that are not
        # regular files, the open database's files, the longest name allowed.
        checked_target(self.folder / f"{STAGING_PREFIX}check")
        try:
            self._limit = os.pathconf(self.folder, "PC_NAME_MAX")
        except (OSError, ValueError):
            self._limit = 255
        self._not_files = {entry.name for entry in os.scandir(self.folder) if not entry.is_file()}
        real = os.path.realpath(self.folder)
        self._kept = {
            os.path.basename(kept)
            for kept, _what in open_database_files()
            if os.path.dirname(os.path.realpath(kept)) == real
        }

    def add(self, name: str, data: bytes) -> None:
        """Stage ``data`` to become ``folder/name``."""
        if (
            not PLAIN_NAME.fullmatch(name)
            or len(os.fsencode(name)) > self._limit
            or name in self._not_files
            or name in self._kept
        ):
            checked_target(self.folder / name)  # says why
            raise UserError(_("not a plain file name: nothing written"), str(self.folder / name))
        self._pending.append(self._writers.submit(self._write, name, data))
        self.names.append(name)
        if len(self._pending) >= 256:
            self._wait()

    def _write(self, name: str, data: bytes) -> None:
        try:
            with open(self.staging / name, "xb") as handle:
                handle.write(data)
        except OSError as exc:
            raise UserError(
                _("cannot be written: {reason}: nothing written").format(
                    reason=exc.strerror or exc
                ),
                str(self.folder / name),
            ) from None

    def _wait(self) -> None:
        """Every file handed to the writers is written; the first failure raised."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result()

    def flush(self) -> None:
        """Put every staged file on disk (before the database says they are written)."""
        self._wait()
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
        for future in self._pending:
            future.cancel()
        self._writers.shutdown(wait=True)
        self._pending = []
        shutil.rmtree(self.staging, ignore_errors=True)


__all__ = ["STAGING_PREFIX", "StagedFolder", "remove_stale_staging"]
