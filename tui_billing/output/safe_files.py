"""Writing a file the user named: atomically, and never over what must not be replaced.

Every writer of a user-named file (``pdf -o``, ``export FILE``, later XML and bank files)
goes through :func:`write_file`. It refuses, with a :class:`UserError` naming the path and
the reason, and before anything is written: the open database and its companion files, an
existing target that is not a regular file (a directory, FIFO, device or socket), a name
too long for the file system and a folder that does not exist. The data goes to a
temporary file in the target's folder, is flushed to disk and renamed over the target, so
a reader never sees half a file and a failure leaves the old file as it was.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from tui_billing.domain.errors import UserError
from tui_billing.domain.i18n import N_, _
from tui_billing.store.database import open_database_files

_KINDS = (
    (stat.S_ISDIR, N_("a directory")),
    (stat.S_ISFIFO, N_("a FIFO (named pipe)")),
    (stat.S_ISCHR, N_("a character device")),
    (stat.S_ISBLK, N_("a block device")),
    (stat.S_ISSOCK, N_("a socket")),
)
_SHOWN_NAME = 60  # characters of an over-long name shown in the error


def _shown(path: Path) -> str:
    text = str(path)
    return text if len(text) <= _SHOWN_NAME + 20 else text[:_SHOWN_NAME] + "..."


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _kind(mode: int) -> str:
    return _(next((name for test, name in _KINDS if test(mode)), N_("not a regular file")))


def _database_file(what: str) -> str:
    """Why a file of the open database is not written (``what``: as the store names it)."""
    suffix = what.removeprefix("the open database's ").removesuffix(" file")
    if suffix != what:
        return _(
            "is the open database's {suffix} file, not an output file: nothing written"
        ).format(suffix=suffix)
    return _("is the open database, not an output file: nothing written")


def checked_target(target: str | os.PathLike[str]) -> tuple[Path, int | None]:
    """The file that writing ``target`` replaces (symbolic links followed) and the mode of
    the existing file (None for a new name); raise UserError when it must not be written."""
    path = Path(target)
    shown = _shown(path)
    name = path.name
    if name in ("", ".", ".."):
        raise UserError(_("not a file name: nothing written"), shown)
    folder = path.parent
    if not os.path.isdir(folder):
        raise UserError(
            _("no such directory ({folder}): nothing written").format(folder=_shown(folder)), shown
        )
    limit = _name_max(folder)
    if len(os.fsencode(name)) > limit:
        raise UserError(
            _(
                "the file name is {length} bytes long, the file system allows {limit}: "
                "nothing written"
            ).format(length=len(os.fsencode(name)), limit=limit),
            shown,
        )
    try:
        real = Path(os.path.realpath(path))
        if not os.path.isdir(real.parent):
            raise UserError(
                _("it links to {target}, whose folder does not exist: nothing written").format(
                    target=_shown(real)
                ),
                shown,
            )
        try:
            existing: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            existing = None
    except OSError as exc:
        raise UserError(
            _("cannot be written: {reason}: nothing written").format(reason=exc.strerror or exc),
            shown,
        ) from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise UserError(
            _("is {kind}, not a regular file: nothing written").format(
                kind=_kind(existing.st_mode)
            ),
            shown,
        )
    for kept, what in open_database_files():
        same_name = os.path.realpath(kept) == str(real)
        try:
            same_file = existing is not None and os.path.samestat(existing, os.stat(kept))
        except OSError:
            same_file = False
        if same_name or same_file:
            raise UserError(_database_file(what), shown)
    return real, (stat.S_IMODE(existing.st_mode) if existing is not None else None)


def write_file(target: str | os.PathLike[str], data: bytes, *, private: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically, after :func:`checked_target`; return
    ``target``. A replaced file keeps its mode; a new one gets the usual mode (the umask
    applies), or 0600 with ``private`` (files that hold the database's data)."""
    real, mode = checked_target(target)
    partial = real.parent / f".{secrets.token_hex(6)}.tui-billing.part"
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
        try:
            if mode is not None:
                os.fchmod(fd, mode)
            with os.fdopen(fd, "wb", closefd=False) as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            os.close(fd)
        os.replace(partial, real)
    except OSError as exc:
        raise UserError(
            _("cannot be written: {reason}: nothing written").format(reason=exc.strerror or exc),
            _shown(Path(target)),
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    _sync_folder(real.parent)
    return Path(target)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (best effort: some file systems refuse it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
