"""Sharing an amount of cents among parts in proportion to their weights, exactly."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def split_in_proportion(cents: int, weights: Mapping[K, int]) -> dict[K, int]:
    """``cents`` shared among the keys of ``weights`` in proportion to them (largest
    remainder): every share is the exact proportion rounded down, the leftover cents go one
    each to the largest remainders (ties: the larger weight, then the later key). The shares
    add up to ``cents`` exactly, and none exceeds its weight while ``cents`` does not exceed
    the total weight. Weights must be positive; the keys keep their order."""
    if cents < 0:
        raise ValueError("cannot share a negative amount")
    if any(w <= 0 for w in weights.values()):
        raise ValueError("weights must be positive")
    total = sum(weights.values())
    if total == 0:
        if cents:
            raise ValueError("nothing to share an amount among")
        return {}
    shares: dict[K, int] = {}
    remainders: list[tuple[int, int, int, K]] = []
    for index, (key, weight) in enumerate(weights.items()):
        share, remainder = divmod(cents * weight, total)
        shares[key] = share
        remainders.append((remainder, weight, index, key))
    leftover = cents - sum(shares.values())
    for _, _, _, key in sorted(remainders, reverse=True)[:leftover]:
        shares[key] += 1
    return shares


__all__ = ["split_in_proportion"]
