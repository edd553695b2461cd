"""Step reduce-on-plateau schedulers on the epoch's mean training loss."""
from typing import Dict, Optional, Union

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.logging import print_log

from mmssl.registry import HOOKS

DATA_BATCH = Optional[Union[dict, tuple, list]]


def _plateau_schedulers(param_schedulers) -> list:
    """Schedulers that need a metric (``need_val_args``), flattened."""
    if param_schedulers is None:
        return []
    groups = (param_schedulers.values()
              if isinstance(param_schedulers, dict) else [param_schedulers])
    return [
        s for group in groups for s in group
        if getattr(s, 'need_val_args', False)
    ]


@HOOKS.register_module()
class TrainLossPlateauHook(Hook):
    """Feed the mean training loss of each epoch to plateau schedulers.

    TCLR and STCLR (Altabrawee & Mohd Noor, "STCLR", Neurocomputing, Sec.
    4.2.2) divide the learning rate by 10 when the *training* loss has not
    decreased for ``patience`` epochs. MMEngine's
    ``ReduceOnPlateauLR`` / ``ReduceOnPlateauParamScheduler`` only receive
    metrics after a validation epoch, and self-supervised pretraining has no
    validation loop. This schedule-only hook averages ``outputs[monitor]``
    (the summed loss by default) over the epoch's iterations (and over ranks
    when distributed) and calls ``scheduler.step({monitor: mean})`` on every
    scheduler with ``need_val_args`` after each training epoch. The
    scheduler keeps its own state (best value, bad epochs), which MMEngine
    checkpoints and resumes; the running sum and count of the current epoch
    travel in checkpoints too (a resume from a checkpoint saved inside an
    epoch still averages the whole epoch). Each epoch logs the mean, the best value, the
    number of bad epochs and the lr, and stores the mean in the message hub
    as ``plateau/epoch_mean_<monitor>``.

    Use it with a plateau scheduler whose ``monitor`` matches, and no
    validation loop (a validation epoch would also step the scheduler, with
    validation metrics)::

        param_scheduler = [dict(type='ReduceOnPlateauLR', monitor='loss',
                                rule='less', factor=0.1, patience=12)]
        custom_hooks = [dict(type='TrainLossPlateauHook')]

    Args:
        monitor (str): Key of the train step outputs to average. Defaults to
            ``'loss'`` (the total loss).
    """

    # Before ParamSchedulerHook (LOW), whose after_train_epoch advances the
    # scheduler's epoch counter: the step here then sees epoch ``e`` (so the
    # last epoch of [begin, end) is stepped too).
    priority = 'BELOW_NORMAL'

    # checkpoint key of the running sum and count, so a resume from a
    # checkpoint saved inside an epoch averages over the whole epoch
    CHECKPOINT_KEY = 'train_loss_plateau'

    def __init__(self, monitor: str = 'loss') -> None:
        self.monitor = monitor
        self._sum = 0.0
        self._count = 0
        self._resumed_inside_epoch = False

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the running sum and count of the current epoch."""
        checkpoint[self.CHECKPOINT_KEY] = dict(
            sum=self._sum, count=self._count)

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Restore the running mean of a checkpoint saved inside an epoch."""
        state = checkpoint.get(self.CHECKPOINT_KEY)
        if state is None or not getattr(runner, '_resume', False):
            return
        meta = checkpoint.get('meta', {})
        if meta.get('iter', 0) != meta.get('epoch', 0) * len(
                runner.train_dataloader):
            self._sum, self._count = state['sum'], state['count']
            self._resumed_inside_epoch = True

    def before_train_epoch(self, runner) -> None:
        """Reset the running mean (unless resumed inside this epoch)."""
        if self._resumed_inside_epoch:
            self._resumed_inside_epoch = False
            return
        self._sum, self._count = 0.0, 0

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: DATA_BATCH = None,
                         outputs: Optional[Dict] = None) -> None:
        """Accumulate the monitored value."""
        if not outputs or self.monitor not in outputs:
            raise KeyError(f'TrainLossPlateauHook: monitor '
                           f'{self.monitor!r} is not in the train step '
                           f'outputs {sorted(outputs or {})}')
        value = outputs[self.monitor]
        if isinstance(value, torch.Tensor):
            value = value.detach().float().mean().item()
        self._sum += float(value)
        self._count += 1

    def after_train_epoch(self, runner) -> None:
        """Step the plateau schedulers with the epoch mean."""
        schedulers = _plateau_schedulers(runner.param_schedulers)
        if not schedulers or self._count == 0:
            if not schedulers:
                print_log(
                    'TrainLossPlateauHook: no plateau scheduler '
                    '(need_val_args) in param_scheduler; nothing to step',
                    logger='current',
                    level=30)
            return
        stats = torch.tensor([self._sum, float(self._count)],
                             dtype=torch.float64)
        all_reduce(stats)  # no-op when not distributed
        mean = float(stats[0] / stats[1])
        for scheduler in schedulers:
            scheduler.step({self.monitor: mean})
        # Not a 'train/' scalar: the log processor would smooth it over
        # the last iterations' history, i.e. over past epochs.
        runner.message_hub.update_scalar(
            f'plateau/epoch_mean_{self.monitor}', mean)
        lrs = [g['lr'] for g in schedulers[0].optimizer.param_groups]
        print_log(
            f'TrainLossPlateauHook: epoch mean {self.monitor} {mean:.4f}, '
            f'best {schedulers[0].best:.4f}, bad epochs '
            f'{schedulers[0].num_bad_epochs}, lr {lrs[0]:.3e}',
            logger='current')

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(monitor={self.monitor!r})'

