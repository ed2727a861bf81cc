"""Exit statuses: an API that cron jobs and scripts rely on."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PARTIAL = 1  # done, but some contracts failed
    BAD_INPUT = 2  # bad usage or bad input: nothing written
    LOCKED = 3  # another billing run holds the lock
    INTERNAL = 70  # a bug: details in the log file, never a traceback on screen
    INTERRUPTED = 130
