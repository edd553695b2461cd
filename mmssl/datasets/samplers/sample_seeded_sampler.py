"""``DefaultSampler`` whose indices carry (seed, epoch) and that can resume
in the middle of an epoch."""
from typing import Iterator

from mmengine.dataset import DefaultSampler

from mmssl.registry import DATA_SAMPLERS
from ..sample_seeding import SeededIndex


@DATA_SAMPLERS.register_module()
class SampleSeededSampler(DefaultSampler):
    """MMEngine's ``DefaultSampler`` (same order, same ranks) that yields
    :class:`SeededIndex` and skips the samples consumed before a resume.

    1. Each index carries the run seed and the epoch, so a dataset with
       :class:`~mmssl.datasets.sample_seeding.SampleSeedingMixin` draws its
       augmentations from (seed, epoch, index): every epoch draws anew and
       the draws do not depend on workers or on resuming.
    2. MMEngine 0.10.7's ``EpochBasedTrainLoop`` restarts an epoch from its
       first batch when resumed from a checkpoint saved in the middle of it
       (``CheckpointHook(by_epoch=False)`` or an iteration interval): the
       consumed batches are trained on twice and the epoch runs long.
       :meth:`skip_consumed` makes the next pass over ``epoch`` start after
       the consumed samples (``__len__`` shrinks accordingly); later epochs
       are whole again.

    :class:`~mmssl.engine.hooks.ExactResumeHook` (the ``sampler_seed``
    default hook of every mmssl config) converts a configured
    ``DefaultSampler`` into this class with :meth:`convert` and calls
    :meth:`set_epoch` / :meth:`skip_consumed`; configs may also name it
    directly (``sampler=dict(type='SampleSeededSampler', shuffle=True)``).

    Args: as ``DefaultSampler`` (dataset, shuffle, seed, round_up).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._init_resume_state()

    def _init_resume_state(self) -> None:
        self._skip_epoch = None
        self._skip_samples = 0

    @classmethod
    def convert(cls, sampler: DefaultSampler) -> 'SampleSeededSampler':
        """Turn a built ``DefaultSampler`` into this class, in place.

        A built ``DataLoader`` forbids assigning a new sampler, and the
        batch sampler and ``loader.sampler`` must stay one object; the
        class swap keeps every attribute (order, seed, epoch, ranks).

        Args:
            sampler (DefaultSampler): Exactly a ``DefaultSampler`` (not a
                subclass, whose ``__iter__`` this class would bypass).

        Returns:
            SampleSeededSampler: The same object.
        """
        if type(sampler) is not DefaultSampler:
            raise TypeError(f'{cls.__name__}.convert expects a '
                            f'DefaultSampler, got {type(sampler).__name__}')
        sampler.__class__ = cls
        sampler._init_resume_state()
        return sampler

    def skip_consumed(self, epoch: int, num_samples: int) -> None:
        """Start the next pass over ``epoch`` after ``num_samples`` samples.

        Args:
            epoch (int): 0-based epoch of the resumed checkpoint.
            num_samples (int): Samples of this rank already consumed in
                ``epoch`` (consumed batches x batch size).
        """
        if not 0 <= num_samples <= self.num_samples:
            raise ValueError(f'cannot skip {num_samples} of the '
                             f'{self.num_samples} samples of epoch {epoch}')
        self._skip_epoch, self._skip_samples = int(epoch), int(num_samples)

    def _skipped(self) -> int:
        return self._skip_samples if self.epoch == self._skip_epoch else 0

    def __iter__(self) -> Iterator[SeededIndex]:
        indices = list(super().__iter__())[self._skipped():]
        return iter([SeededIndex(i, self.seed, self.epoch) for i in indices])

    def __len__(self) -> int:
        return self.num_samples - self._skipped()
