"""Count, name and limit the samples skipped while training."""
from collections import Counter
from typing import List, Optional, Union

from mmengine.dist import all_gather_object, get_rank, get_world_size
from mmengine.hooks import Hook

from mmssl.datasets.skip_log import SkipRecord, skip_logs_of_batch
from mmssl.registry import HOOKS

DATA_BATCH = Optional[Union[dict, tuple, list]]


class TooManySkippedSamples(RuntimeError):
    """More than ``max_skip_fraction`` of an epoch's samples were skipped."""


@HOOKS.register_module()
class SkipAccountingHook(Hook):
    """Per-epoch count and list of skipped samples, across workers and ranks.

    A transform with ``on_error='skip'`` (e.g. :class:`SafeDecordInit`) drops
    an unreadable video and :class:`VideoListDataset` draws another one; the
    skip records travel with the returned sample (metainfo ``'skip_log'`` of
    its data sample, see :mod:`mmssl.datasets.skip_log`), so skips in
    dataloader worker processes arrive here with the batch. This hook

    - logs each skip when its batch arrives (epoch, iteration, rank, file,
      list line, reason) with its running number in the epoch, so every
      message is distinct and MMEngine's logger, which drops a warning
      whose text it has seen before, does not hide a file that fails
      again;
    - after each epoch gathers the records of all ranks, logs the number,
      the fraction of loaded samples and the list of skipped files (grouped,
      with counts), and records the scalars ``skip/skipped_samples`` and
      ``skip/skipped_fraction`` in the message hub and the visualizer
      (``scalars.json``, TensorBoard; step = epoch);
    - raises :class:`TooManySkippedSamples` on every rank when the fraction
      ``skipped / (delivered + skipped)`` of the epoch exceeds
      ``max_skip_fraction``.

    Datasets that do not attach skip records (MMAction2's own) count as
    zero skips. Iteration-based loops report once, at the end of training.

    Args:
        max_skip_fraction (float): Largest tolerated fraction of skipped
            draws per epoch, in ``[0, 1]``. Defaults to 0.1.
        max_listed (int): Distinct skipped files listed in the epoch
            summary (the count is always complete). Defaults to 50.
    """

    priority = 'NORMAL'

    def __init__(self,
                 max_skip_fraction: float = 0.1,
                 max_listed: int = 50) -> None:
        if not 0.0 <= max_skip_fraction <= 1.0:
            raise ValueError('max_skip_fraction must be in [0, 1], got '
                             f'{max_skip_fraction}')
        self.max_skip_fraction = max_skip_fraction
        self.max_listed = max_listed
        self._reset()

    def _reset(self) -> None:
        self._records: List[SkipRecord] = []
        self._delivered = 0

    def before_train_epoch(self, runner) -> None:
        self._reset()

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: DATA_BATCH = None,
                         outputs: Optional[dict] = None) -> None:
        """Collect (and log) the skip records carried by the batch."""
        logs = skip_logs_of_batch(data_batch)
        if logs is None:
            return
        self._delivered += len(logs)
        for log in logs:
            for record in log:
                record = SkipRecord(*record)
                self._records.append(record)
                # the running number keeps repeats distinct (see above)
                runner.logger.warning(
                    f'skipped sample {len(self._records)} of epoch '
                    f'{runner.epoch + 1} (iter {runner.iter + 1}, rank '
                    f'{get_rank()}): {record.describe()}')

    def after_train_epoch(self, runner) -> None:
        """Gather, report, and stop when too much was skipped."""
        gathered = all_gather_object((self._delivered, self._records))
        delivered = sum(count for count, _ in gathered)
        records = [r for _, recs in gathered for r in recs]
        skipped = len(records)
        drawn = delivered + skipped
        fraction = skipped / drawn if drawn else 0.0
        epoch = runner.epoch + 1
        runner.message_hub.update_scalar('skip/skipped_samples', skipped)
        runner.message_hub.update_scalar('skip/skipped_fraction', fraction)
        runner.visualizer.add_scalars(
            dict(skipped_samples=skipped, skipped_fraction=fraction),
            step=epoch)
        summary = (f'epoch {epoch}: {skipped} of {drawn} loaded samples '
                   f'skipped ({fraction:.1%}) on {get_world_size()} rank(s)')
        if skipped:
            counts = Counter(r.describe() for r in records)
            listed = [f'  {n}x {text}'
                      for text, n in counts.most_common(self.max_listed)]
            if len(counts) > self.max_listed:
                listed.append(f'  ... and {len(counts) - self.max_listed} '
                              'more files')
            summary += ':\n' + '\n'.join(listed)
            runner.logger.warning(summary)
        else:
            runner.logger.info(summary)
        if fraction > self.max_skip_fraction:
            raise TooManySkippedSamples(
                f'{skipped} of {drawn} samples ({fraction:.1%}) were skipped '
                f'in epoch {epoch}, more than max_skip_fraction='
                f'{self.max_skip_fraction} (SkipAccountingHook): fix or '
                'remove the unreadable videos listed above, or raise the '
                'limit in default_hooks.skip_accounting')
        self._reset()
