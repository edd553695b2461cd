"""Which videos a qualitative figure shows: one per class, seeded."""
from typing import List

import numpy as np

__all__ = ['one_per_class']


def one_per_class(labels: np.ndarray, count: int, seed: int = 0) -> List[int]:
    """Indices of ``count`` videos, one random video per class first.

    Classes are visited in label order, each contributing a random member
    (drawn with ``seed``); when ``count`` exceeds the number of classes,
    further rounds take further members.

    Args:
        labels (np.ndarray): ``(N,)`` integer labels.
        count (int): How many indices.
        seed (int): Draw seed.

    Returns:
        list[int]: Distinct indices (fewer only if ``N < count``).
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    pools = {c: list(rng.permutation(np.flatnonzero(labels == c)))
             for c in sorted(set(labels.tolist()))}
    picked = []
    while len(picked) < count and any(pools.values()):
        for pool in pools.values():
            if pool and len(picked) < count:
                picked.append(int(pool.pop(0)))
    return picked
