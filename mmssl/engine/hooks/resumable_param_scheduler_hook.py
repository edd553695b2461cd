"""Parameter schedules that follow the current config on ``--resume``."""
import copy
import warnings
from typing import Dict, List, Optional

import torch
from mmengine.hooks import ParamSchedulerHook
from mmengine.logging import print_log

from mmssl.registry import HOOKS

# Scheduler state that records progress (kept from the checkpoint);
# everything else in a scheduler's state dict is its definition.
PROGRESS_KEYS = frozenset({
    'last_step', '_global_step', '_last_value', 'base_values', 'verbose',
    'best', 'num_bad_epochs', 'cooldown_counter', 'last_epoch'
})


def _by_name(schedulers) -> Dict[Optional[str], list]:
    """``{optimizer name: [scheduler or state, ...]}``; name None if single."""
    if isinstance(schedulers, dict):
        return dict(schedulers)
    return {None: list(schedulers)}


def _differs(a, b) -> bool:
    try:
        return bool(a != b)
    except (TypeError, ValueError, RuntimeError):  # arrays, tensors
        return repr(a) != repr(b)


def _changed_definition(fresh: dict, saved: dict) -> Dict[str, tuple]:
    """``{key: (saved, current)}`` for definition keys that differ."""
    keys = (set(fresh) | set(saved)) - PROGRESS_KEYS
    return {
        k: (saved.get(k), fresh.get(k))
        for k in sorted(keys) if _differs(saved.get(k), fresh.get(k))
    }


def _lrs(param_groups: list) -> str:
    return ', '.join(f'{g["lr"]:.3e}' for g in param_groups if 'lr' in g)


