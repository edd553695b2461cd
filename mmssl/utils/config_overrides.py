"""Command-line overrides of a config, including its ``data_root``.

Python-style ``_base_`` configs resolve ``ann_file = f'{data_root}/...'`` and
``{{_base_.data_root}}`` when the file is parsed, so ``--cfg-options
data_root=DIR`` used to change only the variable and the run read the
default data. :func:`apply_overrides` re-roots instead: every string in the
config that equals the config's ``data_root`` or starts with it followed by
``/`` gets ``DIR`` in its place (annotation lists, ``data_prefix`` ...),
then the remaining ``--cfg-options`` are merged, so an explicit
``train_dataloader.dataset.ann_file=...`` still wins.
"""
from typing import Any, Optional

from mmengine.config import Config, ConfigDict

from .config_validation import ConfigError


def rebase_paths(node: Any, old_root: str, new_root: str) -> Any:
    """Copy of ``node`` with strings under ``old_root`` moved to ``new_root``.

    Args:
        node: A config value (dicts, lists, tuples and strings are walked).
        old_root (str): e.g. ``'data/synthmotion'``.
        new_root (str): e.g. ``'/scratch/synthmotion'``.

    Returns:
        The re-rooted value (same container types).
    """
    old_root = old_root.rstrip('/')
    if isinstance(node, str):
        if node == old_root:
            return new_root
        if node.startswith(old_root + '/'):
            return new_root.rstrip('/') + node[len(old_root):]
        return node
    if isinstance(node, dict):
        return type(node)({key: rebase_paths(value, old_root, new_root)
                           for key, value in node.items()})
    if isinstance(node, (list, tuple)):
        return type(node)(rebase_paths(v, old_root, new_root) for v in node)
    return node


def set_data_root(cfg: Config, new_root: str, source: str) -> None:
    """Re-root every path under ``cfg.data_root`` to ``new_root`` in place.

    Args:
        cfg (Config): A config with a top-level ``data_root`` string.
        new_root (str): The new data root.
        source (str): What asked for it, for the error message.

    Raises:
        ConfigError: The config has no ``data_root`` variable.
    """
    old_root = cfg.get('data_root')
    if not isinstance(old_root, str):
        raise ConfigError(
            f'{source} needs a `data_root` variable in the config '
            f'({cfg.filename}); set the dataset paths with --cfg-options '
            'instead')
    for key in list(cfg.keys()):
        if key == 'data_root':
            continue
        value = cfg[key]
        if isinstance(value, (dict, list, tuple, str)):
            cfg[key] = rebase_paths(
                value.to_dict() if isinstance(value, ConfigDict) else value,
                old_root, new_root)
    cfg.data_root = new_root


def apply_overrides(cfg: Config,
                    cfg_options: Optional[dict] = None,
                    data_root: Optional[str] = None) -> Config:
    """Apply ``--data-root`` and ``--cfg-options`` to ``cfg`` (in place).

    ``data_root`` may come from the flag or as ``data_root=DIR`` inside
    ``cfg_options`` (both at once must agree). Re-rooting happens first,
    so other ``--cfg-options`` paths override it.

    Returns:
        Config: ``cfg``.
    """
    options = dict(cfg_options or {})
    option_root = options.pop('data_root', None)
    if data_root is not None and option_root is not None \
            and data_root != option_root:
        raise ValueError(f'--data-root {data_root} and --cfg-options '
                         f'data_root={option_root} disagree')
    new_root = data_root if data_root is not None else option_root
    if new_root is not None:
        set_data_root(
            cfg, str(new_root),
            '--data-root' if data_root is not None else
            '--cfg-options data_root=...')
    if options:
        cfg.merge_from_dict(options)
    return cfg
