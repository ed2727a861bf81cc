"""E-invoice states of an issued document, and what SdI notifications make of them.

A document is ``pending`` until a file of it is written; ``exporting`` while the export
that writes it has not finished (an interrupted export is finished by the next one);
``exported`` once written; then the SdI's notifications about that file move it:

=====  ===========================  =================
kind   notification                 state
=====  ===========================  =================
RC     RicevutaConsegna             ``delivered``
MC     NotificaMancataConsegna      ``not_delivered``
AT     AttestazioneTrasmissione     ``not_delivered``
NS     NotificaScarto               ``rejected``
NE     NotificaEsito EC01 / EC02    ``accepted`` / ``refused``
DT     NotificaDecorrenzaTermini    ``deadline_passed``
=====  ===========================  =================

The state follows from the set of notifications a file has, not from the order they were
read in: a rejection outweighs everything, then the public administration's outcome, then
the deadline, then delivery, then failed delivery.
"""

from __future__ import annotations

from collections.abc import Iterable

PENDING = "pending"
EXPORTING = "exporting"
EXPORTED = "exported"
DELIVERED = "delivered"
NOT_DELIVERED = "not_delivered"
REJECTED = "rejected"
ACCEPTED = "accepted"
REFUSED = "refused"
DEADLINE_PASSED = "deadline_passed"

STATES = (
    PENDING,
    EXPORTING,
    EXPORTED,
    DELIVERED,
    NOT_DELIVERED,
    REJECTED,
    ACCEPTED,
    REFUSED,
    DEADLINE_PASSED,
)

# (kind, outcome) -> (weight, state): the heaviest notification of a file gives its state.
_WEIGHTS = {
    ("NS", None): (6, REJECTED),
    ("NE", "EC01"): (5, ACCEPTED),
    ("NE", "EC02"): (5, REFUSED),
    ("DT", None): (4, DEADLINE_PASSED),
    ("RC", None): (3, DELIVERED),
    ("MC", None): (2, NOT_DELIVERED),
    ("AT", None): (2, NOT_DELIVERED),
}

PROGRESSIVE_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PROGRESSIVE_LENGTH = 5
LAST_PROGRESSIVE = len(PROGRESSIVE_DIGITS) ** PROGRESSIVE_LENGTH - 1  # ZZZZZ: 60,466,175


def file_state(notifications: Iterable[tuple[str, str | None]]) -> str:
    """The state of an exported file that received ``notifications`` (kind, outcome)."""
    best = (0, EXPORTED)
    for kind, outcome in notifications:
        weight = _WEIGHTS.get((kind, outcome if kind == "NE" else None))
        if weight is not None and weight[0] > best[0]:
            best = weight
    return best[1]


def progressive_text(value: int) -> str:
    """The ``value``-th progressive as 5 digits and capital letters (base 36): 1 -> 00001,
    36 -> 00010. Raises ValueError beyond ZZZZZ, which a sender never reaches."""
    if not 0 < value <= LAST_PROGRESSIVE:
        raise ValueError(f"progressive {value} out of range 1..{LAST_PROGRESSIVE}")
    digits = []
    for _ in range(PROGRESSIVE_LENGTH):
        value, digit = divmod(value, len(PROGRESSIVE_DIGITS))
        digits.append(PROGRESSIVE_DIGITS[digit])
    return "".join(reversed(digits))


__all__ = [
    "ACCEPTED",
    "DEADLINE_PASSED",
    "DELIVERED",
    "EXPORTED",
    "EXPORTING",
    "NOT_DELIVERED",
    "PENDING",
    "REFUSED",
    "REJECTED",
    "STATES",
    "file_state",
    "progressive_text",
]
