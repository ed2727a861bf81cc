"""Who owns a claimed row: a token naming this process (host, pid, start time), and whether
the process a token names still lives. The start time tells a reused pid apart."""

from __future__ import annotations

import socket
from functools import cache

import psutil


@cache
def this_process() -> str:
    """This process's owner token: ``host:pid:start`` (start in centiseconds of the epoch)."""
    me = psutil.Process()
    return _token(socket.gethostname(), me.pid, me.create_time())


def _token(host: str, pid: int, started: float) -> str:
    return f"{host}:{pid}:{round(started * 100)}"


def owner_alive(token: str | None) -> bool | None:
    """True when the process the token names still runs on this host, False when it is gone
    (or the token names nobody), None when that cannot be told from here (another host)."""
    if not token:
        return False
    parts = token.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
        return False
    host, pid = parts[0], int(parts[1])
    if host != socket.gethostname():
        return None
    try:
        process = psutil.Process(pid)
        return (
            _token(host, pid, process.create_time()) == token
            and process.status() != psutil.STATUS_ZOMBIE
        )
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return None