@HOOKS.register_module()
class ResumableParamSchedulerHook(ParamSchedulerHook):
    """``ParamSchedulerHook`` whose schedules follow the current config on
    resume, e.g. a larger ``train_cfg.max_epochs``.

    MMEngine resumes a scheduler by overwriting *all* its attributes with
    the checkpointed ones, including its definition: ``end`` (filled in
    from the first run's ``max_epochs`` when the config gives none),
    ``T_max`` derived from it, milestones, ``eta_min``. Resuming with more
    epochs then froze the learning rate once the first run's ``end`` was
    reached, and edits of the schedule were silently ignored.

    On resume this hook compares each checkpointed scheduler with the one
    built from the current config. If their definitions agree, MMEngine's
    exact resume is untouched. Otherwise the schedules of that optimizer
    are replayed from step 0 to the checkpoint's epoch / iteration on a
    scratch optimizer (stepped as ``ParamSchedulerHook`` steps them),
    and the replayed scheduler states and parameter values (lr, momentum)
    replace the checkpointed ones: the resumed run continues exactly as a
    run started with the current config would at that point, and the
    change is logged (e.g. ``end 2 -> 4, T_max 2 -> 4; lr 1.0e-04 ->
    5.0e-03``). Metric-driven schedulers (``ReduceOnPlateauLR``) cannot be
    replayed: their new definition (e.g. a later ``end``) is adopted with
    their checkpointed progress (best value, bad epochs); if another
    scheduler of the same optimizer changed too, the resume is refused
    with an error naming the change.

    Stepping is MMEngine's (``after_train_iter`` / ``after_train_epoch``);
    this hook replaces ``ParamSchedulerHook`` in
    ``configs/_base_/default_runtime.py``.
    """

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """Rewrite checkpointed scheduler / optimizer state on resume."""
        if not getattr(runner, '_resume', False) or 'param_schedulers' \
                not in checkpoint or not self._built(runner.param_schedulers):
            return
        current = _by_name(runner.param_schedulers)
        saved = _by_name(checkpoint['param_schedulers'])
        if set(current) != set(saved) or any(
                len(current[k]) != len(saved[k]) for k in current):
            raise RuntimeError(
                'cannot resume the parameter schedulers: the checkpoint has '
                f'{ {k: len(v) for k, v in saved.items()} } schedulers per '
                'optimizer, param_scheduler in the config builds '
                f'{ {k: len(v) for k, v in current.items()} }')
        for name, schedulers in current.items():
            self._follow_config(runner, checkpoint, name, schedulers,
                                saved[name])

    @staticmethod
    def _built(param_schedulers) -> bool:
        if not param_schedulers:
            return False
        groups = _by_name(param_schedulers).values()
        return all(not isinstance(s, dict) for g in groups for s in g)

    def _follow_config(self, runner, checkpoint: dict, name: Optional[str],
                       schedulers: list, states: List[dict]) -> None:
        changes = {
            i: _changed_definition(s.state_dict(), states[i])
            for i, s in enumerate(schedulers)
        }
        changes = {i: c for i, c in changes.items() if c}
        if not changes:
            return
        described = '; '.join(
            f'param_scheduler{"" if name is None else "." + name}[{i}] '
            f'{type(schedulers[i]).__name__}: ' + ', '.join(
                f'{k} {old} -> {new}' for k, (old, new) in c.items())
            for i, c in changes.items())
        metric_driven = [
            i for i, s in enumerate(schedulers)
            if getattr(s, 'need_val_args', False)
        ]
        if set(changes) <= set(metric_driven):
            for i in changes:
                fresh = schedulers[i].state_dict()
                states[i].update(
                    {k: fresh[k]
                     for k in changes[i] if k in fresh})
            self._log(f'the checkpoint\'s schedule differs from the config '
                      f'({described}); the config\'s definition is used, '
                      'with the checkpointed progress (best value, bad '
                      'epochs)')
            return
        if metric_driven:
            raise RuntimeError(
                f'cannot resume: the schedule changed ({described}) and '
                'a metric-driven scheduler (ReduceOnPlateau) of the same '
                'optimizer cannot be replayed to the resume point; resume '
                'with the original schedule or start a new run')
        replayed, scratch = self._replay(runner, checkpoint, name,
                                         schedulers)
        for i, scheduler in enumerate(replayed):
            states[i].clear()
            states[i].update(scheduler.state_dict())
        param_names = {s.param_name for s in replayed}
        if 'momentum' in param_names:
            param_names.add('betas')
        optim_state = checkpoint['optimizer']
        if name is not None:
            optim_state = optim_state[name]
        before = _lrs(optim_state['param_groups'])
        for group, scratch_group in zip(optim_state['param_groups'],
                                        scratch.param_groups):
            for key in param_names & set(group):
                group[key] = copy.deepcopy(scratch_group[key])
        after = _lrs(scratch.param_groups)
        self._log(f'the schedule follows the current config ({described}); '
                  f'replayed to epoch {checkpoint["meta"]["epoch"]}, '
                  f'iteration {checkpoint["meta"]["iter"]}: lr {before} -> '
                  f'{after}')

    @staticmethod
    def _replay(runner, checkpoint: dict, name: Optional[str],
                schedulers: list):
        """Copies of the just-built ``schedulers`` stepped to the resume point.

        The copies drive a scratch optimizer whose groups copy the real
        ones (built, not yet loaded from the checkpoint), so they start
        exactly where a new run with the current config starts.

        Returns:
            tuple: (list of schedulers, the scratch optimizer they drive).
        """
        wrapper = runner.optim_wrapper if name is None else \
            runner.optim_wrapper[name]
        groups = [
            dict({k: copy.deepcopy(v)
                  for k, v in group.items() if k != 'params'},
                 params=[torch.nn.Parameter(torch.zeros(1))])
            for group in wrapper.optimizer.param_groups
        ]
        scratch = torch.optim.SGD(groups, lr=groups[0]['lr'])
        replayed = []
        for scheduler in schedulers:
            twin = copy.copy(scheduler)
            twin.__dict__ = copy.deepcopy(
                {k: v
                 for k, v in scheduler.__dict__.items() if k != 'optimizer'})
            twin.optimizer = scratch
            replayed.append(twin)
        per_epoch = len(runner.train_dataloader)
        epochs = checkpoint['meta']['epoch']
        with warnings.catch_warnings():
            # "scheduler.step() before optimizer.step()": no training here
            warnings.simplefilter('ignore', UserWarning)
            for it in range(checkpoint['meta']['iter']):
                for twin in replayed:
                    if not twin.by_epoch:
                        twin.step()
                if (it + 1) % per_epoch == 0 and \
                        (it + 1) // per_epoch <= epochs:
                    for twin in replayed:
                        if twin.by_epoch:
                            twin.step()
        return replayed, scratch

    @staticmethod
    def _log(message: str) -> None:
        print_log(f'ResumableParamSchedulerHook: {message}',
                  logger='current', level=30)
