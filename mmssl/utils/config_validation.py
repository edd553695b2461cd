"""Config checks that name the offending key before a run starts.

MMEngine builds the optimizer inside ``Runner.train()`` and reports an
unknown type as ``KeyError: 'SGDX is not in the mmengine::optimizer
registry'`` after the datasets and model are built, without the config key.
:func:`check_registered_types` looks the optimizer, optimizer-wrapper and
parameter-scheduler types up before the runner is built and raises
:class:`ConfigError` with the key (``optim_wrapper.optimizer.type``) and the
closest registered names.
"""
import difflib
from typing import List, Tuple

from mmengine.config import Config

from mmssl.registry import OPTIM_WRAPPERS, OPTIMIZERS, PARAM_SCHEDULERS


class ConfigError(ValueError):
    """A config value that cannot work; the message names the key."""


def _registered_names(registry) -> List[str]:
    """Names in ``registry`` and its parents."""
    names = set()
    while registry is not None:
        names.update(registry.module_dict)
        registry = registry.parent
    return sorted(names)


def check_type(registry, value, key: str, kind: str) -> None:
    """Raise :class:`ConfigError` if ``value`` is an unregistered type name.

    Args:
        registry: MMEngine registry to look ``value`` up in.
        value: The config's ``type`` (non-strings, e.g. classes, pass).
        key (str): Dotted config key, e.g. ``'optim_wrapper.optimizer.type'``.
        kind (str): What the registry holds, for the message.
    """
    if not isinstance(value, str) or registry.get(value) is not None:
        return
    close = difflib.get_close_matches(
        value, _registered_names(registry), n=3, cutoff=0.5)
    hint = f'; did you mean {", ".join(map(repr, close))}?' if close else ''
    raise ConfigError(f'{key}={value!r} is not a registered {kind}{hint}')


def _optimizer_entries(optim_wrapper: dict) -> List[Tuple[str, dict]]:
    """(key, wrapper config) pairs; one per wrapper of an OptimWrapperDict."""
    if 'optimizer' in optim_wrapper:
        return [('optim_wrapper', optim_wrapper)]
    return [(f'optim_wrapper.{name}', sub)
            for name, sub in optim_wrapper.items()
            if isinstance(sub, dict) and 'optimizer' in sub]


def check_registered_types(cfg: Config) -> None:
    """Check the optimizer, wrapper and scheduler types of ``cfg``.

    Raises:
        ConfigError: One line naming the key of the first unknown type.
    """
    optim_wrapper = cfg.get('optim_wrapper')
    if isinstance(optim_wrapper, dict):
        for key, wrapper in _optimizer_entries(optim_wrapper):
            check_type(OPTIMIZERS, wrapper['optimizer'].get('type'),
                       f'{key}.optimizer.type', 'optimizer')
            check_type(OPTIM_WRAPPERS, wrapper.get('type'), f'{key}.type',
                       'optimizer wrapper')
    schedulers = cfg.get('param_scheduler')
    if isinstance(schedulers, dict):
        schedulers = [schedulers]
        keys = ['param_scheduler.type']
    else:
        schedulers = list(schedulers or [])
        keys = [f'param_scheduler[{i}].type' for i in range(len(schedulers))]
    for key, scheduler in zip(keys, schedulers):
        if isinstance(scheduler, dict):
            check_type(PARAM_SCHEDULERS, scheduler.get('type'), key,
                       'parameter scheduler')


def check_schedule_fits(cfg: Config) -> None:
    """Check that epoch-based schedulers start before ``max_epochs``.

    A scheduler without ``end`` ends at ``train_cfg.max_epochs``; when its
    ``begin`` is not before that (e.g. ``--cfg-options
    train_cfg.max_epochs=1`` on a config with a 9-epoch warm-up), MMEngine
    fails deep in the runner with "end should be larger than begin".

    Raises:
        ConfigError: One line naming the scheduler key and max_epochs.
    """
    train_cfg = cfg.get('train_cfg') or {}
    max_epochs = train_cfg.get('max_epochs')
    if max_epochs is None or not train_cfg.get('by_epoch', True):
        return
    schedulers = cfg.get('param_scheduler') or []
    if isinstance(schedulers, dict):
        schedulers = [schedulers]
    for i, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, dict) or not scheduler.get(
                'by_epoch', True):
            continue
        begin = scheduler.get('begin', 0)
        end = scheduler.get('end', max_epochs)
        if begin >= min(end, max_epochs):
            raise ConfigError(
                f'param_scheduler[{i}] ({scheduler.get("type")}) begins at '
                f'epoch {begin} but train_cfg.max_epochs={max_epochs}'
                f'{"" if "end" not in scheduler else f" / its end={end}"}:'
                ' raise max_epochs or move the schedule (e.g. '
                f'--cfg-options param_scheduler.{i}.begin=0)')
