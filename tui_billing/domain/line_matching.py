"""Pairing the lines a record should have (an imported file's) with the lines it has, so
that a line still there keeps its identity: a line's id is its key in the billing engine
(what it has invoiced), so it must follow the line, not the row it happens to sit on.

Three passes, each in the file's order and taking the first stored line left:

1. identical lines (every field, the article too);
2. lines of the same service (same article and description), edited;
3. the rest by position among the lines left on both sides.

Stored lines left unpaired are gone from the file; wanted lines left unpaired are new.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LineKeys:
    """How a line is recognised: ``same`` holds the keys under which it counts as
    identical (a stored line may offer several, a wanted line looks them up in order),
    ``service`` its article and description."""

    same: tuple[Hashable, ...]
    service: Hashable


def pair_lines(stored: Sequence[LineKeys], wanted: Sequence[LineKeys]) -> list[int | None]:
    """For each wanted line, the index of the stored line it becomes, or None (a new line).
    Every stored index appears at most once; the missing ones are lines to remove."""
    pairs: list[int | None] = [None] * len(wanted)
    taken: set[int] = set()
    _pair_by(pairs, taken, stored, wanted, lambda keys: keys.same)
    _pair_by(pairs, taken, stored, wanted, lambda keys: (keys.service,))
    left = iter(i for i in range(len(stored)) if i not in taken)
    for w, paired in enumerate(pairs):
        if paired is None:
            pairs[w] = next(left, None)
    return pairs


def _pair_by(
    pairs: list[int | None],
    taken: set[int],
    stored: Sequence[LineKeys],
    wanted: Sequence[LineKeys],
    keys_of: Callable[[LineKeys], Iterable[Hashable]],
) -> None:
    """One pass: each wanted line not paired yet takes the first free stored line that
    shares one of its keys (its keys tried in order)."""
    index: dict[Hashable, list[int]] = {}
    for s, keys in enumerate(stored):
        if s not in taken:
            for key in _unique(keys_of(keys)):
                index.setdefault(key, []).append(s)
    cursors: dict[Hashable, int] = {}
    for w, keys in enumerate(wanted):
        if pairs[w] is not None:
            continue
        for key in keys_of(keys):
            found = _first_free(index.get(key, ()), taken, cursors, key)
            if found is not None:
                pairs[w] = found
                taken.add(found)
                break


def _first_free(
    candidates: Sequence[int], taken: set[int], cursors: dict[Hashable, int], key: Hashable
) -> int | None:
    """The first candidate not taken yet; the cursor skips the taken ones for good."""
    at = cursors.get(key, 0)
    while at < len(candidates) and candidates[at] in taken:
        at += 1
    cursors[key] = at
    return candidates[at] if at < len(candidates) else None


def _unique(keys: Iterable[Hashable]) -> list[Hashable]:
    seen: list[Hashable] = []
    for key in keys:
        if key not in seen:
            seen.append(key)
    return seen
