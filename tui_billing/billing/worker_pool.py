"""Worker processes for the billing run: started cleanly from the CLI and from inside the
TUI, bound to the database, and gone as soon as the process that started them is gone
(``kill -9`` included), so none outlives its run to hold the database or do its work twice."""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor

from peewee import Database

from tui_billing.store.database import open_in_worker, reopen_target


def worker_pool(db: Database, workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, each bound to ``db``; use it as a context
    manager. Each worker ends itself the moment its parent dies."""
    _start_resource_tracker()
    return ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(reopen_target(db),),
    )


def _start_worker(target: str) -> None:
    """Initializer of a worker: watch the parent, then open the database."""
    _die_with_parent()
    open_in_worker(target)


def _die_with_parent() -> None:
    """End this process when its parent dies. A spawned child holds the read end of a pipe
    whose write end only the parent holds (multiprocessing's parent sentinel): the kernel
    closes it however the parent dies, and the read end then reports end of file."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()  # returns at end of file: the parent is gone
        os._exit(1)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real standard error. It hands the
    file descriptor of ``sys.stderr`` to its process; inside the TUI that is Textual's
    capture object, whose descriptor is -1, and every spawn failed with "bad value(s) in
    fds_to_keep". The tracker is started once; later spawns reuse it."""
    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        return
    from multiprocessing import resource_tracker

    captured = sys.stderr
    real = sys.__stderr__
    try:
        real_usable = real is not None and real.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        real_usable = False
    stand_in = real if real_usable else open(os.devnull, "w")  # noqa: SIM115 - closed below
    sys.stderr = stand_in
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured
        if stand_in is not real and stand_in is not None:
            stand_in.close()
