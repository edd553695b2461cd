"""Seeding that makes resumed training continue the straight run exactly."""
from typing import Optional

from mmengine.dataset import DefaultSampler
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import EpochBasedTrainLoop

from mmssl.datasets.sample_seeding import (EPOCH_STREAM, ITER_STREAM,
                                           SampleSeedingMixin, derive_seed,
                                           seed_global_rngs)
from mmssl.datasets.samplers import SampleSeededSampler
from mmssl.registry import HOOKS

WARNING = 30


@HOOKS.register_module()
class ExactResumeHook(Hook):
    """Make every random draw of training a function of (seed, position).

    Replaces MMEngine's ``DistSamplerSeedHook`` (it sets the sampler's
    epoch too) as the ``sampler_seed`` default hook of every mmssl config
    (``configs/_base_/default_runtime.py``). Under a fixed seed, training N
    epochs straight and N/2 epochs + ``--resume`` to N then give the same
    weights, momentum encoders, queues and optimizer state, bit for bit on
    the CPU; so does resuming from a checkpoint saved mid-epoch.

    - Before training, a configured ``DefaultSampler`` of an
      ``EpochBasedTrainLoop`` becomes a :class:`SampleSeededSampler`: its
      indices carry (seed, epoch), and the dataset
      (:class:`SampleSeedingMixin`, e.g. ``VideoListDataset``) re-seeds
      ``random`` / NumPy / torch per sample from (seed, epoch, index).
      Augmentations and pretext labels thus change every epoch and do not
      depend on workers, ``persistent_workers`` or resuming (MMEngine seeds
      each worker from ``seed + worker_id`` only).
    - After resuming from a checkpoint saved inside an epoch, the sampler
      skips the samples consumed before it (MMEngine 0.10.7 restarts the
      epoch).
    - The main process's ``random`` / NumPy / torch generators are re-seeded
      from (seed, epoch) before each epoch and from (seed, iteration)
      before each iteration, so model-side draws (batch shuffling, random
      speeds or masks drawn in the model, dropout) continue identically
      after a resume without storing generator states in checkpoints.

    The seed is the runner's (``randomness.seed``, set by MMEngine when
    absent, stored in checkpoints and restored on resume).
    """

    priority = 'NORMAL'

    def before_train(self, runner) -> None:
        """Convert the sampler; skip the samples consumed before a resume."""
        loader = runner.train_loop.dataloader
        sampler = getattr(loader, 'sampler', None)
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            self._warn(f'{type(runner.train_loop).__name__} is not an '
                       'EpochBasedTrainLoop; per-sample seeding and '
                       'mid-epoch resume are not applied')
            return
        if type(sampler) is DefaultSampler:
            sampler = SampleSeededSampler.convert(sampler)
        if not isinstance(sampler, SampleSeededSampler):
            self._warn(f'the train sampler {type(sampler).__name__} is not '
                       'a DefaultSampler; per-sample seeding and mid-epoch '
                       'resume are not applied')
            return
        # One shuffling seed on every rank, and the run's: the sampler was
        # built before a resume restored the checkpoint's seed (they differ
        # when randomness.seed is None), and with diff_rank_seed MMEngine
        # gives it a fresh random seed (runner.seed is then seed + rank).
        randomness = getattr(runner, '_randomness_cfg', None) or {}
        sampler.seed = runner.seed - (
            get_rank() if randomness.get('diff_rank_seed') else 0)
        if not isinstance(loader.dataset, SampleSeedingMixin):
            self._warn(f'{type(loader.dataset).__name__} does not re-seed '
                       'per sample (SampleSeedingMixin); its augmentations '
                       'follow the worker seeds of MMEngine')
        self._skip_consumed(runner, loader, sampler)

    @staticmethod
    def _skip_consumed(runner, loader, sampler: SampleSeededSampler) -> None:
        iters_per_epoch = len(loader)
        consumed = runner.iter - runner.epoch * iters_per_epoch
        if consumed == 0:
            return
        if not 0 < consumed <= iters_per_epoch or loader.batch_size is None:
            ExactResumeHook._warn(
                f'resumed at iteration {runner.iter}, epoch {runner.epoch} '
                f'with {iters_per_epoch} iterations per epoch: the position '
                'in the epoch is unknown (dataset or batch size changed?); '
                'the epoch restarts from its first batch')
            return
        sampler.skip_consumed(runner.epoch, consumed * loader.batch_size)
        print_log(
            f'ExactResumeHook: resuming inside epoch {runner.epoch + 1}: '
            f'skipping its first {consumed} of {iters_per_epoch} batches',
            logger='current')

    def before_train_epoch(self, runner) -> None:
        """Set the sampler's epoch; seed the main process for the epoch."""
        sampler = getattr(runner.train_loop.dataloader, 'sampler', None)
        if hasattr(sampler, 'set_epoch'):
            sampler.set_epoch(runner.epoch)
        seed_global_rngs(
            derive_seed(runner.seed, EPOCH_STREAM, runner.epoch),
            all_devices=True)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch: Optional[dict] = None) -> None:
        """Seed the main process from (seed, iteration)."""
        seed_global_rngs(
            derive_seed(runner.seed, ITER_STREAM, runner.iter),
            all_devices=True)

    @staticmethod
    def _warn(message: str) -> None:
        print_log(f'ExactResumeHook: {message}', logger='current',
                  level=WARNING)
