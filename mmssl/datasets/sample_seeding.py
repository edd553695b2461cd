"""Per-sample seeding: augmentation draws that depend on (seed, epoch, index).

MMEngine seeds each dataloader worker once, from ``seed + worker_id`` (and
the rank). Every epoch of a run with ``persistent_workers=False``, and the
first epoch after ``--resume``, therefore replays the crops, flips, frame
offsets and pretext labels of the first epoch. mmssl instead re-seeds
Python's ``random``, NumPy's global generator and torch's CPU generator
before each sample is prepared, from a hash of (run seed, epoch, dataset
index). The draws of a sample then depend on nothing else: not on the
worker that prepares it, the number of workers, whether workers persist,
the batch order or whether the run was resumed. The index that carries the
epoch is yielded by :class:`~mmssl.datasets.samplers.SampleSeededSampler`
(docs/reliability.md, "Schedules, seeds and exact resume").
"""
import random

import numpy as np
import torch

# Stream tags: the same (seed, a, b) never seeds two kinds of draw alike.
SAMPLE_STREAM = 0
EPOCH_STREAM = 1
ITER_STREAM = 2

_UINT64 = (1 << 64) - 1


def derive_seed(seed: int, stream: int, *counters: int) -> int:
    """A 32-bit seed hashed from ``seed``, a stream tag and counters.

    Args:
        seed (int): The run's seed (any int; taken modulo 2**64).
        stream (int): One of ``SAMPLE_STREAM``, ``EPOCH_STREAM``,
            ``ITER_STREAM``.
        *counters (int): E.g. ``(epoch, index)`` or ``(iteration,)``.

    Returns:
        int: A seed in ``[0, 2**32)``; neighbouring counters give unrelated
        seeds (NumPy's ``SeedSequence`` hash).
    """
    entropy = [int(seed) & _UINT64, int(stream)] + [int(c) for c in counters]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0])


def seed_global_rngs(value: int, all_devices: bool = False) -> None:
    """Seed ``random``, NumPy's global generator and torch's generator(s).

    Args:
        value (int): Seed in ``[0, 2**32)``.
        all_devices (bool): Also seed the accelerators' generators
            (``torch.manual_seed``, about 0.35 ms); else only torch's CPU
            generator (microseconds; enough in dataloader workers).
    """
    random.seed(value)
    np.random.seed(value)
    if all_devices:
        torch.manual_seed(value)
    else:
        torch.default_generator.manual_seed(value)


class SeededIndex(int):
    """A dataset index that carries the run seed and the epoch.

    It is an ``int`` (datasets and wrappers index with it unchanged) that
    travels through the dataloader's index queue to the worker, so the
    epoch reaches persistent workers too (they never see attribute changes
    made in the main process after they started).

    Args:
        index (int): Dataset index.
        seed (int): The run's seed.
        epoch (int): 0-based epoch.
    """

    def __new__(cls, index: int, seed: int, epoch: int) -> 'SeededIndex':
        obj = super().__new__(cls, index)
        obj.seed = int(seed)
        obj.epoch = int(epoch)
        return obj

    def __reduce__(self):
        return (SeededIndex, (int(self), self.seed, self.epoch))

    def __repr__(self) -> str:
        return (f'SeededIndex({int(self)}, seed={self.seed}, '
                f'epoch={self.epoch})')


class SampleSeedingMixin:
    """Dataset mixin: re-seed the global generators for each sample.

    Its ``__getitem__`` seeds and then calls the next class's; a dataset
    that overrides ``__getitem__`` calls :meth:`seed_sample_rngs` first
    thing instead. With a
    :class:`SeededIndex` it seeds ``random``, NumPy and torch from
    ``derive_seed(seed, SAMPLE_STREAM, epoch, index)`` (so the retries of a
    skipped sample are reproducible too) and returns the plain index; a
    plain ``int`` (test loaders, direct indexing) is returned unchanged and
    seeds nothing.
    """

    def seed_sample_rngs(self, idx: int) -> int:
        """Seed the global generators from a :class:`SeededIndex`.

        Args:
            idx (int | SeededIndex): The requested index.

        Returns:
            int: ``int(idx)``.
        """
        if isinstance(idx, SeededIndex):
            seed_global_rngs(
                derive_seed(idx.seed, SAMPLE_STREAM, idx.epoch, int(idx)))
            return int(idx)
        return idx

    def __getitem__(self, idx: int):
        return super().__getitem__(self.seed_sample_rngs(idx))
